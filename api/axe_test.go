package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/lead360/lead360/api"
	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/assessmenttest/ci"
)

// WCAG 2.1 AA, checked by axe-core in real Chromium on every page the
// server renders, at a phone's width and a laptop's. axe-core is a test
// tool installed by .ci/run (npm, not committed); LEAD360_AXE_JS points at
// axe.min.js.

// axeScript is the source of axe.min.js, or a failure under CI and a skip
// elsewhere, naming what is missing.
func axeScript(t *testing.T) string {
	t.Helper()
	path := os.Getenv("LEAD360_AXE_JS")
	if path == "" {
		home, _ := os.UserHomeDir()
		path = filepath.Join(home, ".cache", "lead360-axe", "node_modules", "axe-core", "axe.min.js")
	}
	src, err := os.ReadFile(path)
	if err == nil {
		return string(src)
	}
	const how = `npm install --no-save --prefix "$HOME/.cache/lead360-axe" axe-core@4 (or set LEAD360_AXE_JS)`
	ci.Missing(t, "axe-core is not installed at %s: the accessibility tests cannot run (%s)", path, how)
	return ""
}

// axeRun runs axe-core on the loaded page with the WCAG 2.0 and 2.1 A and
// AA rules and returns its findings as JSON. The script goes in through
// the DevTools protocol (Runtime.evaluate), which the page's CSP does not
// govern, so the page keeps its real policy while it is checked
// (TestAxeFindsViolationsUnderTheCSP proves both).
const axeRun = `axe.run(document, {
	runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
}).then(r => {
	const brief = v => ({id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))});
	return JSON.stringify({violations: r.violations.map(brief), incomplete: r.incomplete.map(brief), passes: r.passes.length});
})`

type axeRule struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  string `json:"target"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

type axeResult struct {
	Violations, Incomplete []axeRule
	Passes                 int
}

// runAxe injects axe-core into the page loaded in ctx and runs it.
func runAxe(ctx context.Context, axe string) (axeResult, error) {
	var res axeResult
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axe+";void 0")); err != nil {
		return res, fmt.Errorf("inject axe-core: %w", err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		return res, fmt.Errorf("run axe-core: %w", err)
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		return res, fmt.Errorf("read axe-core's answer: %w", err)
	}
	return res, nil
}

// checkAxe fails the test with every violation on the loaded page (rule,
// impact, element, what to fix). What axe could not decide (incomplete,
// e.g. contrast over an image) is logged for a person to look at.
func checkAxe(t *testing.T, ctx context.Context, axe, page string) {
	t.Helper()
	res, err := runAxe(ctx, axe)
	if err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	if res.Passes == 0 {
		t.Fatalf("%s: axe-core passed no rule at all: it did not look at the page", page)
	}
	for _, r := range res.Incomplete {
		t.Logf("%s: axe could not decide %s on %d elements, e.g. %s: %s", page, r.ID, len(r.Nodes), r.Nodes[0].Target, oneLine(r.Nodes[0].Summary))
	}
	for _, r := range res.Violations {
		for _, n := range r.Nodes {
			t.Errorf("%s: %s [%s] %s\n\tat %s\n\t%s", page, r.ID, r.Impact, r.Help, n.Target, oneLine(n.Summary))
		}
	}
}

// The checker itself: on a page served with lead360's CSP, an image
// without alt text, an unlabelled input and grey-on-white text are found.
func TestAxeFindsViolationsUnderTheCSP(t *testing.T) {
	t.Parallel()
	axe := axeScript(t)
	assessmenttest.Chromium(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/bad.css" {
			w.Header().Set("Content-Type", "text/css")
			fmt.Fprint(w, ".faint { color: #bbb; background: #fff; }")
			return
		}
		fmt.Fprint(w, `<!doctype html><html lang="en"><head><title>Bad</title><link rel="stylesheet" href="/bad.css"></head>
<body><main><h1>Bad page</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><form><input name="q"></form>
<p class="faint">Hard to read</p></main><script>document.title = "inline script ran"</script></body></html>`)
	}))
	t.Cleanup(ts.Close)
	ctx, cancel := context.WithTimeout(assessmenttest.NewBrowser(t, 1280, 900), 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL)); err != nil {
		t.Fatal(err)
	}
	// The page's own policy is in force: its inline script did not run.
	if title, err := chromedp.Run(ctx, chromedp.Title()); err != nil || title != "Bad" {
		t.Fatalf("title %q (%v): the inline script ran, so the CSP was not applied", title, err)
	}
	res, err := runAxe(ctx, axe)
	if err != nil {
		t.Fatalf("axe-core under the CSP: %v", err)
	}
	found := map[string]bool{}
	for _, r := range res.Violations {
		found[r.ID] = true
	}
	for _, id := range []string{"image-alt", "label", "color-contrast"} {
		if !found[id] {
			t.Errorf("axe-core missed %s; it found %v", id, found)
		}
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// dashEnv is the whole server as cmd/lead360 wires it (service, accounts,
// River outbox sending to an in-process SMTP server), listening on
// 127.0.0.1 for a browser, with an admin who can sign in.
type dashEnv struct {
	*assessmenttest.Fixture
	// mail is the outbox and its SMTP server; nil for a quiet server
	// (benchmarks), whose use cases may not send email.
	mail     *assessmenttest.Mailer
	url      string
	srv      *api.Server
	accounts *assessment.Accounts
	admin    assessment.User
	leader   assessment.User
	client   *http.Client
}

// dashPassword is every dashEnv account's password.
const dashPassword = "plum tree river lantern"

// newDashEnv serves the app with its email outbox.
func newDashEnv(t testing.TB, eng assessmenttest.Engine) *dashEnv { return startDash(t, eng, true) }

// newQuietDashEnv serves the app without a job queue, so nothing polls the
// database in the background while requests are timed.
func newQuietDashEnv(t testing.TB, eng assessmenttest.Engine) *dashEnv {
	return startDash(t, eng, false)
}

func startDash(t testing.TB, eng assessmenttest.Engine, withMail bool) *dashEnv {
	t.Helper()
	// The links point at the server: start it first, then the queue.
	var handler http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	e := &dashEnv{url: ts.URL,
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 30 * time.Second}}
	if withMail {
		e.mail = assessmenttest.NewMailer(t, eng, ts.URL)
		e.Fixture = e.mail.Fixture
		e.accounts = e.mail.Accounts
	} else {
		e.Fixture = assessmenttest.NewFixture(t, eng)
		e.Clock.Set(time.Now().UTC().Truncate(time.Second))
		e.accounts = assessment.NewAccounts(e.Service, ts.URL, &assessmenttest.AccountMails{})
	}
	srv, err := api.NewServer(api.Deps{Service: e.Service, Accounts: e.accounts, BaseURL: ts.URL,
		Ping: func(context.Context) error { return nil }, Threshold: assessment.MinAnonymityThreshold,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	handler = srv.Routes()
	e.admin = e.user(t, "hr@example.com", assessment.RoleAdmin, "")
	return e
}

// user creates an account of the organisation with dashPassword; a leader
// account belongs to the person with the same email (created if needed).
func (e *dashEnv) user(t testing.TB, email string, role assessment.Role, personID string) assessment.User {
	t.Helper()
	ctx := context.Background()
	u := assessment.User{OrganizationID: e.Org.ID, Email: email, Roles: []assessment.Role{role}, PasswordHash: assessmenttest.PasswordHash(dashPassword), CreatedAt: e.Clock.Now()}
	if role == assessment.RoleLeader && personID == "" {
		p := assessment.Person{OrganizationID: e.Org.ID, Name: "Leader " + email, Email: email, CreatedAt: e.Clock.Now()}
		if err := e.Store.SavePerson(ctx, &p); err != nil {
			t.Fatalf("person %s: %v", email, err)
		}
		personID = p.ID
	}
	u.PersonID = personID
	if err := e.Store.CreateUser(ctx, &u); err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	return u
}

// signIn posts the sign-in form and returns the session cookie.
func (e *dashEnv) signIn(t testing.TB, email string) *http.Cookie {
	t.Helper()
	resp, err := e.client.PostForm(e.url+"/login", url.Values{"email": {email}, "password": {dashPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == api.SessionCookie && c.Value != "" {
			return c
		}
	}
	t.Fatalf("sign in %s: %d without a session cookie", email, resp.StatusCode)
	return nil
}

// axePage is one page to check: who looks at it, where it is, and what
// they do there first (submit a form empty, to check the page with its
// error messages). route is the registered route it renders ("" for pages
// that are not a route of their own, such as the error page).
type axePage struct {
	name  string
	route string
	as    string // "", "admin", "leader" or "both" (roles_axe_test.go)
	path  string
	// status is the expected HTTP status of the GET (200 unless set).
	status int
	// then runs after the page loads; the check looks at the page after it.
	then chromedp.Action[chromedp.Void]
}

// submitEmpty submits the page's form as it is and waits for the error
// summary the server renders.
func submitEmpty(button string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.Click(chromedp.CSS(button)), chromedp.WaitVisible(chromedp.CSS(`.error-summary`)))
}

// axeWorld builds the data every page needs and returns the pages.
func axeWorld(t testing.TB, e *dashEnv) []axePage {
	t.Helper()
	ctx := context.Background()
	// A cycle of Ana (self) rated by Cy, Eli and Fay (peers) and Dee
	// (manager): the survey in both wordings, a submitted one for the page
	// after it, and on Ana's page a group with counts and one without.
	c := e.MustCreateCycle(t, "Spring feedback")
	ana, _ := e.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
	e.MustAddRater(t, ana.ID, "Cy Park", "cy@example.com", assessment.Peer)
	e.MustAddRater(t, ana.ID, "Dee O'Hara", "dee@example.com", assessment.Manager)
	e.MustAddRater(t, ana.ID, "Eli Roth", "eli@example.com", assessment.Peer)
	e.MustAddRater(t, ana.ID, "Fay Wong", "fay@example.com", assessment.Peer)
	if _, err := e.Service.OpenCycle(ctx, e.Org.ID, c.ID, "", nil); err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{}
	for to, msgs := range assessmenttest.ByRecipient(e.mail.SMTP.WaitFor(5, 30*time.Second)) {
		tokens[to] = e.mail.SurveyTokens(msgs[0])[0]
	}
	if _, err := e.Service.SaveSurvey(ctx, tokens["dee@example.com"], assessment.SurveyInput{Answers: e.FullAnswers(4), Submit: true}); err != nil {
		t.Fatalf("submit Dee's survey: %v", err)
	}
	e.leader = e.user(t, "ana@example.com", assessment.RoleLeader, ana.PersonID)
	released, anaReleased := releasedCycle(t, e, 5)
	// Its reports in one zip: a batch rendered, and one still queued.
	readyBatch := api.RenderedBatch(t, e.Service, e.Org.ID, released.ID)
	queuedBatch, err := e.Service.QueueReportBatch(ctx, e.Org.ID, released.ID)
	if err != nil {
		t.Fatal(err)
	}
	// A draft that Ana nominates her own raters for, with one nomination
	// waiting for the admin.
	nominating := nominatingCycle(t, e, ana.PersonID)
	// Nine leaders in two departments of four and one of one, for the
	// organisation view's groups and a filter too small to show.
	departments := []string{"Platform", "Platform", "Platform", "Platform", "Data", "Data", "Data", "Data", "Tiny"}
	cohort := e.ReleasedCohort(t, assessmenttest.Cohort{Leaders: len(departments), Place: func(i int) assessment.Placement {
		return assessment.Placement{Department: departments[i], ManagerEmail: fmt.Sprintf("head%d@example.com", i%2)}
	}})
	// A draft of 51 leaders: the progress page's second page of leaders,
	// with a leader of the first page selected.
	large := e.MustCreateCycle(t, "Leads of the year")
	var firstLead assessment.Participant
	for i := range assessment.ProgressPageSize + 1 {
		p, _ := e.MustAddLeader(t, large.ID, fmt.Sprintf("Lead %02d", i+1), fmt.Sprintf("lead%02d@example.com", i+1))
		if i == 0 {
			firstLead = p
		}
	}
	// A cycle that assesses the admin: their own progress row is hidden.
	board := e.MustCreateCycle(t, "Board feedback")
	self, _ := e.MustAddLeader(t, board.ID, "Admin Person", e.admin.Email)
	e.MustAddRater(t, self.ID, "Gus Lee", "gus@example.com", assessment.DirectReport)
	// A cycle opened three days ago with no answers yet: the admin's home
	// shows its pace and the leader behind it.
	paced := e.MustCreateCycle(t, "Spring pulse")
	ines, _ := e.MustAddLeader(t, paced.ID, "Ines Paz", "ines@example.com")
	for i := range 3 {
		e.MustAddRater(t, ines.ID, fmt.Sprintf("Pace Peer %d", i+1), fmt.Sprintf("pace%d@example.com", i+1), assessment.Peer)
	}
	threeDaysAgo := e.Service.WithClock(func() time.Time { return e.Clock.Now().Add(-72 * time.Hour) })
	if _, err := threeDaysAgo.OpenCycle(ctx, e.Org.ID, paced.ID, "", nil); err != nil {
		t.Fatalf("open the paced cycle: %v", err)
	}
	// A live reset link for the reset page, from the email the queue sends.
	if err := e.accounts.RequestPasswordReset(ctx, e.admin.Email); err != nil {
		t.Fatalf("ask for a reset link: %v", err)
	}
	var link string
	assessmenttest.WaitFor(t, "the reset email", func() bool {
		for _, m := range assessmenttest.ByRecipient(e.mail.SMTP.Messages())[e.admin.Email] {
			if u := m.URL(e.url + "/password/reset/"); u != "" {
				link = u
			}
		}
		return link != ""
	})
	reset, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	// An address with an account in a second organisation, and the same
	// password: signing in with it leads to the choice of organisation.
	globex, err := e.Service.CreateOrganization(ctx, "Globex")
	if err != nil {
		t.Fatal(err)
	}
	for _, orgID := range []string{e.Org.ID, globex.ID} {
		u := assessment.User{OrganizationID: orgID, Email: "both@example.com", Roles: []assessment.Role{assessment.RoleAdmin}, PasswordHash: assessmenttest.PasswordHash(dashPassword), CreatedAt: e.Clock.Now()}
		if err := e.Store.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
	}
	signInToChoose := chromedp.Steps(chromedp.SetValue(chromedp.CSS(`#email`), "both@example.com"),
		chromedp.SetValue(chromedp.CSS(`#password`), dashPassword), chromedp.Click(chromedp.CSS(`form.account-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.choices`)))
	accountForm := `form.account-form button[type="submit"]`
	return append([]axePage{
		{name: "home", route: "/", path: "/"},
		{name: "login", route: "/login", path: "/login"},
		{name: "login-errors", route: "/login", path: "/login", then: submitEmpty(accountForm)},
		{name: "login-organization", route: "/login/organization", path: "/login", then: signInToChoose},
		// A choice the page did not offer (only a hand-made request sends
		// one) shows the page again with the problem.
		{name: "login-organization-errors", route: "/login/organization", path: "/login", then: chromedp.Steps(signInToChoose,
			chromedp.Evaluate[chromedp.Void](`document.querySelector('ul.choices button').value = 'not offered'`), submitEmpty(`ul.choices button`))},
		{name: "password-forgot", route: "/password/forgot", path: "/password/forgot"},
		{name: "password-forgot-errors", route: "/password/forgot", path: "/password/forgot", then: submitEmpty(accountForm)},
		{name: "password-reset", route: "/password/reset/:token", path: reset.Path},
		{name: "password-reset-errors", route: "/password/reset/:token", path: reset.Path, then: submitEmpty(accountForm)},
		{name: "password-reset-gone", route: "/password/reset/:token", path: "/password/reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", status: http.StatusGone},
		{name: "dashboard-admin", route: "/dashboard", as: "admin", path: "/dashboard"},
		{name: "dashboard-leader", route: "/dashboard", as: "leader", path: "/dashboard"},
		{name: "survey-self", route: "/s/:token", path: "/s/" + tokens["ana@example.com"]},
		{name: "survey-peer", route: "/s/:token", path: "/s/" + tokens["cy@example.com"]},
		{name: "survey-peer-comments", route: "/s/:token", path: "/s/" + tokens["cy@example.com"] + "?step=6"},
		{name: "survey-peer-saved", route: "/s/:token", path: "/s/" + tokens["cy@example.com"] + "?step=2&saved=1"},
		{name: "survey-peer-review", route: "/s/:token", path: "/s/" + tokens["cy@example.com"] + "?step=7"},
		{name: "survey-peer-errors", route: "/s/:token", path: "/s/" + tokens["cy@example.com"] + "?step=7", then: submitEmpty(`button[value="submit"]`)},
		{name: "survey-peer-step-errors", route: "/s/:token", path: "/s/" + tokens["cy@example.com"] + "?step=3",
			then: chromedp.Steps(chromedp.Evaluate[chromedp.Void](`document.querySelector('input[type=radio]').value = '9'`),
				chromedp.Click(chromedp.CSS(`input[type=radio] + span`)), submitEmpty(`button[value="next"]`))},
		{name: "survey-done", route: "/s/:token/done", path: "/s/" + tokens["dee@example.com"] + "/done"},
		{name: "error-404", path: "/no/such/page", status: http.StatusNotFound},
		// Cycle administration (area A).
		{name: "cycles", route: "/cycles", as: "admin", path: "/cycles"},
		{name: "cycle-new", route: "/cycles/new", as: "admin", path: "/cycles/new"},
		{name: "cycle-new-errors", route: "/cycles/new", as: "admin", path: "/cycles/new",
			then: chromedp.Steps(chromedp.Evaluate[chromedp.Void](`document.getElementById('name').value = ''`), submitEmpty(`form.cycle-form button[type="submit"]`))},
		{name: "cycle-draft", route: "/cycles/:id", as: "admin", path: "/cycles/" + nominating.ID},
		{name: "cycle-open-confirm", route: "/cycles/:id", as: "admin", path: "/cycles/" + nominating.ID,
			then: chromedp.Steps(chromedp.Click(chromedp.CSS(`.actions form[action$="/open"] button`)), chromedp.WaitVisible(chromedp.CSS(`section.confirm`)))},
		{name: "cycle-delete-confirm", route: "/cycles/:id", as: "admin", path: "/cycles/" + nominating.ID,
			then: chromedp.Steps(chromedp.Click(chromedp.CSS(`.actions form[action$="/delete"] button`)), chromedp.WaitVisible(chromedp.CSS(`section.confirm`)))},
		{name: "cycle-open", route: "/cycles/:id", as: "admin", path: "/cycles/" + c.ID},
		{name: "cycle-released", route: "/cycles/:id", as: "admin", path: "/cycles/" + released.ID},
		{name: "cycle-edit", route: "/cycles/:id/edit", as: "admin", path: "/cycles/" + nominating.ID + "/edit"},
		{name: "cycle-copy", route: "/cycles/:id/copy", as: "admin", path: "/cycles/" + released.ID + "/copy"},
		{name: "cycle-copy-errors", route: "/cycles/:id/copy", as: "admin", path: "/cycles/" + released.ID + "/copy",
			then: chromedp.Steps(chromedp.Evaluate[chromedp.Void](`document.getElementById('name').value = ''`), submitEmpty(`form.cycle-form button[type="submit"]`))},
		{name: "import", route: "/cycles/:id/import", as: "admin", path: "/cycles/" + nominating.ID + "/import"},
		{name: "import-problems", route: "/cycles/:id/import", as: "admin", path: "/cycles/" + nominating.ID + "/import",
			then: chromedp.Steps(chromedp.SetValue(chromedp.CSS(`#csv`), "leader_email,rater_email,rater_name,relationship\nana@example.com,not-an-email,Bo,peer\n"),
				submitEmpty(`form[enctype="multipart/form-data"] button[type="submit"]`))},
		// A file that imports, leaving Ana with one peer: the preview warns.
		{name: "import-ready-small-groups", route: "/cycles/:id/import", as: "admin", path: "/cycles/" + nominating.ID + "/import",
			then: chromedp.Steps(chromedp.SetValue(chromedp.CSS(`#csv`), "leader_email,rater_email,rater_name,relationship\nana@example.com,cy.one@example.com,Cy One,peer\n"),
				chromedp.Click(chromedp.CSS(`form[enctype="multipart/form-data"] button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`.small-groups`)))},
		{name: "progress", route: "/cycles/:id/progress", as: "admin", path: "/cycles/" + c.ID + "/progress"},
		{name: "progress-assessed", route: "/cycles/:id/progress", as: "admin", path: "/cycles/" + board.ID + "/progress"},
		{name: "progress-page-2", route: "/cycles/:id/progress", as: "admin", path: "/cycles/" + large.ID + "/progress?page=2&leader=" + firstLead.ID},
		// Invitations and nominations (area C).
		{name: "invitations", route: "/cycles/:id/invitations", as: "admin", path: "/cycles/" + c.ID + "/invitations"},
		{name: "nominations-review", route: "/cycles/:id/nominations", as: "admin", path: "/cycles/" + nominating.ID + "/nominations"},
		{name: "nominations-mine", route: "/me/nominations", as: "leader", path: "/me/nominations"},
		{name: "nominations-mine-cycle", route: "/me/nominations/:cycleID", as: "leader", path: "/me/nominations/" + nominating.ID},
		// Results (area B): after release only.
		{name: "results-unavailable", route: "/cycles/:id/results", as: "admin", path: "/cycles/" + c.ID + "/results", status: http.StatusConflict},
		{name: "results-index", route: "/cycles/:id/results", as: "admin", path: "/cycles/" + released.ID + "/results"},
		{name: "report-batch-queued", route: "/cycles/:id/reports/:bid", as: "admin", path: "/cycles/" + released.ID + "/reports/" + queuedBatch.ID},
		{name: "report-batch-ready", route: "/cycles/:id/reports/:bid", as: "admin", path: "/cycles/" + released.ID + "/reports/" + readyBatch.ID},
		{name: "results-leader", route: "/cycles/:id/results/:pid", as: "admin", path: "/cycles/" + released.ID + "/results/" + anaReleased.ID},
		{name: "org", route: "/org", as: "admin", path: "/org"},
		{name: "org-cycle", route: "/org", as: "admin", path: "/org?cycle=" + released.ID},
		{name: "org-grouped", route: "/org", as: "admin", path: "/org?group=department&cycle=" + cohort.ID},
		{name: "org-too-few", route: "/org", as: "admin", path: "/org?group=manager&department=Tiny&cycle=" + cohort.ID},
		{name: "audit", route: "/audit", as: "admin", path: "/audit"},
		{name: "leader-home", route: "/me", as: "leader", path: "/me"},
		{name: "leader-results", route: "/me/cycles/:id", as: "leader", path: "/me/cycles/" + released.ID},
		{name: "leader-results-open", route: "/me/cycles/:id", as: "leader", path: "/me/cycles/" + c.ID, status: http.StatusConflict},
		{name: "plan", route: "/me/cycles/:id/plan", as: "leader", path: "/me/cycles/" + released.ID + "/plan"},
		{name: "plan-errors", route: "/me/cycles/:id/plan", as: "leader", path: "/me/cycles/" + released.ID + "/plan", then: submitEmpty(`form.plan-form button[type="submit"]`)},
	}, slices.Concat(raterAxePages(t, e, c, nominating, ana.PersonID), roleAxePages(t, e), mailAxePages(nominating))...)
}

// nominatingCycle is a draft in which leaders nominate their raters, with
// Ana as its leader and one nomination of hers.
func nominatingCycle(t testing.TB, e *dashEnv, anaPerson string) assessment.Cycle {
	t.Helper()
	ctx := context.Background()
	now := e.Clock.Now()
	settings := assessment.DefaultCycleSettings(e.Org.ID, "")
	settings.LeadersNominate = true
	c, err := e.Service.CreateCycleWithSettings(ctx, assessment.CycleInput{
		Draft:    assessment.CycleDraft{OrganizationID: e.Org.ID, InstrumentID: e.Instrument.ID, Name: "Winter feedback", OpensAt: now.AddDate(0, 0, 7), ClosesAt: now.AddDate(0, 0, 28)},
		Settings: settings})
	if err != nil {
		t.Fatalf("create a nominating cycle: %v", err)
	}
	if _, err := e.Service.AddCycleLeader(ctx, e.Org.ID, c.ID, assessment.PersonInput{Name: "Ana Lima", Email: "ana@example.com"}, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.Service.ProposeNominations(ctx, e.leader, c.ID, []assessment.NominationInput{{Name: "Bo Jensen", Email: "bo@example.com", Relationship: "peer"}}); err != nil {
		t.Fatalf("nominate: %v", err)
	}
	return c
}

// releasedCycle runs a second cycle of Ana's to its release: a manager,
// three peers and three direct reports answer (others see her coaching
// lower than she does), the admin closes it early and releases it. It
// returns the cycle and Ana's participation. sent is how many emails the
// SMTP server holds before.
func releasedCycle(t testing.TB, e *dashEnv, sent int) (assessment.Cycle, assessment.Participant) {
	t.Helper()
	ctx := context.Background()
	c := e.MustCreateCycle(t, "Autumn feedback")
	ana, _ := e.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
	raters := []assessment.Relationship{assessment.Manager, assessment.Peer, assessment.Peer, assessment.Peer,
		assessment.DirectReport, assessment.DirectReport, assessment.DirectReport}
	for i, rel := range raters {
		e.MustAddRater(t, ana.ID, fmt.Sprintf("Rater %d", i+1), fmt.Sprintf("rater%d@example.com", i+1), rel)
	}
	if _, err := e.Service.OpenCycle(ctx, e.Org.ID, c.ID, "", nil); err != nil {
		t.Fatal(err)
	}
	for _, m := range e.mail.SMTP.WaitFor(sent+len(raters)+1, 30*time.Second)[sent:] {
		self := m.EnvelopeTo[0] == "ana@example.com"
		for _, token := range e.mail.SurveyTokens(m) {
			var answers []assessment.Answer
			for _, sk := range e.Instrument.Skills {
				for _, it := range sk.Items {
					v := 4
					if self {
						v = 5
					} else if sk.Key == "coaching" {
						v = 2
					}
					if it.Reverse {
						v = 6 - v
					}
					answers = append(answers, assessment.Answer{ItemKey: it.Key, Value: v})
				}
			}
			comments := []assessment.Comment{}
			if len(e.Instrument.Questions) > 0 && !self {
				comments = append(comments, assessment.Comment{QuestionKey: e.Instrument.Questions[0].Key, Body: "More questions, fewer answers in one-to-ones."})
			}
			if _, err := e.Service.SaveSurvey(ctx, token, assessment.SurveyInput{Answers: answers, Comments: comments, Submit: true}); err != nil {
				t.Fatalf("submit %s's survey: %v", m.EnvelopeTo[0], err)
			}
		}
	}
	if _, err := e.Service.CloseCycleEarly(ctx, e.Org.ID, c.ID, e.admin.ID); err != nil {
		t.Fatal(err)
	}
	c, err := e.Service.ReleaseCycle(ctx, e.Org.ID, c.ID, e.admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c, ana
}

// setupPages are checked on their own installation: the page exists only
// before the first admin.
func setupPages() []axePage {
	return []axePage{
		{name: "setup", route: "/setup", path: "/setup"},
		{name: "setup-errors", route: "/setup", path: "/setup", then: submitEmpty(`form.account-form button[type="submit"]`)},
	}
}

// notPages are GET routes that render no HTML page; downloads (.pdf, .csv,
// .zip) are left out as well.
var notPages = []string{"/healthz", "/readyz", "/static*"}

// notPage reports whether a GET route answers something other than an HTML
// page: notPages, and the JSON API (its reference page, /api/v1/docs, is a
// page).
func notPage(path string) bool {
	return slices.Contains(notPages, path) || (strings.HasPrefix(path, "/api/v1/") && path != "/api/v1/docs")
}

// Every GET route that renders a page has a row in axeWorld or
// setupPages: a new page cannot skip the accessibility check.
func TestEveryPageHasAnAxeRow(t *testing.T) {
	t.Parallel()
	e := newDashEnv(t, assessmenttest.Engine{Name: "sqlite"})
	covered := map[string]bool{}
	for _, p := range append(axeWorld(t, e), setupPages()...) {
		covered[p.route] = true
	}
	for _, r := range e.srv.Routes().Routes() {
		if r.Method != http.MethodGet || notPage(r.Path) || covered[r.Path] ||
			strings.HasSuffix(r.Path, ".pdf") || strings.HasSuffix(r.Path, ".csv") || strings.HasSuffix(r.Path, ".zip") {
			continue
		}
		t.Errorf("GET %s has no row in axeWorld (api/axe_test.go): add the page, seen by whoever may see it", r.Path)
	}
}

// Every page at 360 px and 1280 px: zero axe-core violations of WCAG 2.0
// and 2.1 A and AA, and nothing wider than the screen. A full-page
// screenshot of each lands in artifacts/axe/ to look at.
func TestAxeEveryPage(t *testing.T) {
	t.Parallel()
	axe := axeScript(t)
	assessmenttest.Chromium(t)
	e := newDashEnv(t, assessmenttest.Engine{Name: "sqlite"})
	pages := axeWorld(t, e)
	cookies := map[string]*http.Cookie{"admin": e.signIn(t, e.admin.Email), "leader": e.signIn(t, e.leader.Email),
		"both": e.signIn(t, adminLeaderEmail)}
	if err := os.MkdirAll(filepath.Join("..", "artifacts", "axe"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int{360, 1280} {
		t.Run(fmt.Sprintf("%dpx", width), func(t *testing.T) {
			t.Parallel()
			// A fresh installation per width: submitting the setup form
			// empty creates nothing, but the page must exist.
			fresh := newEmptyInstallation(t)
			// Each page gets its own deadline in visitAndCheck: under -race
			// on a busy machine the pages together take minutes.
			ctx := assessmenttest.NewBrowser(t, width, 900)
			for _, p := range setupPages() {
				visitAndCheck(t, ctx, axe, fresh, p, nil, width)
			}
			for _, p := range pages {
				visitAndCheck(t, ctx, axe, e.url, p, cookies[p.as], width)
			}
		})
	}
}

// visitAndCheck opens the page as its viewer, does what the row says,
// then checks it with axe-core, checks its width and keeps a screenshot.
func visitAndCheck(t *testing.T, browser context.Context, axe, base string, p axePage, cookie *http.Cookie, width int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(browser, 60*time.Second)
	defer cancel()
	name := fmt.Sprintf("%s-%dpx", p.name, width)
	if err := setCookie(ctx, base, cookie); err != nil {
		t.Fatalf("%s: cookie: %v", name, err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(base+p.path))
	if err != nil {
		t.Fatalf("%s: open %s: %v", name, p.path, err)
	}
	want := p.status
	if want == 0 {
		want = http.StatusOK
	}
	if int(resp.Status) != want {
		t.Fatalf("%s: GET %s answered %d, want %d", name, p.path, resp.Status, want)
	}
	if p.then != nil {
		if err := chromedp.Do(ctx, p.then); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	checkAxe(t, ctx, axe, name)
	// WCAG 1.4.10 (reflow): at 320 CSS px nothing but a wide table's own
	// scroll box may scroll sideways. The check names the widest culprit.
	if wide, err := chromedp.Run(ctx, chromedp.Evaluate[string](widest)); err != nil || wide != "" {
		t.Errorf("%s: the page scrolls sideways: %s (%v)", name, wide, err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatalf("%s: screenshot: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join("..", "artifacts", "axe", name+".jpg"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
}

// widest is "" when the page fits the window, else the outermost element
// that sticks out, with its width.
const widest = `(() => {
	if (document.documentElement.scrollWidth <= window.innerWidth) return '';
	// A scroll box clips its content, but an absolutely positioned element
	// only from its containing block (offsetParent) outwards.
	const clipped = el => {
		const abs = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
		let reached = !abs;
		for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
			if (a === el.offsetParent) reached = true;
			if (reached && ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) return true;
		}
		return false;
	};
	const found = [];
	for (const el of document.body.querySelectorAll('*')) {
		const r = el.getBoundingClientRect();
		if (r.right <= window.innerWidth + 1 || clipped(el) || found.some(f => f.el.contains(el))) continue;
		const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '';
		found.push({el, text: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls + ' is ' + Math.round(r.width) + ' px wide'});
	}
	return found.slice(0, 3).map(f => f.text).join('; ') + (found.length > 3 ? ' (and ' + (found.length - 3) + ' more)' : '') ||
		'something is wider than ' + window.innerWidth + ' px';
})()`

// setCookie makes the browser hold exactly this session cookie for base
// (none when c is nil), so one browser can look as several people.
func setCookie(ctx context.Context, base string, c *http.Cookie) error {
	return chromedp.Do(ctx, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := cdp.Call(ctx, t, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
			return chromedp.Void{}, err
		}
		if c == nil {
			return chromedp.Void{}, nil
		}
		_, err := cdp.Call(ctx, t, network.SetCookie, network.SetCookieParams{Name: c.Name, Value: c.Value, URL: base, HTTPOnly: new(true)})
		return chromedp.Void{}, err
	})
}

// newEmptyInstallation serves a server over a database with no admin yet,
// and returns its URL.
func newEmptyInstallation(t *testing.T) string {
	t.Helper()
	var handler http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	fx := assessmenttest.NewFixture(t, assessmenttest.Engine{Name: "sqlite"})
	srv, err := api.NewServer(api.Deps{Service: fx.Service, Accounts: assessment.NewAccounts(fx.Service, ts.URL, &assessmenttest.AccountMails{}),
		BaseURL: ts.URL, Ping: func(context.Context) error { return nil }, Threshold: assessment.MinAnonymityThreshold,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	handler = srv.Routes()
	return ts.URL
}
