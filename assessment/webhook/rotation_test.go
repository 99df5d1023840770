package webhook_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// After a rotation, deliveries carry a signature under each secret for
// WebhookSecretGrace, so a receiver that still has the old secret and one
// that has the new one both accept them; after the grace, the new secret's
// only. A disabled endpoint cannot be rotated.
func TestWebhookSecretRotationSignsWithBothSecretsDuringTheGrace(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := webhookEnv(t, eng, true)
			ctx := context.Background()
			rcv := newReceiver(t)
			ep, oldKey := e.mustWebhook(t, rcv.URL, assessment.EventCycleOpened)
			secret, err := e.Service.RotateWebhookSecret(ctx, e.Org.ID, "", ep.ID)
			if err != nil {
				t.Fatal(err)
			}
			newKey, err := assessment.WebhookKey(secret)
			if err != nil || string(newKey) == string(oldKey) {
				t.Fatalf("rotation gave %q (%v), want a new secret", secret, err)
			}
			for _, tc := range []struct {
				after       time.Duration
				signatures  int
				oldVerifies bool
			}{
				{0, 2, true},
				{assessment.WebhookSecretGrace - time.Minute, 2, true},
				{assessment.WebhookSecretGrace + time.Minute, 1, false},
			} {
				e.Clock.Set(time.Now().UTC().Add(tc.after).Truncate(time.Second))
				e.moveTo(t, assessment.EventCycleOpened)
				e.waitForDeliveries(t, ep.ID, len(rcv.requests())+1)
				reqs := rcv.requests()
				r := reqs[len(reqs)-1]
				sig := r.header.Get("Webhook-Signature")
				if n := len(strings.Fields(sig)); n != tc.signatures || verifies(oldKey, r) != tc.oldVerifies || !verifies(newKey, r) {
					t.Fatalf("%v after the rotation: Webhook-Signature %q (%d signatures); want %d, the old secret's verifying %v, the new one's verifying",
						tc.after, sig, n, tc.signatures, tc.oldVerifies)
				}
			}
			if err := e.Service.DisableWebhook(ctx, e.Org.ID, "", ep.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := e.Service.RotateWebhookSecret(ctx, e.Org.ID, "", ep.ID); assessment.ErrorCode(err) != assessment.CodeGone {
				t.Fatalf("rotating a disabled endpoint: %v, want gone", err)
			}
		})
	}
}
