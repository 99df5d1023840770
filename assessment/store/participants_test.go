package store_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// Pages of leaders come from the database in the order of the whole list,
// byte by byte as Go compares names ("Bo" before "ana" whatever the
// database's locale), and the totals per group cover every leader.
func TestLeaderPagesAndGroupTotals(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			cy := f.MustCreateCycle(t, "Paging")
			var want []assessment.RosterLeader
			peers := map[string]assessment.Assignment{}
			for i, name := range []string{"ana", "Bo", "Émile", "Zed", "bo", "Ana", "Cy", "Cy"} {
				p, _ := f.MustAddLeader(t, cy.ID, name, fmt.Sprintf("leader%d@example.com", 7-i))
				peers[p.ID] = f.MustAddRater(t, p.ID, "Peer "+name, fmt.Sprintf("peer%d@example.com", i), assessment.Peer)
				person, err := f.Store.Person(ctx, f.Org.ID, p.PersonID)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, assessment.RosterLeader{Participant: p, Leader: person})
			}
			slices.SortFunc(want, func(a, b assessment.RosterLeader) int {
				return cmp.Or(cmp.Compare(a.Leader.Name, b.Leader.Name), cmp.Compare(a.Leader.Email, b.Leader.Email),
					cmp.Compare(a.Participant.ID, b.Participant.ID))
			})
			if _, err := f.Service.OpenCycle(ctx, f.Org.ID, cy.ID, "", nil); err != nil {
				t.Fatal(err)
			}
			// The first leader's peer submits; the second's email bounces.
			first, second := want[0].Participant.ID, want[1].Participant.ID
			r := &assessment.Response{AssignmentID: peers[first].ID, Status: assessment.ResponseSubmitted, Answers: f.FullAnswers(4)}
			if err := f.Service.SaveAnswers(ctx, f.Org.ID, r); err != nil {
				t.Fatal(err)
			}
			invs, err := f.Store.RaterInvitations(ctx, f.Org.ID, cy.ID, peers[second].PersonID)
			if err != nil || len(invs) != 1 {
				t.Fatalf("invitations of the second leader's peer: %v (%d)", err, len(invs))
			}
			mark := assessment.InvitationMark{At: f.Clock.Now(), Mail: assessment.MailInvitation, Failure: "550 no such mailbox"}
			if err := f.Store.MarkInvitations(ctx, f.Org.ID, []string{invs[0].Invitation.ID}, mark); err != nil {
				t.Fatal(err)
			}

			// Each leader whole: the participant's id and cycle, the person
			// as Store.Person loads it.
			ids := func(ls []assessment.RosterLeader) []string {
				out := make([]string, len(ls))
				for i, l := range ls {
					out[i] = fmt.Sprintf("%s %s %+v", l.Participant.ID, l.Participant.CycleID, l.Leader)
				}
				return out
			}
			var paged []assessment.RosterLeader
			for offset := 0; offset < 12; offset += 3 {
				page, err := f.Store.LeaderPage(ctx, f.Org.ID, cy.ID, offset, 3)
				if err != nil {
					t.Fatal(err)
				}
				if wantLen := min(3, max(0, len(want)-offset)); len(page) != wantLen {
					t.Errorf("page at %d: %d leaders, want %d", offset, len(page), wantLen)
				}
				paged = append(paged, page...)
			}
			all, err := f.Store.CycleLeaders(ctx, f.Org.ID, cy.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(paged), ids(want)) || !slices.Equal(ids(all), ids(want)) {
				t.Errorf("pages give\n%v\nthe whole list\n%v\nwant\n%v", ids(paged), ids(all), ids(want))
			}
			if n, err := f.Store.LeaderCount(ctx, f.Org.ID, cy.ID); err != nil || n != len(want) {
				t.Errorf("leader count %d (%v), want %d", n, err, len(want))
			}

			counts, err := f.Store.GroupProgress(ctx, f.Org.ID, cy.ID, []string{first, second})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]assessment.GroupCount{}
			for _, g := range counts {
				got[g.ParticipantID+" "+string(g.Relationship)] = g
			}
			// Two leaders x (self, peer), nobody else's counts.
			if len(got) != 4 || got[first+" peer"].Submitted != 1 || got[second+" peer"].Failed != 1 || got[second+" self"].Invited != 1 {
				t.Errorf("counts of two leaders: %+v", counts)
			}
			totals, err := f.Store.GroupTotals(ctx, f.Org.ID, cy.ID)
			if err != nil {
				t.Fatal(err)
			}
			wantTotals := map[assessment.Relationship]assessment.GroupCount{
				assessment.Self: {Relationship: assessment.Self, Assigned: 8, Invited: 8},
				assessment.Peer: {Relationship: assessment.Peer, Assigned: 8, Invited: 8, Submitted: 1, Failed: 1},
			}
			if len(totals) != len(wantTotals) {
				t.Errorf("totals: %+v", totals)
			}
			for _, g := range totals {
				if g != wantTotals[g.Relationship] {
					t.Errorf("total of %s: %+v, want %+v", g.Relationship, g, wantTotals[g.Relationship])
				}
			}

			// Another organisation sees none of it.
			other, err := f.Service.CreateOrganization(ctx, "Someone else")
			if err != nil {
				t.Fatal(err)
			}
			n, err := f.Store.LeaderCount(ctx, other.ID, cy.ID)
			page, perr := f.Store.LeaderPage(ctx, other.ID, cy.ID, 0, 50)
			counts, cerr := f.Store.GroupProgress(ctx, other.ID, cy.ID, []string{first})
			totals, terr := f.Store.GroupTotals(ctx, other.ID, cy.ID)
			if err := cmp.Or(err, perr, cerr, terr); err != nil || n != 0 || len(page) != 0 || len(counts) != 0 || len(totals) != 0 {
				t.Errorf("through another organisation: %d leaders, %d on a page, %d counts, %d totals (%v)", n, len(page), len(counts), len(totals), err)
			}
		})
	}
}
