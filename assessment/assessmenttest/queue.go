package assessmenttest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
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
	// queueConfig is the queue's configuration before opts, and opts
	// what NewMailer was given, for RestartQueue.
	queueConfig outbox.Config
	opts        []MailerOption
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
	f.Service.BaseURL = baseURL
	st := f.Store.(*store.Store)
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
	cfg := outbox.Config{Driver: st.JobDriver(), ListeningDriver: st.ListeningJobDriver(),
		Service: f.Service, Accounts: accounts, Sender: sender, From: MailFrom, BaseURL: baseURL,
		RetryPolicy: FastRetry{}, PollInterval: 50 * time.Millisecond, Workers: 16}
	m := &Mailer{Fixture: f, DB: st, SMTP: srv, Accounts: accounts, BaseURL: baseURL, queueConfig: cfg, opts: opts}
	m.Queue = startQueue(t, cfg, opts)
	return m
}

// startQueue starts a queue of cfg changed by opts, stopped when the test
// ends.
func startQueue(t testing.TB, cfg outbox.Config, opts []MailerOption) *outbox.Queue {
	t.Helper()
	for _, o := range opts {
		o(&cfg)
	}
	q, err := outbox.New(cfg)
	if err != nil {
		t.Fatalf("job queue: %v", err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatalf("start job queue: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
	})
	return q
}

// StopQueue stops the queue as a server stops: the jobs it is working
// finish, and those waiting stay in the database.
func (m *Mailer) StopQueue(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := m.Queue.Stop(ctx); err != nil {
		t.Fatalf("stop job queue: %v", err)
	}
}

// StartNewQueue starts another queue over the same database, with a
// service of its own (the same link key and settings), as the next server
// process would after StopQueue: it works what the stopped one left.
func (m *Mailer) StartNewQueue(t testing.TB) *assessment.Service {
	t.Helper()
	svc := assessment.NewService(m.DB, tokensOf(m.linkKey), nil).WithClock(m.Clock.Now)
	svc.AllowPrivateWebhooks, svc.BaseURL, svc.LookupHost = m.Service.AllowPrivateWebhooks, m.Service.BaseURL, m.Service.LookupHost
	cfg := m.queueConfig
	cfg.Service = svc
	cfg.Accounts = assessment.NewAccounts(svc, m.BaseURL, outbox.NewAccountMailer(svc))
	m.Queue = startQueue(t, cfg, m.opts)
	return svc
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

// JobTable reads the jobs a fixture's store recorded, in the job queue's
// own table, for tests that run no queue: they see the jobs a use case
// committed and work them when they choose.
type JobTable struct {
	db *sql.DB
	// args reads a job's arguments as JSON text: River keeps them as
	// jsonb on PostgreSQL and in SQLite's binary JSONB on SQLite.
	args string
}

// JobTable is the job table of the fixture's database.
func (f *Fixture) JobTable() *JobTable {
	st := f.Store.(*store.Store)
	if st.Dialect() == store.SQLite {
		return &JobTable{db: st.DB(), args: "json(args)"}
	}
	return &JobTable{db: st.DB(), args: "args"}
}

// jobArgs decodes the arguments of each kind of job the domain records.
var jobArgs = map[string]func([]byte) (assessment.JobArgs, error){
	assessment.PasswordResetJob{}.Kind():    decodeJob[assessment.PasswordResetJob],
	assessment.AccountMailJob{}.Kind():      decodeJob[assessment.AccountMailJob],
	assessment.SurveyMailJob{}.Kind():       decodeJob[assessment.SurveyMailJob],
	assessment.ReportBatchJob{}.Kind():      decodeJob[assessment.ReportBatchJob],
	assessment.ReportJob{}.Kind():           decodeJob[assessment.ReportJob],
	assessment.NominationInviteJob{}.Kind(): decodeJob[assessment.NominationInviteJob],
}

func decodeJob[T assessment.JobArgs](raw []byte) (assessment.JobArgs, error) {
	var args T
	err := json.Unmarshal(raw, &args)
	return args, err
}

// Take returns the jobs committed so far, oldest first, and deletes them.
func (j *JobTable) Take(t testing.TB) []assessment.Job {
	t.Helper()
	ctx := context.Background()
	rows, err := j.db.QueryContext(ctx, "SELECT id, kind, "+j.args+" FROM river_job ORDER BY id")
	if err != nil {
		t.Fatalf("read jobs: %v", err)
	}
	defer rows.Close()
	var (
		jobs []assessment.Job
		last int64
	)
	for rows.Next() {
		var (
			kind string
			raw  []byte
		)
		if err := rows.Scan(&last, &kind, &raw); err != nil {
			t.Fatalf("read a job: %v", err)
		}
		decode, ok := jobArgs[kind]
		if !ok {
			t.Fatalf("a job of kind %q, which the test cannot read", kind)
		}
		args, err := decode(raw)
		if err != nil {
			t.Fatalf("decode a %s job: %v", kind, err)
		}
		jobs = append(jobs, assessment.Job{Args: args})
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read jobs: %v", err)
	}
	// The id is a number we read: formatted in, it needs no placeholder,
	// whose syntax differs between the engines.
	if _, err := j.db.ExecContext(ctx, fmt.Sprintf("DELETE FROM river_job WHERE id <= %d", last)); err != nil {
		t.Fatalf("delete the jobs read: %v", err)
	}
	return jobs
}

// WorkPasswordResets works the password-reset requests committed so far,
// as the queue would, and deletes every job.
func (j *JobTable) WorkPasswordResets(t testing.TB, accounts *assessment.Accounts) {
	t.Helper()
	for _, job := range j.Take(t) {
		if args, ok := job.Args.(assessment.PasswordResetJob); ok {
			if err := accounts.SendPasswordResets(context.Background(), args); err != nil {
				t.Fatalf("work a password reset request: %v", err)
			}
		}
	}
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
