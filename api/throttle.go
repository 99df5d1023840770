package api

import (
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// throttle counts failures per key (a client address or an account) with a
// token bucket: burst failures at once, then one more per interval. Only
// failures spend tokens, so a person who types their password right is never
// slowed down.
//
// It lives in memory: one lead360 process serves an installation, and a
// restart forgetting the counts costs an attacker a restart's worth of
// guesses at most. A second process would need the counts in the database.
type throttle struct {
	every time.Duration
	burst int
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	swept   time.Time
}

// maxThrottleKeys bounds memory under a flood of distinct keys; past it the
// full buckets are dropped first, then (in an attack) everything.
const maxThrottleKeys = 100_000

func newThrottle(burst int, every time.Duration, now func() time.Time) *throttle {
	return &throttle{every: every, burst: burst, now: now, buckets: make(map[string]*rate.Limiter)}
}

// allowed reports whether key may try again now, and if not how long to
// wait.
func (t *throttle) allowed(key string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, ok := t.buckets[key]
	if !ok {
		return true, 0
	}
	now := t.now()
	if tokens := b.TokensAt(now); tokens < 1 {
		return false, time.Duration((1 - tokens) * float64(t.every))
	}
	return true, 0
}

// fail spends one try of key.
func (t *throttle) fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.sweep(now)
	b, ok := t.buckets[key]
	if !ok {
		b = rate.NewLimiter(rate.Every(t.every), t.burst)
		t.buckets[key] = b
	}
	b.AllowN(now, 1)
}

// forget clears key, after a success that proves who is asking.
func (t *throttle) forget(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.buckets, key)
}

// sweep drops buckets that have refilled: they are the same as no bucket.
func (t *throttle) sweep(now time.Time) {
	full := time.Duration(t.burst) * t.every
	if now.Sub(t.swept) < full && len(t.buckets) < maxThrottleKeys {
		return
	}
	t.swept = now
	for k, b := range t.buckets {
		if b.TokensAt(now) >= float64(t.burst) {
			delete(t.buckets, k)
		}
	}
	if len(t.buckets) >= maxThrottleKeys {
		clear(t.buckets)
	}
}

// clientKey is the throttling key of a client address: the address itself
// for IPv4, its /64 for IPv6, where one subscriber holds a whole /64.
func clientKey(ip string) string {
	parsed := net.ParseIP(ip)
	if parsed == nil || parsed.To4() != nil {
		return ip
	}
	return parsed.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// retryAfter sets the Retry-After header in whole seconds, at least one.
func retryAfter(h http.Header, wait time.Duration) {
	secs := int(wait/time.Second) + 1
	h.Set("Retry-After", strconv.Itoa(secs))
}

// limits are the throttles of the account pages.
type limits struct {
	loginIP      *throttle // failed sign-ins per client address
	loginAccount *throttle // failed sign-ins per typed email
	forgotIP     *throttle // reset emails asked for per client address
	forgotEmail  *throttle // reset emails per typed email: no mail bombing
	linkIP       *throttle // unknown or dead password links per client address
}

// newLimits sets the default policy: a person who mistypes a few times is
// never held up; a guesser gets about one try a minute per account and six
// per minute per address.
func newLimits(now func() time.Time) *limits {
	return &limits{
		loginIP:      newThrottle(20, 10*time.Second, now),
		loginAccount: newThrottle(5, time.Minute, now),
		forgotIP:     newThrottle(5, time.Minute, now),
		forgotEmail:  newThrottle(3, 10*time.Minute, now),
		linkIP:       newThrottle(20, 10*time.Second, now),
	}
}

// loginLimited reports whether a sign-in must wait, and how long.
func (l *limits) loginLimited(ipKey, accountKey string) (time.Duration, bool) {
	return waitFor(keyed{l.loginIP, ipKey}, keyed{l.loginAccount, accountKey})
}

// keyed is one key of one throttle.
type keyed struct {
	t   *throttle
	key string
}

// waitFor reports whether any of the keys is throttled, and the longest
// wait among them.
func waitFor(keys ...keyed) (time.Duration, bool) {
	var longest time.Duration
	limited := false
	for _, k := range keys {
		if ok, wait := k.t.allowed(k.key); !ok {
			limited = true
			longest = max(longest, wait)
		}
	}
	return longest, limited
}
