package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lead360/lead360/assessment"
)

// raterAxePages are the pages of raters HR can vouch for and of excluded
// answers, for axeWorld: the email domains setting, the exclusion's
// confirmation (a manager who submitted in the open cycle), the review's
// checks (an outside address HR added) and a release that waits for HR to
// read what an exclusion changes.
func raterAxePages(t testing.TB, e *dashEnv, open, nominating assessment.Cycle, anaPerson string) []axePage {
	t.Helper()
	ctx := context.Background()
	org := e.Org.ID
	ana, err := e.Store.ParticipantOfPerson(ctx, org, nominating.ID, anaPerson)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Service.AddNomination(ctx, org, nominating.ID, ana.ID,
		assessment.NominationInput{Name: "Gus Outside", Email: "gus@partner.test", Relationship: "other"}, e.admin.ID); err != nil {
		t.Fatal(err)
	}
	manager := invitationOf(t, e, open.ID, "dee@example.com")
	held := releaseHeldByExclusion(t, e)
	exclude := "/cycles/" + open.ID + "/invitations/" + manager + "/exclude"
	return []axePage{
		{name: "email-domains", route: "/org/domains", as: "admin", path: "/org/domains"},
		{name: "email-domains-errors", route: "/org/domains", as: "admin", path: "/org/domains",
			then: chromedp.Steps(chromedp.SetValue(chromedp.CSS(`#domains`), "example.com\nacmе.test\nacme"),
				submitEmpty(`form.account-form button[type="submit"]`))},
		{name: "exclude-answers", route: "/cycles/:id/invitations/:iid/exclude", as: "admin", path: exclude},
		{name: "exclude-answers-errors", route: "/cycles/:id/invitations/:iid/exclude", as: "admin", path: exclude,
			then: submitEmpty(`section.confirm button[type="submit"]`)},
		{name: "results-release-exclusions", route: "/cycles/:id/results", as: "admin", path: "/cycles/" + held.ID + "/results", status: http.StatusConflict},
		{name: "results-release-exclusions-errors", route: "/cycles/:id/results", as: "admin", path: "/cycles/" + held.ID + "/results", status: http.StatusConflict,
			then: chromedp.Steps(chromedp.Click(chromedp.CSS(`#confirm`)), submitEmpty(`section.release button[type="submit"]`))},
	}
}

// invitationOf is the invitation id of a rater of the cycle.
func invitationOf(t testing.TB, e *dashEnv, cycleID, email string) string {
	t.Helper()
	_, list, err := e.Service.CycleInvitations(context.Background(), e.Org.ID, cycleID, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range list {
		if st.Rater.Email == email && st.Assignment.Relationship != assessment.Self {
			return st.Invitation.ID
		}
	}
	t.Fatalf("no invitation of %s in cycle %s", email, cycleID)
	return ""
}

// releaseHeldByExclusion is a closed cycle of Maya Okafor's whose three
// peers answered and one was excluded: its release waits for HR.
func releaseHeldByExclusion(t testing.TB, e *dashEnv) assessment.Cycle {
	t.Helper()
	ctx := context.Background()
	c := e.MustCreateCycle(t, "Summer feedback")
	maya, _ := e.MustAddLeader(t, c.ID, "Maya Okafor", "maya@example.com")
	var peers []assessment.Assignment
	for i := range 3 {
		peers = append(peers, e.MustAddRater(t, maya.ID, fmt.Sprintf("Summer peer %d", i+1), fmt.Sprintf("summer%d@example.com", i+1), assessment.Peer))
	}
	if _, err := e.Service.OpenCycle(ctx, e.Org.ID, c.ID, "", nil); err != nil {
		t.Fatal(err)
	}
	for _, a := range peers {
		r := assessment.Response{AssignmentID: a.ID, Status: assessment.ResponseSubmitted, Answers: e.FullAnswers(4)}
		if err := e.Service.SaveAnswers(ctx, e.Org.ID, &r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Service.CloseCycleEarly(ctx, e.Org.ID, c.ID, e.admin.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.Service.ExcludeResponse(ctx, e.Org.ID, c.ID, invitationOf(t, e, c.ID, "summer3@example.com"), e.admin.ID); err != nil {
		t.Fatal(err)
	}
	return c
}
