// Package mail sends lead360's emails (survey invitations, reminders)
// through an SMTP server, or to a log when no server is configured, and
// tells the outbox dispatcher which failures are worth retrying.
//
// It knows nothing about cycles or invitations: the caller renders the
// bodies and supplies a stable Message-ID, so a retried message keeps it.
package mail

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TLSMode says how the SMTP connection is encrypted.
type TLSMode string

const (
	// TLSMandatory requires encryption: STARTTLS on smtp://, implicit TLS on
	// smtps://. A server without STARTTLS is an error, never a downgrade.
	TLSMandatory TLSMode = "mandatory"
	// TLSOpportunistic uses STARTTLS when the server offers it and sends in
	// clear otherwise. The default for smtp://.
	TLSOpportunistic TLSMode = "opportunistic"
	// TLSNone never encrypts. For a relay on localhost and for tests.
	TLSNone TLSMode = "none"
)

// AuthMode names the SMTP AUTH mechanism. AuthAuto picks the strongest
// mechanism the server offers, and over an unencrypted connection only
// the challenge-response ones (never PLAIN or LOGIN).
type AuthMode string

const (
	AuthAuto        AuthMode = "auto"
	AuthPlain       AuthMode = "plain"
	AuthLogin       AuthMode = "login"
	AuthCRAMMD5     AuthMode = "cram-md5"
	AuthSCRAMSHA1   AuthMode = "scram-sha-1"
	AuthSCRAMSHA256 AuthMode = "scram-sha-256"
)

// Default ports and timeout.
const (
	DefaultPort         = 587 // submission, STARTTLS
	DefaultImplicitPort = 465 // submissions, implicit TLS
	DefaultTimeout      = 15 * time.Second
)

// Config is everything needed to reach one SMTP server. Build it with
// ParseSMTPURL; log it with Redacted (or %v), never with %#v.
type Config struct {
	Host     string
	Port     int
	Username string // empty: no SMTP AUTH
	Password string
	// ImplicitTLS is true for smtps://: TLS from the first byte.
	ImplicitTLS bool
	TLS         TLSMode
	Auth        AuthMode // only used when Username is set
	// From is the default sender when a Message has none (?from=).
	From    Address
	Timeout time.Duration // per connection step (dial, each command)
}

// ParseSMTPURL reads an SMTP server setting such as
//
//	smtp://user:pass@mail.example.com:587?tls=mandatory&from=HR%20<hr@example.com>
//	smtps://user:pass@mail.example.com           (implicit TLS, port 465)
//	smtp://127.0.0.1:2525?tls=none               (local relay or test server)
//
// Query parameters: tls=mandatory|opportunistic|none (default opportunistic
// for smtp://, mandatory for smtps://, which accepts nothing else),
// auth=auto|plain|login|cram-md5|scram-sha-1|scram-sha-256 (default auto),
// from=an RFC 5322 address, timeout=a Go duration (default 15s).
// User and password must be percent-encoded in the URL. Errors never
// contain the password.
func ParseSMTPURL(raw string) (Config, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// url.Parse errors quote the input, password included.
		return Config{}, errors.New("SMTP URL: not a valid URL (want smtp://user:pass@host:587)")
	}
	c, err := serverOf(u)
	if err == nil {
		err = c.applyQuery(u.Query())
	}
	if err != nil {
		return Config{}, fmt.Errorf("SMTP URL %s: %s", u.Redacted(), err)
	}
	return c, nil
}

// serverOf reads the scheme, host, port and credentials of an SMTP URL,
// with the scheme's default port and TLS mode. Its errors do not name the
// URL; ParseSMTPURL adds it, redacted.
func serverOf(u *url.URL) (Config, error) {
	var c Config
	switch u.Scheme {
	case "smtp":
		c.Port, c.TLS = DefaultPort, TLSOpportunistic
	case "smtps":
		c.Port, c.TLS, c.ImplicitTLS = DefaultImplicitPort, TLSMandatory, true
	default:
		return Config{}, fmt.Errorf("scheme %q: want smtp:// or smtps://", u.Scheme)
	}
	if u.Opaque != "" || u.Host == "" {
		return Config{}, fmt.Errorf("no host: want %s://host:port", u.Scheme)
	}
	if u.Path != "" && u.Path != "/" {
		return Config{}, fmt.Errorf("unexpected path %q", u.Path)
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return Config{}, errors.New("no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Config{}, fmt.Errorf("port %q: want 1-65535", p)
		}
		c.Port = n
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
		if c.Username == "" {
			return Config{}, errors.New("password without a user name")
		}
	}
	return c, nil
}

// applyQuery reads the query parameters over serverOf's defaults. Each may
// be given once; an unknown one is an error rather than a silent no-op.
func (c *Config) applyQuery(q url.Values) error {
	for key := range q {
		switch key {
		case "tls", "auth", "from", "timeout":
			if len(q[key]) > 1 {
				return fmt.Errorf("%s given %d times", key, len(q[key]))
			}
		default:
			return fmt.Errorf("unknown parameter %q (known: tls, auth, from, timeout)", key)
		}
	}
	if v := q.Get("tls"); v != "" {
		if err := c.setTLS(v); err != nil {
			return err
		}
	}
	c.Auth = AuthAuto
	if v := q.Get("auth"); v != "" {
		if err := c.setAuth(v); err != nil {
			return err
		}
	}
	if v := q.Get("from"); v != "" {
		a, err := ParseAddress(v)
		if err != nil {
			return fmt.Errorf("from=%q: %v", v, err)
		}
		c.From = a
	}
	c.Timeout = DefaultTimeout
	if v := q.Get("timeout"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("timeout=%q: want a positive duration such as 15s", v)
		}
		c.Timeout = d
	}
	return nil
}

// setTLS reads tls=; smtps:// (implicit TLS) accepts only mandatory.
func (c *Config) setTLS(v string) error {
	switch m := TLSMode(strings.ToLower(v)); m {
	case TLSMandatory, TLSOpportunistic, TLSNone:
		c.TLS = m
	default:
		return fmt.Errorf("tls=%q: want mandatory, opportunistic or none", v)
	}
	if c.ImplicitTLS && c.TLS != TLSMandatory {
		return fmt.Errorf("tls=%s contradicts smtps:// (implicit TLS): use smtp:// for an unencrypted or STARTTLS connection", c.TLS)
	}
	return nil
}

// setAuth reads auth=, which needs a user name to authenticate.
func (c *Config) setAuth(v string) error {
	switch m := AuthMode(strings.ToLower(v)); m {
	case AuthAuto, AuthPlain, AuthLogin, AuthCRAMMD5, AuthSCRAMSHA1, AuthSCRAMSHA256:
		c.Auth = m
	default:
		return fmt.Errorf("auth=%q: want auto, plain, login, cram-md5, scram-sha-1 or scram-sha-256", v)
	}
	if c.Username == "" {
		return fmt.Errorf("auth=%s without a user name (smtp://user:pass@host)", v)
	}
	return nil
}

// Addr is host:port.
func (c Config) Addr() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// Redacted is the configuration as a URL with the password masked, for logs.
func (c Config) Redacted() string {
	u := url.URL{Scheme: "smtp", Host: c.Addr()}
	if c.ImplicitTLS {
		u.Scheme = "smtps"
	}
	if c.Username != "" {
		if c.Password != "" {
			u.User = url.UserPassword(c.Username, "xxxxx")
		} else {
			u.User = url.User(c.Username)
		}
	}
	q := url.Values{}
	q.Set("tls", string(c.TLS))
	if c.Username != "" && c.Auth != "" {
		q.Set("auth", string(c.Auth))
	}
	if c.From.Email != "" {
		q.Set("from", c.From.String())
	}
	if c.Timeout != 0 {
		q.Set("timeout", c.Timeout.String())
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// String is Redacted, so that logging a Config never leaks the password.
func (c Config) String() string { return c.Redacted() }

// GoString keeps %#v from printing the password too.
func (c Config) GoString() string { return "mail.Config(" + c.Redacted() + ")" }

// Address is one mailbox: a display name (may be empty) and an email.
type Address struct {
	Name  string
	Email string
}

// ParseAddress reads "Name <a@b.example>" or "a@b.example".
func ParseAddress(s string) (Address, error) {
	if strings.ContainsAny(s, "\r\n") {
		return Address{}, errors.New("address contains a line break")
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return Address{}, fmt.Errorf("not an email address: %w", err)
	}
	return Address{Name: a.Name, Email: a.Address}, nil
}

// String formats the address for a header, encoding the name if needed.
func (a Address) String() string {
	return (&mail.Address{Name: a.Name, Address: a.Email}).String()
}

// validate checks the address can go into a header as is.
func (a Address) validate(field string) error {
	if strings.ContainsAny(a.Name, "\r\n\x00") {
		return fmt.Errorf("%s name contains a line break or NUL", field)
	}
	if a.Email == "" {
		return fmt.Errorf("%s address is empty", field)
	}
	if strings.ContainsAny(a.Email, "\r\n\x00<> \t") {
		return fmt.Errorf("%s address %q contains a forbidden character", field, a.Email)
	}
	p, err := mail.ParseAddress(a.Email)
	if err != nil || p.Address != a.Email {
		return fmt.Errorf("%s address %q is not a plain email address", field, a.Email)
	}
	return nil
}
