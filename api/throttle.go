package api

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// throttle counts tries per key (a client address, or an account at an
// address) with a token bucket: burst tries at once, then one more per
// interval. Callers spend a token before the work they limit (take), so
// simultaneous requests cannot all slip past one check, and give it back
// when the try proves legitimate (refund, forget): a person who types their
// password right is never slowed down.
//
// It lives in memory: one lead360 process serves an installation, and a
// restart forgetting the counts costs an attacker a restart's worth of
// guesses at most. A second process would need the counts in the database.
type throttle struct {
	every time.Duration
	burst int
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

// bucket is one key's tokens as of a moment.
type bucket struct {
	tokens float64
	at     time.Time
}

// maxThrottleKeys bounds memory under a flood of distinct keys; past it the
// full buckets are dropped first, then (in an attack) everything.
const maxThrottleKeys = 100_000

func newThrottle(burst int, every time.Duration, now func() time.Time) *throttle {
	return &throttle{every: every, burst: burst, now: now, buckets: make(map[string]*bucket)}
}

// tokensAt is the bucket's tokens refilled up to now.
func (t *throttle) tokensAt(b *bucket, now time.Time) float64 {
	return min(float64(t.burst), b.tokens+float64(now.Sub(b.at))/float64(t.every))
}

// wait is how long until a bucket of tokens has one.
func (t *throttle) wait(tokens float64) time.Duration {
	return time.Duration((1 - tokens) * float64(t.every))
}

// allowed reports whether key may try again now, and if not how long to
// wait, without spending anything.
func (t *throttle) allowed(key string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, ok := t.buckets[key]
	if !ok {
		return true, 0
	}
	if tokens := t.tokensAt(b, t.now()); tokens < 1 {
		return false, t.wait(tokens)
	}
	return true, 0
}

// take spends one try of key if it has one, in one step: of many
// simultaneous requests, only as many as there are tokens get through.
func (t *throttle) take(key string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.sweep(now)
	b, ok := t.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(t.burst), at: now}
		t.buckets[key] = b
	}
	tokens := t.tokensAt(b, now)
	if tokens < 1 {
		return false, t.wait(tokens)
	}
	b.tokens, b.at = tokens-1, now
	return true, 0
}

// fail spends one try of key, after the work: for limits where counting
// late costs nothing (a reset email is asked for, a dead link looked up).
func (t *throttle) fail(key string) { t.take(key) }

// refund gives back a try taken for a request that proved legitimate.
func (t *throttle) refund(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if b, ok := t.buckets[key]; ok {
		now := t.now()
		b.tokens, b.at = min(float64(t.burst), t.tokensAt(b, now)+1), now
	}
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
		if t.tokensAt(b, now) >= float64(t.burst) {
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
	loginIP      *throttle // sign-in tries per client address, any account
	loginAccount *throttle // sign-in tries per account at one address
	forgotIP     *throttle // reset emails asked for per client address
	forgotEmail  *throttle // reset emails per typed email: no mail bombing
	linkIP       *throttle // unknown or dead password links per client address
	apiToken     *throttle // API requests per token
	apiBadToken  *throttle // API requests with a token that opens nothing, per client address
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
		// A sync job may burst 120 requests, then 10 a second: enough to
		// page through a large organisation, not enough to flood the
		// database for everyone else.
		apiToken:    newThrottle(120, 100*time.Millisecond, now),
		apiBadToken: newThrottle(20, 10*time.Second, now),
	}
}

// loginTry is one sign-in's place in the throttles: the address, and the
// account as tried from that address. An account is never limited across
// addresses: someone else's failures elsewhere must not keep its owner
// out, and a guesser's budget is still one address's.
type loginTry struct{ ip, account string }

func newLoginTry(ip, email string) loginTry {
	ip = clientKey(ip)
	return loginTry{ip: ip, account: strings.ToLower(strings.TrimSpace(email)) + " from " + ip}
}

// reserve spends a try of the address and of the account before the
// password is checked, so simultaneous guesses are counted before any is
// answered; it reports how long to wait when either has none left.
func (l *limits) reserve(try loginTry) (time.Duration, bool) {
	if ok, wait := l.loginIP.take(try.ip); !ok {
		return wait, false
	}
	if ok, wait := l.loginAccount.take(try.account); !ok {
		l.loginIP.refund(try.ip)
		return wait, false
	}
	return 0, true
}

// succeeded gives the tries back: a right password is never slowed down.
func (l *limits) succeeded(try loginTry) {
	l.loginIP.refund(try.ip)
	l.loginAccount.forget(try.account)
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
