package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/assessmenttest/ci"
)

// The whole story in a real browser against the real program, wired by
// newApp as `lead360 serve` wires it (River outbox, SMTP to an in-process
// server): a new installation's admin sets lead360 up, creates a cycle,
// imports its people from a CSV with one bad row, fixes the row, opens the
// cycle; raters answer from their emailed links (one in the browser, the
// others over plain HTTP), after the admin reminded the raters of the
// leader short of answers from the home page; the admin closes the cycle
// early, releases it and looks at the organisation view by department; the
// leader sets a password from the emailed invitation, reads the
// results page and downloads the PDF, whose text is read back. A
// screenshot of every page lands in artifacts/story/<engine>/.
func TestStoryInTheBrowser(t *testing.T) {
	t.Parallel()
	assessmenttest.Chromium(t)
	if _, err := exec.LookPath("pdftotext"); err != nil {
		ci.Missing(t, "pdftotext is not installed: the story cannot read the PDF back (apt-get install -y poppler-utils)")
	}
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			s := startStory(t, e)
			s.run()
		})
	}
}

// The people of the story: Ana leads; the others rate her.
var (
	storyLeader = storyPerson{"Ana Lima", "ana.lima@example.com", assessment.Self}
	storyRaters = []storyPerson{
		{"Marta Diaz", "marta.diaz@example.com", assessment.Manager},
		{"Cy Park", "cy.park@example.com", assessment.Peer},
		{"Ravi Nair", "ravi.nair@example.com", assessment.Peer},
		{"Lena Vogel", "lena.vogel@example.com", assessment.Peer},
		{"Tom Berg", "tom.berg@example.com", assessment.DirectReport},
		{"Yuki Sato", "yuki.sato@example.com", assessment.DirectReport},
		{"Sam Okoro", "sam.okoro@example.com", assessment.DirectReport},
	}
)

type storyPerson struct {
	name, email string
	rel         assessment.Relationship
}

// story is one run: the served app, its mail, and one browser.
type story struct {
	t       *testing.T
	base    string
	smtp    *assessmenttest.SMTPServer
	ctx     context.Context // the browser, with the story's time limit
	shots   string
	shotN   int
	in      assessment.Instrument
	started time.Time
}

func startStory(t *testing.T, e assessmenttest.Engine) *story {
	t.Helper()
	started := time.Now()
	vars := engineEnv(t, e)
	smtp := assessmenttest.StartSMTP(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	vars["LEAD360_SMTP_URL"] = smtp.URL()
	vars["LEAD360_SMTP_FROM"] = "People team <hr@example.com>"
	vars["LEAD360_BASE_URL"] = base
	vars["LEAD360_SECRET_KEY"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	vars["LEAD360_LOG_LEVEL"] = "warn"
	serveInProcess(t, vars, ln, storyLog{t})
	// HR creates the cycle with the form's default: the short form.
	in, err := assessment.BuiltinShortForm()
	if err != nil {
		t.Fatal(err)
	}
	shots := filepath.Join("..", "..", "artifacts", "story", string(e.Name))
	if err := os.RemoveAll(shots); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	// A bound against a hung browser, not a timing claim: the story runs the
	// admin's whole week and took 40-70 s on a loaded 2-core machine.
	bctx, bcancel := context.WithTimeout(assessmenttest.NewBrowser(t, 1280, 900), 3*time.Minute)
	t.Cleanup(bcancel)
	return &story{t: t, base: base, smtp: smtp, ctx: bctx, shots: shots, in: in, started: started}
}

// storyLog shows the server's warnings with the test's output.
type storyLog struct{ t *testing.T }

func (l storyLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (s *story) run() {
	t := s.t
	// A new user opens lead360; a new installation points straight to set-up.
	s.open("/", "See how your leadership lands")
	s.shot("home")
	s.click(`a[href="/setup"]`, "Set up lead360")
	s.shot("setup")
	s.fill(map[string]string{"#organization": "Acme Robotics", "#name": "Zoë Martin", "#email": "zoe@acme.example", "#password": "plum tree river lantern"})
	s.click(`form.account-form button[type="submit"]`, "")
	s.shot("dashboard-admin")

	cycleURL := s.createCycle()
	s.importPeople(cycleURL)
	s.openCycle(cycleURL)
	tokens, invite := s.collectEmails()
	s.remindFromHome()
	s.answerInBrowser(tokens[storyRaters[1].email], storyRaters[1].rel)
	for _, p := range append([]storyPerson{storyLeader}, storyRaters...) {
		if p.email == storyRaters[1].email {
			continue
		}
		s.answerOverHTTP(tokens[p.email], p.rel)
	}
	s.closeAndRelease(cycleURL)
	s.leaderReadsResults(invite, cycleURL)
	t.Logf("story took %v", time.Since(s.started).Round(100*time.Millisecond))
}

// createCycle fills the new-cycle form (its dates default to now and three
// weeks on) and returns the cycle's page path.
func (s *story) createCycle() string {
	s.click(`main a[href="/cycles"]`, "Cycles")
	s.shot("cycles")
	s.click(`main a[href="/cycles/new"]`, "Create a cycle")
	s.shot("cycle-new")
	s.fill(map[string]string{"#name": "Spring 2026 feedback"})
	s.click(`form.cycle-form button[type="submit"]`, "Spring 2026 feedback")
	s.shot("cycle-created")
	path, _, _ := strings.Cut(s.path(), "?")
	if !regexp.MustCompile(`^/cycles/[^/]+$`).MatchString(path) {
		s.t.Fatalf("after creating the cycle the browser is at %s, want /cycles/:id", path)
	}
	return path
}

// storyCSV is the import: Ana's raters, with one bad email when bad.
func storyCSV(bad bool) string {
	var b strings.Builder
	b.WriteString("leader_email,leader_name,rater_email,rater_name,relationship,leader_department\n")
	for i, r := range storyRaters {
		email := r.email
		if bad && i == 2 {
			email = "ravi.nair(at)example.com"
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,Platform\n", storyLeader.email, storyLeader.name, email, r.name, strings.ReplaceAll(string(r.rel), "_", " "))
	}
	return b.String()
}

// importPeople uploads the CSV with one bad row, reads the problem, fixes
// the row where the page shows the file's text, checks again and imports.
func (s *story) importPeople(cycleURL string) {
	s.click(`.actions a[href="`+cycleURL+`/import"]`, "Import raters")
	s.shot("import")
	s.upload(`#file`, "people.csv", storyCSV(true))
	if status := s.submit(`form[enctype="multipart/form-data"] button[type="submit"]`); status != http.StatusOK && status != http.StatusUnprocessableEntity {
		s.t.Fatalf("check the CSV: %d", status)
	}
	s.shot("import-problem")
	s.mustSee("ravi.nair(at)example.com")
	s.mustSee("1 of 7 rows have problems")
	s.fill(map[string]string{"#csv": storyCSV(false)})
	s.click(`form[enctype="multipart/form-data"] button[type="submit"]`, "Import raters")
	s.shot("import-preview")
	s.mustSee("All 7 rows can be imported")
	s.click(`form[action="`+cycleURL+`/import/confirm"] button`, "Spring 2026 feedback")
	s.shot("cycle-draft")
	for _, r := range storyRaters {
		s.mustSee(r.name)
	}
}

// openCycle presses "Open" and confirms; the progress page follows.
func (s *story) openCycle(cycleURL string) {
	s.click(`.actions form[action="`+cycleURL+`/open"] button`, "Spring 2026 feedback")
	s.shot("cycle-open-confirm")
	s.click(`section.confirm form[action="`+cycleURL+`/open"] button`, "Progress of Spring 2026 feedback")
	s.shot("progress")
}

// collectEmails waits for every rater's survey email and the leader's
// invitation, and returns the survey tokens by address and the
// invitation's link.
func (s *story) collectEmails() (map[string]string, string) {
	s.t.Helper()
	people := len(storyRaters) + 1
	// Every rater gets a survey email; the leader also gets the invitation.
	msgs := s.smtp.WaitFor(people+1, 30*time.Second)
	tokens := map[string]string{}
	invite := ""
	for _, m := range msgs {
		if link := m.URL(s.base + "/s/"); link != "" {
			tokens[m.EnvelopeTo[0]] = strings.TrimPrefix(link, s.base+"/s/")
			continue
		}
		for _, u := range m.URLs() {
			if strings.HasPrefix(u, s.base+"/password/") && !strings.HasSuffix(u, "/forgot") && m.EnvelopeTo[0] == storyLeader.email {
				invite = u
			}
		}
	}
	if len(tokens) != people || invite == "" {
		var subjects []string
		for _, m := range msgs {
			subjects = append(subjects, m.EnvelopeTo[0]+": "+m.Subject)
		}
		s.t.Fatalf("%d survey links and invitation %q in:\n%s", len(tokens), invite, strings.Join(subjects, "\n"))
	}
	return tokens, invite
}

// answerValue is what a rater means: others see Ana's coaching at 2 and
// the rest at 4; Ana rates herself 5 everywhere. So coaching is her blind
// spot and the report's focus skill. Reverse-worded items are answered
// reversed, so the scored value is the meant one.
func (s *story) answerValue(rel assessment.Relationship, item assessment.Item, skill assessment.Skill) int {
	v := 4
	switch {
	case rel == assessment.Self:
		v = 5
	case skill.Key == "coaching":
		v = 2
	}
	if item.Reverse {
		v = 6 - v
	}
	return v
}

// answerInBrowser answers every step by clicking, then submits from the
// review step.
func (s *story) answerInBrowser(token string, rel assessment.Relationship) {
	s.open("/s/"+token, "")
	s.shot("survey-peer")
	for i, sk := range s.in.Skills {
		var taps []chromedp.Action[chromedp.Void]
		for _, it := range sk.Items {
			taps = append(taps, chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="a.%s"][value="%d"] + span`, it.Key, s.answerValue(rel, it, sk)))))
		}
		if err := chromedp.Do(s.ctx, taps...); err != nil {
			s.t.Fatalf("answer the survey's step %d: %v", i+1, err)
		}
		if i == 0 {
			s.shot("survey-peer-answered")
		}
		s.click(`button[value="next"]`, "")
	}
	if err := chromedp.Do(s.ctx, chromedp.SetValue(chromedp.CSS(`textarea`), "Ana explains the why behind decisions; I would like more questions and fewer answers in one-to-ones.")); err != nil {
		s.t.Fatalf("answer the open question: %v", err)
	}
	s.click(`button[value="next"]`, "")
	s.shot("survey-review")
	s.click(`button[value="submit"]`, "Thank you")
	s.shot("survey-done")
}

// answerOverHTTP submits a full survey as a plain form post, as a mail
// client's browser without the page's script would.
func (s *story) answerOverHTTP(token string, rel assessment.Relationship) {
	s.t.Helper()
	form := url.Values{"version": {"0"}, "action": {"submit"}}
	for _, sk := range s.in.Skills {
		for _, it := range sk.Items {
			form.Set("a."+it.Key, fmt.Sprint(s.answerValue(rel, it, sk)))
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 10 * time.Second}
	resp, err := client.PostForm(s.base+"/s/"+token, form)
	if err != nil {
		s.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "/done") {
		s.t.Fatalf("submit a %s survey: %d %s\n%s", rel, resp.StatusCode, resp.Header.Get("Location"), body)
	}
}

// closeAndRelease closes the cycle before its date and releases the
// results from the results page.
func (s *story) closeAndRelease(cycleURL string) {
	s.open(cycleURL+"/progress", "Progress")
	s.shot("progress-all-answered")
	s.mustSee("100%")
	s.open(cycleURL, "Spring 2026 feedback")
	s.click(`.actions form[action="`+cycleURL+`/close"] button`, "Spring 2026 feedback")
	s.shot("cycle-close-confirm")
	s.click(`section.confirm form[action="`+cycleURL+`/close"] button`, "Spring 2026 feedback")
	s.shot("cycle-closed")
	// The cycle page of a closed cycle has no way to the release yet: the
	// admin goes to the results address, which offers it.
	s.openStatus(cycleURL+"/results", http.StatusConflict, "Results not available yet")
	s.shot("results-release")
	if err := chromedp.Do(s.ctx, chromedp.Click(chromedp.CSS(`#confirm`))); err != nil {
		s.t.Fatal(err)
	}
	s.click(`form[action="`+cycleURL+`/release"] button[type="submit"]`, "")
	s.shot("results-admin")
	s.mustSee(storyLeader.name)
	// One leader in Platform: too few to show as a department of its own.
	s.open("/org?group=department", "Organisation view")
	s.shot("org-by-department")
	s.mustSee("No department has at least 3 leaders, so none is shown on its own.")
	s.click(`form[action="/logout"] button`, "")
}

// remindFromHome: nobody has answered yet, so the home page lists the
// leader as short of answers; one click reminds her raters.
func (s *story) remindFromHome() {
	s.open("/dashboard", "What needs attention")
	s.mustSee("1 leader has a group still short of 3 answers")
	s.click(`ul.at-risk form button[type="submit"]`, "What needs attention")
	s.shot("home-reminded")
	s.mustSee("Reminders are on their way to " + fmt.Sprint(len(storyRaters)+1) + " people")
}

// leaderReadsResults follows the invitation, sets a password, opens the
// results and downloads the PDF.
func (s *story) leaderReadsResults(invite, cycleURL string) {
	s.open(strings.TrimPrefix(invite, s.base), "")
	s.shot("leader-set-password")
	s.fill(map[string]string{"#password": "lantern river plum tree"})
	s.click(`form.account-form button[type="submit"]`, "")
	s.shot("leader-after-password")
	if p := s.path(); p == "/login" || strings.HasPrefix(p, "/login?") {
		s.fill(map[string]string{"#email": storyLeader.email, "#password": "lantern river plum tree"})
		s.click(`form.account-form button[type="submit"]`, "")
	}
	s.open("/me", "")
	s.shot("leader-home")
	s.click(`a[href="/me`+cycleURL+`"]`, "")
	s.shot("leader-results")
	s.mustSee("Coaching")
	pdf := s.download(`a[href$="/report.pdf"]`)
	if err := os.WriteFile(filepath.Join(s.shots, "report.pdf"), pdf, 0o644); err != nil {
		s.t.Fatal(err)
	}
	text := pdfText(s.t, pdf)
	for _, want := range []string{storyLeader.name, "Coaching"} {
		if !strings.Contains(text, want) {
			s.t.Errorf("the PDF does not say %q", want)
		}
	}
	focus := regexp.MustCompile(`(?i)focus[^\n]*\n?[^\n]*coaching`)
	if !focus.MatchString(text) {
		s.t.Errorf("the PDF does not name coaching as the focus skill:\n%s", text)
	}
}

// Browser helpers. Each waits for the page it leads to, and fails the test
// with where the browser is.

// open loads a path and checks it answered 200 with an <h1> containing
// want ("" for any).
func (s *story) open(path, want string) { s.t.Helper(); s.openStatus(path, http.StatusOK, want) }

func (s *story) openStatus(path string, status int, want string) {
	s.t.Helper()
	resp, err := chromedp.RunResponse(s.ctx, chromedp.Navigate(s.base+path))
	if err != nil {
		s.t.Fatalf("open %s: %v", path, err)
	}
	if int(resp.Status) != status {
		s.shot("failed")
		s.t.Fatalf("GET %s: %d, want %d", path, resp.Status, status)
	}
	s.wantH1(want)
}

// click clicks an element that leads to a new page, waits for it and
// checks it answered 200 with an <h1> containing want ("" for any).
func (s *story) click(sel, want string) {
	s.t.Helper()
	if status := s.submit(sel); status != http.StatusOK {
		s.shot("failed")
		s.t.Fatalf("click %s: the page at %s answered %d", sel, s.path(), status)
	}
	s.wantH1(want)
}

// submit clicks an element that leads to a new page (a link, a form's
// button), waits for the page and returns its status.
func (s *story) submit(sel string) int {
	s.t.Helper()
	// A click on nothing would wait for the element until the deadline.
	if !s.has(sel) {
		s.shot("failed")
		s.t.Fatalf("%s has no %s", s.path(), sel)
	}
	resp, err := chromedp.RunResponse(s.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		s.shot("failed")
		s.t.Fatalf("click %s at %s: %v", sel, s.path(), err)
	}
	return int(resp.Status)
}

func (s *story) wantH1(want string) {
	s.t.Helper()
	h1, err := chromedp.Run(s.ctx, chromedp.Evaluate[string](`(document.querySelector('h1') || {}).textContent || ''`))
	if err != nil || !strings.Contains(h1, want) {
		s.shot("failed")
		s.t.Fatalf("at %s the heading is %q, want %q (%v)", s.path(), h1, want, err)
	}
}

// has reports whether the page has an element matching sel.
func (s *story) has(sel string) bool {
	s.t.Helper()
	found, err := chromedp.Run(s.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q) !== null`, sel)))
	if err != nil {
		s.t.Fatalf("look for %s at %s: %v", sel, s.path(), err)
	}
	return found
}

// fill types into fields by CSS selector.
func (s *story) fill(fields map[string]string) {
	s.t.Helper()
	for sel, v := range fields {
		if err := chromedp.Do(s.ctx, chromedp.SetValue(chromedp.CSS(sel), v)); err != nil {
			s.t.Fatalf("fill %s at %s: %v", sel, s.path(), err)
		}
	}
}

// upload puts a file with the content into a file input.
func (s *story) upload(sel, name, content string) {
	s.t.Helper()
	p := filepath.Join(s.t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		s.t.Fatal(err)
	}
	if err := chromedp.Do(s.ctx, chromedp.SetUploadFiles(chromedp.CSS(sel), []string{p})); err != nil {
		s.t.Fatalf("upload %s at %s: %v", name, s.path(), err)
	}
}

// mustSee fails unless the page's text contains text.
func (s *story) mustSee(text string) {
	s.t.Helper()
	body, err := chromedp.Run(s.ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil || !strings.Contains(body, text) {
		s.t.Fatalf("%s does not show %q (%v)", s.path(), text, err)
	}
}

// path is where the browser is (path and query).
func (s *story) path() string {
	loc, err := chromedp.Run(s.ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	return loc
}

// shot keeps a full-page screenshot, numbered in story order.
func (s *story) shot(name string) {
	s.t.Helper()
	s.shotN++
	img, err := chromedp.Run(s.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		s.t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(s.shots, fmt.Sprintf("%02d-%s.png", s.shotN, name)), img, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// download clicks a link whose target the browser saves as a file, and
// returns the file's bytes.
func (s *story) download(sel string) []byte {
	s.t.Helper()
	dir := s.t.TempDir()
	err := chromedp.Do(s.ctx, func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		b := chromedp.FromContext(ctx).Browser
		_, err := cdp.Call(ctx, b, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true)})
		return chromedp.Void{}, err
	})
	if err != nil {
		s.t.Fatalf("allow downloads: %v", err)
	}
	done := chromedp.BrowserEvents(s.ctx, browser.DownloadProgress)
	if err := chromedp.Do(s.ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		s.t.Fatalf("click %s: %v", sel, err)
	}
	for ev, err := range done {
		if err != nil {
			s.t.Fatalf("download: %v", err)
		}
		switch ev.State {
		case browser.DownloadProgressStateCompleted:
			b, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				s.t.Fatal(err)
			}
			return b
		case browser.DownloadProgressStateCanceled:
			s.t.Fatal("the browser cancelled the download")
		}
	}
	s.t.Fatal("no download")
	return nil
}

// pdfText is the PDF's text as poppler reads it.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("the download is not a PDF: %.60q", pdf)
	}
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = strings.NewReader(string(pdf))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
