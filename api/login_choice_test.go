package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// choiceWorld is ana@example.com with an account in three organisations:
// an admin in the harness's ("Acme") and a leader in Globex, both with
// testPassword, and an admin in Initech with a password of its own.
type choiceWorld struct {
	acme, globex, initech assessment.User
	globexOrg             assessment.Organization
}

func newChoiceWorld(h *harness) choiceWorld {
	h.t.Helper()
	w := choiceWorld{acme: h.user(h.fx.Org.ID, "ana@example.com", assessment.RoleAdmin)}
	w.globexOrg = h.org("Globex of " + h.t.Name())
	w.globex = h.user(w.globexOrg.ID, "ana@example.com", assessment.RoleLeader)
	other := assessmenttest.PasswordHash("initech has its own password")
	w.initech = assessment.User{OrganizationID: h.org("Initech of " + h.t.Name()).ID, Email: "ana@example.com", Roles: []assessment.Role{assessment.RoleAdmin},
		PasswordHash: other, CreatedAt: h.fx.Clock.Now()}
	if err := h.fx.Store.CreateUser(context.Background(), &w.initech); err != nil {
		h.t.Fatal(err)
	}
	return w
}

// awaitingChoice is a client whose password just opened Acme's and
// Globex's accounts.
func (h *harness) awaitingChoice(next string) *client {
	h.t.Helper()
	c := h.client()
	rec := c.post("/login", url.Values{"email": {"Ana@Example.com"}, "password": {testPassword}, "next": {next}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login/organization" {
		h.t.Fatalf("sign in with a password of two accounts: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	return c
}

// choiceToken reads the form token of the choice page.
func (c *client) choiceToken() string {
	c.h.t.Helper()
	m := csrfInput.FindStringSubmatch(c.get("/login/organization").Body.String())
	if m == nil {
		c.h.t.Fatal("no form token on the choice page")
	}
	return m[1]
}

// A password that opens accounts in two organisations leads to a choice
// between exactly those two, under a new session token; the choice needs
// the page's form token, takes only an account it offered, signs in to
// that account and goes where the sign-in was headed. It lasts 5 minutes.
func TestSignInChoosesAnOrganisation(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		w := newChoiceWorld(h)
		c := h.client()
		c.cookie = "planted-by-an-attacker"
		rec := c.post("/login", url.Values{"email": {"ana@example.com"}, "password": {testPassword}, "next": {"/me?from=login"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login/organization" || c.cookie == "planted-by-an-attacker" || c.cookie == "" {
			t.Fatalf("sign in: %d to %q, cookie %q", rec.Code, rec.Header().Get("Location"), c.cookie)
		}
		if c.isSignedIn() {
			t.Fatal("signed in before choosing")
		}
		page := c.get("/login/organization")
		body := page.Body.String()
		if page.Code != http.StatusOK || page.Header().Get("Cache-Control") != "no-store" ||
			!strings.Contains(body, h.fx.Org.Name) || !strings.Contains(body, w.globexOrg.Name) || strings.Contains(body, "Initech") ||
			!strings.Contains(body, `value="`+w.globex.ID+`"`) || !strings.Contains(body, "as a leader") || !strings.Contains(body, "as an admin") {
			t.Fatalf("choice page: %d\n%s", page.Code, body)
		}
		planted := &client{h: h, ip: c.ip, cookie: "planted-by-an-attacker"}
		if rec := planted.get("/login/organization"); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?notice=choice-ended" {
			t.Fatalf("the planted token after sign-in: %d to %q", rec.Code, rec.Header().Get("Location"))
		}

		token := c.choiceToken()
		if rec := c.post("/login/organization", url.Values{"account": {w.globex.ID}}); rec.Code != http.StatusForbidden {
			t.Fatalf("choice without the form token: %d", rec.Code)
		}
		req := formRequest("/login/organization", url.Values{"account": {w.globex.ID}, csrfField: {token}})
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if rec := c.send(req); rec.Code != http.StatusForbidden {
			t.Fatalf("cross-site choice: %d", rec.Code)
		}
		for name, account := range map[string]string{"an account the password did not open": w.initech.ID, "none": ""} {
			rec := c.post("/login/organization", url.Values{"account": {account}, csrfField: {token}})
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Choose one of the organisations") {
				t.Fatalf("choosing %s: %d\n%s", name, rec.Code, rec.Body)
			}
		}
		if c.isSignedIn() {
			t.Fatal("a refused choice signed in")
		}

		rec = c.post("/login/organization", url.Values{"account": {w.globex.ID}, csrfField: {token}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/me?from=login" {
			t.Fatalf("choose Globex: %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		if got := c.get("/me").Code; got != http.StatusOK {
			t.Fatalf("Globex's leader page after choosing Globex: %d", got)
		}
		if rec := c.get("/login/organization"); rec.Code == http.StatusOK {
			t.Fatal("the choice is still offered after signing in")
		}

		// Choosing takes at most 5 minutes.
		late := h.awaitingChoice("")
		lateToken := late.choiceToken()
		h.fx.Clock.Set(h.fx.Clock.Now().Add(choiceLifetime))
		for _, rec := range []interface{ Result() *http.Response }{
			late.get("/login/organization"),
			late.post("/login/organization", url.Values{"account": {w.acme.ID}, csrfField: {lateToken}}),
		} {
			if res := rec.Result(); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?notice=choice-ended" {
				t.Fatalf("after 5 minutes: %d to %q", res.StatusCode, res.Header.Get("Location"))
			}
		}
		if late.isSignedIn() {
			t.Fatal("a late choice signed in")
		}
		if body := late.get("/login?notice=choice-ended").Body.String(); !strings.Contains(body, "took too long") {
			t.Fatal("the sign-in page does not say why the choice ended")
		}

		// A password of one account signs in to it directly.
		direct := h.client()
		rec = direct.post("/login", url.Values{"email": {"ana@example.com"}, "password": {"initech has its own password"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/dashboard" || !direct.isSignedIn() {
			t.Fatalf("Initech's password: %d to %q", rec.Code, rec.Header().Get("Location"))
		}
	})
}

// Malformed choices get a clear 4xx, never a 5xx (TRUST.md S5): the sweep
// of malformed_test.go reaches the route only without a pending choice.
func TestChoosingAnOrganisationRefusesMalformedInput(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		newChoiceWorld(h)
		c := h.awaitingChoice("")
		token := c.choiceToken()
		for what, v := range hostileValues {
			rec := c.post("/login/organization", url.Values{"account": {v}, csrfField: {token}})
			if rec.Code != http.StatusUnprocessableEntity || leakedInternals.MatchString(rec.Body.String()) {
				t.Errorf("account %s: %d", what, rec.Code)
			}
		}
		req := formRequest("/login/organization", url.Values{csrfField: {token}})
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if rec := c.send(req); rec.Code != http.StatusForbidden && rec.Code != http.StatusUnsupportedMediaType {
			t.Errorf("JSON body: %d", rec.Code)
		}
		if c.isSignedIn() {
			t.Fatal("a malformed choice signed in")
		}
	})
}

// Issue #10, item 9: another organisation's admin who lists someone's
// address as a leader makes an account in their own organisation only.
// Nothing changes for the person at their own organisation: they sign in
// with their password, straight to their own account, and read their own
// results. The other organisation's invitation link sets that
// organisation's password only; once both passwords are the same, sign-in
// offers the choice.
func TestAnotherOrganisationCannotTakeAnAddress(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		const victim = "victim@acme.test"
		acme := newResultsCycle(t, h, h.fx.Org.ID, "Acme spring", assessment.StatusReleased, leaderSpec{email: victim})
		mine := h.user(h.fx.Org.ID, victim, assessment.RoleLeader)

		globex := h.org("Globex of " + t.Name())
		c, err := h.fx.Service.CreateCycle(ctx, assessment.CycleDraft{OrganizationID: globex.ID, InstrumentID: h.fx.Instrument.ID,
			Name: "Globex spring", OpensAt: h.fx.Clock.Now(), ClosesAt: h.fx.Clock.Now().AddDate(0, 0, 21)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.fx.Service.AddParticipant(ctx, globex.ID, c.ID, assessment.PersonInput{Name: "Victim", Email: victim}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.fx.Service.OpenCycle(ctx, globex.ID, c.ID, "", h.accounts); err != nil {
			t.Fatal(err)
		}

		theirs, err := h.fx.Store.UserByEmail(ctx, globex.ID, victim)
		if err != nil || theirs.ID == mine.ID || theirs.PasswordHash != "" {
			t.Fatalf("Globex's account: %+v, %v; want a new one without a password", theirs, err)
		}
		if still, err := h.fx.Store.UserByEmail(ctx, h.fx.Org.ID, victim); err != nil || still.ID != mine.ID || still.PasswordHash != mine.PasswordHash {
			t.Fatalf("the victim's Acme account changed: %+v, %v", still, err)
		}

		person := h.signedIn(victim)
		results := "/me/cycles/" + acme.cycle.ID
		if rec := person.get(results); rec.Code != http.StatusOK {
			t.Fatalf("the victim's own results at Acme: %d", rec.Code)
		}

		mails := h.mail.Sent()
		if len(mails) != 1 || mails[0].To != victim || mails[0].UserID != theirs.ID || mails[0].Purpose != assessment.PurposeInvite {
			t.Fatalf("account emails: %+v", mails)
		}
		if rec := h.client().post(linkPath(t, mails[0].Link), url.Values{"password": {testPassword}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("set Globex's password: %d", rec.Code)
		}
		if still, err := h.fx.Store.User(ctx, mine.ID); err != nil || still.PasswordHash != mine.PasswordHash {
			t.Fatalf("Globex's link changed the Acme password: %v", err)
		}
		both := h.client()
		if rec := both.post("/login", url.Values{"email": {victim}, "password": {testPassword}}); rec.Header().Get("Location") != "/login/organization" {
			t.Fatalf("sign in with one password for both: to %q", rec.Header().Get("Location"))
		}
		token := both.choiceToken()
		if rec := both.post("/login/organization", url.Values{"account": {mine.ID}, csrfField: {token}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("choose Acme: %d", rec.Code)
		}
		if rec := both.get(results); rec.Code != http.StatusOK {
			t.Fatalf("the victim's results after choosing Acme: %d", rec.Code)
		}
	})
}

// The forgot-password request does the same work for a known and an
// unknown address: one request job each, and nothing else (no link, no
// email) until the job runs; then only the known address gets an email.
func TestForgotPasswordQueuesTheSameWorkForEveryAddress(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		h.user(h.fx.Org.ID, "ana@example.com", assessment.RoleAdmin)
		var all []assessment.Job
		for _, email := range []string{"ana@example.com", "bob@example.com"} {
			if rec := h.client().post("/password/forgot", url.Values{"email": {email}}); rec.Code != http.StatusOK {
				t.Fatalf("forgot %s: %d", email, rec.Code)
			}
			jobs := h.jobs.Take(t)
			if len(jobs) != 1 {
				t.Fatalf("forgot %s recorded %d jobs, want 1", email, len(jobs))
			}
			all = append(all, jobs...)
		}
		if a, b := fmt.Sprintf("%T", all[0].Args), fmt.Sprintf("%T", all[1].Args); a != b || a != "assessment.PasswordResetJob" {
			t.Fatalf("jobs of a known and an unknown address: %s, %s", a, b)
		}
		if n := len(h.mail.Sent()); n != 0 {
			t.Fatalf("%d emails before the jobs ran", n)
		}
		for _, j := range all { // as the queue would
			if err := h.accounts.SendPasswordResets(context.Background(), j.Args.(assessment.PasswordResetJob)); err != nil {
				t.Fatal(err)
			}
		}
		if mails := h.mail.Sent(); len(mails) != 1 || mails[0].To != "ana@example.com" {
			t.Fatalf("emails after the jobs ran: %+v", mails)
		}
	})
}
