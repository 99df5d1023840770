package outbox_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/mail"
	"github.com/lead360/lead360/assessment/outbox"
	"github.com/lead360/lead360/assessment/store"
)

const baseURL = "https://lead360.example"

// env is a service on a fresh database with a working queue that sends to
// an in-process SMTP server.
type env struct {
	*assessmenttest.Mailer
	st   *store.Store
	smtp *assessmenttest.SMTPServer
}

func newEnv(t testing.TB, e assessmenttest.Engine) *env {
	t.Helper()
	m := assessmenttest.NewMailer(t, e, baseURL)
	return &env{Mailer: m, st: m.DB, smtp: m.SMTP}
}

// people is a small cycle: Ana and Bo lead; Cy is a peer of both, Dee is
// Ana's manager.
func (e *env) mustSmallCycle(t testing.TB) assessment.Cycle {
	t.Helper()
	c := e.MustCreateCycle(t, "Spring feedback")
	ana, _ := e.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
	bo, _ := e.MustAddLeader(t, c.ID, "Bo Chen", "bo@example.com")
	e.MustAddRater(t, ana.ID, "Cy Park", "cy@example.com", assessment.Peer)
	e.MustAddRater(t, bo.ID, "Cy Park", "cy@example.com", assessment.Peer)
	e.MustAddRater(t, ana.ID, "Dee O'Hara", "dee@example.com", assessment.Manager)
	return c
}

var byRecipient = assessmenttest.ByRecipient

func TestOpenCycleSendsOneEmailPerRaterWithWorkingLinks(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, eng)
			ctx := context.Background()
			c := e.mustSmallCycle(t)
			opened, err := e.Service.OpenCycle(ctx, e.Org.ID, c.ID, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			if opened.Invitations != 5 || opened.Emails != 4 {
				t.Fatalf("opened %+v, want 5 invitations in 4 emails", opened)
			}
			msgs := e.smtp.WaitFor(4, 30*time.Second)
			to := byRecipient(msgs)
			for _, addr := range []string{"ana@example.com", "bo@example.com", "cy@example.com", "dee@example.com"} {
				if len(to[addr]) != 1 {
					t.Fatalf("%s got %d emails, want 1", addr, len(to[addr]))
				}
			}
			cy := to["cy@example.com"][0]
			links := []string{}
			for _, u := range cy.URLs() {
				if strings.HasPrefix(u, baseURL+"/s/") {
					links = append(links, u)
				}
			}
			if len(links) != 2 || cy.HTML == "" || cy.MessageID == "" || !strings.Contains(cy.Subject, "2 feedback requests") {
				t.Fatalf("Cy's email: subject %q, message id %q, links %v, html %d bytes", cy.Subject, cy.MessageID, links, len(cy.HTML))
			}
			for _, want := range []string{"Ana Lima", "Bo Chen", "a peer", "at least 3 people", "Zoë Martin, People team"} {
				if !strings.Contains(cy.Text, want) {
					t.Errorf("Cy's email does not say %q:\n%s", want, cy.Text)
				}
			}
			ana := to["ana@example.com"][0]
			if !strings.Contains(ana.Subject, "self-assessment") || !strings.Contains(ana.Text, "not anonymous") {
				t.Errorf("Ana's email: %q\n%s", ana.Subject, ana.Text)
			}
			dee := to["dee@example.com"][0]
			if !strings.Contains(dee.Text, "recognised as yours") {
				t.Errorf("Dee's email does not say manager answers are identifiable:\n%s", dee.Text)
			}

			// The link opens the survey; answering and submitting stores one response.
			token := strings.TrimPrefix(links[0], baseURL+"/s/")
			sv, err := e.Service.Survey(ctx, token)
			if err != nil {
				t.Fatalf("open emailed link: %v", err)
			}
			if sv.Leader.Name != "Ana Lima" || sv.Assignment.Relationship != assessment.Peer {
				t.Fatalf("first link is %s as %s, want Ana Lima as peer", sv.Leader.Name, sv.Assignment.Relationship)
			}
			got, err := e.Service.SaveSurvey(ctx, token, assessment.SurveyInput{Submit: true, Answers: e.FullAnswers(4)})
			if err != nil {
				t.Fatal(err)
			}
			stored, err := e.Store.ResponseByAssignment(ctx, e.Org.ID, sv.Assignment.ID)
			if err != nil || stored.Status != assessment.ResponseSubmitted || stored.Version != got.Response.Version {
				t.Fatalf("stored %+v, %v", stored, err)
			}

			// Sent is recorded, and no raw token is at rest anywhere in the database.
			waitFor(t, "Cy's invitations to be recorded as sent", func() bool {
				invs, err := e.Store.RaterInvitations(ctx, e.Org.ID, c.ID, sv.Assignment.PersonID)
				return err == nil && len(invs) == 2 && invs[0].Invitation.SentAt != nil && invs[1].Invitation.SentAt != nil
			})
			assertNoRawTokens(t, e.st, tokensIn(msgs))
		})
	}
}

func tokensIn(msgs []assessmenttest.SMTPMessage) []string {
	var out []string
	for _, m := range msgs {
		for _, u := range m.URLs() {
			if t, ok := strings.CutPrefix(u, baseURL+"/s/"); ok {
				out = append(out, t)
			}
		}
	}
	return out
}

// assertNoRawTokens searches every text column of the tables that could
// hold a token, the job queue's included.
func assertNoRawTokens(t *testing.T, st *store.Store, tokens []string) {
	t.Helper()
	if len(tokens) == 0 {
		t.Fatal("no tokens to look for")
	}
	for _, q := range []string{
		"SELECT id || token_hash || token_sealed || failure FROM invitations",
		"SELECT CAST(args AS TEXT) FROM river_job",
	} {
		rows, err := st.DB().Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			for _, tok := range tokens {
				if strings.Contains(s, tok) {
					t.Fatalf("raw token found at rest: %s", q)
				}
			}
		}
		rows.Close()
	}
}

func TestRolledBackChangeSendsNothing(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, eng)
			ctx := context.Background()
			c := e.mustSmallCycle(t)
			boom := errors.New("boom")
			err := e.Store.InTx(ctx, func(tx assessment.Store) error {
				job := assessment.SurveyMailJob{Mail: assessment.MailInvitation, OrganizationID: e.Org.ID, CycleID: c.ID, PersonID: "x"}
				if err := tx.Enqueue(ctx, assessment.Job{Args: job}); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("InTx: %v", err)
			}
			var n int
			if err := e.st.DB().QueryRow("SELECT count(*) FROM river_job WHERE kind = 'survey_mail'").Scan(&n); err != nil || n != 0 {
				t.Fatalf("river_job rows after rollback: %d, %v", n, err)
			}
			// Opening twice: the second is refused and queues nothing more.
			if _, err := e.Service.OpenCycle(ctx, e.Org.ID, c.ID, "", nil); err != nil {
				t.Fatal(err)
			}
			if _, err := e.Service.OpenCycle(ctx, e.Org.ID, c.ID, "", nil); assessment.ErrorCode(err) != assessment.CodeConflict {
				t.Fatalf("second open: %v, want a conflict", err)
			}
			e.smtp.WaitFor(4, 30*time.Second)
		})
	}
}

// TRUST.md R5 sizes, set by flags: the suite runs a small outage (12
// invitations, SMTP down until every job has failed once, fast retries);
// the bar's size is
//
//	go test ./assessment/outbox -run TestSMTPOutage -r5.invitations 500 -r5.outage 60s
//
// which keeps the server's own retry backoff, as a real outage would meet it.
var (
	r5Invitations = flag.Int("r5.invitations", 12, "invitations queued during the SMTP outage")
	r5Outage      = flag.Duration("r5.outage", 0, "how long SMTP stays down (0: until every job failed once, with fast retries)")
)

// R5: the SMTP server is down while invitations are queued; when it is back
// every invitation is delivered, and none twice (a refused connection never
// delivered anything).
func TestSMTPOutageDeliversEveryInvitationOnce(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			var e *env
			if *r5Outage > 0 {
				m := assessmenttest.NewMailer(t, eng, baseURL, assessmenttest.ProductionRetries)
				e = &env{Mailer: m, st: m.DB, smtp: m.SMTP}
			} else {
				e = newEnv(t, eng)
			}
			ctx := context.Background()
			c := e.MustCreateCycle(t, "Outage")
			leaders := *r5Invitations
			for i := range leaders {
				e.MustAddLeader(t, c.ID, fmt.Sprintf("Leader %03d", i), fmt.Sprintf("leader%03d@example.com", i))
			}
			e.smtp.Stop()
			down := time.Now()
			if _, err := e.Service.OpenCycle(ctx, e.Org.ID, c.ID, "", nil); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "every job to fail at least once", func() bool {
				var n int
				err := e.st.DB().QueryRow("SELECT count(*) FROM river_job WHERE kind = 'survey_mail' AND attempt >= 1 AND state <> 'completed'").Scan(&n)
				return err == nil && n == leaders
			})
			time.Sleep(time.Until(down.Add(*r5Outage)))
			e.smtp.Restart()
			back := time.Now()
			// River's backoff after a 60 s outage puts the next attempt up
			// to a few minutes away.
			e.smtp.WaitFor(leaders, 60*time.Second+5**r5Outage)
			waitFor(t, "all jobs completed", func() bool {
				var n int
				err := e.st.DB().QueryRow("SELECT count(*) FROM river_job WHERE kind = 'survey_mail' AND state = 'completed'").Scan(&n)
				return err == nil && n == leaders
			})
			msgs := e.smtp.Messages()
			if len(msgs) != leaders {
				t.Fatalf("%d messages delivered, want %d", len(msgs), leaders)
			}
			seen := map[string]bool{}
			for _, m := range msgs {
				if seen[m.MessageID] {
					t.Fatalf("message %s delivered twice", m.MessageID)
				}
				seen[m.MessageID] = true
			}
			t.Logf("%s: SMTP down %s with %d invitations queued; all %d delivered once, the last %s after SMTP came back",
				eng.Name, back.Sub(down).Round(time.Millisecond), leaders, len(msgs), time.Since(back).Round(time.Millisecond))
		})
	}
}

func TestPermanentFailureIsRecordedAndTemporaryIsRetried(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, eng)
			ctx := context.Background()
			c := e.MustCreateCycle(t, "Failures")
			_, bad := e.MustAddLeader(t, c.ID, "Bad Address", "gone@example.com")
			e.MustAddLeader(t, c.ID, "Slow Server", "later@example.com")
			e.smtp.FailRecipient("gone@example.com", 550)
			e.smtp.FailRecipient("later@example.com", 451)
			if _, err := e.Service.OpenCycle(ctx, e.Org.ID, c.ID, "", nil); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the permanent failure to be recorded", func() bool {
				invs, err := e.Store.RaterInvitations(ctx, e.Org.ID, c.ID, bad.PersonID)
				return err == nil && len(invs) == 1 && invs[0].Invitation.FailedAt != nil
			})
			invs, _ := e.Store.RaterInvitations(ctx, e.Org.ID, c.ID, bad.PersonID)
			if f := invs[0].Invitation.Failure; !strings.Contains(f, "550") || invs[0].Invitation.SentAt != nil {
				t.Fatalf("failure recorded as %q", f)
			}
			attempts := e.smtp.Attempts()
			waitFor(t, "the temporary failure to be retried", func() bool { return e.smtp.Attempts() >= attempts+2 })
			e.smtp.FailRecipient("later@example.com", 0)
			msgs := e.smtp.WaitFor(1, 30*time.Second)
			if len(msgs) != 1 || msgs[0].EnvelopeTo[0] != "later@example.com" {
				t.Fatalf("delivered %d messages: %+v", len(msgs), msgs)
			}
		})
	}
}

// Reminders go only to raters who have not submitted, one email per rater per
// reminder, listing only the surveys still open.
func TestReminderGoesOnlyToRatersWhoHaveNotSubmitted(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, eng)
			ctx := context.Background()
			// Open "three days ago plus an hour": the first reminder (3 days
			// after opening) waits an hour, well past this test, until the
			// surveys below are submitted and the test releases it. No
			// wall-clock race decides what the reminder sees.
			now := e.Clock.Now()
			e.Clock.Set(now.AddDate(0, 0, -3).Add(time.Hour))
			c := e.mustSmallCycle(t)
			if _, err := e.Service.OpenCycle(ctx, e.Org.ID, c.ID, "", nil); err != nil {
				t.Fatal(err)
			}
			msgs := e.smtp.WaitFor(4, 30*time.Second)
			// Cy submits Ana's survey; Ana submits her own.
			tokens := map[string][]string{}
			for to, ms := range byRecipient(msgs) {
				for _, u := range ms[0].URLs() {
					if tok, ok := strings.CutPrefix(u, baseURL+"/s/"); ok {
						tokens[to] = append(tokens[to], tok)
					}
				}
			}
			for _, tok := range []string{tokens["cy@example.com"][0], tokens["ana@example.com"][0]} {
				if _, err := e.Service.SaveSurvey(ctx, tok, assessment.SurveyInput{Submit: true, Answers: e.FullAnswers(3)}); err != nil {
					t.Fatal(err)
				}
			}
			e.releaseJobsDueBefore(t, now.Add(2*time.Hour))
			e.smtp.WaitFor(4+3, 30*time.Second) // Bo, Cy (Bo only), Dee
			waitFor(t, "reminder jobs done", func() bool {
				var n int
				err := e.st.DB().QueryRow("SELECT count(*) FROM river_job WHERE kind = 'survey_mail' AND state = 'completed'").Scan(&n)
				return err == nil && n == 8
			})
			all := e.smtp.Messages()
			reminders := byRecipient(all[4:])
			if len(all) != 7 || len(reminders["ana@example.com"]) != 0 || len(reminders["cy@example.com"]) != 1 {
				t.Fatalf("%d emails; reminders to %v", len(all), keys(reminders))
			}
			cy := reminders["cy@example.com"][0]
			if !strings.HasPrefix(cy.Subject, "Reminder") || strings.Contains(cy.Text, "Ana Lima") || !strings.Contains(cy.Text, tokens["cy@example.com"][1]) {
				t.Fatalf("Cy's reminder should list only Bo's survey with the original link:\n%s", cy.Text)
			}
		})
	}
}

// releaseJobsDueBefore makes every job scheduled before the time available
// at once, as if that time had come.
func (e *env) releaseJobsDueBefore(t testing.TB, due time.Time) {
	t.Helper()
	ctx := context.Background()
	client := e.Queue.Client()
	jobs, err := client.JobList(ctx, river.NewJobListParams().States(rivertype.JobStateScheduled).First(1000))
	if err != nil {
		t.Fatal(err)
	}
	released := 0
	for _, j := range jobs.Jobs {
		if j.ScheduledAt.After(due) {
			continue
		}
		if _, err := client.JobRetry(ctx, j.ID); err != nil {
			t.Fatal(err)
		}
		released++
	}
	if released == 0 {
		t.Fatalf("no job was scheduled before %s", due)
	}
}

func keys[M ~map[string]V, V any](m M) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Two processes claiming the same reminder: exactly one wins, and the winner's
// retry still holds it.
func TestReminderClaimIsExactlyOnce(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, eng)
			ctx := context.Background()
			c := f.MustCreateCycle(t, "Claims")
			_, self := f.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
			job := assessment.SurveyMailJob{Mail: assessment.MailReminder, OrganizationID: f.Org.ID, CycleID: c.ID, PersonID: self.PersonID, Reminder: 1}
			var wg sync.WaitGroup
			wins := make(chan string, 10)
			for i := range 10 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					id := fmt.Sprintf("reminder.%d@test", i)
					ok, err := f.Service.ClaimReminder(ctx, job, id)
					if err != nil {
						t.Error(err)
					}
					if ok {
						wins <- id
					}
				}()
			}
			wg.Wait()
			close(wins)
			var won []string
			for id := range wins {
				won = append(won, id)
			}
			if len(won) != 1 {
				t.Fatalf("%d claims won: %v", len(won), won)
			}
			if ok, err := f.Service.ClaimReminder(ctx, job, won[0]); !ok || err != nil {
				t.Fatalf("the winner's retry: %v, %v", ok, err)
			}
		})
	}
}

// The close date closes the cycle by itself (the periodic job), and two
// closers racing close it once.
func TestCycleClosesOnItsCloseDateExactlyOnce(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, eng)
			ctx := context.Background()
			c1 := e.MustCreateCycle(t, "Closes by the periodic job")
			e.MustAddLeader(t, c1.ID, "Ana Lima", "ana@example.com")
			c2 := e.MustCreateCycle(t, "Closes in a race")
			e.MustAddLeader(t, c2.ID, "Bo Chen", "bo@example.com")
			for _, c := range []assessment.Cycle{c1, c2} {
				if _, err := e.Service.OpenCycle(ctx, e.Org.ID, c.ID, "", nil); err != nil {
					t.Fatal(err)
				}
			}
			e.smtp.WaitFor(2, 30*time.Second)
			e.Clock.Set(c1.ClosesAt.Add(time.Minute))

			var wg sync.WaitGroup
			var mu sync.Mutex
			closed := map[string]int{}
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					cs, err := e.Service.CloseDueCycles(ctx)
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					for _, c := range cs {
						closed[c.ID]++
					}
					mu.Unlock()
				}()
			}
			wg.Wait()
			if closed[c1.ID] != 1 || closed[c2.ID] != 1 {
				t.Fatalf("closes per cycle: %v", closed)
			}
			// The periodic job (RunOnStart) of a fresh queue finds nothing left.
			got, err := e.Store.Cycle(ctx, e.Org.ID, c1.ID)
			if err != nil || got.Status != assessment.StatusClosed {
				t.Fatalf("cycle after close: %v, %v", got.Status, err)
			}
		})
	}
}

func TestPeriodicJobClosesDueCycles(t *testing.T) {
	t.Parallel()
	for _, eng := range assessmenttest.Engines(t) {
		t.Run(string(eng.Name), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, eng)
			ctx := context.Background()
			c := e.MustCreateCycle(t, "Auto close")
			e.MustAddLeader(t, c.ID, "Ana Lima", "ana@example.com")
			if _, err := e.Service.OpenCycle(ctx, e.Org.ID, c.ID, "", nil); err != nil {
				t.Fatal(err)
			}
			e.Clock.Set(c.ClosesAt.Add(time.Second))
			// A second queue on the same database, as a second process would
			// start one: its periodic job runs on start.
			q2, err := outbox.New(outbox.Config{Driver: e.st.JobDriver(), ListeningDriver: e.st.ListeningJobDriver(),
				Service: e.Service, Accounts: e.Accounts, Sender: mail.NewLogSender(nil), BaseURL: baseURL, PollInterval: 50 * time.Millisecond, CloseEvery: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if err := q2.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = q2.Stop(context.Background()) })
			waitFor(t, "the cycle to close", func() bool {
				got, err := e.Store.Cycle(ctx, e.Org.ID, c.ID)
				return err == nil && got.Status == assessment.StatusClosed
			})
			if left := sealedTokens(t, e.st, c.ID); len(left) != 0 {
				t.Errorf("the close job left %d sealed tokens", len(left))
			}
		})
	}
}

var waitFor = assessmenttest.WaitFor
