package assessment_test

import (
	"context"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// An operator's service names the operator as the actor of the entries its
// use cases write in their own transactions and of the ones recorded after
// them; an entry with an actor keeps it, and the plain service adds nothing.
func TestByOperatorNamesTheOperatorInAuditEntriesWithoutAnActor(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			const who = "operator ana on host1, from the command line (lead360 cycle close)"
			op := f.Service.ByOperator(who)
			c := f.MustCreateCycle(t, "Spring")
			f.MustAddLeader(t, c.ID, "Maya Okafor", "maya@example.com")
			if _, err := op.OpenCycle(ctx, f.Org.ID, c.ID, "", nil); err != nil {
				t.Fatal(err)
			}
			if _, err := op.CloseCycleEarly(ctx, f.Org.ID, c.ID, ""); err != nil {
				t.Fatal(err)
			}
			admin, _, err := assessment.NewAccounts(f.Service, "http://localhost", nil).CreateAdmin(ctx,
				assessment.AdminInput{Email: "hr@example.com", Organization: f.Org.Name, Password: "plum tree river lantern"})
			if err != nil {
				t.Fatal(err)
			}
			tests := []struct {
				name                                 string
				svc                                  *assessment.Service
				action, actor, detail, wantD, wantBy string
			}{
				{"use case without detail", nil, "cycle.close_early", "", "", "", who},
				{"use case with detail", nil, "cycle.open", "", "", "Opened \"Spring\": invitations 1, emails queued 1", who},
				{"recorded after", op, "results.export", "", "Spring, results.csv", "Spring, results.csv", who},
				{"entry with an actor", op, "report.view", admin.ID, "Maya Okafor, Spring", "Maya Okafor, Spring", ""},
				{"plain service", f.Service, "report.download", "", "Maya Okafor, Spring", "Maya Okafor, Spring", ""},
			}
			for _, tc := range tests {
				if tc.svc != nil {
					if err := tc.svc.Record(ctx, f.Org.ID, tc.actor, tc.action, "cycle", c.ID, tc.detail); err != nil {
						t.Fatalf("%s: %v", tc.name, err)
					}
				}
				got := auditOf(t, f, tc.action, c.ID)
				if len(got) != 1 || got[0].Detail != tc.wantD || got[0].ActorUserID != tc.actor || got[0].ActorLabel != tc.wantBy {
					t.Errorf("%s: entries %+v, want one by %q (label %q) with detail %q", tc.name, got, tc.actor, tc.wantBy, tc.wantD)
				}
			}
		})
	}
}
