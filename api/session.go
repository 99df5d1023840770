package api

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// Session lifetimes (TRUST.md): a session ends 12 hours after sign-in
// whatever happens, and after 2 hours without a request.
const (
	SessionLifetime    = 12 * time.Hour
	SessionIdleTimeout = 2 * time.Hour
	// seenAtResolution is how stale the idle clock may get: refreshing it on
	// every request would rewrite the session for every stylesheet.
	seenAtResolution = time.Minute
)

// SessionCookie is the name of the dashboard's session cookie.
const SessionCookie = "lead360_session"

// Keys of the values kept in a session.
const (
	sessUserID = "user_id"
	sessAuthAt = "auth_at" // when the user signed in: the absolute expiry counts from here
	sessSeenAt = "seen_at" // the last request: the idle expiry counts from here
	sessCSRF   = "csrf"    // the form token of this session
	sessRole   = "role"    // the role in use of an account that holds both (roles.go)
	// A password that opened accounts in several organisations: their ids
	// (space-separated), when, and where to go after the choice.
	sessChoice     = "choice"
	sessChoiceAt   = "choice_at"
	sessChoiceNext = "choice_next"
)

// choiceLifetime is how long a person has to choose an organisation after
// their password opened several accounts.
const choiceLifetime = 5 * time.Minute

// sessions wraps scs's session manager with lead360's rules. Expiry is
// enforced here with the accounts' clock, not by scs's own timers (which
// read time.Now and cannot be tested without sleeping): the stored record
// expires at the earlier of the two deadlines, and a loaded session past
// either is destroyed.
type sessions struct {
	sm       *scs.SessionManager
	accounts *assessment.Accounts
	log      *slog.Logger
}

func newSessions(accounts *assessment.Accounts, secure bool, log *slog.Logger) *sessions {
	sm := scs.New()
	sm.Store = sessionStore{accounts: accounts}
	sm.Codec = sessionCodec{}
	sm.Lifetime = SessionLifetime
	// Idle expiry is enforced by enforceExpiry; scs's IdleTimeout would mark
	// every loaded session modified and rewrite it on every request.
	sm.IdleTimeout = 0
	sm.Cookie.Name = SessionCookie
	sm.Cookie.Path = "/"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	// A browser-session cookie: closing the browser on a shared computer
	// signs out, and the server ends the session anyway.
	sm.Cookie.Persist = false
	return &sessions{sm: sm, accounts: accounts, log: log}
}

// savedKey marks, in the echo context, that this request's session was
// already written, so the before-response hook does not write it twice.
const savedKey = "lead360.session_saved"

// loadExcept is load for every path but those under the prefixes: static
// files, probes and survey links need no session, and must not read one
// from the database.
func (ss *sessions) loadExcept(prefixes ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		withSession := ss.load(next)
		return func(c echo.Context) error {
			for _, p := range prefixes {
				if strings.HasPrefix(c.Request().URL.Path, p) {
					return next(c)
				}
			}
			return withSession(c)
		}
	}
}

// load is the middleware that reads the session cookie, loads the session
// into the request context, ends it if it expired, and writes it back (with
// its cookie) just before the response headers go out.
func (ss *sessions) load(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		c.Response().Header().Add("Vary", "Cookie")
		token := ""
		if ck, err := req.Cookie(ss.sm.Cookie.Name); err == nil {
			token = ck.Value
		}
		ctx, err := ss.sm.Load(req.Context(), token)
		if errors.Is(err, errUnreadableSession) {
			// Data we cannot decode is a session we cannot trust: start anew.
			ss.log.WarnContext(req.Context(), "unreadable session", slog.Any("err", err))
			ctx, err = ss.sm.Load(req.Context(), "")
		}
		if err != nil {
			return fmt.Errorf("load session: %w", err)
		}
		c.SetRequest(req.WithContext(ctx))
		if err := ss.enforceExpiry(ctx); err != nil {
			return err
		}
		c.Response().Before(func() {
			if err := ss.save(c); err != nil {
				ss.log.ErrorContext(ctx, "save session", slog.Any("err", err))
			}
		})
		return next(c)
	}
}

// enforceExpiry destroys a signed-in session past its absolute or idle
// deadline, and moves the idle clock on otherwise.
func (ss *sessions) enforceExpiry(ctx context.Context) error {
	if ss.sm.GetString(ctx, sessUserID) == "" {
		return nil
	}
	now := ss.accounts.Now()
	seen := ss.getTime(ctx, sessSeenAt)
	if !now.Before(ss.deadline(ctx)) {
		if err := ss.sm.Destroy(ctx); err != nil {
			return fmt.Errorf("end expired session: %w", err)
		}
		return nil
	}
	if now.Sub(seen) >= seenAtResolution {
		ss.putTime(ctx, sessSeenAt, now)
	}
	return nil
}

// Times are kept as Unix nanoseconds: scs's gob codec cannot hold a
// time.Time in its map without a global gob registration.
func (ss *sessions) putTime(ctx context.Context, key string, t time.Time) {
	ss.sm.Put(ctx, key, t.UnixNano())
}

func (ss *sessions) getTime(ctx context.Context, key string) time.Time {
	return time.Unix(0, ss.sm.GetInt64(ctx, key)).UTC()
}

// deadline is when the session ends: the earlier of the absolute and the
// idle deadline.
func (ss *sessions) deadline(ctx context.Context) time.Time {
	absolute := ss.getTime(ctx, sessAuthAt).Add(SessionLifetime)
	idle := ss.getTime(ctx, sessSeenAt).Add(SessionIdleTimeout)
	if idle.Before(absolute) {
		return idle
	}
	return absolute
}

// commitInfo travels to the store through the context: scs holds the
// session's lock while it calls the store, so the store cannot read the
// session itself.
type commitInfo struct {
	userID string
	expiry time.Time
}

type commitInfoKey struct{}

// save writes a changed session and its cookie, once per request. Handlers
// that must know the session was stored (sign-in) call it themselves; the
// response hook calls it for the rest.
func (ss *sessions) save(c echo.Context) error {
	if c.Get(savedKey) != nil {
		return nil
	}
	c.Set(savedKey, true)
	ctx := c.Request().Context()
	switch ss.sm.Status(ctx) {
	case scs.Modified:
		info := commitInfo{userID: ss.sm.GetString(ctx, sessUserID), expiry: ss.deadline(ctx)}
		if info.userID == "" {
			// Nothing but signed-in sessions is stored; an anonymous one
			// lives until the browser closes or the lifetime passes.
			info.expiry = ss.accounts.Now().Add(SessionLifetime)
		}
		token, _, err := ss.sm.Commit(context.WithValue(ctx, commitInfoKey{}, info))
		if err != nil {
			return fmt.Errorf("commit session: %w", err)
		}
		ss.sm.WriteSessionCookie(ctx, c.Response(), token, info.expiry)
	case scs.Destroyed:
		ss.sm.WriteSessionCookie(ctx, c.Response(), "", time.Time{})
	}
	return nil
}

// signIn starts a new session for the user: a new token (so a token planted
// before sign-in is worthless), fresh clocks and a fresh form token. The
// session is stored before the handler answers, so a storage failure is an
// error page rather than a silent sign-out on the next page.
func (ss *sessions) signIn(c echo.Context, u assessment.User) error {
	ctx := c.Request().Context()
	if err := ss.sm.RenewToken(ctx); err != nil {
		return fmt.Errorf("renew session token: %w", err)
	}
	csrf, err := newCSRFToken()
	if err != nil {
		return err
	}
	now := ss.accounts.Now()
	ss.sm.Put(ctx, sessUserID, u.ID)
	ss.putTime(ctx, sessAuthAt, now)
	ss.putTime(ctx, sessSeenAt, now)
	ss.sm.Put(ctx, sessCSRF, csrf)
	for _, key := range []string{sessChoice, sessChoiceAt, sessChoiceNext, sessRole} {
		ss.sm.Remove(ctx, key)
	}
	// An account of one role uses it for the whole session: an admin who
	// becomes assessed while signed in (the cycle opens) stays an admin
	// until they switch, rather than being sent to choose mid-task.
	if len(u.Roles) == 1 {
		ss.sm.Put(ctx, sessRole, string(u.Roles[0]))
	}
	if err := ss.accounts.PurgeExpiredSessions(ctx); err != nil {
		ss.log.WarnContext(ctx, "purge expired sessions", slog.Any("err", err))
	}
	if err := ss.accounts.RecordSignIn(ctx, u.ID); err != nil {
		return err
	}
	return ss.save(c)
}

// awaitChoice keeps the accounts a password just opened in the session,
// until the person chooses one of them (signIn) or choiceLifetime passes.
// The session gets a new token first, like a sign-in: whoever planted the
// old one must not choose for the person. An account signed in before in
// this browser is signed out: the person is switching. The form token of
// the choice comes with it.
func (ss *sessions) awaitChoice(c echo.Context, users []assessment.User, next string) error {
	ctx := c.Request().Context()
	if err := ss.sm.RenewToken(ctx); err != nil {
		return fmt.Errorf("renew session token: %w", err)
	}
	for _, key := range []string{sessUserID, sessAuthAt, sessSeenAt, sessRole} {
		ss.sm.Remove(ctx, key)
	}
	csrf, err := newCSRFToken()
	if err != nil {
		return err
	}
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	ss.sm.Put(ctx, sessChoice, strings.Join(ids, " "))
	ss.putTime(ctx, sessChoiceAt, ss.accounts.Now())
	ss.sm.Put(ctx, sessChoiceNext, next)
	ss.sm.Put(ctx, sessCSRF, csrf)
	return ss.save(c)
}

// choice is the accounts waiting for the person's choice and where to go
// after it; no ids when there is no choice or it took too long.
func (ss *sessions) choice(c echo.Context) (ids []string, next string) {
	ctx := c.Request().Context()
	pending := ss.sm.GetString(ctx, sessChoice)
	if pending == "" || !ss.accounts.Now().Before(ss.getTime(ctx, sessChoiceAt).Add(choiceLifetime)) {
		return nil, ""
	}
	return strings.Fields(pending), ss.sm.GetString(ctx, sessChoiceNext)
}

// signOut ends the session for good: the stored record is deleted, so the
// old cookie finds nothing even if it was copied.
func (ss *sessions) signOut(c echo.Context) error {
	if err := ss.sm.Destroy(c.Request().Context()); err != nil {
		return fmt.Errorf("sign out: %w", err)
	}
	return ss.save(c)
}

// userID is the signed-in user of the request, or "".
func (ss *sessions) userID(c echo.Context) string {
	return ss.sm.GetString(c.Request().Context(), sessUserID)
}

// role is the role in use the session keeps, or "".
func (ss *sessions) role(c echo.Context) assessment.Role {
	return assessment.Role(ss.sm.GetString(c.Request().Context(), sessRole))
}

// useRole keeps the role in use in the session.
func (ss *sessions) useRole(c echo.Context, r assessment.Role) {
	ss.sm.Put(c.Request().Context(), sessRole, string(r))
}

// csrfToken is the form token of the request's session.
func (ss *sessions) csrfToken(c echo.Context) string {
	return ss.sm.GetString(c.Request().Context(), sessCSRF)
}

func newCSRFToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("form token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// errUnreadableSession marks stored session data that does not decode, as
// opposed to a database that does not answer.
var errUnreadableSession = errors.New("unreadable session data")

// sessionCodec is scs's gob codec with its decoding errors marked.
type sessionCodec struct{ scs.GobCodec }

func (c sessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	deadline, values, err := c.GobCodec.Decode(b)
	if err != nil {
		return deadline, values, fmt.Errorf("%w: %w", errUnreadableSession, err)
	}
	return deadline, values, nil
}

// sessionStore keeps scs's sessions in lead360's database through the
// account use cases, which store only a hash of each token.
type sessionStore struct {
	accounts *assessment.Accounts
}

var _ scs.CtxStore = sessionStore{}

func (s sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	return s.accounts.FindSession(ctx, token)
}

func (s sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if info, ok := ctx.Value(commitInfoKey{}).(commitInfo); ok {
		return s.accounts.SaveSession(ctx, token, info.userID, b, info.expiry)
	}
	// A commit that did not go through save (none in lead360) keeps scs's
	// expiry and no user link.
	return s.accounts.SaveSession(ctx, token, "", b, expiry)
}

func (s sessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.accounts.DeleteSession(ctx, token)
}

func (s sessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

func (s sessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}
