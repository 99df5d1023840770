package assessment_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

// Tries spend the bucket, time refills it, a refund gives one back,
// forgetting clears it, and the purge drops only refilled buckets.
func TestAttemptsSpendRefillAndForget(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			svc, ctx := f.Service, context.Background()
			limit := assessment.Limit{Name: "test", Burst: 3, Every: time.Minute}
			take := func(key string) bool {
				t.Helper()
				ok, _, err := svc.TakeAttempt(ctx, limit, key)
				if err != nil {
					t.Fatal(err)
				}
				return ok
			}
			allowed := func(key string) (bool, time.Duration) {
				t.Helper()
				ok, wait, err := svc.AttemptAllowed(ctx, limit, key)
				if err != nil {
					t.Fatal(err)
				}
				return ok, wait
			}
			for i := range 3 {
				if ok, _ := allowed("k"); !ok || !take("k") {
					t.Fatalf("try %d refused within the burst", i+1)
				}
			}
			if ok, wait := allowed("k"); ok || wait <= 0 || wait > time.Minute {
				t.Fatalf("past the burst: allowed %v, wait %v", ok, wait)
			}
			if take("k") {
				t.Fatal("took a fourth try from a burst of 3")
			}
			if ok, _ := allowed("other"); !ok {
				t.Fatal("another key is limited")
			}
			f.Clock.Set(f.Clock.Now().Add(time.Minute))
			if !take("k") {
				t.Fatal("no try after the interval")
			}
			if err := svc.RefundAttempt(ctx, limit, "k"); err != nil {
				t.Fatal(err)
			}
			if !take("k") || take("k") {
				t.Fatal("a refunded try is not exactly one try")
			}
			if err := svc.ForgetAttempts(ctx, limit, "k"); err != nil {
				t.Fatal(err)
			}
			if ok, _ := allowed("k"); !ok {
				t.Fatal("limited after forget")
			}
			take("spent")
			take("spent")
			f.Clock.Set(f.Clock.Now().Add(time.Minute))
			take("fresh")
			// "spent" is one try short of full, "fresh" two; an hour later
			// both have refilled and the purge drops them.
			if err := svc.PurgeFullBuckets(ctx); err != nil {
				t.Fatal(err)
			}
			if ok, _ := allowed("spent"); !ok {
				t.Fatal("the purge dropped a bucket that was not full")
			}
			f.Clock.Set(f.Clock.Now().Add(time.Hour))
			if err := svc.PurgeFullBuckets(ctx); err != nil {
				t.Fatal(err)
			}
			for _, key := range []string{"spent", "fresh"} {
				if ok, _ := allowed(key); !ok {
					t.Fatalf("%s limited an hour later", key)
				}
			}
		})
	}
}

// Replicas on one PostgreSQL database count together: three services, each
// over its own connection pool, taking tries of one key at once get exactly
// the burst between them, whichever of them a request reaches.
func TestAttemptsAreCountedAcrossReplicas(t *testing.T) {
	t.Parallel()
	cfg := assessmenttest.DatabaseURL(t, assessmenttest.Postgres(t, "replicas share a PostgreSQL database"))
	ctx := context.Background()
	var replicas []*assessment.Service
	for range 3 {
		st, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		replicas = append(replicas, assessment.NewService(st, assessmenttest.Tokens(), nil))
	}
	limit := assessment.Limit{Name: "test", Burst: 5, Every: time.Hour}
	var granted atomic.Int32
	var wg sync.WaitGroup
	for n := range 60 {
		wg.Go(func() {
			ok, _, err := replicas[n%len(replicas)].TakeAttempt(ctx, limit, "ana@example.com from 203.0.113.9")
			if err != nil {
				t.Error(err)
			}
			if ok {
				granted.Add(1)
			}
		})
	}
	wg.Wait()
	if granted.Load() != 5 {
		t.Fatalf("60 simultaneous tries over 3 replicas: %d granted, want the burst of 5", granted.Load())
	}
	for n, svc := range replicas {
		if ok, _, _ := svc.AttemptAllowed(ctx, limit, "ana@example.com from 203.0.113.9"); ok {
			t.Errorf("replica %d still allows the key", n)
		}
	}
}
