package assessmenttest

import (
	"context"
	"database/sql"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/mail"
	"github.com/lead360/lead360/assessment/outbox"
	"github.com/lead360/lead360/assessment/store"
)

// MailFrom is the sender of the emails a test queue sends.
var MailFrom = mail.Address{Name: "Zoë Martin, People team", Email: "hr@lead360.example"}

// FastRetry retries a failed job at once: tests wait for events, not for
// backoff.
type FastRetry struct{}

// NextRetry is 50 ms from now.
func (FastRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(50 * time.Millisecond) }

// Mailer is a fixture whose store has a running job queue that sends email
// to an in-process SMTP server, with links under BaseURL.
type Mailer struct {
	*Fixture
	DB   *store.Store
	SMTP *SMTPServer
	// Accounts are the account use cases the queue works reset requests
	// with; their emails go through the outbox.
	Accounts *assessment.Accounts
	Queue    *outbox.Queue
	BaseURL  string
}

// MailerOption changes the queue configuration of NewMailer.
type MailerOption func(*outbox.Config)

// ProductionRetries makes the queue retry failed jobs with the backoff the
// server uses (River's) instead of FastRetry, for tests of long outages.
func ProductionRetries(c *outbox.Config) { c.RetryPolicy = nil }

// NewMailer builds a fixture on the engine, starts an SMTP server and a
// working queue, and stops both when the test ends. The fixture's clock is
// set to the real time, as the queue schedules on it.
func NewMailer(t testing.TB, e Engine, baseURL string, opts ...MailerOption) *Mailer {
	t.Helper()
	f := NewFixture(t, e)
	f.Clock.Set(time.Now().UTC().Truncate(time.Second))
	st := f.Store.(*store.Store)
	ctx := context.Background()
	if _, err := outbox.Migrate(ctx, st.DB(), st.Dialect() == store.SQLite, nil); err != nil {
		t.Fatalf("job queue migrations: %v", err)
	}
	srv := StartSMTP(t)
	mc, err := mail.ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	mc.Timeout = 5 * time.Second
	sender, err := mail.NewSMTPSender(mc)
	if err != nil {
		t.Fatal(err)
	}
	accounts := assessment.NewAccounts(f.Service, baseURL, outbox.NewAccountMailer(f.Service))
	cfg := outbox.Config{DB: st.DB(), SQLite: st.Dialect() == store.SQLite, Work: true,
		Service: f.Service, Accounts: accounts, Sender: sender, From: MailFrom, BaseURL: baseURL,
		RetryPolicy: FastRetry{}, PollInterval: 50 * time.Millisecond, Workers: 16}
	for _, o := range opts {
		o(&cfg)
	}
	q, err := outbox.New(cfg)
	if err != nil {
		t.Fatalf("job queue: %v", err)
	}
	st.SetEnqueuer(q)
	if err := q.Start(ctx); err != nil {
		t.Fatalf("start job queue: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
	})
	return &Mailer{Fixture: f, DB: st, SMTP: srv, Accounts: accounts, Queue: q, BaseURL: baseURL}
}

// AccountMails is an account mailer that keeps the emails instead of
// sending them.
type AccountMails struct {
	mu    sync.Mutex
	mails []assessment.AccountEmail
}

// SendAccountEmail keeps the email.
func (m *AccountMails) SendAccountEmail(_ context.Context, _ assessment.Store, e assessment.AccountEmail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.mails = append(m.mails, e)
	return nil
}

// Sent returns the emails kept so far, oldest first.
func (m *AccountMails) Sent() []assessment.AccountEmail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.mails)
}

// JobRecorder stands in for the job queue of a store: it keeps the jobs a
// use case records, so a test can see them and work them when it chooses.
// A job is kept even if its transaction rolls back.
type JobRecorder struct {
	mu   sync.Mutex
	jobs []assessment.Job
}

// RecordJobs connects a recorder to the fixture's store in place of a queue.
func (f *Fixture) RecordJobs() *JobRecorder {
	r := &JobRecorder{}
	f.Store.(*store.Store).SetEnqueuer(r)
	return r
}

// EnqueueTx keeps the jobs.
func (r *JobRecorder) EnqueueTx(_ context.Context, _ *sql.Tx, jobs []assessment.Job) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.jobs = append(r.jobs, jobs...)
	return nil
}

// WorkPasswordResets works the password-reset requests recorded so far, as
// the queue would, and forgets every recorded job.
func (r *JobRecorder) WorkPasswordResets(t testing.TB, accounts *assessment.Accounts) {
	t.Helper()
	for _, j := range r.Take() {
		if job, ok := j.Args.(assessment.PasswordResetJob); ok {
			if err := accounts.SendPasswordResets(context.Background(), job); err != nil {
				t.Fatalf("work a password reset request: %v", err)
			}
		}
	}
}

// Take returns the jobs recorded so far and forgets them.
func (r *JobRecorder) Take() []assessment.Job {
	r.mu.Lock()
	defer r.mu.Unlock()
	jobs := r.jobs
	r.jobs = nil
	return jobs
}

// SurveyTokens lists the survey tokens linked from a message, in order.
func (m *Mailer) SurveyTokens(msg SMTPMessage) []string {
	var out []string
	prefix := m.BaseURL + "/s/"
	for _, u := range msg.URLs() {
		if len(u) > len(prefix) && u[:len(prefix)] == prefix {
			out = append(out, u[len(prefix):])
		}
	}
	return out
}

// ByRecipient groups messages by envelope recipient.
func ByRecipient(msgs []SMTPMessage) map[string][]SMTPMessage {
	out := map[string][]SMTPMessage{}
	for _, m := range msgs {
		for _, to := range m.EnvelopeTo {
			out[to] = append(out[to], m)
		}
	}
	return out
}

// WaitFor polls cond until it holds, failing the test after a minute.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}
