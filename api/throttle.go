package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lead360/lead360/assessment"
)

// throttle is one limit on repeated tries per key (a client address, or an
// account at an address). Callers spend a try before the work they limit
// (take), so simultaneous requests cannot all slip past one check, and give
// it back when the try proves legitimate (refund, forget): a person who
// types their password right is never slowed down. The counts live in the
// database (assessment/attempts.go), so replicas behind a load balancer
// count together and answer alike.
type throttle struct {
	svc   *assessment.Service
	limit assessment.Limit
}

// take spends one try of key if it has one, in one step across processes.
func (t throttle) take(ctx context.Context, key string) (bool, time.Duration, error) {
	return t.svc.TakeAttempt(ctx, t.limit, key)
}

// allowed reports whether key may try now, and if not how long to wait,
// without spending anything.
func (t throttle) allowed(ctx context.Context, key string) (bool, time.Duration, error) {
	return t.svc.AttemptAllowed(ctx, t.limit, key)
}

// fail spends one try of key, after the work: for limits where counting
// late costs nothing (a reset email is asked for, a dead link looked up).
func (t throttle) fail(ctx context.Context, key string) error {
	_, _, err := t.take(ctx, key)
	return err
}

// refund gives back a try taken for a request that proved legitimate.
func (t throttle) refund(ctx context.Context, key string) error {
	return t.svc.RefundAttempt(ctx, t.limit, key)
}

// forget clears key, after a success that proves who is asking.
func (t throttle) forget(ctx context.Context, key string) error {
	return t.svc.ForgetAttempts(ctx, t.limit, key)
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
	loginIP      throttle // sign-in tries per client address, any account
	loginAccount throttle // sign-in tries per account at one address
	forgotIP     throttle // reset emails asked for per client address
	forgotEmail  throttle // reset emails per typed email: no mail bombing
	linkIP       throttle // unknown or dead password links per client address
	apiToken     throttle // API requests per token
	apiBadToken  throttle // API requests with a token that opens nothing, per client address
}

// newLimits sets the default policy: a person who mistypes a few times is
// never held up; a guesser gets about one try a minute per account and six
// per minute per address.
func newLimits(svc *assessment.Service) *limits {
	return &limits{
		loginIP:      throttle{svc, assessment.Limit{Name: "sign_in_address", Burst: 20, Every: 10 * time.Second}},
		loginAccount: throttle{svc, assessment.Limit{Name: "sign_in_account", Burst: 5, Every: time.Minute}},
		forgotIP:     throttle{svc, assessment.Limit{Name: "reset_address", Burst: 5, Every: time.Minute}},
		forgotEmail:  throttle{svc, assessment.Limit{Name: "reset_email", Burst: 3, Every: 10 * time.Minute}},
		linkIP:       throttle{svc, assessment.Limit{Name: "password_link_address", Burst: 20, Every: 10 * time.Second}},
		// A sync job may burst 120 requests, then 10 a second: enough to
		// page through a large organisation, not enough to flood the
		// database for everyone else.
		apiToken:    throttle{svc, assessment.Limit{Name: "api_token", Burst: 120, Every: 100 * time.Millisecond}},
		apiBadToken: throttle{svc, assessment.Limit{Name: "api_bad_token_address", Burst: 20, Every: 10 * time.Second}},
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
func (l *limits) reserve(ctx context.Context, try loginTry) (time.Duration, bool, error) {
	if ok, wait, err := l.loginIP.take(ctx, try.ip); err != nil || !ok {
		return wait, false, err
	}
	ok, wait, err := l.loginAccount.take(ctx, try.account)
	if err != nil || !ok {
		return wait, false, errors.Join(err, l.loginIP.refund(ctx, try.ip))
	}
	return 0, true, nil
}

// succeeded gives the tries back: a right password is never slowed down.
func (l *limits) succeeded(ctx context.Context, try loginTry) error {
	return errors.Join(l.loginIP.refund(ctx, try.ip), l.loginAccount.forget(ctx, try.account))
}

// keyed is one key of one throttle.
type keyed struct {
	t   throttle
	key string
}

// waitFor reports whether any of the keys is throttled, and the longest
// wait among them.
func waitFor(ctx context.Context, keys ...keyed) (time.Duration, bool, error) {
	var longest time.Duration
	limited := false
	for _, k := range keys {
		ok, wait, err := k.t.allowed(ctx, k.key)
		if err != nil {
			return 0, false, err
		}
		if !ok {
			limited = true
			longest = max(longest, wait)
		}
	}
	return longest, limited, nil
}
