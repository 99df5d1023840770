package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
)

// nominationRowsForm is a leader's form with the rows given as
// name, email, relationship triples.
func nominationRowsForm(rows ...[3]string) url.Values {
	f := url.Values{}
	for i, r := range rows {
		f.Set(assessment.NominationField("name", i), r[0])
		f.Set(assessment.NominationField("email", i), r[1])
		f.Set(assessment.NominationField("relationship", i), r[2])
	}
	return f
}

// Leaders nominate within the group limits (outside them the form comes
// back with the input kept and a message per group and field), never see
// another leader's list, and the admin's approval makes the raters.
func TestNominationsFromProposalToAssignments(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		org := h.fx.Org.ID
		h.user(org, "admin@example.com", assessment.RoleAdmin)
		h.user(org, "ana@example.com", assessment.RoleLeader)
		h.user(org, "bo@example.com", assessment.RoleLeader)
		c := h.fx.MustCreateCycle(t, "Spring feedback")
		mustNominate(t, h, c, assessment.GroupLimit{Relationship: assessment.Manager, Min: 1, Max: 1},
			assessment.GroupLimit{Relationship: assessment.Peer, Min: 2, Max: 3})
		ana, _ := h.fx.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
		onlyAna := h.fx.MustCreateCycle(t, "Ana only")
		mustNominate(t, h, onlyAna)
		h.fx.MustAddLeader(t, onlyAna.ID, "Ana Lima", "ana@example.com")
		bo, _ := h.fx.MustAddLeader(t, c.ID, "Bo Chen", "bo@example.com")
		anaC, boC, admin := h.signedIn("ana@example.com"), h.signedIn("bo@example.com"), h.signedIn("admin@example.com")
		mine := "/me/nominations/" + c.ID

		if rec := anaC.get("/me/nominations"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), mine) {
			t.Fatalf("Ana's nomination cycles: %d", rec.Code)
		}
		if rec := anaC.get(mine); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "2 to 3") {
			t.Fatalf("Ana's form: %d\n%s", rec.Code, rec.Body)
		}

		// Outside the limits, and a bad address: all problems at once,
		// the input kept.
		form := nominationRowsForm([3]string{"Cy Park", "cy@example.com", "peer"}, [3]string{"Dee Roe", "not an address", "peer"})
		form.Set(csrfField, anaC.csrf())
		rec := anaC.post(mine, form)
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "Name at least 1") ||
			!strings.Contains(body, "Enter an email address") || !strings.Contains(body, `value="not an address"`) ||
			!strings.Contains(body, `id="group_manager"`) {
			t.Fatalf("out of limits: %d\n%s", rec.Code, body)
		}
		form = nominationRowsForm([3]string{"Cy Park", "cy@example.com", "peer"}, [3]string{"Dee Roe", "dee@example.com", "peer"},
			[3]string{"Eve Ko", "eve@example.com", "peer"}, [3]string{"Fay Wu", "fay@example.com", "peer"}, [3]string{"Gus Li", "gus@example.com", "manager"})
		form.Set(csrfField, anaC.csrf())
		if rec := anaC.post(mine, form); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Name at most 3") {
			t.Fatalf("too many peers: %d", rec.Code)
		}
		form = nominationRowsForm([3]string{"Cy Park", "cy@example.com", "peer"}, [3]string{"Dee Roe", "dee@example.com", "peer"},
			[3]string{"Gus Li", "gus@example.com", "manager"})
		form.Set(csrfField, anaC.csrf())
		if rec := anaC.post(mine, form); rec.Code != http.StatusSeeOther {
			t.Fatalf("within limits: %d\n%s", rec.Code, rec.Body)
		}

		// Bo sees his own (empty) list, never Ana's; Ana's other cycle is
		// not his at all.
		if rec := boC.get(mine); rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "cy@example.com") {
			t.Fatalf("Bo's list shows Ana's nominees: %d", rec.Code)
		}
		if rec := boC.get("/me/nominations/" + onlyAna.ID); rec.Code != http.StatusNotFound {
			t.Fatalf("Bo on a cycle that does not assess him: %d", rec.Code)
		}
		form = nominationRowsForm([3]string{"Mal Ice", "mal@example.com", "peer"})
		form.Set(csrfField, boC.csrf())
		if rec := boC.post("/me/nominations/"+onlyAna.ID, form); rec.Code != http.StatusNotFound {
			t.Fatalf("Bo posting to Ana's cycle: %d", rec.Code)
		}

		// The admin reviews: removes one, adds one, then approves Ana's list.
		review := "/cycles/" + c.ID + "/nominations"
		if rec := admin.get(review); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "dee@example.com") {
			t.Fatalf("review: %d", rec.Code)
		}
		ns, err := h.fx.Store.Nominations(ctx, org, ana.ID)
		if err != nil || len(ns) != 3 {
			t.Fatalf("stored nominations: %v, %v", ns, err)
		}
		var dee string
		for _, n := range ns {
			if n.Email == "dee@example.com" {
				dee = n.ID
			}
		}
		if rec := admin.post(review+"/"+dee+"/remove", url.Values{csrfField: {admin.csrf()}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("remove: %d", rec.Code)
		}
		add := url.Values{"participant_id": {ana.ID}, "name": {"Hal Om"}, "email": {"bad"}, "relationship": {"peer"}, csrfField: {admin.csrf()}}
		if rec := admin.post(review, add); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `value="Hal Om"`) {
			t.Fatalf("invalid add: %d", rec.Code)
		}
		add.Set("email", "hal@example.com")
		if rec := admin.post(review, add); rec.Code != http.StatusSeeOther {
			t.Fatalf("add: %d\n%s", rec.Code, rec.Body)
		}
		approve := url.Values{"participant_id": {ana.ID}, csrfField: {admin.csrf()}}
		if rec := admin.post(review+"/approve", approve); rec.Code != http.StatusSeeOther {
			t.Fatalf("approve: %d\n%s", rec.Code, rec.Body)
		}
		as, err := h.fx.Store.Assignments(ctx, org, ana.ID)
		if err != nil || len(as) != 4 { // self, Cy, Gus, Hal
			t.Fatalf("Ana's assignments after approval: %d, %v", len(as), err)
		}
		if bos, _ := h.fx.Store.Assignments(ctx, org, bo.ID); len(bos) != 1 {
			t.Fatalf("Bo's assignments: %d", len(bos))
		}

		// Approved: Ana's list is locked.
		form.Set(csrfField, anaC.csrf())
		if rec := anaC.post(mine, form); rec.Code != http.StatusConflict {
			t.Fatalf("change after approval: %d", rec.Code)
		}
	})
}
