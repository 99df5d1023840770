package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/assessmenttest/surveyclient"
	"github.com/lead360/lead360/assessment/store"
)

// Issue #16 item 3: three processes of the real binary on one PostgreSQL
// database, as replicas behind a load balancer. The suite runs it with 30
// raters; the full size is
//
//	go test ./cmd/lead360 -run ThreeReplicas -replicas.raters 1000
var replicaRaters = flag.Int("replicas.raters", 30, "raters of the cycle in TestThreeReplicasShareOneDatabase")

// Every invitation email is sent once and every reminder once, whichever
// replica works the job, and the cycle past its close date is closed by
// exactly one of them, while half the raters answer their surveys across
// the replicas and each acknowledged submission is stored. The sign-in limit
// engages at the same count whichever replica answers; a session begun on
// one replica works on the others, form token included. The log line of
// each email shows which process sent it.
func TestThreeReplicasShareOneDatabase(t *testing.T) {
	t.Parallel()
	pg := assessmenttest.Postgres(t, "replicas share a PostgreSQL database")
	bin := buildBinary(t)
	vars := engineEnv(t, pg)
	smtp := assessmenttest.StartSMTP(t)
	vars["LEAD360_SMTP_URL"] = smtp.URL()
	vars["LEAD360_SMTP_FROM"] = "People team <hr@example.com>"
	vars["LEAD360_SECRET_KEY"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	vars["LEAD360_LOG_LEVEL"] = "info"
	addrs := []string{freeLoopbackAddr(t), freeLoopbackAddr(t), freeLoopbackAddr(t)}
	vars["LEAD360_BASE_URL"] = "http://" + addrs[0]

	st, open := draftCycle(t, vars, *replicaRaters)
	svc := assessment.NewService(st, assessmenttest.Tokens(), nil)
	ctx := context.Background()
	// The CLI opens the cycles: it seals the links with the servers' key.
	if _, out, code := runCLI(t, vars, "cycle", "open", "--cycle", open.ID); code != exitOK {
		t.Fatalf("cycle open: %s", out)
	}
	due := cycleDueNow(t, vars, svc, open.OrganizationID, open.InstrumentID)
	created, out, code := runCLI(t, vars, "admin", "create", "--email", "hr@example.com", "--org", "Acme")
	if code != exitOK {
		t.Fatalf("admin create: %s", out)
	}
	password := regexp.MustCompile(`Password: (\S+)`).FindStringSubmatch(created)
	if password == nil {
		t.Fatalf("admin create printed no password:\n%s", created)
	}

	servers := make([]*serverProcess, len(addrs))
	for n, addr := range addrs {
		own := maps.Clone(vars)
		own["LEAD360_ADDR"] = addr
		servers[n] = startServer(t, bin, own, "http://"+addr)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for n, s := range servers {
				t.Logf("replica %d:\n%s", n, s.log)
			}
		}
	})

	// Invitations: one per rater and Ana, sent once (Bo's cycle closes
	// before her survey email is worked, so she gets none); each leader
	// also gets an email about their account.
	invited := *replicaRaters + 1
	smtp.WaitFor(invited+2, time.Minute)
	if _, err := svc.RemindNow(ctx, open.OrganizationID, open.ID, 0, ""); err != nil {
		t.Fatal(err)
	}

	// A link one replica emailed opens on every replica: they share the key.
	var link string
	for _, m := range smtp.Messages() {
		if l := m.URL(vars["LEAD360_BASE_URL"] + "/s/"); l != "" {
			link = strings.TrimPrefix(l, vars["LEAD360_BASE_URL"])
			break
		}
	}
	if link == "" {
		t.Fatal("no survey link in the emails")
	}
	for n, addr := range addrs {
		resp, err := http.Get("http://" + addr + link)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("an emailed survey link on replica %d: %d", n, resp.StatusCode)
		}
	}

	// Under load: while the replicas send the reminders and close the due
	// cycle, half the raters answer their surveys from the emailed links,
	// spread over the three replicas. A reminder is not sent to someone
	// who answered before it went out, so those raters get one or none;
	// everyone else gets exactly one.
	answering := answerHalfTheInvitations(t, smtp, vars["LEAD360_BASE_URL"], addrs)

	smtp.WaitFor(2*invited+2-len(answering.raters), time.Minute)
	answered := answering.wait()
	// Give a duplicate time to arrive before counting.
	time.Sleep(2 * time.Second)
	perRecipient := map[string][]string{}
	for _, m := range smtp.Messages() {
		kind, _, _ := strings.Cut(strings.Trim(m.MessageID, "<>"), ".")
		if kind == "account" {
			continue // the leaders' sign-in emails, one per leader
		}
		for _, to := range m.EnvelopeTo {
			perRecipient[to] = append(perRecipient[to], kind)
		}
	}
	if len(perRecipient) != invited {
		t.Errorf("%d people got email, want %d", len(perRecipient), invited)
	}
	for to, kinds := range perRecipient {
		slices.Sort(kinds)
		once := slices.Equal(kinds, []string{"invitation", "reminder"})
		if !once && !(answering.raters[to] && slices.Equal(kinds, []string{"invitation"})) {
			t.Errorf("%s (answered: %t) got %v, want one invitation and one reminder", to, answering.raters[to], kinds)
		}
	}

	// Every submission a replica acknowledged is stored, once.
	if answered != len(answering.raters) {
		t.Errorf("%d surveys answered, want %d", answered, len(answering.raters))
	}
	p, err := svc.CycleProgress(ctx, open.OrganizationID, open.ID, assessment.ProgressQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total.Submitted != answered {
		t.Errorf("%d surveys stored as submitted, want the %d acknowledged", p.Total.Submitted, answered)
	}

	// The cycle past its close date: closed once, by one replica.
	assessmenttest.WaitFor(t, "the due cycle closed", func() bool {
		c, err := st.Cycle(ctx, due.OrganizationID, due.ID)
		return err == nil && c.Status == assessment.StatusClosed
	})
	closers := 0
	sent := make([]int, len(servers))
	for n, s := range servers {
		closers += strings.Count(s.log.String(), "cycle closed on its close date")
		sent[n] = strings.Count(s.log.String(), `msg="email sent"`)
	}
	if closers != 1 {
		t.Errorf("%d replicas closed the due cycle, want 1", closers)
	}
	t.Logf("emails sent per replica: %v (%d in all)", sent, len(smtp.Messages()))

	sessionsAreShared(t, addrs, "hr@example.com", password[1])

	// Five wrong passwords spread over the replicas spend the account's
	// tries at this address on all of them: the right one is refused
	// everywhere, and another address is not held up.
	for n := range 5 {
		if code := postLogin(t, addrs[n%3], "hr@example.com", "not the password"); code != http.StatusUnprocessableEntity {
			t.Fatalf("wrong password %d on replica %d: %d", n+1, n%3, code)
		}
	}
	for n, addr := range addrs {
		if code := postLogin(t, addr, "hr@example.com", "also wrong"); code != http.StatusTooManyRequests {
			t.Errorf("sixth try on replica %d: %d, want 429", n, code)
		}
	}
}

// answering is surveys being answered in the background: whose, and wait,
// which waits for them, fails the test for every one not acknowledged and
// says how many were.
type answering struct {
	raters map[string]bool
	wait   func() int
}

// answerHalfTheInvitations answers the survey of every other invitation
// email received so far (by recipient) with 16 clients spread over the
// servers at addrs, each as a phone does (surveyclient). It returns at once.
func answerHalfTheInvitations(t *testing.T, smtp *assessmenttest.SMTPServer, baseURL string, addrs []string) answering {
	t.Helper()
	links := map[string]string{}
	for _, m := range smtp.Messages() {
		if strings.HasPrefix(m.MessageID, "<invitation.") && len(m.EnvelopeTo) == 1 {
			links[m.EnvelopeTo[0]] = strings.TrimPrefix(m.URL(baseURL+"/s/"), baseURL+"/s/")
		}
	}
	a := answering{raters: map[string]bool{}}
	tokens := make(chan string, len(links))
	for i, to := range slices.Sorted(maps.Keys(links)) {
		if i%2 == 0 {
			a.raters[to] = true
			tokens <- links[to]
		}
	}
	close(tokens)
	start := time.Now()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		answered int
		failures []error
	)
	for i := range 16 {
		r, err := surveyclient.New("http://" + addrs[i%len(addrs)])
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for tok := range tokens {
				err := r.Answer(context.Background(), tok)
				mu.Lock()
				if err != nil {
					failures = append(failures, err)
				} else {
					answered++
				}
				mu.Unlock()
			}
		})
	}
	a.wait = func() int {
		wg.Wait()
		t.Logf("%d surveys answered over %d replicas in %s, %d failed", answered, len(addrs), time.Since(start).Round(time.Millisecond), len(failures))
		for _, err := range failures {
			t.Errorf("a survey under load: %v", err)
		}
		return answered
	}
	return a
}

// sessionsAreShared signs in on the first replica, opens a form on the
// second and posts it to the third: the session and its form token live
// in the database, so a load balancer may send each request anywhere.
func sessionsAreShared(t *testing.T, addrs []string, email, password string) {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	// One host for the cookie: the replicas differ by port only, which
	// cookies ignore, as they would behind one load balancer's name.
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.PostForm("http://"+addrs[0]+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in on replica 0: %d", resp.StatusCode)
	}
	resp, err = hc.Get("http://" + addrs[1] + "/org/contact")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	token := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || token == nil {
		t.Fatalf("the contact page on replica 1: %d, form token found: %v", resp.StatusCode, token != nil)
	}
	resp, err = hc.PostForm("http://"+addrs[2]+"/org/contact",
		url.Values{"csrf_token": {string(token[1])}, "contact_name": {"People team"}, "contact_email": {"people@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "saved") {
		t.Fatalf("the form from replica 1 posted to replica 2: %d to %q, want 303 to the saved notice", resp.StatusCode, loc)
	}
}

// cycleDueNow opens a cycle whose close date passes a moment later, before
// any server runs, so the servers find it due.
func cycleDueNow(t *testing.T, vars map[string]string, svc *assessment.Service, orgID, instrumentID string) assessment.Cycle {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	c, err := svc.CreateCycle(ctx, assessment.CycleDraft{OrganizationID: orgID, InstrumentID: instrumentID, Name: "Due",
		OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddParticipant(ctx, orgID, c.ID, assessment.PersonInput{Name: "Bo Chen", Email: "bo@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, out, code := runCLI(t, vars, "cycle", "open", "--cycle", c.ID); code != exitOK {
		t.Fatalf("cycle open: %s", out)
	}
	time.Sleep(time.Until(c.ClosesAt))
	return c
}

// postLogin signs in on the server at addr and returns the status.
func postLogin(t *testing.T, addr, email, password string) int {
	t.Helper()
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).
		PostForm("http://"+addr+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// A replica killed (kill -9) in the middle of a report batch loses
// nothing: the jobs it had not started go to the other replicas at once,
// the ones it was drawing are rescued once LEAD360_JOB_RESCUE_AFTER has
// passed, and every leader's report is stored exactly once.
func TestAKilledReplicasReportJobsAreFinishedByTheOthers(t *testing.T) {
	t.Parallel()
	pg := assessmenttest.Postgres(t, "replicas share a PostgreSQL database")
	bin := buildBinary(t)
	// The demo's released cycle of 12 leaders, its batch queued before any
	// server runs.
	vars, _, batch := demoBatch(t, pg)
	vars["LEAD360_JOB_RESCUE_AFTER"] = "4s"
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DatabaseURL: vars["LEAD360_DATABASE_URL"], DataDir: vars["LEAD360_DATA_DIR"]})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	count := func(query string) int {
		t.Helper()
		var n int
		if err := st.DB().QueryRowContext(ctx, query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	replica := func() *serverProcess {
		own := maps.Clone(vars)
		addr := freeLoopbackAddr(t)
		own["LEAD360_ADDR"], own["LEAD360_BASE_URL"] = addr, "http://"+addr
		return startServer(t, bin, own, "http://"+addr)
	}

	first := replica()
	assessmenttest.WaitFor(t, "the first report", func() bool {
		return count("SELECT COUNT(*) FROM report_files WHERE batch_id = '"+batch+"'") > 0
	})
	first.kill9(t)
	running := count("SELECT COUNT(*) FROM river_job WHERE queue = 'reports' AND state = 'running'")
	replica()
	replica()

	svc := assessment.NewService(st, assessmenttest.Tokens(), nil)
	orgID := demoOrganization(t, st)
	deadline := time.Now().Add(3 * time.Minute)
	for b, err := svc.ReportBatch(ctx, orgID, batch); b.Status != assessment.BatchDone; b, err = svc.ReportBatch(ctx, orgID, batch) {
		if err != nil || b.Status == assessment.BatchFailed || time.Now().After(deadline) {
			t.Fatalf("the batch after the kill: %+v, %v", b, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	// A job may have stored its report and died before River recorded it
	// done: the batch is then complete while the job still waits for its
	// rescue, which finds the report stored and draws nothing.
	for count("SELECT COUNT(*) FROM river_job WHERE queue = 'reports' AND state <> 'completed'") > 0 {
		if time.Now().After(deadline) {
			t.Fatal("report jobs still not completed 3 minutes after the kill")
		}
		time.Sleep(200 * time.Millisecond)
	}
	perProcess := renderedBy(t, st, batch)
	total := 0
	for _, n := range perProcess {
		total += n
	}
	firstName := fmt.Sprintf("%s:%d", mustHostname(t), first.cmd.Process.Pid)
	if total != 12 || perProcess[firstName] == 0 || len(perProcess) < 2 {
		t.Errorf("reports per process %v: want 12 in all, some by the killed %s and some by the others", perProcess, firstName)
	}
	rescued := count("SELECT COUNT(*) FROM river_job WHERE queue = 'reports' AND state = 'completed' AND attempt > 1")
	if rescued < running {
		t.Errorf("%d report jobs were running at the kill, %d finished on a later attempt", running, rescued)
	}
	t.Logf("reports per process %v; %d jobs running at the kill, %d finished on a later attempt", perProcess, running, rescued)
}

// mustHostname is this machine's name, as processName gives it.
func mustHostname(t *testing.T) string {
	t.Helper()
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	return host
}
