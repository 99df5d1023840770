package api

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
)

// An account with both roles chooses one after sign-in, and pages follow
// the role in use: the admin pages refuse the leader role and say how to
// switch, /me refuses the admin role, the header switches. An account with
// one role never chooses and cannot switch. The sign-in is stamped.
func TestAdminLeaderChoosesAndSwitchesTheRoleInUse(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		x := h.fx.Org.ID
		hana := h.user(x, "hana@example.com", assessment.RoleAdmin, assessment.RoleLeader)
		h.user(x, "lee@example.com", assessment.RoleLeader)
		c := h.client()
		rec := c.post("/login", url.Values{"email": {"hana@example.com"}, "password": {testPassword}, "next": {"/cycles"}})
		if loc := rec.Header().Get("Location"); rec.Code != http.StatusSeeOther || loc != "/role?next=%2Fcycles" {
			t.Fatalf("sign-in with both roles: %d to %q, want the role choice", rec.Code, loc)
		}
		if u, err := h.accounts.User(context.Background(), hana.ID); err != nil || u.LastSignInAt == nil || !u.LastSignInAt.Equal(h.fx.Clock.Now()) {
			t.Errorf("last sign-in: %+v, %v", u.LastSignInAt, err)
		}
		for _, path := range []string{"/dashboard", "/cycles", "/me"} {
			if rec := c.get(path); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/role?next="+url.QueryEscape(path) {
				t.Errorf("GET %s before choosing: %d to %q", path, rec.Code, rec.Header().Get("Location"))
			}
		}
		choice := resultsStatus(t, "the role choice", c.get("/role?next=%2Fcycles"), http.StatusOK)
		for _, want := range []string{`value="admin">HR admin</button>`, `value="leader">My own results</button>`, `name="next" value="/cycles"`} {
			if !strings.Contains(choice, want) {
				t.Errorf("the role choice does not have %q", want)
			}
		}
		if rec := c.post("/role", c.formWith("role", "owner")); rec.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(rec.Body.String(), "Choose one of the two ways") {
			t.Errorf("a role the account does not hold: %d", rec.Code)
		}

		c.useRole(assessment.RoleLeader)
		home := resultsStatus(t, "the dashboard as a leader", c.get("/dashboard"), http.StatusOK)
		if !strings.Contains(home, "Switch to HR admin") || strings.Contains(home, `href="/cycles"`) {
			t.Error("the leader's dashboard lacks the switch, or links to the admin pages")
		}
		resultsStatus(t, "/me as a leader", c.get("/me"), http.StatusOK)
		for _, path := range []string{"/cycles", "/org/admins", "/audit", "/org"} {
			if page := resultsStatus(t, path+" as a leader", c.get(path), http.StatusForbidden); !strings.Contains(page, "Switch to HR admin") {
				t.Errorf("%s as a leader does not say how to switch", path)
			}
		}

		c.useRole(assessment.RoleAdmin)
		if page := resultsStatus(t, "/cycles as an admin", c.get("/cycles"), http.StatusOK); !strings.Contains(page, "Switch to my own results") {
			t.Error("the admin pages lack the switch to the leader's own results")
		}
		if page := resultsStatus(t, "/me as an admin", c.get("/me"), http.StatusForbidden); !strings.Contains(page, "Switch to my own results") {
			t.Error("/me as an admin does not say how to switch")
		}

		lee := h.signedIn("lee@example.com")
		if rec := lee.get("/role"); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/dashboard" {
			t.Errorf("the role choice of a leader-only account: %d", rec.Code)
		}
		if rec := lee.post("/role", lee.formWith("role", "admin")); rec.Code != http.StatusForbidden {
			t.Errorf("a leader-only account switching to admin: %d", rec.Code)
		}
		if page := resultsStatus(t, "a leader's dashboard", lee.get("/dashboard"), http.StatusOK); strings.Contains(page, "Switch to") {
			t.Error("a leader-only account is offered a switch")
		}
	})
}

// accountNav and formToken differ between two sessions and two accounts'
// headers; the rest of a page must not.
var (
	accountNav = regexp.MustCompile(`(?s)<nav class="account".*?</nav>`)
	formToken  = regexp.MustCompile(`name="csrf_token" value="[^"]+"`)
)

func withoutHeader(page string) string {
	return formToken.ReplaceAllString(accountNav.ReplaceAllString(page, ""), "")
}

// An admin who is also assessed reads their own results as any leader
// does (TRUST.md rule 3: before close, counts per group once a day; after
// release, the report): in leader mode every leader page of the account is
// the same, byte for byte but the header, as before the account got the
// admin role from the admins page, and the admin pages stay shut.
func TestAdminLeaderInLeaderModeSeesWhatAnyLeaderSees(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		x := h.fx.Org.ID
		h.user(x, "hr@example.com", assessment.RoleAdmin)
		h.user(x, "hana@example.com", assessment.RoleLeader)
		released := newResultsCycle(t, h, x, "Spring", assessment.StatusReleased, leaderSpec{email: "hana@example.com"})
		open := newResultsCycle(t, h, x, "Autumn", assessment.StatusOpen, leaderSpec{email: "hana@example.com"})
		mine := "/me/cycles/" + released.cycle.ID
		pages := []string{"/dashboard", "/me", mine, mine + "/plan", "/me/cycles/" + open.cycle.ID, "/me/nominations"}
		read := func(c *client) []string {
			t.Helper()
			out := make([]string, len(pages))
			for i, path := range pages {
				rec := c.get(path)
				out[i] = withoutHeader(rec.Result().Status + "\n" + rec.Body.String())
			}
			return out
		}
		asLeader := read(h.signedIn("hana@example.com"))
		for i, page := range asLeader {
			want := "200 OK\n"
			if strings.HasSuffix(pages[i], open.cycle.ID) {
				want = "409 Conflict\n" // "not available yet": no results before release
			}
			if !strings.HasPrefix(page, want) {
				t.Fatalf("%s as a leader: %.200s", pages[i], page)
			}
		}

		hr := h.signedIn("hr@example.com")
		if rec := hr.post("/org/admins", hr.formWith("name", "Hana", "email", "hana@example.com")); rec.Code != http.StatusSeeOther {
			t.Fatalf("invite Hana as an admin: %d\n%s", rec.Code, rec.Body)
		}
		both := h.signedIn("hana@example.com")
		both.useRole(assessment.RoleLeader)
		for i, page := range read(both) {
			if page != asLeader[i] {
				t.Errorf("%s differs for the admin-leader in leader mode from what the leader saw", pages[i])
			}
		}
		if !strings.Contains(resultsStatus(t, "/me", both.get("/me"), http.StatusOK), "Switch to HR admin") {
			t.Error("the admin-leader's leader pages lack the switch")
		}
		pid := released.leaders["hana@example.com"].ID
		for _, path := range []string{"/cycles", "/cycles/" + released.cycle.ID + "/results", "/cycles/" + released.cycle.ID + "/results/" + pid,
			"/cycles/" + open.cycle.ID + "/progress", "/cycles/" + open.cycle.ID + "/invitations", "/org", "/audit"} {
			if rec := both.get(path); rec.Code != http.StatusForbidden {
				t.Errorf("%s in leader mode: %d, want 403", path, rec.Code)
			}
		}
	})
}
