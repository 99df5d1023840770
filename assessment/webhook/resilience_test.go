package webhook_test

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/outbox"
)

// scaledBackoff is the server's retry schedule (River's: attempt⁴
// seconds, the last of WebhookMaxAttempts tries about four hours after
// the first) with unit standing for a second, so that a test walks the
// same schedule in milliseconds.
type scaledBackoff struct{ unit time.Duration }

func (b scaledBackoff) NextRetry(job *rivertype.JobRow) time.Time {
	a := time.Duration(job.Attempt)
	return time.Now().Add(a * a * a * a * b.unit)
}

// withBackoff makes the queue retry on the server's schedule, one
// millisecond standing for a second: 1 ms, 16 ms, 81 ms, 256 ms, 625 ms...
func withBackoff(c *outbox.Config) { c.RetryPolicy = scaledBackoff{unit: time.Millisecond} }

// freeAddress is a loopback address where nothing listens, yet.
func freeAddress(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// listenOn listens on addr, as a receiver that comes back there.
func listenOn(t *testing.T, addr string) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen again on %s: %v", addr, err)
	}
	return l
}

// The receiver is down (connection refused) for two tries or more, then
// answers 503 twice, then comes up: the delivery is acknowledged once, and
// every try carried the same Webhook-Id. On the server's schedule this is
// an outage of about six minutes (1 + 16 + 81 + 256 s, and the tries
// before it came back); here it takes about a second.
func TestWebhookReceiverDownThenUpIsDeliveredOnce(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := webhookEnv(t, eng, true, withBackoff)
			down := freeAddress(t)
			ep, key := e.mustWebhook(t, "http://"+down+"/hooks", assessment.EventCycleOpened)
			e.moveTo(t, assessment.EventCycleOpened)
			e.waitForDelivery(t, ep.ID, func(d assessment.WebhookDelivery) bool { return len(d.Attempts) >= 2 })
			rcv := receiverOn(t, listenOn(t, down), http.StatusServiceUnavailable, http.StatusServiceUnavailable)
			d := e.waitForDelivery(t, ep.ID, delivered(4))

			refused := 0
			for refused < len(d.Attempts) && strings.Contains(d.Attempts[refused].Failure, "refused") {
				refused++
			}
			var after []int
			for _, a := range d.Attempts[refused:] {
				after = append(after, a.StatusCode)
			}
			if refused < 2 || len(after) != 3 || after[0] != 503 || after[1] != 503 || after[2] != 200 {
				t.Fatalf("attempts %+v; want two or more refused connections, then 503, 503, 200", d.Attempts)
			}
			time.Sleep(700 * time.Millisecond) // past the next retry the schedule would make
			reqs := rcv.requests()
			if len(reqs) != 3 {
				t.Fatalf("receiver got %d requests, want 3 (503, 503, 200) and nothing after the 200", len(reqs))
			}
			for _, r := range reqs {
				if r.header.Get("Webhook-Id") != d.ID || !verifies(key, r) {
					t.Fatalf("a try with Webhook-Id %q (want %s on every try), signature verifying %v", r.header.Get("Webhook-Id"), d.ID, verifies(key, r))
				}
			}
		})
	}
}

// lead360 stops with a delivery waiting for its retry and a new instance
// (a service and queue of its own) starts on the same database: the
// waiting delivery is made, and the one the receiver acknowledged before
// the stop is never sent again.
func TestWebhookDeliveryOutlivesARestart(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := webhookEnv(t, eng, true, withBackoff)
			rcv := newReceiver(t)
			ep, _ := e.mustWebhook(t, rcv.URL, assessment.EventCycleOpened)
			e.moveTo(t, assessment.EventCycleOpened)
			acknowledged := e.waitForDelivery(t, ep.ID, delivered(1))

			rcv.answer(http.StatusServiceUnavailable)
			e.moveTo(t, assessment.EventCycleOpened)
			pending := e.waitForDelivery(t, ep.ID, func(d assessment.WebhookDelivery) bool { return d.ID != acknowledged.ID && len(d.Attempts) >= 2 })
			e.StopQueue(t)
			stoppedAt := len(rcv.requests())
			rcv.answer(http.StatusOK)
			time.Sleep(300 * time.Millisecond)
			if n := len(rcv.requests()); n != stoppedAt {
				t.Fatalf("the stopped instance sent %d requests", n-stoppedAt)
			}

			e.StartNewQueue(t)
			d := e.waitForDelivery(t, ep.ID, func(d assessment.WebhookDelivery) bool { return d.ID == pending.ID && d.DeliveredAt != nil })
			time.Sleep(700 * time.Millisecond) // past the next retry the schedule would make
			sent := map[string]int{}
			for _, r := range rcv.requests() {
				sent[r.header.Get("Webhook-Id")]++
			}
			if n := sent[acknowledged.ID]; n != 1 {
				t.Errorf("the delivery acknowledged before the restart was sent %d times, want once", n)
			}
			last := d.Attempts[len(d.Attempts)-1]
			if last.StatusCode != http.StatusOK || sent[d.ID] != len(d.Attempts) {
				t.Errorf("after the restart: attempts %+v, %d requests; want the last try acknowledged and one request per try", d.Attempts, sent[d.ID])
			}
		})
	}
}
