package api_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lead360/lead360/api"
	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// surveyEnv is the real server (Echo over HTTP on 127.0.0.1) with a real
// database, job queue and SMTP server.
type surveyEnv struct {
	*assessmenttest.Mailer
	url    string // the test server's URL, which plays the base URL
	client *http.Client
}

// manyDeadLinks is a dead-link allowance no test reaches.
const manyDeadLinks = 1 << 20

// newSurveyEnv serves the survey allowing deadLinks links that open
// nothing per client address, with no refill within a test.
func newSurveyEnv(t testing.TB, eng assessmenttest.Engine, deadLinks int) *surveyEnv {
	t.Helper()
	// The links point at the test server: start it first, then the queue.
	var handler http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	m := assessmenttest.NewMailer(t, eng, ts.URL)
	srv, err := api.NewServer(api.Deps{Service: m.Service, BaseURL: ts.URL, Ping: func(context.Context) error { return nil },
		Threshold: 3, DeadLinkEvery: time.Hour, DeadLinkBurst: deadLinks,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	handler = srv.Routes()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 30 * time.Second}
	return &surveyEnv{Mailer: m, url: ts.URL, client: client}
}

// openSmallCycle opens a cycle (Ana leads; Cy is her peer, Dee her manager)
// and returns the emailed tokens by recipient.
func (e *surveyEnv) openSmallCycle(t testing.TB) (assessment.Cycle, map[string][]string) {
	t.Helper()
	return e.openSmallCycleOn(t, e.Instrument)
}

// openSmallCycleOn is openSmallCycle on the instrument (form) in.
func (e *surveyEnv) openSmallCycleOn(t testing.TB, in assessment.Instrument) (assessment.Cycle, map[string][]string) {
	t.Helper()
	c, err := e.Service.CreateCycle(context.Background(), assessment.CycleDraft{OrganizationID: e.Org.ID, InstrumentID: in.ID,
		Name: "Spring feedback", OpensAt: e.Clock.Now(), ClosesAt: e.Clock.Now().AddDate(0, 0, 21)})
	if err != nil {
		t.Fatal(err)
	}
	ana, _ := e.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
	e.MustAddRater(t, ana.ID, "Cy Park", "cy@example.com", assessment.Peer)
	e.MustAddRater(t, ana.ID, "Dee O'Hara", "dee@example.com", assessment.Manager)
	if _, err := e.Service.OpenCycle(context.Background(), e.Org.ID, c.ID, "", nil); err != nil {
		t.Fatal(err)
	}
	tokens := map[string][]string{}
	for to, msgs := range assessmenttest.ByRecipient(e.SMTP.WaitFor(3, 30*time.Second)) {
		tokens[to] = e.SurveyTokens(msgs[0])
	}
	return c, tokens
}

func (e *surveyEnv) do(t testing.TB, method, path string, form url.Values, accept string) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// fullForm answers every item with value and the overall question with text.
func (e *surveyEnv) fullForm(version int, action, value, overall string) url.Values {
	v := url.Values{"version": {fmt.Sprint(version)}, "action": {action}}
	for _, s := range e.Instrument.Skills {
		for _, it := range s.Items {
			v.Set("a."+it.Key, value)
		}
	}
	if overall != "" {
		v.Set("c.overall", overall)
	}
	return v
}

// A rater follows the emailed link without JavaScript: step 1 of 7, Next
// through every skill, Back, "Save and finish later", coming back to the
// step where they stopped, a Submit with a missing answer that links to it,
// and the submission.
func TestSurveyFromEmailedLinkToSubmission(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newSurveyEnv(t, eng, manyDeadLinks)
			_, tokens := e.openSmallCycle(t)
			token := tokens["cy@example.com"][0]
			link := "/s/" + token
			resp, body := e.do(t, http.MethodGet, link, nil, "")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET link: %d\n%s", resp.StatusCode, body)
			}
			// The intro says what happens to a group too small to show.
			for _, want := range []string{"Feedback for Ana Lima", "as their peer", "Not observed", "<fieldset", "<legend>", `src="/static/survey.js"`,
				"Step 1 of 7", "<h2 id=\"step-title\" tabindex=\"-1\">Delegation</h2>", "About 10 minutes, in 7 short steps, saved as you go.",
				"A smaller group is combined with Ana Lima&rsquo;s other colleagues as &ldquo;other colleagues&rdquo; when that makes a group of at least 3; otherwise its answers are left out of every figure.",
				"The manager&rsquo;s answers are shown as the manager&rsquo;s."} {
				if !strings.Contains(body, want) {
					t.Errorf("survey page lacks %q", want)
				}
			}
			if n := strings.Count(body, "<fieldset"); n != len(e.Instrument.Skills[0].Items) {
				t.Errorf("step 1 asks %d behaviours, want the %d of Delegation", n, len(e.Instrument.Skills[0].Items))
			}
			for h, want := range map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"} {
				if got := resp.Header.Get(h); got != want {
					t.Errorf("%s = %q, want %q", h, got, want)
				}
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP %q", csp)
			}

			// Step by step: Next saves each step and moves on.
			version := 0
			post := func(step int, action string, form url.Values, wantLocation string) {
				t.Helper()
				form.Set("version", fmt.Sprint(version))
				form.Set("step", fmt.Sprint(step))
				form.Set("action", action)
				resp, body := e.do(t, http.MethodPost, link, form, "")
				if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != wantLocation {
					t.Fatalf("step %d %s: %d to %q, want %q\n%.2000s", step, action, resp.StatusCode, resp.Header.Get("Location"), wantLocation, body)
				}
				version++
			}
			stepForm := func(skill int, value string) url.Values {
				f := url.Values{}
				for _, it := range e.Instrument.Skills[skill].Items {
					f.Set("a."+it.Key, value)
				}
				return f
			}
			post(1, "next", stepForm(0, "4"), link+"?step=2")
			post(2, "next", stepForm(1, "n"), link+"?step=3")
			// Back from step 3 keeps what step 3 had (one answer), then
			// "Save and finish later" on step 2.
			f := url.Values{}
			f.Set("a."+e.Instrument.Skills[2].Items[0].Key, "2")
			post(3, "back", f, link+"?step=2")
			post(2, "save", stepForm(1, "n"), link+"?step=2&saved=1")
			_, body = e.do(t, http.MethodGet, link+"?step=2&saved=1", nil, "")
			if !strings.Contains(body, `id="notice" tabindex="-1" autofocus`) || !strings.Contains(body, "the survey opens where you stopped") {
				t.Error("the saved notice is not first on the page with the focus")
			}
			// Coming back from the email opens step 3, where they stopped,
			// with its one answer.
			_, body = e.do(t, http.MethodGet, link, nil, "")
			if !strings.Contains(body, "Step 3 of 7") || strings.Count(body, `value="2" checked`) != 1 {
				t.Fatalf("coming back does not open step 3 with its answer")
			}
			post(3, "next", stepForm(2, "3"), link+"?step=4")
			post(4, "next", stepForm(3, "5"), link+"?step=5")
			// Step 5 leaves its last behaviour unanswered, with a comment.
			f = stepForm(4, "1")
			last := e.Instrument.Skills[4].Items[len(e.Instrument.Skills[4].Items)-1]
			f.Del("a." + last.Key)
			f.Set("c.emotional_intelligence.keep_and_change", "Más café, por favor ☕")
			post(5, "next", f, link+"?step=6")
			post(6, "next", url.Values{"c.overall": {"Keep it up"}}, link+"?step=7")

			// The review lists the missing behaviour as a link to it.
			_, body = e.do(t, http.MethodGet, link+"?step=7", nil, "")
			missingLink := fmt.Sprintf(`<a href="/s/%s?step=5#q40">%s</a>`, token, html.EscapeString(last.Others))
			for _, want := range []string{"39 of 40 statements answered", "Still to answer", missingLink, "7 of 8 answered, with a comment", "1 of 1 open question answered"} {
				if !strings.Contains(body, want) {
					t.Errorf("review step lacks %q", want)
				}
			}
			// Submit refuses: the count first, focused, with the link.
			resp, body = e.do(t, http.MethodPost, link, url.Values{"version": {fmt.Sprint(version)}, "step": {"7"}, "action": {"submit"}}, "")
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("incomplete submit: %d", resp.StatusCode)
			}
			summary := body[strings.Index(body, "<main"):]
			if !strings.HasPrefix(strings.TrimSpace(summary[strings.Index(summary, ">")+1:]), `<div class="error-summary" role="alert" id="problems" tabindex="-1" autofocus>`) ||
				!strings.Contains(body, "1 statement still needs an answer before you can submit.") || !strings.Contains(body, missingLink) {
				t.Fatalf("incomplete submit page:\n%s", summary)
			}
			// The link leads to the behaviour; answering it and submitting
			// from the review ends at the thank-you page.
			_, body = e.do(t, http.MethodGet, link+"?step=5", nil, "")
			if !strings.Contains(body, `id="q40"`) {
				t.Fatal("step 5 has no q40")
			}
			f = stepForm(4, "1")
			f.Set("c.emotional_intelligence.keep_and_change", "Más café, por favor ☕")
			post(5, "next", f, link+"?step=6")
			post(7, "submit", url.Values{}, link+"/done")
			_, body = e.do(t, http.MethodGet, link+"/done", nil, "")
			if !strings.Contains(body, "Thank you") {
				t.Fatalf("done page:\n%s", body)
			}
			sv, err := e.Service.Survey(context.Background(), token)
			if err != nil || sv.Response.Status != assessment.ResponseSubmitted || len(sv.Response.Answers) != e.Instrument.ItemCount() || len(sv.Response.Comments) != 2 {
				t.Fatalf("stored response: %+v, %v", sv.Response, err)
			}
			values := map[int]int{}
			for _, a := range sv.Response.Answers {
				values[a.Value]++
			}
			if want := map[int]int{4: 8, assessment.NotObserved: 8, 3: 8, 5: 8, 1: 8}; !maps.Equal(values, want) {
				t.Errorf("stored answers by value %v, want %v", values, want)
			}
			// Coming back after submitting opens the review.
			if _, body = e.do(t, http.MethodGet, link, nil, ""); !strings.Contains(body, "Step 7 of 7") || !strings.Contains(body, ">Done</button>") {
				t.Error("a submitted survey does not open on its review")
			}
			// Self-assessment uses the self wording.
			_, body = e.do(t, http.MethodGet, "/s/"+tokens["ana@example.com"][0], nil, "")
			if !strings.Contains(body, "Your self-assessment") || !strings.Contains(body, e.Instrument.Skills[0].Items[0].Self) {
				t.Fatal("self-assessment page lacks the self wording")
			}
			if strings.Contains(body, e.Instrument.Skills[0].Items[0].Others) {
				t.Fatal("self-assessment page shows the others wording")
			}
		})
	}
}

// stateOf is everything a GET or HEAD could change by mistake.
func (e *surveyEnv) stateOf(t testing.TB) string {
	t.Helper()
	var sb strings.Builder
	for _, q := range []string{
		"SELECT id, COALESCE(CAST(sent_at AS TEXT), ''), COALESCE(CAST(reminded_at AS TEXT), ''), COALESCE(CAST(revoked_at AS TEXT), ''), failure FROM invitations ORDER BY id",
		"SELECT id, status, CAST(version AS TEXT), CAST(updated_at AS TEXT), '' FROM responses ORDER BY id",
		"SELECT CAST(count(*) AS TEXT), '', '', '', '' FROM river_job WHERE kind <> 'close_due_cycles'", // the periodic job comes by itself
	} {
		rows, err := e.DB.DB().Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			var a, b, c, d, f string
			if err := rows.Scan(&a, &b, &c, &d, &f); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&sb, a, b, c, d, f)
		}
		rows.Close()
	}
	return sb.String()
}

// S3: mail scanners open every link; 10 x HEAD and GET change nothing.
func TestScannerPrefetchChangesNothing(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newSurveyEnv(t, eng, manyDeadLinks)
			e.openSmallCycle(t)
			assessmenttest.WaitFor(t, "invitations recorded as sent", func() bool {
				var n int
				return e.DB.DB().QueryRow("SELECT count(*) FROM invitations WHERE sent_at IS NULL").Scan(&n) == nil && n == 0
			})
			before := e.stateOf(t)
			var links []string
			for _, msg := range e.SMTP.Messages() {
				for _, u := range msg.URLs() {
					links = append(links, strings.TrimPrefix(u, e.url))
				}
			}
			if len(links) != 3 {
				t.Fatalf("links %v", links)
			}
			for range 10 {
				for _, l := range links {
					for _, m := range []string{http.MethodHead, http.MethodGet} {
						for _, p := range []string{l, l + "/done"} {
							if resp, _ := e.do(t, m, p, nil, ""); resp.StatusCode != http.StatusOK {
								t.Fatalf("%s %s: %d", m, p, resp.StatusCode)
							}
						}
					}
				}
			}
			if after := e.stateOf(t); after != before {
				t.Fatalf("GET/HEAD changed the database:\nbefore\n%s\nafter\n%s", before, after)
			}
		})
	}
}

// R1: a double-clicked submit (here 50 at once) stores one response and
// everybody gets the same answer.
func TestConcurrentIdenticalSubmitsStoreOneResponse(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newSurveyEnv(t, eng, manyDeadLinks)
			_, tokens := e.openSmallCycle(t)
			link := "/s/" + tokens["dee@example.com"][0]
			form := e.fullForm(0, "submit", "5", "Clear priorities")
			var wg sync.WaitGroup
			results := make(chan string, 50)
			for range 50 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					resp, body := e.do(t, http.MethodPost, link, form, "")
					results <- strings.TrimSpace(fmt.Sprintf("%d %s %s", resp.StatusCode, resp.Header.Get("Location"), body))
				}()
			}
			wg.Wait()
			close(results)
			want := fmt.Sprintf("%d %s/done", http.StatusSeeOther, link)
			for r := range results {
				if r != want {
					t.Fatalf("a submit got %q, want %q", r, want)
				}
			}
			var n int
			if err := e.DB.DB().QueryRow("SELECT count(*) FROM responses").Scan(&n); err != nil || n != 1 {
				t.Fatalf("%d responses, %v", n, err)
			}
		})
	}
}

// R2: two tabs autosaving stale versions get 409 with their input kept,
// never a silent overwrite and never a 5xx; what is stored is always the
// last save that was acknowledged.
func TestStaleSavesFromTwoTabsAreConflictsNotOverwrites(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newSurveyEnv(t, eng, manyDeadLinks)
			_, tokens := e.openSmallCycle(t)
			link := "/s/" + tokens["cy@example.com"][0]
			// The full-page save of a stale tab: 409, the typed text kept.
			if resp, _ := e.do(t, http.MethodPost, link, url.Values{"version": {"0"}, "step": {"1"}, "action": {"next"}, "a.delegation.shares_context": {"3"}}, ""); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("first save: %d", resp.StatusCode)
			}
			resp, body := e.do(t, http.MethodPost, link, url.Values{"version": {"0"}, "step": {"1"}, "action": {"next"}, "a.delegation.shares_context": {"2"}, "c.delegation.keep_and_change": {"typed in tab B"}}, "")
			if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "typed in tab B") || !strings.Contains(body, "another window") ||
				!strings.Contains(body, `name="version" value="1"`) {
				t.Fatalf("stale save: %d\n%s", resp.StatusCode, body)
			}

			// Interleavings of two tabs autosaving (JSON, as the script does).
			rng := rand.New(rand.NewPCG(1, 2))
			version := [2]int{1, 1}
			lastAcked := "3"
			for i := range 1000 { // TRUST.md R2: 1,000 interleavings
				tab := rng.IntN(2)
				value := fmt.Sprint(1 + rng.IntN(5))
				resp, body := e.do(t, http.MethodPost, link+"/autosave",
					url.Values{"version": {fmt.Sprint(version[tab])}, "a.delegation.shares_context": {value}}, "application/json")
				switch resp.StatusCode {
				case http.StatusOK:
					var got int
					if _, err := fmt.Sscanf(body, `{"version":%d`, &got); err != nil {
						t.Fatalf("autosave body %q", body)
					}
					version[tab] = got
					lastAcked = value
				case http.StatusConflict:
					if !strings.Contains(body, `"error"`) {
						t.Fatalf("409 without a message: %s", body)
					}
					if rng.IntN(2) == 0 { // the tab reloads
						sv, err := e.Service.Survey(context.Background(), tokens["cy@example.com"][0])
						if err != nil {
							t.Fatal(err)
						}
						version[tab] = sv.Response.Version
					}
				default:
					t.Fatalf("interleaving %d: %d %s", i, resp.StatusCode, body)
				}
			}
			sv, err := e.Service.Survey(context.Background(), tokens["cy@example.com"][0])
			if err != nil || len(sv.Response.Answers) != 1 || fmt.Sprint(sv.Response.Answers[0].Value) != lastAcked {
				t.Fatalf("stored %+v, want the last acknowledged value %s (%v)", sv.Response.Answers, lastAcked, err)
			}
		})
	}
}

// A rejected form comes back with everything typed and the message next to
// the field; submitting needs every item.
func TestRejectedFormKeepsInputAndExplains(t *testing.T) {
	t.Parallel()
	e := newSurveyEnv(t, assessmenttest.Engine{Name: "sqlite"}, manyDeadLinks)
	_, tokens := e.openSmallCycle(t)
	link := "/s/" + tokens["cy@example.com"][0]
	cases := []struct {
		name string
		form url.Values
		want []string
	}{
		{"submit from step 1 with 39 behaviours unanswered", url.Values{"version": {"0"}, "step": {"1"}, "action": {"submit"}, "a.delegation.shares_context": {"4"}, "c.delegation.keep_and_change": {"keep <b>this</b>"}},
			[]string{"39 statements still need an answer before you can submit.", "Choose an answer, or", "keep &lt;b&gt;this&lt;/b&gt;", `value="4" checked`,
				`<a href="#q1">`, `<a href="/s/` + tokens["cy@example.com"][0] + `?step=2#q9">`}},
		{"value off the scale", url.Values{"version": {"0"}, "step": {"1"}, "a.delegation.shares_context": {"9"}, "c.delegation.keep_and_change": {"still here"}},
			[]string{"1 answer needs your attention.", "Choose a value from 1 to 5", "still here"}},
		{"unknown item", url.Values{"version": {"0"}, "step": {"1"}, "a.bogus": {"3"}, "c.delegation.keep_and_change": {"kept"}}, []string{"kept", "This question is not part of the survey."}},
		{"comment too long", url.Values{"version": {"0"}, "step": {"1"}, "c.delegation.keep_and_change": {strings.Repeat("é", 4001)}}, []string{"Use at most 4000 characters"}},
		{"damaged version", url.Values{"version": {"x"}, "step": {"1"}, "c.delegation.keep_and_change": {"kept too"}}, []string{"reload the page", "kept too"}},
		{"damaged step", url.Values{"version": {"0"}, "step": {"x"}, "c.delegation.keep_and_change": {"kept on step 1"}}, []string{"reload the page", "kept on step 1"}},
	}
	for _, tc := range cases {
		resp, body := e.do(t, http.MethodPost, link, tc.form, "")
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", tc.name, resp.StatusCode)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: page lacks %q", tc.name, w)
			}
		}
	}
	if sv, _ := e.Service.Survey(context.Background(), tokens["cy@example.com"][0]); sv.Response.Version != 0 {
		t.Fatalf("a rejected form stored a response: %+v", sv.Response)
	}
}

// Unknown, malformed, revoked-looking and closed links all get the same page,
// so a guesser learns nothing; past the per-address limit, 429.
func TestUnusableLinksLookTheSameAndLookupsAreLimited(t *testing.T) {
	t.Parallel()
	e := newSurveyEnv(t, assessmenttest.Engine{Name: "sqlite"}, 15)
	c, tokens := e.openSmallCycle(t)
	page := func(path string) (int, string) {
		resp, body := e.do(t, http.MethodGet, path, nil, "")
		// The request id differs between any two pages.
		return resp.StatusCode, regexp.MustCompile(`<code>[^<]*</code>`).ReplaceAllString(body, "")
	}
	_, unknown := page("/s/" + strings.Repeat("A", 43))
	_, malformed := page("/s/not-a-token")
	if _, err := e.Service.MoveCycle(context.Background(), e.Org.ID, c.ID, assessment.StatusClosed); err != nil {
		t.Fatal(err)
	}
	status, closed := page("/s/" + tokens["cy@example.com"][0])
	if status != http.StatusNotFound || closed != unknown || malformed != unknown || !strings.Contains(closed, "cannot be used") {
		t.Fatalf("closed %d:\n%s\nunknown:\n%s", status, closed, unknown)
	}
	resp, _ := e.do(t, http.MethodPost, "/s/"+tokens["cy@example.com"][0], e.fullForm(0, "submit", "3", ""), "")
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("submit after close: %d", resp.StatusCode)
	}
	// Four dead links so far (unknown, malformed, closed, submit after
	// close); the fifteenth is the last one allowed.
	for i := 5; i <= 15; i++ {
		if resp, _ := e.do(t, http.MethodGet, "/s/"+strings.Repeat("B", 43), nil, ""); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("dead link %d: %d, want 404 within the allowance", i, resp.StatusCode)
		}
	}
	resp, body := e.do(t, http.MethodGet, "/s/"+strings.Repeat("B", 43), nil, "")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "could not be opened") {
		t.Fatalf("the 16th dead link: %d (Retry-After %q), want 429 with a wait", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

// Valid links spend nothing: forty raters behind one office address (NAT)
// opening and autosaving their surveys, 400 requests in a burst, are never
// refused, though the address may try only two dead links.
func TestRatersBehindOneAddressAreNeverLimited(t *testing.T) {
	t.Parallel()
	e := newSurveyEnv(t, assessmenttest.Engine{Name: "sqlite"}, 2)
	_, tokens := e.openSmallCycle(t)
	var links []string
	for _, ts := range tokens {
		for _, tok := range ts {
			links = append(links, "/s/"+tok)
		}
	}
	for i := range 400 {
		link := links[i%len(links)]
		resp, _ := e.do(t, http.MethodGet, link, nil, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d to a valid link: %d", i+1, resp.StatusCode)
		}
	}
}

// A leader rating themself is not offered "Not observed", and a form that
// sends it anyway is refused next to the statement, with the other answers
// kept; a peer's survey offers it.
func TestSelfSurveyHasNoNotObserved(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newSurveyEnv(t, eng, manyDeadLinks)
			_, tokens := e.openSmallCycle(t)
			self := "/s/" + tokens["ana@example.com"][0]
			_, body := e.do(t, http.MethodGet, self, nil, "")
			if !strings.Contains(body, "Your self-assessment") || strings.Contains(body, `value="n"`) || strings.Contains(body, "Not observed") {
				t.Errorf("the self survey offers or mentions %q", "Not observed")
			}
			form := e.fullForm(0, "submit", "4", "")
			form.Set("a.delegation.shares_context", "n")
			resp, body := e.do(t, http.MethodPost, self, form, "")
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose how often you do this.") || !strings.Contains(body, `value="4" checked`) {
				t.Errorf("a self answer of %q: %d, want 422 with the message and the other answers kept", "n", resp.StatusCode)
			}
			if _, peer := e.do(t, http.MethodGet, "/s/"+tokens["cy@example.com"][0], nil, ""); !strings.Contains(peer, `value="n"`) {
				t.Errorf("the peer's survey lost %q", "Not observed")
			}
		})
	}
}
