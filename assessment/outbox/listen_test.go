package outbox_test

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/outbox"
	"github.com/lead360/lead360/assessment/store"
)

// On PostgreSQL a job committed in one of our transactions (inserted by the
// store's database/sql driver inside GORM's transaction) starts at once:
// the queue works jobs with River's pgx driver, which LISTENs for the NOTIFY
// the insert sends on commit, long before its next poll (10 s here). The
// database/sql driver alone only polls, which the second case measures.
func TestJobsStartOnNotifyNotPoll(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		listening bool
		poll      time.Duration
		gap       time.Duration // between two commits
		// within bounds the start of every job after its commit.
		within time.Duration
	}{
		// Measured at load average 8-10: 23 of 24 jobs within 2 ms, all
		// within 100 ms in a burst (docs/notes-river.md). The bound leaves
		// room for a loaded CI machine and stays half the poll, which a
		// missed notification waits for.
		{name: "pgx driver, LISTEN/NOTIFY", listening: true, poll: 10 * time.Second, gap: 300 * time.Millisecond, within: 5 * time.Second},
		{name: "pgx driver, burst", listening: true, poll: 10 * time.Second, gap: 20 * time.Millisecond, within: 5 * time.Second},
		{name: "database/sql driver, polling", listening: false, poll: time.Second, gap: 300 * time.Millisecond, within: 5 * time.Second},
	}
	for _, eng := range assessmenttest.Engines(t) {
		if eng.Name != store.Postgres {
			continue
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				m := assessmenttest.NewMailer(t, eng, baseURL, func(c *outbox.Config) {
					c.PollInterval = tc.poll
					if !tc.listening {
						c.ListeningDriver = nil
					}
				})
				latencies := jobStartLatencies(t, m, 6, tc.gap)
				t.Logf("job start after commit: %v (poll interval %v)", latencies, tc.poll)
				if worst := slices.Max(latencies); worst > tc.within {
					t.Errorf("a job started %v after its commit, want within %v", worst, tc.within)
				}
			})
		}
	}
}

// jobStartLatencies commits n jobs, each in its own transaction, gap
// apart, and returns how long after its commit each one started (River's
// attempted_at, from the database clock on this machine). The periodic
// close job the queue runs on start comes first, and is not counted.
func jobStartLatencies(t *testing.T, m *assessmenttest.Mailer, n int, gap time.Duration) []time.Duration {
	t.Helper()
	ctx := context.Background()
	events, cancel := m.Queue.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	kind := assessment.CloseDueCyclesJob{}.Kind()
	next := func() *rivertype.JobRow {
		t.Helper()
		for {
			select {
			case ev := <-events:
				if ev.Job.Kind == kind {
					return ev.Job
				}
			case <-time.After(60 * time.Second):
				t.Fatal("no close job ended within a minute")
			}
		}
	}
	next() // the periodic job, run on start
	committed := make([]time.Time, n)
	for i := range n {
		err := m.DB.InTx(ctx, func(tx assessment.Store) error {
			return tx.Enqueue(ctx, assessment.Job{Args: assessment.CloseDueCyclesJob{}})
		})
		committed[i] = time.Now()
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(gap)
	}
	jobs := make([]*rivertype.JobRow, n)
	for i := range n {
		jobs[i] = next()
	}
	// Jobs get increasing ids in the order they were committed.
	slices.SortFunc(jobs, func(a, b *rivertype.JobRow) int { return cmp.Compare(a.ID, b.ID) })
	out := make([]time.Duration, n)
	for i, j := range jobs {
		if j.AttemptedAt == nil {
			t.Fatalf("job %d ended without an attempt", j.ID)
		}
		out[i] = j.AttemptedAt.Sub(committed[i]).Round(100 * time.Microsecond)
	}
	return out
}
