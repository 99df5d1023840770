package assessment_test

import (
	"context"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// The release records its leaders' emails with itself, in the job table:
// one per leader with an account, none for a refused release or a
// re-release.
func TestReleaseRecordsOneEmailPerLeaderWithAnAccount(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			jobs := f.JobTable()
			sc := mustScoredCycle(t, f, "Spring", "maya@example.com", false)
			maya := assessment.User{OrganizationID: f.Org.ID, Email: "maya@example.com", Roles: []assessment.Role{assessment.RoleLeader}, PersonID: sc.personID}
			if err := f.Store.CreateUser(ctx, &maya); err != nil {
				t.Fatal(err)
			}
			if _, err := f.Service.ReleaseCycle(ctx, f.Org.ID, sc.cycle.ID, ""); assessment.ErrorCode(err) != assessment.CodeConflict {
				t.Fatalf("releasing an open cycle: %v", err)
			}
			if got := jobs.Take(t); len(got) != 0 {
				t.Fatalf("a refused release recorded %+v", got)
			}
			closeCycle(t, f, sc.cycle.ID)
			if _, err := f.Service.ReleaseCycle(ctx, f.Org.ID, sc.cycle.ID, ""); err != nil {
				t.Fatal(err)
			}
			got := jobs.Take(t)
			want := assessment.AccountMailJob{Mail: assessment.PurposeResultsReady, OrganizationID: f.Org.ID, UserID: maya.ID, CycleID: sc.cycle.ID}
			if len(got) != 1 || got[0].Args != want {
				t.Fatalf("release jobs %+v, want one %+v", got, want)
			}
			if _, err := f.Service.ReReleaseCycle(ctx, f.Org.ID, sc.cycle.ID, "", "a test"); err != nil {
				t.Fatal(err)
			}
			if got := jobs.Take(t); len(got) != 0 {
				t.Fatalf("a re-release recorded %+v", got)
			}
			if entries := auditOf(t, f, assessment.ActionCycleRelease, sc.cycle.ID); len(entries) != 1 {
				t.Fatalf("%d release entries", len(entries))
			}
		})
	}
}

// A leader added to a cycle whose leaders were asked to nominate is asked
// too, by a job recorded with them; before the ask, adding a leader
// records nothing.
func TestLeaderAddedAfterTheAskIsAskedByAJob(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			jobs := f.JobTable()
			mails := &assessmenttest.AccountMails{}
			accounts := assessment.NewAccounts(f.Service, "https://lead360.example", mails)
			c := f.MustCreateCycle(t, "Spring")
			cs := assessment.DefaultCycleSettings(f.Org.ID, c.ID)
			cs.LeadersNominate = true
			if err := f.Store.SaveCycleSettings(ctx, &cs, f.Clock.Now()); err != nil {
				t.Fatal(err)
			}
			f.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
			if got := jobs.Take(t); len(got) != 0 {
				t.Fatalf("adding a leader before the ask recorded %+v", got)
			}
			if _, err := f.Service.InviteToNominate(ctx, f.Org.ID, c.ID, "", accounts); err != nil {
				t.Fatal(err)
			}
			bo, _ := f.MustAddLeader(t, c.ID, "Bo Chen", "bo@example.com")
			got := jobs.Take(t)
			want := assessment.NominationInviteJob{OrganizationID: f.Org.ID, CycleID: c.ID, ParticipantID: bo.ID}
			if len(got) != 1 || got[0].Args != want {
				t.Fatalf("jobs %+v, want %+v", got, want)
			}
			for range 2 { // at least once: the second run finds Bo asked
				if err := f.Service.InviteAddedLeader(ctx, want, accounts); err != nil {
					t.Fatal(err)
				}
			}
			sent := mails.Sent()
			if len(sent) != 2 || sent[1].To != "bo@example.com" || sent[1].Purpose != assessment.PurposeNominateInvite {
				t.Fatalf("emails %+v", sent)
			}
		})
	}
}
