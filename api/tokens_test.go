package api

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

// Access rows of the API token pages: admins only, and a token of another
// organisation is not found.
func init() {
	accessRows = append(accessRows,
		accessRow{method: http.MethodGet, route: "/org/tokens", allowed: []actor{adminX, adminY}},
		accessRow{method: http.MethodPost, route: "/org/tokens", form: url.Values{"name": {"Evil sync"}, "scope": {"write"}}, allowed: []actor{adminX, adminY}},
		accessRow{method: http.MethodPost, route: "/org/tokens/:tid/revoke", allowed: []actor{adminX, adminY},
			path: func(w *accessWorld, a actor, own bool) string {
				org := w.personFor(a, own).OrganizationID
				return "/org/tokens/" + mustToken(w.h.t, w.h, org, "Matrix", assessment.ScopeWrite).token.ID + "/revoke"
			}},
	)
}

// madeToken is a token and its secret.
type madeToken struct {
	token  assessment.APIToken
	secret string
}

// mustToken makes a token of the organisation, as an admin would.
func mustToken(t testing.TB, h *harness, orgID, name string, scope assessment.TokenScope) madeToken {
	t.Helper()
	tok, secret, err := h.fx.Service.CreateAPIToken(context.Background(), orgID, "",
		assessment.NewAPIToken{Name: name, Scope: string(scope), CreatedBy: "a test"})
	if err != nil {
		t.Fatalf("token %s: %v", name, err)
	}
	return madeToken{token: tok, secret: secret}
}

var shownToken = regexp.MustCompile(`value="(l360_[A-Za-z0-9_-]{43})"`)

// The tokens page makes a token and shows it once (the next visit shows
// only its name), keeps what was typed next to a problem, revokes a token
// (which then opens nothing), lists another organisation's tokens never,
// and leaves no secret in the database; every change is audited.
func TestTokensPage(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		x := h.fx.Org.ID
		h.user(x, "ana@example.com", assessment.RoleAdmin)
		other := mustToken(t, h, h.org("Elsewhere of "+t.Name()).ID, "Their sync", assessment.ScopeRead)
		c := h.signedIn("ana@example.com")

		page := resultsStatus(t, "a token with mistakes", c.post("/org/tokens", c.formWith("name", "  ", "scope", "admin")), http.StatusUnprocessableEntity)
		for _, want := range []string{`<p class="error-text" id="name-error">Enter a name that says what uses the token, like HRIS sync.</p>`,
			`<p class="error-text" id="scope-error">Choose read or write.</p>`} {
			if !strings.Contains(page, want) {
				t.Errorf("the form with mistakes does not show %q", want)
			}
		}
		page = resultsStatus(t, "a new token", c.post("/org/tokens", c.formWith("name", "HRIS sync", "scope", "write")), http.StatusCreated)
		m := shownToken.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("the new token is not shown:\n%.3000s", page)
		}
		secret := m[1]
		tok, err := h.fx.Service.AuthenticateAPIToken(context.Background(), secret)
		if err != nil || tok.Name != "HRIS sync" || tok.Scope != assessment.ScopeWrite || tok.OrganizationID != x {
			t.Fatalf("the shown token: %+v, %v", tok, err)
		}
		list := resultsStatus(t, "the tokens page", c.get("/org/tokens"), http.StatusOK)
		if strings.Contains(list, secret) || !strings.Contains(list, "HRIS sync") || strings.Contains(list, "Their sync") {
			t.Error("the list shows the secret again, misses the token or shows another organisation's")
		}
		if where := assessmenttest.FindText(t, h.fx.Store.(*store.Store), []string{secret, secret[5:]}); len(where) != 0 {
			t.Errorf("the token's secret is stored in %v", where)
		}

		if rec := c.post("/org/tokens/"+other.token.ID+"/revoke", c.formWith()); rec.Code != http.StatusNotFound {
			t.Errorf("revoking another organisation's token: %d", rec.Code)
		}
		if rec := c.post("/org/tokens/"+tok.ID+"/revoke", c.formWith()); rec.Code != http.StatusSeeOther {
			t.Fatalf("revoke: %d\n%s", rec.Code, rec.Body)
		}
		if _, err := h.fx.Service.AuthenticateAPIToken(context.Background(), secret); assessment.ErrorCode(err) != assessment.CodeForbidden {
			t.Errorf("a revoked token still opens: %v", err)
		}
		resultsStatus(t, "revoked twice", c.post("/org/tokens/"+tok.ID+"/revoke", c.formWith()), http.StatusGone)
		audit := resultsStatus(t, "the audit log", c.get("/audit"), http.StatusOK)
		for _, want := range []string{"Made an API token", "Revoked an API token", "Token &#34;HRIS sync&#34;, scope write"} {
			if !strings.Contains(audit, want) {
				t.Errorf("the audit log does not show %q", want)
			}
		}
	})
}

// Text that is not a token, an unknown token and a revoked one get the same
// refusal; a live token is stamped with its last use at most once a minute.
func TestTokenAuthentication(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		live := mustToken(t, h, h.fx.Org.ID, "Live", assessment.ScopeRead)
		dead := mustToken(t, h, h.fx.Org.ID, "Dead", assessment.ScopeRead)
		if err := h.fx.Service.RevokeAPIToken(ctx, h.fx.Org.ID, "", dead.token.ID); err != nil {
			t.Fatal(err)
		}
		unknown := "l360_" + strings.Repeat("A", 43)
		for _, bad := range []string{"", "l360_", unknown, dead.secret, live.secret + "x", strings.Replace(live.secret, "l360_", "l361_", 1), "l360_" + strings.Repeat("\x00", 43)} {
			if _, err := h.fx.Service.AuthenticateAPIToken(ctx, bad); err == nil || err.Error() != "The API token is not valid: it may be mistyped or revoked." {
				t.Errorf("token %q: %v", bad, err)
			}
		}
		first, err := h.fx.Service.AuthenticateAPIToken(ctx, live.secret)
		if err != nil || first.LastUsedAt == nil || !first.LastUsedAt.Equal(h.fx.Clock.Now()) {
			t.Fatalf("first use: %+v, %v", first, err)
		}
		h.fx.Clock.Set(h.fx.Clock.Now().Add(30e9))
		if again, _ := h.fx.Service.AuthenticateAPIToken(ctx, live.secret); !again.LastUsedAt.Equal(*first.LastUsedAt) {
			t.Errorf("stamped again within a minute: %v", again.LastUsedAt)
		}
	})
}
