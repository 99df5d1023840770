package assessment_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// A leader cannot watch a known person submit (TRUST.md rule 3): what they
// see of an open cycle does not move when the lone direct report, the
// manager or a peer submits; counts are those of 00:00 UTC and change the
// next day; a group invited below the threshold never shows a number.
func TestLeaderCompletionNeverMovesWhenOnePersonSubmits(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			c := f.MustCreateCycle(t, "Spring")
			leader, self := f.MustAddLeader(t, c.ID, "Maya Okafor", "maya@example.com")
			manager := f.MustAddRater(t, leader.ID, "Manon", "manager@example.com", assessment.Manager)
			var peers []assessment.Assignment
			for _, email := range []string{"p1@example.com", "p2@example.com", "p3@example.com"} {
				peers = append(peers, f.MustAddRater(t, leader.ID, "Peer "+email, email, assessment.Peer))
			}
			direct := f.MustAddRater(t, leader.ID, "Dana", "d1@example.com", assessment.DirectReport)
			if _, err := f.Service.MoveCycle(ctx, f.Org.ID, c.ID, assessment.StatusOpen); err != nil {
				t.Fatal(err)
			}
			maya := assessment.User{OrganizationID: f.Org.ID, Roles: []assessment.Role{assessment.RoleLeader}, PersonID: leader.PersonID}
			completion := func() assessment.Completion {
				t.Helper()
				cycles, err := f.Service.LeaderCycles(ctx, maya)
				if err != nil || len(cycles) != 1 || cycles[0].Completion == nil {
					t.Fatalf("leader cycles: %+v, %v", cycles, err)
				}
				return *cycles[0].Completion
			}
			submit := func(a assessment.Assignment) {
				t.Helper()
				r := assessment.Response{AssignmentID: a.ID, Status: assessment.ResponseSubmitted, Answers: f.FullAnswers(4)}
				if err := f.Service.SaveAnswers(ctx, f.Org.ID, &r); err != nil {
					t.Fatal(err)
				}
			}
			day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // the fixture's clock is 09:00 that day
			hidden := func(rel assessment.Relationship) assessment.GroupCompletion {
				return assessment.GroupCompletion{Relationship: rel}
			}
			peersAnswered := func(n int) assessment.GroupCompletion {
				return assessment.GroupCompletion{Relationship: assessment.Peer, Shown: true, Invited: 3, Answered: n}
			}
			want := assessment.Completion{AsOf: day, Threshold: 3,
				Groups: []assessment.GroupCompletion{hidden(assessment.Manager), peersAnswered(0), hidden(assessment.DirectReport)}}
			if got := completion(); !reflect.DeepEqual(got, want) {
				t.Fatalf("before anyone answers:\n got %+v\nwant %+v", got, want)
			}
			for _, a := range []assessment.Assignment{direct, manager, peers[0]} {
				submit(a)
				if got := completion(); !reflect.DeepEqual(got, want) {
					t.Fatalf("the moment %s submits, the leader sees a change:\n got %+v\nwant %+v", a.Relationship, got, want)
				}
			}
			submit(self)
			want.SelfSubmitted = true // the leader's own survey is theirs to see at once
			if got := completion(); !reflect.DeepEqual(got, want) {
				t.Fatalf("after the self-assessment:\n got %+v\nwant %+v", got, want)
			}
			// At 00:00 the day's submissions count, all at once; small groups
			// stay without a number.
			f.Clock.Set(day.AddDate(0, 0, 1))
			want.AsOf, want.Groups[1] = day.AddDate(0, 0, 1), peersAnswered(1)
			if got := completion(); !reflect.DeepEqual(got, want) {
				t.Fatalf("the next day:\n got %+v\nwant %+v", got, want)
			}
			f.Clock.Set(day.AddDate(0, 0, 1).Add(23*time.Hour + 59*time.Minute))
			submit(peers[1])
			if got := completion(); !reflect.DeepEqual(got, want) {
				t.Fatalf("a submission late in the day shows before the day ends:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}
