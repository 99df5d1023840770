package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
)

// The leader's page of an open cycle is the same, byte for byte, before and
// after the lone direct report, the manager or a peer submits: nothing a
// leader can open moves when one known person answers (TRUST.md rule 3).
// Counts are those of 00:00 UTC, and groups asked below the threshold say
// why they show none.
func TestLeaderPageDoesNotMoveWhenOnePersonSubmits(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		x, svc := h.fx.Org.ID, h.fx.Service
		h.user(x, "ana@example.com", assessment.RoleLeader)
		c := h.fx.MustCreateCycle(t, "Spring")
		ana, _ := h.fx.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
		raters := map[string]assessment.Assignment{
			"manager": h.fx.MustAddRater(t, ana.ID, "Manon", "manager@example.com", assessment.Manager),
			"direct":  h.fx.MustAddRater(t, ana.ID, "Dana", "dana@example.com", assessment.DirectReport),
		}
		for _, p := range []string{"p1", "p2", "p3"} {
			raters[p] = h.fx.MustAddRater(t, ana.ID, "Peer "+p, p+"@example.com", assessment.Peer)
		}
		if _, err := svc.MoveCycle(ctx, x, c.ID, assessment.StatusOpen); err != nil {
			t.Fatal(err)
		}
		anaC := h.signedIn("ana@example.com")
		before := resultsStatus(t, "Ana's page", anaC.get("/me"), http.StatusOK)
		for _, want := range []string{
			"as of 00:00 UTC on 2 March 2026",
			"Not shown: fewer than 3 direct reports were asked, so their answers will be pooled with other small groups or left out.",
			"Not shown for fewer than 3 people. Manager answers appear in your report under their own heading.",
			`<th scope="row">Peer</th><td class="num">3</td><td class="num">0</td>`,
		} {
			if !strings.Contains(before, want) {
				t.Errorf("Ana's page does not say %q", want)
			}
		}
		for _, who := range []string{"direct", "manager", "p1"} {
			r := assessment.Response{AssignmentID: raters[who].ID, Status: assessment.ResponseSubmitted, Answers: h.fx.FullAnswers(4)}
			if err := svc.SaveAnswers(ctx, x, &r); err != nil {
				t.Fatal(err)
			}
			if after := resultsStatus(t, "Ana's page", anaC.get("/me"), http.StatusOK); after != before {
				t.Fatalf("Ana's page changed the moment %s submitted", who)
			}
		}
		// The next day, the peer counts; the small groups still show nothing.
		h.fx.Clock.Set(time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC))
		next := resultsStatus(t, "Ana's page the next day", h.signedIn("ana@example.com").get("/me"), http.StatusOK)
		if !strings.Contains(next, `<th scope="row">Peer</th><td class="num">3</td><td class="num">1</td>`) || !strings.Contains(next, "as of 00:00 UTC on 3 March 2026") {
			t.Error("the next day, Ana's page does not count the peer who answered")
		}
		if !strings.Contains(next, "Not shown: fewer than 3 direct reports") {
			t.Error("the next day, the lone direct report's group shows a number")
		}
	})
}

// An admin assessed in a cycle is a leader too: the cycle list, the
// progress page and its per-rater list stay the same, byte for byte, when
// one of their raters submits, and say why their own counts are missing;
// another admin still sees them. The same holds for an account with both
// roles (opening a cycle adds the leader role to an assessed admin's
// account) in admin mode.
func TestAdminAssessedInACycleDoesNotWatchTheirRaters(t *testing.T) {
	for _, both := range []bool{false, true} {
		t.Run(map[bool]string{false: "admin only", true: "admin and leader, as admin"}[both], func(t *testing.T) {
			testAdminAssessedInACycle(t, both)
		})
	}
}

func testAdminAssessedInACycle(t *testing.T, both bool) {
	forEngine(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		x, svc := h.fx.Org.ID, h.fx.Service
		hrUser := h.user(x, "hr@example.com", assessment.RoleAdmin)
		h.user(x, "hr2@example.com", assessment.RoleAdmin)
		c := h.fx.MustCreateCycle(t, "Spring")
		hr, _ := h.fx.MustAddLeader(t, c.ID, "Hana Reyes", "hr@example.com")
		if both {
			if err := h.fx.Store.AddRole(ctx, x, hrUser.ID, assessment.RoleLeader, hr.PersonID); err != nil {
				t.Fatal(err)
			}
		}
		bo, _ := h.fx.MustAddLeader(t, c.ID, "Bo Chen", "bo@example.com")
		direct := h.fx.MustAddRater(t, hr.ID, "Dana", "dana@example.com", assessment.DirectReport)
		h.fx.MustAddRater(t, bo.ID, "Cy Park", "cy@example.com", assessment.Peer)
		if _, err := svc.OpenCycle(ctx, x, c.ID, "", nil); err != nil {
			t.Fatal(err)
		}
		hrC, other := h.signedIn("hr@example.com"), h.signedIn("hr2@example.com")
		if both {
			hrC.useRole(assessment.RoleAdmin)
		}
		pages := []string{"/cycles", "/cycles/" + c.ID + "/progress", "/cycles/" + c.ID + "/progress?leader=" + hr.ID, "/cycles/" + c.ID + "/invitations"}
		before := make([]string, len(pages))
		for i, path := range pages {
			before[i] = resultsStatus(t, path, hrC.get(path), http.StatusOK)
		}
		if !strings.Contains(before[0], "not shown: you are assessed in this cycle") {
			t.Error("the cycle list does not say why the cycle's response rate is missing")
		}
		for _, want := range []string{"You are assessed in this cycle", "Hana Reyes (you)", "Not shown: you are assessed in this cycle."} {
			if !strings.Contains(before[1], want) {
				t.Errorf("the progress page does not say %q", want)
			}
		}
		if strings.Contains(before[2], "Raters of Hana Reyes") || strings.Contains(before[2], "dana@example.com") {
			t.Error("the admin sees their own raters one by one")
		}
		r := assessment.Response{AssignmentID: direct.ID, Status: assessment.ResponseSubmitted, Answers: h.fx.FullAnswers(4)}
		if err := svc.SaveAnswers(ctx, x, &r); err != nil {
			t.Fatal(err)
		}
		for i, path := range pages {
			if after := resultsStatus(t, path, hrC.get(path), http.StatusOK); after != before[i] {
				t.Errorf("%s changed for the assessed admin the moment their direct report submitted", path)
			}
		}
		if page := resultsStatus(t, "another admin", other.get(pages[2]), http.StatusOK); !strings.Contains(page, "Raters of Hana Reyes") || !strings.Contains(page, "dana@example.com") {
			t.Error("another admin does not see Hana's raters")
		}
		// Nor on the invitations page, nor by acting on her invitation.
		if strings.Contains(before[3], "dana@example.com") || !strings.Contains(before[3], "cy@example.com") {
			t.Error("the invitations page lists the admin's own raters, or not the others'")
		}
		invs, err := h.fx.Store.RaterInvitations(ctx, x, c.ID, direct.PersonID)
		if err != nil || len(invs) != 1 {
			t.Fatalf("Dana's invitations: %d, %v", len(invs), err)
		}
		exclude := "/cycles/" + c.ID + "/invitations/" + invs[0].Invitation.ID + "/exclude"
		wantStatus(t, "own rater's exclusion page", hrC.get(exclude), http.StatusNotFound)
		wantStatus(t, "resend to an own rater", hrC.post("/cycles/"+c.ID+"/invitations/"+invs[0].Invitation.ID+"/resend", url.Values{csrfField: {hrC.csrf()}}), http.StatusNotFound)
		wantStatus(t, "another admin's exclusion page", other.get(exclude), http.StatusOK)
	})
}
