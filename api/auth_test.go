package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// forEngine runs a test on SQLite and, when configured, PostgreSQL.
func forEngine(t *testing.T, test func(t *testing.T, h *harness)) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			test(t, newHarness(t, eng))
		})
	}
}

// An unknown email and a wrong password get the same status and the same
// page, with the email kept and the password not sent back.
func TestLoginAnswersUnknownAccountAndWrongPasswordAlike(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		h.user(h.fx.Org.ID, "ana@example.com", assessment.RoleAdmin)
		unknown := h.client().post("/login", url.Values{"email": {"bo@example.com"}, "password": {testPassword}})
		wrong := h.client().post("/login", url.Values{"email": {"bo@example.com"}, "password": {"not the password"}})
		wrongOfKnown := h.client().post("/login", url.Values{"email": {"ana@example.com"}, "password": {"not the password"}})
		if unknown.Code != http.StatusUnprocessableEntity || wrong.Code != unknown.Code || wrongOfKnown.Code != unknown.Code {
			t.Fatalf("statuses: unknown %d, wrong %d, wrong of known %d", unknown.Code, wrong.Code, wrongOfKnown.Code)
		}
		// Same page except the echoed email.
		a := strings.ReplaceAll(unknown.Body.String(), "bo@example.com", "EMAIL")
		b := strings.ReplaceAll(wrongOfKnown.Body.String(), "ana@example.com", "EMAIL")
		if a != b {
			t.Fatalf("the pages differ:\n--- unknown\n%s\n--- wrong password\n%s", a, b)
		}
		if !strings.Contains(a, "The email address or password is not right.") || !strings.Contains(a, `value="EMAIL"`) {
			t.Fatalf("the page lacks the message or the kept email:\n%s", a)
		}
		if strings.Contains(wrongOfKnown.Body.String(), "not the password") {
			t.Fatal("the password was sent back")
		}
		c := h.client()
		rec := c.post("/login", url.Values{"email": {" Ana@Example.com "}, "password": {testPassword}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/dashboard" || c.cookie == "" {
			t.Fatalf("good sign-in: %d to %q, cookie %q", rec.Code, rec.Header().Get("Location"), c.cookie)
		}
		if !c.isSignedIn() {
			t.Fatal("the session does not open the dashboard")
		}
	})
}

// The session cookie is HttpOnly, SameSite=Lax and not persistent; Secure
// and HSTS come with an https base URL.
func TestSessionCookieAttributes(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		h.user(h.fx.Org.ID, "ana@example.com", assessment.RoleAdmin)
		rec := h.client().post("/login", url.Values{"email": {"ana@example.com"}, "password": {testPassword}})
		cookies := rec.Result().Cookies()
		if len(cookies) != 1 {
			t.Fatalf("cookies: %v", cookies)
		}
		ck := cookies[0]
		if ck.Name != SessionCookie || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.MaxAge != 0 || ck.Secure {
			t.Fatalf("cookie %+v", ck)
		}
		if rec.Header().Get("Strict-Transport-Security") != "" {
			t.Fatal("HSTS over plain http")
		}
		tls, err := NewServer(Deps{Accounts: h.accounts, BaseURL: "https://lead360.example"})
		if err != nil {
			t.Fatal(err)
		}
		if !tls.sessions.sm.Cookie.Secure {
			t.Fatal("cookie not Secure behind an https base URL")
		}
		page := httpGet(tls, "/login")
		if page.Header().Get("Strict-Transport-Security") == "" {
			t.Fatal("no HSTS behind an https base URL")
		}
	})
}

// Session fixation: a token planted before sign-in is never the one after,
// and signing in again replaces a live token.
func TestSignInRenewsTheSessionToken(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		h.user(h.fx.Org.ID, "ana@example.com", assessment.RoleAdmin)
		c := h.client()
		c.cookie = "planted-by-an-attacker"
		if c.post("/login", url.Values{"email": {"ana@example.com"}, "password": {testPassword}}).Code != http.StatusSeeOther {
			t.Fatal("sign in failed")
		}
		if c.cookie == "planted-by-an-attacker" || c.cookie == "" {
			t.Fatalf("the planted token survived sign-in: %q", c.cookie)
		}
		first := c.cookie
		if c.post("/login", url.Values{"email": {"ana@example.com"}, "password": {testPassword}}).Code != http.StatusSeeOther {
			t.Fatal("second sign in failed")
		}
		if c.cookie == first {
			t.Fatal("signing in again kept the token")
		}
		old := &client{h: h, ip: c.ip, cookie: first}
		if old.isSignedIn() {
			t.Fatal("the token from before the second sign-in still works")
		}
		if !c.isSignedIn() {
			t.Fatal("the new token does not work")
		}
	})
}

// Logout deletes the session: replaying the old cookie is anonymous.
func TestLogoutEndsTheSessionForGood(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		h.user(h.fx.Org.ID, "ana@example.com", assessment.RoleAdmin)
		c := h.signedIn("ana@example.com")
		stolen := c.cookie
		rec := c.post("/logout", url.Values{csrfField: {c.csrf()}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?notice=signed-out" {
			t.Fatalf("logout: %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		if c.cookie != "" {
			t.Fatal("the cookie was not cleared")
		}
		replay := &client{h: h, ip: c.ip, cookie: stolen}
		if replay.isSignedIn() {
			t.Fatal("the old cookie still signs in after logout")
		}
		if _, found, err := h.accounts.FindSession(t.Context(), stolen); err != nil || found {
			t.Fatalf("session record after logout: found %v, err %v", found, err)
		}
	})
}

// Idle expiry after 2 hours without a request; absolute expiry 12 hours
// after sign-in however busy the user is.
func TestSessionsExpire(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		h.user(h.fx.Org.ID, "ana@example.com", assessment.RoleAdmin)
		idle := h.signedIn("ana@example.com")
		h.fx.Clock.Set(h.fx.Clock.Now().Add(SessionIdleTimeout - time.Minute))
		if !idle.isSignedIn() {
			t.Fatal("signed out before the idle timeout")
		}
		h.fx.Clock.Set(h.fx.Clock.Now().Add(SessionIdleTimeout))
		if idle.isSignedIn() {
			t.Fatal("still signed in after 2 idle hours")
		}

		busy := h.signedIn("ana@example.com")
		start := h.fx.Clock.Now()
		for h.fx.Clock.Now().Sub(start) < SessionLifetime-time.Hour {
			h.fx.Clock.Set(h.fx.Clock.Now().Add(time.Hour))
			if !busy.isSignedIn() {
				t.Fatalf("signed out %v after sign-in despite activity", h.fx.Clock.Now().Sub(start))
			}
		}
		h.fx.Clock.Set(start.Add(SessionLifetime))
		if busy.isSignedIn() {
			t.Fatal("still signed in 12 hours after sign-in")
		}
	})
}

// CSRF: cross-site POSTs are refused whatever they carry, and a signed-in
// POST needs the session's form token even from the same site.
func TestCrossSiteRequestsAreRefused(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		h.user(h.fx.Org.ID, "ana@example.com", assessment.RoleAdmin)
		login := url.Values{"email": {"ana@example.com"}, "password": {testPassword}}
		for name, header := range map[string][2]string{
			"Sec-Fetch-Site cross-site": {"Sec-Fetch-Site", "cross-site"},
			"Sec-Fetch-Site same-site":  {"Sec-Fetch-Site", "same-site"},
			"foreign Origin":            {"Origin", "https://evil.example"},
		} {
			c := h.client()
			req := formRequest("/login", login)
			req.Header.Set(header[0], header[1])
			if rec := c.send(req); rec.Code != http.StatusForbidden || c.cookie != "" {
				t.Errorf("login with %s: %d, cookie %q", name, rec.Code, c.cookie)
			}
		}

		c := h.signedIn("ana@example.com")
		token := c.csrf()
		req := formRequest("/logout", url.Values{csrfField: {token}})
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if rec := c.send(req); rec.Code != http.StatusForbidden {
			t.Errorf("cross-site logout with the token: %d", rec.Code)
		}
		for name, form := range map[string]url.Values{"no token": {}, "wrong token": {csrfField: {"x" + token}}} {
			if rec := c.post("/logout", form); rec.Code != http.StatusForbidden {
				t.Errorf("same-site logout with %s: %d", name, rec.Code)
			}
		}
		if !c.isSignedIn() {
			t.Fatal("a refused logout signed the user out")
		}
		if rec := c.post("/logout", url.Values{csrfField: {token}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("logout with the token: %d", rec.Code)
		}
	})
}

// A reset link works once, for 30 minutes; using it ends every session of
// the account. Unknown addresses get the same page and no email.
func TestPasswordResetLinks(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		h.user(h.fx.Org.ID, "ana@example.com", assessment.RoleAdmin)
		before := h.signedIn("ana@example.com")

		unknown := h.client().post("/password/forgot", url.Values{"email": {"bo@example.com"}})
		known := h.client().post("/password/forgot", url.Values{"email": {"ana@example.com"}})
		if unknown.Code != http.StatusOK || known.Code != http.StatusOK ||
			strings.ReplaceAll(unknown.Body.String(), "bo@", "X@") != strings.ReplaceAll(known.Body.String(), "ana@", "X@") {
			t.Fatalf("forgot answers differ: %d / %d", unknown.Code, known.Code)
		}
		h.workJobs()
		mails := h.mail.Sent()
		if len(mails) != 1 || mails[0].To != "ana@example.com" || mails[0].Purpose != assessment.PurposeReset ||
			!mails[0].ExpiresAt.Equal(h.fx.Clock.Now().Add(30*time.Minute)) {
			t.Fatalf("mails: %+v", mails)
		}
		link := linkPath(t, mails[0].Link)

		c := h.client()
		if rec := c.get(link); rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("open link: %d, Cache-Control %q", rec.Code, rec.Header().Get("Cache-Control"))
		}
		if rec := c.get(link); rec.Code != http.StatusOK {
			t.Fatalf("opening the link twice (a mail scanner) used it up: %d", rec.Code)
		}
		rec := c.post(link, url.Values{"password": {"password123"}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "most common passwords") {
			t.Fatalf("common password: %d", rec.Code)
		}
		newPassword := "a quiet harbour at dawn"
		if rec := c.post(link, url.Values{"password": {newPassword}}); rec.Code != http.StatusSeeOther ||
			rec.Header().Get("Location") != "/login?notice=password-set" {
			t.Fatalf("reset: %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		if before.isSignedIn() {
			t.Fatal("a session from before the reset survived it")
		}
		if rec := c.post(link, url.Values{"password": {"another fine passphrase"}}); rec.Code != http.StatusGone {
			t.Fatalf("second use of the link: %d", rec.Code)
		}
		if rec := c.get(link); rec.Code != http.StatusGone || !strings.Contains(rec.Body.String(), `href="/password/forgot"`) {
			t.Fatalf("opening a used link: %d", rec.Code)
		}
		if rec := h.client().post("/login", url.Values{"email": {"ana@example.com"}, "password": {newPassword}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("sign in with the new password: %d", rec.Code)
		}

		// Expiry, and a newer link revokes an older one.
		h.client().post("/password/forgot", url.Values{"email": {"ana@example.com"}})
		h.workJobs()
		h.fx.Clock.Set(h.fx.Clock.Now().Add(time.Minute))
		h.client().post("/password/forgot", url.Values{"email": {"ana@example.com"}})
		h.workJobs()
		mails = h.mail.Sent()
		older, newer := linkPath(t, mails[1].Link), linkPath(t, mails[2].Link)
		if rec := c.get(older); rec.Code != http.StatusGone {
			t.Fatalf("older link after a newer one: %d", rec.Code)
		}
		h.fx.Clock.Set(h.fx.Clock.Now().Add(30 * time.Minute))
		if rec := c.post(newer, url.Values{"password": {"yet another passphrase"}}); rec.Code != http.StatusGone {
			t.Fatalf("link after 30 minutes: %d", rec.Code)
		}
	})
}

// The setup page creates the first admin once; afterwards it does not
// exist.
func TestSetupPageWorksOnce(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		c := h.client()
		if rec := c.get("/setup"); rec.Code != http.StatusOK {
			t.Fatalf("setup on a new installation: %d", rec.Code)
		}
		if rec := c.get("/login"); !strings.Contains(rec.Body.String(), `href="/setup"`) {
			t.Fatal("the sign-in page does not point to setup on a new installation")
		}
		bad := url.Values{"organization": {"Acme"}, "name": {"Ana"}, "email": {"not-an-email"}, "password": {"short"}}
		rec := c.post("/setup", bad)
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `value="Acme"`) || !strings.Contains(body, `value="not-an-email"`) ||
			!strings.Contains(body, "name@example.com") || !strings.Contains(body, "at least 8") || strings.Contains(body, `value="short"`) {
			t.Fatalf("bad setup: %d\n%s", rec.Code, body)
		}
		good := url.Values{"organization": {"Acme"}, "name": {"Ana"}, "email": {"ana@example.com"}, "password": {testPassword}}
		if rec := c.post("/setup", good); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/dashboard" {
			t.Fatalf("setup: %d", rec.Code)
		}
		if rec := c.get("/dashboard"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Signed in as Ana") {
			t.Fatalf("dashboard after setup: %d", rec.Code)
		}
		other := h.client()
		if rec := other.get("/setup"); rec.Code != http.StatusNotFound {
			t.Fatalf("setup page after setup: %d", rec.Code)
		}
		good.Set("email", "mallory@example.com")
		if rec := other.post("/setup", good); rec.Code != http.StatusNotFound || other.cookie != "" {
			t.Fatalf("second setup: %d", rec.Code)
		}
	})
}

// Failed sign-ins are throttled per account: past the burst even the right
// password waits, with Retry-After; the wait ends.
func TestLoginThrottling(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		h.user(h.fx.Org.ID, "ana@example.com", assessment.RoleAdmin)
		wrong := url.Values{"email": {"ana@example.com"}, "password": {"guess"}}
		for i := range 5 {
			if rec := h.client().post("/login", wrong); rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("failure %d: %d", i+1, rec.Code)
			}
		}
		right := url.Values{"email": {"ana@example.com"}, "password": {testPassword}}
		// From the guesser's address, even the right password waits.
		rec := h.client().post("/login", right)
		if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
			t.Fatalf("past the limit: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
		}
		if !strings.Contains(rec.Body.String(), `value="ana@example.com"`) {
			t.Fatal("the throttled form lost the email")
		}
		// Ana at her own address is not kept out by someone else's failures.
		c := h.client()
		c.ip = "198.51.100.7"
		if rec := c.post("/login", right); rec.Code != http.StatusSeeOther || c.cookie == "" {
			t.Fatalf("the owner from another address: %d", rec.Code)
		}
		h.fx.Clock.Set(h.fx.Clock.Now().Add(time.Minute))
		if rec := h.client().post("/login", right); rec.Code != http.StatusSeeOther {
			t.Fatalf("after the wait: %d", rec.Code)
		}
		// One address trying many accounts meets its own ceiling.
		guesser := h.client()
		guesser.ip = "203.0.113.9"
		limited := 0
		for i := range 25 {
			made := url.Values{"email": {fmt.Sprintf("nobody%d@example.com", i)}, "password": {"guess"}}
			if guesser.post("/login", made).Code == http.StatusTooManyRequests {
				limited++
			}
		}
		if limited != 5 {
			t.Errorf("25 tries at made-up accounts from one address: %d refused, want 5 (a ceiling of 20)", limited)
		}
	})
}

// Simultaneous guesses are counted before any is answered: of 60 at once
// for one account from one address, exactly the account's 5 tries are
// checked and the other 55 refused. (A right password among them would
// clear the account's count when it signs in: the owner has proved who
// they are, so this test guesses wrong only.)
func TestSimultaneousGuessesAreCountedFirst(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		h.user(h.fx.Org.ID, "ana@example.com", assessment.RoleAdmin)
		var wg sync.WaitGroup
		var checked, refused atomic.Int32
		for range 60 {
			wg.Go(func() {
				switch code := h.client().post("/login", url.Values{"email": {"ana@example.com"}, "password": {"guess"}}).Code; code {
				case http.StatusTooManyRequests:
					refused.Add(1)
				case http.StatusUnprocessableEntity:
					checked.Add(1)
				default:
					t.Errorf("a guess answered %d", code)
				}
			})
		}
		wg.Wait()
		if checked.Load() != 5 || refused.Load() != 55 {
			t.Errorf("60 simultaneous tries: %d checked, %d refused; want 5 checked", checked.Load(), refused.Load())
		}
	})
}

// A form posted as JSON or with bytes that are not text gets a clear 4xx.
func TestLoginRejectsMalformedInput(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		req := formRequest("/login", nil)
		req.Header.Set("Content-Type", "application/json")
		if rec := h.client().send(req); rec.Code != http.StatusUnsupportedMediaType {
			t.Errorf("JSON body: %d", rec.Code)
		}
		rec := h.client().post("/login", url.Values{"email": {"a\x00b@example.com\xff"}, "password": {"x"}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "plain text") {
			t.Errorf("invalid UTF-8: %d", rec.Code)
		}
	})
}

// Anonymous requests to signed-in pages go to the sign-in page with the
// way back; under /api/ they get 401.
func TestAnonymousRequestsSignInFirst(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		h.user(h.fx.Org.ID, "ana@example.com", assessment.RoleAdmin)
		c := h.client()
		rec := c.get("/dashboard?tab=1")
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next="+url.QueryEscape("/dashboard?tab=1") {
			t.Fatalf("anonymous dashboard: %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		login := url.Values{"email": {"ana@example.com"}, "password": {testPassword}, "next": {"/dashboard?tab=1"}}
		if rec := c.post("/login", login); rec.Header().Get("Location") != "/dashboard?tab=1" {
			t.Fatalf("after sign-in: to %q", rec.Header().Get("Location"))
		}
		for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
			login.Set("next", next)
			if rec := c.post("/login", login); rec.Header().Get("Location") != "/dashboard" {
				t.Errorf("next %q sent the user to %q", next, rec.Header().Get("Location"))
			}
		}
		h.e.GET("/api/probe", func(c echo.Context) error { return c.String(http.StatusOK, "ok") }, h.srv.requireUser)
		if rec := h.client().get("/api/probe"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("anonymous API: %d", rec.Code)
		}
	})
}

// A stored session that does not decode is treated as no session, not as
// a server error.
func TestUnreadableSessionIsAnonymous(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		if err := h.accounts.SaveSession(t.Context(), "garbled", "", []byte("not gob"), h.fx.Clock.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		c := h.client()
		c.cookie = "garbled"
		if c.isSignedIn() {
			t.Fatal("garbled session signed in")
		}
	})
}
