package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
)

// Raters HR can vouch for and exclusions, through the pages: the email
// domains setting, the leader's nominations and HR's review with its
// checks, the leader's own address on every form, the exclusion of a
// submitted rater and the release that waits for HR to read what it
// changes.

// raterAccessRows join the access matrix (and so the malformed-input
// sweep and the CSRF sweep below). The exclusion page of the matrix's
// objects is a draft's self-assessment: an admin gets the page saying it
// cannot be excluded, and the POST a 409.
var raterAccessRows = []accessRow{
	{method: http.MethodGet, route: "/cycles/:id/invitations/:iid/exclude", path: invitationPath("exclude"), allowed: []actor{adminX, adminY}},
	{method: http.MethodPost, route: "/cycles/:id/invitations/:iid/exclude", path: invitationPath("exclude"), allowed: []actor{adminX, adminY},
		form: url.Values{"confirm": {"1"}}},
	{method: http.MethodGet, route: "/org/domains", allowed: []actor{adminX, adminY}},
	{method: http.MethodPost, route: "/org/domains", allowed: []actor{adminX, adminY}, form: url.Values{"domains": {"example.com"}}},
}

func init() { accessRows = append(accessRows, raterAccessRows...) }

// publicForms are the forms used before signing in: no session, so no
// form token; the cross-site check alone guards them. The choice of
// organisation after a correct password is one of them: without a choice
// pending it only sends the person back to sign in, changing nothing, and
// with one it needs the choice page's form token
// (TestSignInChoosesAnOrganisation).
var publicForms = []string{"/login", "/login/organization", "/setup", "/password/forgot", "/password/reset/:token"}

// TRUST.md S4 for every form: a POST of every row of the access matrix is
// refused when the browser says it comes from another site, even with the
// session's form token, and, behind sign-in, when the form token is
// missing.
func TestEveryFormRefusesCrossSiteAndTokenlessPosts(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		examplePersonRoute(h)
		w := newAccessWorld(t, h)
		for _, row := range accessRows {
			if row.method != http.MethodPost {
				continue
			}
			for _, a := range []actor{adminX, leaderA} {
				c := w.clients[a]
				path := row.route
				if row.path != nil {
					path = row.path(w, a, true)
				}
				form := url.Values{}
				for k, v := range row.form {
					form[k] = v
				}
				if rec := c.post(path, form); rec.Code != http.StatusForbidden && !slices.Contains(publicForms, row.route) {
					t.Errorf("%s %s as %s without the form token: %d", row.method, row.route, a, rec.Code)
				}
				form.Set(csrfField, c.csrf())
				req := formRequest(path, form)
				req.Header.Set("Sec-Fetch-Site", "cross-site")
				if rec := c.send(req); rec.Code != http.StatusForbidden {
					t.Errorf("%s %s as %s cross-site: %d", row.method, row.route, a, rec.Code)
				}
			}
		}
	})
}

// wantPage checks a page's status (resultsStatus) and what it says
// (wantBody).
func wantPage(t *testing.T, what string, rec *httptest.ResponseRecorder, code int, parts ...string) {
	t.Helper()
	resultsStatus(t, what, rec, code)
	wantBody(t, what, rec, parts...)
}

func TestEmailDomainsPage(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		h.user(h.fx.Org.ID, "hr@acme.test", assessment.RoleAdmin)
		admin := h.signedIn("hr@acme.test")
		rec := admin.get("/org/domains")
		wantPage(t, "seeded", rec, http.StatusOK, "Not confirmed yet", "acme.test")
		rec = admin.postForm("/org/domains", url.Values{"domains": {"acme.test\nacmе.test\nacme"}})
		wantPage(t, "bad domains", rec, http.StatusUnprocessableEntity,
			"mixes alphabets (Cyrillic е in &#39;acmе.test&#39;)", "&#39;acme&#39; needs the part after the dot", ">acme.test\nacmе.test\nacme</textarea>")
		if rec := admin.postForm("/org/domains", url.Values{"domains": {"acme.test, acme.example"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", rec.Code, rec.Body)
		}
		rec = admin.get("/org/domains?notice=saved")
		wantPage(t, "saved", rec, http.StatusOK, "The domains are saved.", ">acme.example\nacme.test</textarea>")
		if strings.Contains(rec.Body.String(), "Not confirmed yet") {
			t.Error("saved domains still called unconfirmed")
		}
	})
}

// The fake-rater attack through the pages: each refused address has its
// reason next to its field, the input kept; HR's review says in words
// what to check about the rest.
func TestNominationPagesRefuseAndFlagFakeRaters(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		org := h.fx.Org.ID
		h.user(org, "hr@acme.test", assessment.RoleAdmin)
		h.user(org, "lea@acme.test", assessment.RoleLeader)
		c := h.fx.MustCreateCycle(t, "Spring feedback")
		mustNominate(t, h, c, assessment.GroupLimit{Relationship: assessment.Peer, Min: 1, Max: 5})
		ana, _ := h.fx.MustAddLeader(t, c.ID, "Lea Stone", "lea@acme.test")
		lea, admin := h.signedIn("lea@acme.test"), h.signedIn("hr@acme.test")
		mine := "/me/nominations/" + c.ID
		rec := lea.get(mine)
		wantPage(t, "Lea's form", rec, http.StatusOK, "You can name colleagues with an address at acme.test")
		form := nominationRowsForm([3]string{"Pia One", "p1@acme.test", "peer"}, [3]string{"Me", "lea+p3@acme.test", "peer"},
			[3]string{"Outside", "p3@gmail.test", "peer"}, [3]string{"Look Alike", "p2@acmе.test", "peer"})
		rec = lea.postForm(mine, form)
		wantPage(t, "fake raters", rec, http.StatusUnprocessableEntity,
			"This is one of your own addresses", "Addresses at gmail.test are not your organisation&#39;s (acme.test)",
			"This address mixes alphabets (Cyrillic е in &#39;acmе.test&#39;); type it again with Latin letters.", `value="p2@acmе.test"`)
		if rec := lea.postForm(mine, nominationRowsForm([3]string{"Pia One", "pia.one@acme.test", "peer"})); rec.Code != http.StatusSeeOther {
			t.Fatalf("a good list: %d\n%s", rec.Code, rec.Body)
		}
		review := "/cycles/" + c.ID + "/nominations"
		for _, add := range []url.Values{
			{"participant_id": {ana.ID}, "name": {"Gus Out"}, "email": {"gus@gmail.test"}, "relationship": {"peer"}},
			{"participant_id": {ana.ID}, "name": {"Pia Twin"}, "email": {"pia.ones@acme.test"}, "relationship": {"peer"}},
		} {
			if rec := admin.postForm(review, add); rec.Code != http.StatusSeeOther {
				t.Fatalf("HR adds %s: %d\n%s", add.Get("email"), rec.Code, rec.Body)
			}
		}
		rec = admin.postForm(review, url.Values{"participant_id": {ana.ID}, "name": {"Lea"}, "email": {"LEA+x@acme.test"}, "relationship": {"peer"}})
		wantPage(t, "HR adds Lea", rec, http.StatusUnprocessableEntity, "the leader&#39;s own address", `value="LEA&#43;x@acme.test"`)
		rec = admin.get(review)
		wantPage(t, "review", rec, http.StatusOK,
			"Leaders can nominate colleagues at your email domains (acme.test)",
			"Outside your organisation: gmail.test is not one of your email domains (acme.test).",
			"New: nobody had this address in lead360 before this nomination.",
			"Looks like pia.one@acme.test, another rater of Leader lea@acme.test.")
	})
}

// The leader's own address, tagged, on HR's manual add and CSV import: the
// field says why; the import saves nothing.
func TestLeadersOwnAddressRefusedOnHRForms(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		org := h.fx.Org.ID
		h.user(org, "hr@acme.test", assessment.RoleAdmin)
		admin := h.signedIn("hr@acme.test")
		c := h.fx.MustCreateCycle(t, "Spring feedback")
		lea, _ := h.fx.MustAddLeader(t, c.ID, "Lea Stone", "lea@acme.test")
		rec := admin.postForm("/cycles/"+c.ID+"/participants/"+lea.ID+"/raters",
			url.Values{"name": {"Lea again"}, "email": {"Lea+peer@ACME.test"}, "relationship": {"peer"}})
		wantPage(t, "manual add", rec, http.StatusUnprocessableEntity, "the leader&#39;s own address", `value="Lea&#43;peer@ACME.test"`)
		csv := "leader_email,leader_name,rater_email,rater_name,relationship\n" +
			"lea@acme.test,Lea Stone,ana@acme.test,Ana,peer\nlea@acme.test,Lea Stone,lea+x@acme.test,Lea,peer\n"
		rec = admin.postForm("/cycles/"+c.ID+"/import/confirm", url.Values{"csv": {csv}})
		wantPage(t, "import", rec, http.StatusUnprocessableEntity, "Nothing was imported",
			"lea@acme.test is an address of the leader lea@acme.test, who cannot rate themself")
		if as, err := h.fx.Store.Assignments(context.Background(), org, lea.ID); err != nil || len(as) != 1 {
			t.Errorf("assignments after refused forms: %d, %v", len(as), err)
		}
	})
}

// Issue #10 item 8 through the pages: revoking a peer who submitted leads
// to the exclusion's confirmation, which says what will happen; once
// confirmed the answers count nowhere, and the release lists the group the
// exclusion pushed below k and waits for HR to confirm it read it.
func TestExcludeAnswersThenReleaseThroughThePages(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		ctx, org := context.Background(), h.fx.Org.ID
		h.user(org, "hr@acme.test", assessment.RoleAdmin)
		admin := h.signedIn("hr@acme.test")
		c := h.fx.MustCreateCycle(t, "Spring feedback")
		lea, _ := h.fx.MustAddLeader(t, c.ID, "Lea Stone", "lea@acme.test")
		for _, p := range []string{"p1", "p2", "p3"} {
			h.fx.MustAddRater(t, lea.ID, "Peer "+p, p+"@acme.test", assessment.Peer)
		}
		if _, err := h.fx.Service.OpenCycle(ctx, org, c.ID, "", nil); err != nil {
			t.Fatal(err)
		}
		_, list, err := h.fx.Service.CycleInvitations(ctx, org, c.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		var planted string
		for _, st := range list {
			r := assessment.Response{AssignmentID: st.Assignment.ID, Status: assessment.ResponseSubmitted, Answers: h.fx.FullAnswers(4)}
			if err := h.fx.Service.SaveAnswers(ctx, org, &r); err != nil {
				t.Fatal(err)
			}
			if st.Rater.Email == "p3@acme.test" {
				planted = st.Invitation.ID
			}
		}
		invitations := "/cycles/" + c.ID + "/invitations"
		rec := admin.get(invitations)
		wantPage(t, "invitations", rec, http.StatusOK, "Answered", invitations+"/"+planted+"/exclude")
		rec = admin.postForm(invitations+"/"+planted+"/revoke", nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != invitations+"/"+planted+"/exclude" {
			t.Fatalf("revoke after submit: %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		page := invitations + "/" + planted + "/exclude"
		rec = admin.get(page)
		wantPage(t, "confirmation", rec, http.StatusOK, "Exclude the answers of Peer p3?",
			"Lea Stone's peers will count 2 answers instead of 3",
			"Lea Stone's peers fall from 3 to 2, below the anonymity threshold of 3", "This cannot be undone.")
		rec = admin.postForm(page, nil)
		wantPage(t, "unconfirmed", rec, http.StatusUnprocessableEntity, "Tick the box to confirm that these answers should count nowhere.")
		if rec := admin.postForm(page, url.Values{"confirm": {"1"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("exclude: %d\n%s", rec.Code, rec.Body)
		}
		rec = admin.get(invitations + "?notice=excluded")
		wantPage(t, "after", rec, http.StatusOK, "The answers were excluded", "Answers excluded")
		rec = admin.get(page)
		wantPage(t, "twice", rec, http.StatusOK, "These answers are already excluded")

		if rec := admin.postForm("/cycles/"+c.ID+"/close", url.Values{"confirm": {"1"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("close: %d", rec.Code)
		}
		results := "/cycles/" + c.ID + "/results"
		rec = admin.get(results)
		body := rec.Body.String()
		wantPage(t, "release form", rec, http.StatusConflict, "What excluded answers change",
			"Lea Stone: peers fall from 3 to 2 and will be pooled or left out.", `name="confirm_exclusions"`)
		digest := hiddenValue(body, "exclusions")
		rec = admin.postForm("/cycles/"+c.ID+"/release", url.Values{"confirm": {"1"}})
		wantPage(t, "release without reading", rec, http.StatusUnprocessableEntity,
			"Tick the box to confirm you have read what the excluded answers change.")
		rec = admin.postForm("/cycles/"+c.ID+"/release", url.Values{"confirm": {"1"}, "confirm_exclusions": {"1"}, "exclusions": {digest}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("release: %d\n%s", rec.Code, rec.Body)
		}
		rec = admin.get("/audit")
		wantPage(t, "audit", rec, http.StatusOK, "Excluded a rater&#39;s answers", "Confirmed what excluded answers change")
	})
}

// hiddenValue is the value of the hidden input named name.
func hiddenValue(body, name string) string {
	_, rest, ok := strings.Cut(body, `name="`+name+`" value="`)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, `"`)
	return v
}
