// Package outbox runs lead360's durable background work on River, in the
// same database as the rest of the data: survey emails recorded in the same
// transaction as the change that causes them, retried with backoff while
// the mail server is away, and the periodic closing of cycles.
//
// Every job is idempotent, because River delivers at least once: a mail job
// sends one message with a Message-ID fixed by the job, and reminders claim
// their (cycle, reminder, rater) key first; closing is a compare-and-set.
package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/mail"
	"github.com/lead360/lead360/templates"
)

// Config wires the queue.
type Config struct {
	// DB is the store's pool: River and GORM share it (one connection on
	// SQLite), so jobs can be inserted in our transactions.
	DB     *sql.DB
	SQLite bool

	// The rest is needed only to work jobs (Work true).
	Work    bool
	Service *assessment.Service
	// Accounts turns password-reset requests into reset emails.
	Accounts *assessment.Accounts
	Sender   mail.Sender
	// From is the sender of every email; its name says who asks.
	From mail.Address
	// BaseURL builds survey links (never a request's Host).
	BaseURL string
	Logger  *slog.Logger

	// Workers is how many emails go out at once (default 16).
	Workers int
	// MaxAttempts bounds retries of a temporary failure (default 25: with
	// River's backoff, attempt^4 seconds, about three weeks).
	MaxAttempts int
	// RetryPolicy replaces River's backoff (tests make it fast).
	RetryPolicy river.ClientRetryPolicy
	// PollInterval is how often idle workers look for jobs (default 1s).
	PollInterval time.Duration
	// CloseEvery is how often cycles past their close date are closed
	// (default one minute).
	CloseEvery time.Duration
	// Register adds workers that cannot live here, such as report
	// rendering: the domain and its outbox do not draw PDFs.
	Register func(*river.Workers) error
}

// Queue is the job queue: it inserts jobs in transactions and, when
// started, works them.
type Queue struct {
	cfg    Config
	client *river.Client[*sql.Tx]
	emails *templates.Emails
	host   string
	log    *slog.Logger
}

func driverFor(db *sql.DB, sqlite bool) riverdriver.Driver[*sql.Tx] {
	if sqlite {
		return riversqlite.New(db)
	}
	return riverdatabasesql.New(db)
}

// Migrate applies River's own migrations and returns the versions applied.
func Migrate(ctx context.Context, db *sql.DB, sqlite bool, log *slog.Logger) ([]int, error) {
	m, err := rivermigrate.New(driverFor(db, sqlite), &rivermigrate.Config{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("job queue migrations: %w", err)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return nil, fmt.Errorf("apply job queue migrations: %w", err)
	}
	versions := make([]int, len(res.Versions))
	for i, v := range res.Versions {
		versions[i] = v.Version
	}
	return versions, nil
}

// New builds the queue. Without Work it only inserts jobs (the CLI); a
// server's queue works them once started.
func New(cfg Config) (*Queue, error) {
	if cfg.DB == nil {
		return nil, errors.New("job queue: no database")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	q := &Queue{cfg: cfg, log: log}
	rc := &river.Config{Logger: log, MaxAttempts: cfg.MaxAttempts, RetryPolicy: cfg.RetryPolicy}
	if cfg.Work {
		if cfg.Service == nil || cfg.Accounts == nil || cfg.Sender == nil {
			return nil, errors.New("job queue: a working queue needs the service, the account use cases and a mail sender")
		}
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || u.Hostname() == "" {
			return nil, fmt.Errorf("job queue: base URL %q has no host", cfg.BaseURL)
		}
		q.host = u.Hostname()
		if q.emails, err = templates.ParseEmails(); err != nil {
			return nil, err
		}
		if cfg.Workers <= 0 {
			cfg.Workers = 16
		}
		if cfg.CloseEvery <= 0 {
			cfg.CloseEvery = time.Minute
		}
		workers := river.NewWorkers()
		if err := river.AddWorkerSafely(workers, &mailWorker{q: q}); err != nil {
			return nil, err
		}
		if err := river.AddWorkerSafely(workers, &accountWorker{q: q}); err != nil {
			return nil, err
		}
		if err := river.AddWorkerSafely(workers, &resetRequestWorker{q: q}); err != nil {
			return nil, err
		}
		if err := river.AddWorkerSafely(workers, &closeWorker{q: q}); err != nil {
			return nil, err
		}
		if cfg.Register != nil {
			if err := cfg.Register(workers); err != nil {
				return nil, err
			}
		}
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}}
		rc.JobTimeout = 2 * time.Minute
		if cfg.PollInterval > 0 {
			rc.FetchPollInterval = cfg.PollInterval
			rc.FetchCooldown = min(cfg.PollInterval, 100*time.Millisecond)
		}
		every := cfg.CloseEvery
		rc.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(every),
			func() (river.JobArgs, *river.InsertOpts) {
				// Unique per period: two processes electing leaders in turn
				// still insert one close job per period.
				return assessment.CloseDueCyclesJob{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
			}, &river.PeriodicJobOpts{ID: "close_due_cycles", RunOnStart: true})}
		q.cfg = cfg
	}
	client, err := river.NewClient(driverFor(cfg.DB, cfg.SQLite), rc)
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	q.client = client
	return q, nil
}

// Start works jobs until Stop.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	return nil
}

// Stop lets running jobs finish (until ctx ends) and stops working. Call it
// after the HTTP server drained and before the database closes.
func (q *Queue) Stop(ctx context.Context) error {
	if err := q.client.Stop(ctx); err != nil {
		return fmt.Errorf("stop job queue: %w", err)
	}
	return nil
}

// Client is the River client, for tests that watch job events.
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }

// EnqueueTx inserts jobs in the caller's transaction.
func (q *Queue) EnqueueTx(ctx context.Context, tx *sql.Tx, jobs []assessment.Job) error {
	params := make([]river.InsertManyParams, len(jobs))
	for i, j := range jobs {
		opts := &river.InsertOpts{}
		if !j.At.IsZero() {
			opts.ScheduledAt = j.At
		}
		params[i] = river.InsertManyParams{Args: j.Args, InsertOpts: opts}
	}
	if _, err := q.client.InsertManyTx(ctx, tx, params); err != nil {
		return err
	}
	return nil
}

// closeWorker closes cycles whose close date passed.
type closeWorker struct {
	river.WorkerDefaults[assessment.CloseDueCyclesJob]
	q *Queue
}

func (w *closeWorker) Work(ctx context.Context, _ *river.Job[assessment.CloseDueCyclesJob]) error {
	_, err := w.q.cfg.Service.CloseDueCycles(ctx)
	return err
}
