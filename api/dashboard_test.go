package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
)

// The admin's home page says what needs attention in each open cycle: the
// response rate overall and per group, the leaders whose group of peers,
// direct reports or others is still short of the threshold (counts, never
// who answered), leaders with a group invited below it, failed emails; then
// the closed cycles waiting for release and the drafts. An admin assessed
// in the cycle sees it without their own raters. A leader's home is
// their cycles page instead.
func TestAdminHome(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		a := newCycleAdmin(t, h)
		ctx := context.Background()
		empty := resultsStatus(t, "home without cycles", a.c.get("/dashboard"), http.StatusOK)
		if !strings.Contains(empty, "Run your first 360-degree cycle") {
			t.Errorf("the empty home does not explain how to start")
		}
		cy := h.fx.MustCreateCycle(t, "Autumn")
		ana, _ := h.fx.MustAddLeader(t, cy.ID, "Ana Lima", "ana@example.com")
		bo, _ := h.fx.MustAddLeader(t, cy.ID, "Bo Ek", "bo@example.com")
		peers := []assessment.Assignment{
			h.fx.MustAddRater(t, ana.ID, "Ben Ode", "ben@example.com", assessment.Peer),
			h.fx.MustAddRater(t, ana.ID, "Cy Pan", "cy@example.com", assessment.Peer),
			h.fx.MustAddRater(t, ana.ID, "Di Ro", "di@example.com", assessment.Peer),
		}
		h.fx.MustAddRater(t, bo.ID, "Ben Ode", "ben@example.com", assessment.DirectReport)
		// The admin is assessed too: their own raters must not show.
		hr, _ := h.fx.MustAddLeader(t, cy.ID, "Hana Ro", "hr@example.com")
		for _, p := range []string{"p1", "p2", "p3"} {
			h.fx.MustAddRater(t, hr.ID, "Peer "+p, p+"@example.com", assessment.Peer)
		}
		draft := h.fx.MustCreateCycle(t, "Next spring")
		wantStatus(t, "open", a.post("/cycles/"+cy.ID+"/open", url.Values{"confirm": {"1"}}), http.StatusSeeOther)
		r := &assessment.Response{AssignmentID: peers[0].ID, Status: assessment.ResponseSubmitted, Answers: h.fx.FullAnswers(4)}
		if err := h.fx.Service.SaveAnswers(ctx, h.fx.Org.ID, r); err != nil {
			t.Fatal(err)
		}
		invs, err := h.fx.Store.RaterInvitations(ctx, h.fx.Org.ID, cy.ID, peers[1].PersonID)
		if err != nil || len(invs) != 1 {
			t.Fatalf("Cy's invitations: %v (%d)", err, len(invs))
		}
		mark := assessment.InvitationMark{At: h.fx.Clock.Now(), Mail: assessment.MailInvitation, Failure: "550 no such mailbox"}
		if err := h.fx.Store.MarkInvitations(ctx, h.fx.Org.ID, []string{invs[0].Invitation.ID}, mark); err != nil {
			t.Fatal(err)
		}

		wantBody(t, "audit", a.c.get("/audit"), "Opened a cycle", `Opened &#34;Autumn&#34;: invitations 10, emails queued 9`)
		home := visibleText(resultsStatus(t, "home", a.c.get("/dashboard"), http.StatusOK))
		for _, want := range []string{
			"Autumn open, 21 days left",
			"Surveys submitted: 16% (1 of 6) (without your own raters: you are assessed in this cycle)",
			"Peers: 33% (1 of 3)",
			"1 leader has a group still short of 3 answers",
			"Ana Lima: peers 1 of 3",
			"1 leader has a group invited with fewer than 3 people",
			"1 invitation could not be delivered by email",
			"Drafts Next spring",
		} {
			if !strings.Contains(home, want) {
				t.Errorf("home lacks %q:\n%s", want, home)
			}
		}
		if !strings.Contains(home, draft.Name) || strings.Contains(home, "Ben Ode") || strings.Contains(home, "Hana Ro") {
			t.Errorf("home names a rater, shows the admin's own participation or misses the draft:\n%s", home)
		}
		// Two days on (signed in again: a session lasts 12 hours), the cycle has a pace: 1 answer over 10 days of
		// waiting (5 surveys for 2 days), so about 1 - e^-0.1 = 9% of the
		// waiting surveys are answered a day. With Cy's email failed, Ana's
		// peers cannot reach 3 at any pace, and the page says why.
		h.fx.Clock.Set(h.fx.Clock.Now().Add(48 * time.Hour))
		// Opening the cycle made the assessed admin a leader too: signing in
		// again, they choose to work as HR.
		again := h.signedIn("hr@example.com")
		again.useRole(assessment.RoleAdmin)
		paced := visibleText(resultsStatus(t, "home two days on", again.get("/dashboard"), http.StatusOK))
		for _, want := range []string{
			"1 leader will not reach 3 answers in a group at this pace",
			"So far about 9% of the surveys still waiting are submitted each day",
			"Ana Lima: peers 1 of 3: 1 email failed, so at most 2 can answer",
		} {
			if !strings.Contains(paced, want) {
				t.Errorf("home two days on lacks %q:\n%s", want, paced)
			}
		}
		// Opening the cycle invited Ana to the dashboard; she sets a password.
		h.setPassword(h.fx.Org.ID, "ana@example.com")
		leader := resultsStatus(t, "leader's home", h.signedIn("ana@example.com").get("/dashboard"), http.StatusOK)
		if strings.Contains(leader, "What needs attention") || strings.Contains(leader, "Surveys submitted") || !strings.Contains(leader, "Your cycles") {
			t.Errorf("a leader's home is not their own cycles page")
		}
	})
}

// The home page lists the ten leaders furthest behind of each list and
// counts the rest, which the progress page shows: a cycle of a thousand
// leaders gives HR a list to act on, not a page of six hundred buttons.
func TestHomeListsTheLeadersFurthestBehindFirst(t *testing.T) {
	t.Parallel()
	peers := func(submitted int, expected float64) assessment.GroupOutlook {
		return assessment.GroupOutlook{GroupCount: assessment.GroupCount{Relationship: assessment.Peer, Invited: 4, Submitted: submitted},
			Expected: expected, Reachable: 4, PaceKnown: true}
	}
	var risks []assessment.LeaderRisk
	for i := range 25 {
		// Leader 00 expects 0.0 answers, leader 24 expects 2.4: all behind k=3.
		risks = append(risks, assessment.LeaderRisk{ParticipantID: fmt.Sprint(i), Name: fmt.Sprintf("Leader %02d", i),
			Short: []assessment.GroupOutlook{peers(0, float64(i)/10)}})
	}
	risks = append(risks, assessment.LeaderRisk{ParticipantID: "on", Name: "On Pace", Short: []assessment.GroupOutlook{peers(2, 3.5)}})
	lists := riskLists(risks, 3)
	if len(lists) != 2 || !lists[0].Behind || lists[0].Total != 25 || lists[0].More != 15 || len(lists[0].Leaders) != homeRisks {
		t.Fatalf("lists: %+v", lists)
	}
	for i, l := range lists[0].Leaders {
		if want := fmt.Sprintf("Leader %02d", i); l.Name != want {
			t.Errorf("row %d is %s, want %s (furthest behind first)", i, l.Name, want)
		}
	}
	if on := lists[1]; on.Behind || on.Total != 1 || on.More != 0 || on.Leaders[0].Name != "On Pace" {
		t.Errorf("on pace: %+v", on)
	}
}
