package assessment

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// Limits on repeated tries (sign-in attempts, reset emails, dead links) are
// token buckets: a key (a client address, an account as tried from one
// address) may try Burst times at once, then once more per Every. The
// buckets live in the database, so replicas behind a load balancer count
// together and answer alike whichever of them a request reaches.

// Limit is one named policy.
type Limit struct {
	Name  string
	Burst int
	Every time.Duration
}

// Bucket is one key's tries left under a limit, as of At.
type Bucket struct {
	Tokens float64
	At     time.Time
}

// AttemptStore keeps the buckets.
type AttemptStore interface {
	// ChangeBucket runs change on the key's bucket (full when none is
	// stored) while holding it against every other process, and stores
	// the bucket change returns with the moment it will be full again.
	ChangeBucket(ctx context.Context, limit, keyHash string, full Bucket, change func(Bucket) (Bucket, time.Time)) error
	// Bucket is the key's stored bucket; found is false when none is.
	Bucket(ctx context.Context, limit, keyHash string) (b Bucket, found bool, err error)
	// DeleteBucket forgets the key; a missing bucket is not an error.
	DeleteBucket(ctx context.Context, limit, keyHash string) error
	// DeleteFullBuckets removes buckets full by now: they are the same as none.
	DeleteFullBuckets(ctx context.Context, now time.Time) error
}

// tokens is the bucket refilled up to now.
func (l Limit) tokens(b Bucket, now time.Time) float64 {
	return min(float64(l.Burst), b.Tokens+float64(now.Sub(b.At))/float64(l.Every))
}

// wait is how long until a bucket holding tokens has one.
func (l Limit) wait(tokens float64) time.Duration {
	return time.Duration((1 - tokens) * float64(l.Every))
}

// fullAt is when a bucket holding tokens at now is full again.
func (l Limit) fullAt(tokens float64, now time.Time) time.Time {
	return now.Add(time.Duration((float64(l.Burst) - tokens) * float64(l.Every)))
}

// keyHash is what the database keeps of a key: no address or email.
func keyHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// TakeAttempt spends one try of key if it has one, in one step across
// every process: of many simultaneous requests only as many as there are
// tries get through. When none is left it says how long to wait.
func (s *Service) TakeAttempt(ctx context.Context, l Limit, key string) (bool, time.Duration, error) {
	now := s.Now()
	var ok bool
	var wait time.Duration
	err := s.store.ChangeBucket(ctx, l.Name, keyHash(key), Bucket{Tokens: float64(l.Burst), At: now},
		func(b Bucket) (Bucket, time.Time) {
			tokens := l.tokens(b, now)
			if tokens < 1 {
				wait = l.wait(tokens)
				return b, l.fullAt(b.Tokens, b.At)
			}
			ok = true
			return Bucket{Tokens: tokens - 1, At: now}, l.fullAt(tokens-1, now)
		})
	if err != nil {
		return false, 0, fmt.Errorf("take a try of %s: %w", l.Name, err)
	}
	return ok, wait, nil
}

// RefundAttempt gives back a try taken for a request that proved
// legitimate.
func (s *Service) RefundAttempt(ctx context.Context, l Limit, key string) error {
	now := s.Now()
	err := s.store.ChangeBucket(ctx, l.Name, keyHash(key), Bucket{Tokens: float64(l.Burst), At: now},
		func(b Bucket) (Bucket, time.Time) {
			tokens := min(float64(l.Burst), l.tokens(b, now)+1)
			return Bucket{Tokens: tokens, At: now}, l.fullAt(tokens, now)
		})
	if err != nil {
		return fmt.Errorf("give back a try of %s: %w", l.Name, err)
	}
	return nil
}

// ForgetAttempts clears key, after a success that proves who is asking.
func (s *Service) ForgetAttempts(ctx context.Context, l Limit, key string) error {
	if err := s.store.DeleteBucket(ctx, l.Name, keyHash(key)); err != nil {
		return fmt.Errorf("forget the tries of %s: %w", l.Name, err)
	}
	return nil
}

// AttemptAllowed reports whether key may try now, and if not how long to
// wait, without spending anything.
func (s *Service) AttemptAllowed(ctx context.Context, l Limit, key string) (bool, time.Duration, error) {
	b, found, err := s.store.Bucket(ctx, l.Name, keyHash(key))
	if err != nil {
		return false, 0, fmt.Errorf("read the tries of %s: %w", l.Name, err)
	}
	if !found {
		return true, 0, nil
	}
	if tokens := l.tokens(b, s.Now()); tokens < 1 {
		return false, l.wait(tokens), nil
	}
	return true, 0, nil
}

// PurgeFullBuckets deletes the buckets that have refilled, which keeps the
// table to the keys limited in the last minutes.
func (s *Service) PurgeFullBuckets(ctx context.Context) error {
	if err := s.store.DeleteFullBuckets(ctx, s.Now()); err != nil {
		return fmt.Errorf("purge full buckets: %w", err)
	}
	return nil
}

// PurgeFullBucketsJob deletes the refilled buckets, every few minutes on
// one process.
type PurgeFullBucketsJob struct{}

// Kind names the job for the queue.
func (PurgeFullBucketsJob) Kind() string { return "purge_full_buckets" }
