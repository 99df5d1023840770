package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/outbox"
	"github.com/lead360/lead360/assessment/webhook"
)

// receiver is a webhook endpoint that answers with the statuses it is
// given, in turn (then 200, or what answer set), and keeps every request.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	then     int
	got      []received
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return receiverOn(t, l, statuses...)
}

// receiverOn is a receiver that listens on l.
func receiverOn(t *testing.T, l net.Listener, statuses ...int) *receiver {
	t.Helper()
	r := &receiver{statuses: statuses, then: http.StatusOK}
	r.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{header: req.Header.Clone(), body: body})
		status := r.then
		if len(r.statuses) > 0 {
			status, r.statuses = r.statuses[0], r.statuses[1:]
		}
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	r.Listener.Close()
	r.Listener = l
	r.Start()
	t.Cleanup(r.Close)
	return r
}

// answer makes the receiver answer status once its given statuses ran out.
func (r *receiver) answer(status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.then = status
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

const baseURL = "https://lead360.example"

// env is a service on a fresh database with a working queue that delivers
// webhooks.
type env struct {
	*assessmenttest.Mailer
}

// webhookEnv is env whose queue's dialer accepts loopback and private
// targets when private is true.
func webhookEnv(t *testing.T, eng assessmenttest.Engine, private bool, opts ...assessmenttest.MailerOption) *env {
	t.Helper()
	m := assessmenttest.NewMailer(t, eng, baseURL, append(opts, func(c *outbox.Config) {
		c.Register = webhook.Workers(c.Service, webhook.NewClient(private), nil)
	})...)
	return &env{Mailer: m}
}

// mustSmallCycle is a small cycle: Ana and Bo lead; Cy is a peer of both,
// Dee is Ana's manager.
func (e *env) mustSmallCycle(t testing.TB) assessment.Cycle {
	t.Helper()
	c := e.MustCreateCycle(t, "Spring feedback")
	ana, _ := e.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
	bo, _ := e.MustAddLeader(t, c.ID, "Bo Chen", "bo@example.com")
	e.MustAddRater(t, ana.ID, "Cy Park", "cy@example.com", assessment.Peer)
	e.MustAddRater(t, bo.ID, "Cy Park", "cy@example.com", assessment.Peer)
	e.MustAddRater(t, ana.ID, "Dee O'Hara", "dee@example.com", assessment.Manager)
	return c
}

// mustWebhook registers url for events, with private targets allowed at
// registration, and returns its HMAC key.
func (e *env) mustWebhook(t *testing.T, url string, events ...assessment.WebhookEvent) (assessment.WebhookEndpoint, []byte) {
	t.Helper()
	e.Service.AllowPrivateWebhooks = true
	names := make([]string, len(events))
	for i, ev := range events {
		names[i] = string(ev)
	}
	ep, secret, err := e.Service.CreateWebhook(context.Background(), e.Org.ID, "", assessment.NewWebhook{URL: url, Events: names, CreatedBy: "Test"})
	if err != nil {
		t.Fatal(err)
	}
	key, err := assessment.WebhookKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	return ep, key
}

// waitForDelivery waits until the endpoint's latest delivery is done and
// returns it. The list reads deliveries and attempts one after the other,
// so a test waits for what it expects of both.
func (e *env) waitForDelivery(t *testing.T, endpointID string, done func(assessment.WebhookDelivery) bool) assessment.WebhookDelivery {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		hooks, err := e.Service.Webhooks(context.Background(), e.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hooks {
			if h.ID == endpointID && len(h.Deliveries) > 0 && done(h.Deliveries[0]) {
				return h.Deliveries[0]
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no delivery done after 30 s: %s", describe(hooks))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// describe shows deliveries with their payloads as text.
func describe(hooks []assessment.WebhookWithLog) string {
	var b strings.Builder
	for _, h := range hooks {
		for _, d := range h.Deliveries {
			fmt.Fprintf(&b, "\n%s %s delivered=%v attempts=%+v payload=%s", d.ID, d.Event, d.DeliveredAt != nil, d.Attempts, d.Payload)
		}
	}
	return b.String()
}

// delivered is done when the delivery was acknowledged after n attempts.
func delivered(n int) func(assessment.WebhookDelivery) bool {
	return func(d assessment.WebhookDelivery) bool { return d.DeliveredAt != nil && len(d.Attempts) >= n }
}

// moveTo takes a fresh small cycle to the status whose event is ev.
func (e *env) moveTo(t *testing.T, ev assessment.WebhookEvent) assessment.Cycle {
	t.Helper()
	ctx := context.Background()
	c := e.mustSmallCycle(t)
	if _, err := e.Service.OpenCycle(ctx, e.Org.ID, c.ID, "", nil); err != nil {
		t.Fatal(err)
	}
	if ev == assessment.EventCycleOpened {
		return c
	}
	if _, err := e.Service.CloseCycleEarly(ctx, e.Org.ID, c.ID, ""); err != nil {
		t.Fatal(err)
	}
	if ev == assessment.EventCycleClosed {
		return c
	}
	if _, err := e.Service.ReleaseCycle(ctx, e.Org.ID, c.ID, ""); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestWebhookCycleEventDeliversOneSignedRequest(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		for _, ev := range []assessment.WebhookEvent{assessment.EventCycleOpened, assessment.EventCycleClosed, assessment.EventCycleReleased} {
			t.Run(string(eng.Name)+"/"+string(ev), func(t *testing.T) {
				t.Parallel()
				e := webhookEnv(t, eng, true)
				rcv := newReceiver(t)
				ep, key := e.mustWebhook(t, rcv.URL+"/hooks", ev)
				c := e.moveTo(t, ev)
				d := e.waitForDelivery(t, ep.ID, delivered(1))
				if len(d.Attempts) != 1 || d.Attempts[0].StatusCode != http.StatusOK {
					t.Fatalf("attempts %+v, want delivered at the first attempt", d.Attempts)
				}
				reqs := rcv.requests()
				if len(reqs) != 1 {
					t.Fatalf("receiver got %d requests, want 1", len(reqs))
				}
				r := reqs[0]
				ts, err := strconv.ParseInt(r.header.Get("Webhook-Timestamp"), 10, 64)
				if err != nil || time.Since(time.Unix(ts, 0)).Abs() > time.Minute {
					t.Fatalf("Webhook-Timestamp %q is not the time of sending", r.header.Get("Webhook-Timestamp"))
				}
				if id := r.header.Get("Webhook-Id"); id != d.ID {
					t.Fatalf("Webhook-Id %q, want the delivery's id %s", id, d.ID)
				}
				if sig := r.header.Get("Webhook-Signature"); !verifies(key, r) || strings.Contains(sig, " ") {
					t.Fatalf("Webhook-Signature %q is not the one signature of the endpoint's secret", sig)
				}
				var p struct {
					Type assessment.WebhookEvent
					Data assessment.CycleEventData
				}
				if err := json.Unmarshal(r.body, &p); err != nil {
					t.Fatal(err)
				}
				if p.Type != ev || p.Data.CycleID != c.ID || p.Data.Name != c.Name || p.Data.Leaders != 2 {
					t.Fatalf("payload %s, want %s of cycle %s with 2 leaders", r.body, ev, c.ID)
				}
				for _, who := range []string{"cy@example.com", "Cy Park", "dee@example.com", "Dee O", "ana@example.com", "Ana Lima"} {
					if strings.Contains(string(r.body), who) {
						t.Fatalf("payload names %q: %s", who, r.body)
					}
				}
			})
		}
	}
}

// verifies checks a request's signature as docs/webhooks.md tells
// receivers to, independently of the code that signs: one of the
// space-separated signatures is the key's.
func verifies(key []byte, r received) bool {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(r.header.Get("Webhook-Id") + "." + r.header.Get("Webhook-Timestamp") + "."))
	mac.Write(r.body)
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	for _, got := range strings.Fields(r.header.Get("Webhook-Signature")) {
		if hmac.Equal([]byte(got), []byte(want)) {
			return true
		}
	}
	return false
}

func TestWebhookFailedAttemptIsRetriedUnderTheSameID(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := webhookEnv(t, eng, true)
			rcv := newReceiver(t, http.StatusInternalServerError)
			ep, _ := e.mustWebhook(t, rcv.URL, assessment.EventCycleOpened)
			e.moveTo(t, assessment.EventCycleOpened)
			d := e.waitForDelivery(t, ep.ID, delivered(2))
			if a := d.Attempts; len(a) != 2 || a[0].StatusCode != 500 || a[1].StatusCode != 200 || a[0].Attempt >= a[1].Attempt {
				t.Fatalf("attempts %+v, want 500 then 200", a)
			}
			reqs := rcv.requests()
			if len(reqs) != 2 {
				t.Fatalf("receiver got %d requests, want 2", len(reqs))
			}
			for _, r := range reqs {
				if r.header.Get("Webhook-Id") != d.ID {
					t.Fatalf("Webhook-Id %q, want %s on every attempt", r.header.Get("Webhook-Id"), d.ID)
				}
			}
		})
	}
}

func TestWebhookToAPrivateAddressIsRefusedWhenSending(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := webhookEnv(t, eng, false)
			rcv := newReceiver(t)
			// Registered while private targets were allowed; the server
			// now refuses them: the dialer is the last guard.
			ep, _ := e.mustWebhook(t, rcv.URL, assessment.EventCycleOpened)
			e.moveTo(t, assessment.EventCycleOpened)
			d := e.waitForDelivery(t, ep.ID, func(d assessment.WebhookDelivery) bool { return len(d.Attempts) > 0 })
			if d.DeliveredAt != nil || !strings.Contains(d.Attempts[0].Failure, "private") {
				t.Fatalf("attempts %+v, want refused as private", d.Attempts)
			}
			if n := len(rcv.requests()); n != 0 {
				t.Fatalf("receiver got %d requests, want none", n)
			}
		})
	}
}

func TestWebhookClientRefusesPrivateTargets(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t)
	u, err := url.Parse(rcv.URL)
	if err != nil {
		t.Fatal(err)
	}
	port := u.Port()
	client := webhook.NewClient(false)
	for _, target := range []string{
		rcv.URL,                             // 127.0.0.1
		"http://localhost:" + port,          // a name that resolves to loopback
		"http://[::1]:" + port,              // IPv6 loopback
		"http://10.0.0.1:9/",                // private
		"http://169.254.169.254/latest",     // link-local: cloud metadata
		"http://[::ffff:127.0.0.1]:" + port, // IPv4 loopback written as IPv6
		"http://0.0.0.0:" + port,            // unspecified
	} {
		t.Run(url.PathEscape(target), func(t *testing.T) {
			resp, err := client.Post(target, "application/json", strings.NewReader("{}"))
			if err == nil {
				resp.Body.Close()
				t.Fatalf("POST %s answered %d, want refused", target, resp.StatusCode)
			}
			if !strings.Contains(err.Error(), "private") {
				t.Fatalf("POST %s: %v, want refused as private", target, err)
			}
		})
	}
	if n := len(rcv.requests()); n != 0 {
		t.Fatalf("receiver got %d requests, want none", n)
	}
}
