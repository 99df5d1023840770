package webhook_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
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
