package webhook_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// waitForDeliveries waits until the endpoint has n acknowledged deliveries
// and returns them, newest first.
func (e *env) waitForDeliveries(t *testing.T, endpointID string, n int) []assessment.WebhookDelivery {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		hooks, err := e.Service.Webhooks(context.Background(), e.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hooks {
			if h.ID != endpointID {
				continue
			}
			done := slices.IndexFunc(h.Deliveries, func(d assessment.WebhookDelivery) bool { return d.DeliveredAt == nil || len(d.Attempts) == 0 }) < 0
			if done && len(h.Deliveries) >= n {
				return h.Deliveries
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not %d deliveries done after 30 s: %s", n, describe(hooks))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// assertNoRater fails when a payload names one of mustSmallCycle's people.
func assertNoRater(t *testing.T, body []byte) {
	t.Helper()
	for _, who := range []string{"cy@example.com", "Cy Park", "dee@example.com", "Dee O", "ana@example.com", "Ana Lima", "peer", "manager"} {
		if strings.Contains(strings.ToLower(string(body)), strings.ToLower(who)) {
			t.Fatalf("payload names %q: %s", who, body)
		}
	}
}

// Cy's email, with Cy's two invitations (a peer of Ana and of Bo), is
// refused for good: one invitation.failed per invitation, and recording the
// failure again (a second run of the email's job) sends nothing more.
func TestWebhookInvitationFailedOncePerInvitation(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := webhookEnv(t, eng, true)
			e.SMTP.FailRecipient("cy@example.com", 550)
			rcv := newReceiver(t)
			ep, key := e.mustWebhook(t, rcv.URL, assessment.EventInvitationFailed)
			c := e.moveTo(t, assessment.EventCycleOpened)
			e.waitForDeliveries(t, ep.ID, 2)

			var invitations []string
			for _, r := range rcv.requests() {
				if !verifies(key, r) {
					t.Fatalf("Webhook-Signature %q does not verify", r.header.Get("Webhook-Signature"))
				}
				assertNoRater(t, r.body)
				var p struct {
					Type assessment.WebhookEvent
					Data assessment.InvitationFailedData
				}
				if err := json.Unmarshal(r.body, &p); err != nil {
					t.Fatal(err)
				}
				d := p.Data
				if p.Type != assessment.EventInvitationFailed || d.CycleID != c.ID || d.CycleName != c.Name || d.OrganizationID != e.Org.ID ||
					d.InvitationID == "" || d.FailedAt.IsZero() || d.DashboardURL != baseURL+"/cycles/"+c.ID+"/progress" {
					t.Fatalf("payload %s, want invitation.failed of cycle %s with its progress page", r.body, c.ID)
				}
				invitations = append(invitations, d.InvitationID)
			}
			if slices.Sort(invitations); len(slices.Compact(invitations)) != 2 {
				t.Fatalf("deliveries for invitations %v, want one for each of Cy's two", invitations)
			}

			again := assessment.SurveyMail{Job: assessment.SurveyMailJob{Mail: assessment.MailInvitation, OrganizationID: e.Org.ID, CycleID: c.ID}, Cycle: c}
			for _, id := range invitations {
				again.Lines = append(again.Lines, assessment.SurveyMailLine{InvitationID: id})
			}
			if err := e.Service.MailFailed(context.Background(), again, "550 recorded twice"); err != nil {
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond) // six poll intervals of the queue
			if n := len(rcv.requests()); n != 2 {
				t.Fatalf("receiver got %d requests after the failure was recorded again, want still 2", n)
			}
			if ds := e.waitForDeliveries(t, ep.ID, 2); len(ds) != 2 {
				t.Fatalf("%d deliveries after the failure was recorded again, want 2: %s", len(ds), describe(nil))
			}
		})
	}
}

// surveyTokens opens the cycle of moveTo and returns every survey link's
// token, from the emails the raters received.
func (e *env) surveyTokens(t *testing.T, invitations int) []string {
	t.Helper()
	var tokens []string
	for _, msg := range e.SMTP.WaitFor(invitations-1, 30*time.Second) { // Cy's two are in one email
		tokens = append(tokens, e.SurveyTokens(msg)...)
	}
	if len(tokens) != invitations {
		t.Fatalf("%d survey links in the emails, want %d", len(tokens), invitations)
	}
	return tokens
}

// submit submits a survey with every answer 4.
func (e *env) submit(t *testing.T, token string) {
	t.Helper()
	if _, err := e.Service.SaveSurvey(context.Background(), token, assessment.SurveyInput{Answers: e.FullAnswers(4), Submit: true}); err != nil {
		t.Error(err)
	}
}

// The last two raters submit at the same moment: neither transaction may
// count without the other's submission, or 100 % would never be
// announced (on PostgreSQL, read committed, each could see 4 of 5). The
// window is narrow: without LockCycleCounts this test passed 5 runs of 5,
// so it guards the outcome, and the lock rests on its reasoning.
func TestWebhookResponseRateLastSubmissionsAtOnce(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := webhookEnv(t, eng, true)
			rcv := newReceiver(t)
			ep, _ := e.mustWebhook(t, rcv.URL, assessment.EventResponseRateReached)
			e.moveTo(t, assessment.EventCycleOpened)
			tokens := e.surveyTokens(t, 5)
			for _, token := range tokens[:3] {
				e.submit(t, token)
			}
			var wg sync.WaitGroup
			for _, token := range tokens[3:] {
				wg.Go(func() { e.submit(t, token) })
			}
			wg.Wait()
			ds := e.waitForDeliveries(t, ep.ID, 3)
			var p struct{ Data assessment.ResponseRateData }
			if err := json.Unmarshal(ds[0].Payload, &p); err != nil {
				t.Fatal(err)
			}
			if len(ds) != 3 || p.Data.Threshold != 100 || p.Data.Submitted != 5 {
				t.Fatalf("%s; want 3 deliveries, the latest for 100 %% with 5 of 5 submitted", describe([]assessment.WebhookWithLog{{Deliveries: ds}}))
			}
		})
	}
}

// The small cycle has five invitations (two selves, Cy for each leader,
// Dee): the third submission reaches 50 %, the fourth 75 %, the fifth
// 100 %. Every later submission, and an edit of a submitted survey, finds
// the reached thresholds announced already.
func TestWebhookResponseRateReachedOncePerThreshold(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := webhookEnv(t, eng, true)
			rcv := newReceiver(t)
			ep, _ := e.mustWebhook(t, rcv.URL, assessment.EventResponseRateReached)
			c := e.moveTo(t, assessment.EventCycleOpened)
			tokens := e.surveyTokens(t, 5)
			ctx := context.Background()
			submit := func(token string) { e.submit(t, token) }
			for i, want := range []struct{ deliveries, threshold int }{{0, 0}, {0, 0}, {1, 50}, {2, 75}, {3, 100}} {
				submit(tokens[i])
				if want.deliveries == 0 {
					continue
				}
				ds := e.waitForDeliveries(t, ep.ID, want.deliveries)
				var p struct {
					Type assessment.WebhookEvent
					Data assessment.ResponseRateData
				}
				if err := json.Unmarshal(ds[0].Payload, &p); err != nil {
					t.Fatal(err)
				}
				if len(ds) != want.deliveries || p.Type != assessment.EventResponseRateReached || p.Data.Threshold != want.threshold ||
					p.Data.CycleID != c.ID || p.Data.Invited != 5 || p.Data.Submitted != i+1 {
					t.Fatalf("after submission %d: %s; want %d deliveries, the latest for %d %% with %d of 5 submitted",
						i+1, describe([]assessment.WebhookWithLog{{Deliveries: ds}}), want.deliveries, want.threshold, i+1)
				}
				assertNoRater(t, ds[0].Payload)
			}
			if _, err := e.Service.SaveSurvey(ctx, tokens[0], assessment.SurveyInput{Version: 1, Answers: e.FullAnswers(3), Submit: true}); err != nil {
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond) // six poll intervals of the queue
			if n := len(rcv.requests()); n != 3 {
				t.Fatalf("receiver got %d requests, want 3: one per threshold", n)
			}
		})
	}
}
