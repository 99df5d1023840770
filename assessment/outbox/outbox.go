// Package outbox runs lead360's durable background work on River, in the
// same database as the rest of the data: survey emails recorded in the same
// transaction as the change that causes them, retried with backoff while
// the mail server is away, and the periodic closing of cycles. Workers it
// cannot hold (report rendering, webhook deliveries over HTTP) are added
// through Config.Register.
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
	"runtime"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/mail"
	"github.com/lead360/lead360/templates"
)

// Config wires the queue.
type Config struct {
	// Driver is the store's (store.JobDriver): on SQLite the queue works
	// the jobs the store inserts on the same connection.
	Driver riverdriver.Driver[*sql.Tx]
	// ListeningDriver, when set, works the jobs instead of Driver: on
	// PostgreSQL River's pgx driver (store.ListeningJobDriver), which
	// LISTENs for the notification each insert sends, so a job starts at
	// once instead of at the next poll.
	ListeningDriver riverdriver.Driver[pgx.Tx]

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
	// ReportWorkers is how many reports one process draws at once
	// (default GOMAXPROCS: drawing is CPU work).
	ReportWorkers int
	// RetryPolicy replaces River's backoff (tests make it fast).
	RetryPolicy river.ClientRetryPolicy
	// PollInterval is how often idle workers look for jobs (default 1s).
	PollInterval time.Duration
	// CloseEvery is how often cycles past their close date are closed
	// (default one minute).
	CloseEvery time.Duration
	// RescueAfter is how long a job stays "running" with nobody working it
	// (its process died) before another process takes it over (default:
	// River's hour). A job may run for at most half of it, so a live one is
	// never taken over.
	RescueAfter time.Duration
	// Register adds workers that cannot live here, such as report
	// rendering: the domain and its outbox do not draw PDFs.
	Register func(*river.Workers) error
}

// Queue is the job queue: it inserts jobs in transactions and, when
// started, works them.
type Queue struct {
	cfg    Config
	client Client
	emails *templates.Emails
	host   string
	log    *slog.Logger
}

// New builds the queue that works jobs once started. Jobs are retried up
// to River's default of 25 attempts (with its backoff, attempt^4 seconds:
// about three weeks), set when the store inserts them.
func New(cfg Config) (*Queue, error) {
	if cfg.Driver == nil || cfg.Service == nil || cfg.Accounts == nil || cfg.Sender == nil {
		return nil, errors.New("job queue: it needs the store's driver, the service, the account use cases and a mail sender")
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("job queue: base URL %q has no host", cfg.BaseURL)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.ReportWorkers <= 0 {
		cfg.ReportWorkers = runtime.GOMAXPROCS(0)
	}
	if cfg.CloseEvery <= 0 {
		cfg.CloseEvery = time.Minute
	}
	q := &Queue{cfg: cfg, log: cfg.Logger, host: u.Hostname()}
	if q.emails, err = templates.ParseEmails(); err != nil {
		return nil, err
	}
	workers, err := q.workers()
	if err != nil {
		return nil, err
	}
	rc := &river.Config{Logger: q.log, RetryPolicy: cfg.RetryPolicy, Workers: workers, JobTimeout: 2 * time.Minute,
		Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers},
			assessment.QueueReports: {MaxWorkers: cfg.ReportWorkers}},
		PeriodicJobs: []*river.PeriodicJob{closeDueCyclesEvery(cfg.CloseEvery), purgeFullBucketsEvery(purgeBucketsEvery)}}
	if cfg.RescueAfter > 0 {
		rc.RescueStuckJobsAfter = cfg.RescueAfter
		rc.JobTimeout = min(rc.JobTimeout, cfg.RescueAfter/2)
	}
	if cfg.PollInterval > 0 {
		rc.FetchPollInterval = cfg.PollInterval
		rc.FetchCooldown = min(cfg.PollInterval, 100*time.Millisecond)
	}
	if q.client, err = newClient(cfg, rc); err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return q, nil
}

// Client is what the queue and its tests use of River's client, whichever
// driver it runs on.
type Client interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func())
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
	JobRetry(ctx context.Context, id int64) (*rivertype.JobRow, error)
}

// newClient is River's client over the listening driver when there is one,
// else over the store's database/sql driver.
func newClient(cfg Config, rc *river.Config) (Client, error) {
	if cfg.ListeningDriver != nil {
		c, err := river.NewClient(cfg.ListeningDriver, rc)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	c, err := river.NewClient(cfg.Driver, rc)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// workers are the queue's own workers and those cfg.Register adds.
func (q *Queue) workers() (*river.Workers, error) {
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
	if err := river.AddWorkerSafely(workers, &nominationInviteWorker{q: q}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &closeWorker{q: q}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &purgeBucketsWorker{q: q}); err != nil {
		return nil, err
	}
	if q.cfg.Register != nil {
		if err := q.cfg.Register(workers); err != nil {
			return nil, err
		}
	}
	return workers, nil
}

// closeDueCyclesEvery schedules the closing of cycles past their date.
func closeDueCyclesEvery(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) {
			// Unique per period: two processes electing leaders in turn
			// still insert one close job per period.
			return assessment.CloseDueCyclesJob{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
		}, &river.PeriodicJobOpts{ID: "close_due_cycles", RunOnStart: true})
}

// purgeBucketsEvery is how often refilled throttle buckets are deleted: the
// table holds at most this long's worth of limited keys.
const purgeBucketsEvery = 10 * time.Minute

// purgeFullBucketsEvery schedules the purge of refilled throttle buckets,
// once per period across processes as the close job is.
func purgeFullBucketsEvery(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) {
			return assessment.PurgeFullBucketsJob{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
		}, &river.PeriodicJobOpts{ID: "purge_full_buckets"})
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
func (q *Queue) Client() Client { return q.client }

// closeWorker closes cycles whose close date passed.
type closeWorker struct {
	river.WorkerDefaults[assessment.CloseDueCyclesJob]
	q *Queue
}

func (w *closeWorker) Work(ctx context.Context, _ *river.Job[assessment.CloseDueCyclesJob]) error {
	_, err := w.q.cfg.Service.CloseDueCycles(ctx)
	return err
}

// purgeBucketsWorker deletes refilled throttle buckets.
type purgeBucketsWorker struct {
	river.WorkerDefaults[assessment.PurgeFullBucketsJob]
	q *Queue
}

func (w *purgeBucketsWorker) Work(ctx context.Context, _ *river.Job[assessment.PurgeFullBucketsJob]) error {
	return w.q.cfg.Service.PurgeFullBuckets(ctx)
}
