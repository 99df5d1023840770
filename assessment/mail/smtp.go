package mail

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPSender sends each message over its own SMTP connection. It is safe
// for concurrent use.
type SMTPSender struct {
	cfg Config
	// Now stamps the Date header; tests may fix it.
	Now func() time.Time
}

// NewSMTPSender checks cfg and returns a sender for it.
func NewSMTPSender(cfg Config) (*SMTPSender, error) {
	if cfg.Host == "" {
		return nil, errors.New("SMTP: no host")
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("SMTP %s: port %d: want 1-65535", cfg.Redacted(), cfg.Port)
	}
	if _, err := tlsPolicy(cfg); err != nil {
		return nil, fmt.Errorf("SMTP %s: %w", cfg.Redacted(), err)
	}
	if cfg.Username != "" {
		if _, err := authType(cfg.Auth); err != nil {
			return nil, fmt.Errorf("SMTP %s: %w", cfg.Redacted(), err)
		}
	}
	if cfg.From.Email != "" {
		if err := cfg.From.validate("From"); err != nil {
			return nil, fmt.Errorf("SMTP %s: %w", cfg.Redacted(), err)
		}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &SMTPSender{cfg: cfg, Now: time.Now}, nil
}

// Config returns the configuration the sender uses.
func (s *SMTPSender) Config() Config { return s.cfg }

// Send delivers msg. ctx bounds connecting; each later SMTP step is bounded
// by Config.Timeout. When the server has accepted the message (250 after
// DATA) Send returns nil even if the polite RSET or QUIT afterwards fails,
// so a dispatcher never resends a message the server already took.
func (s *SMTPSender) Send(ctx context.Context, msg Message) error {
	if msg.From.Email == "" {
		msg.From = s.cfg.From
	}
	if msg.From.Email == "" {
		return fmt.Errorf("send %s: %w: no From address (set from= in the SMTP URL or Message.From)", msg.MessageID, ErrInvalidMessage)
	}
	if err := msg.Validate(); err != nil {
		return fmt.Errorf("send %s: %w", msg.MessageID, err)
	}
	m := s.build(msg)
	client, err := s.client()
	if err != nil {
		return fmt.Errorf("send %s: %w", msg.MessageID, err)
	}
	err = client.DialAndSendWithContext(ctx, m)
	if err != nil && m.IsDelivered() {
		return nil
	}
	if err != nil {
		return fmt.Errorf("send %s via %s: %w", msg.MessageID, s.cfg.Addr(), err)
	}
	return nil
}

// build turns a validated Message into a go-mail Msg. Every header goes
// through go-mail's typed setters, which encode non-ASCII text (RFC 2047);
// Validate has already refused line breaks.
func (s *SMTPSender) build(msg Message) *gomail.Msg {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	m.FromMailAddress(&netmail.Address{Name: msg.From.Name, Address: msg.From.Email})
	m.SetAddrHeaderFromMailAddress(gomail.HeaderTo, &netmail.Address{Name: msg.To.Name, Address: msg.To.Email})
	if msg.ReplyTo.Email != "" {
		m.SetAddrHeaderFromMailAddress(gomail.HeaderReplyTo, &netmail.Address{Name: msg.ReplyTo.Name, Address: msg.ReplyTo.Email})
	}
	m.Subject(msg.Subject)
	m.SetMessageIDWithValue(msg.MessageID)
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	m.SetDateWithValue(now())
	// Automated mail: ask auto-responders (out-of-office) not to answer.
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	for name, value := range msg.Headers {
		m.SetGenHeader(gomail.Header(name), value)
	}
	m.SetBodyString(gomail.TypeTextPlain, msg.TextBody)
	if msg.HTMLBody != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, msg.HTMLBody)
	}
	return m
}

// client builds a go-mail client for one connection. Building it per Send
// keeps SMTPSender free of shared mutable state.
func (s *SMTPSender) client() (*gomail.Client, error) {
	policy, err := tlsPolicy(s.cfg)
	if err != nil {
		return nil, err
	}
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port),
		gomail.WithTimeout(s.cfg.Timeout),
		gomail.WithTLSPolicy(policy),
	}
	if s.cfg.ImplicitTLS {
		opts = append(opts, gomail.WithSSL())
	}
	if s.cfg.Username != "" {
		at, err := authType(s.cfg.Auth)
		if err != nil {
			return nil, err
		}
		opts = append(opts,
			gomail.WithSMTPAuth(at),
			gomail.WithUsername(s.cfg.Username),
			gomail.WithPassword(s.cfg.Password))
	}
	c, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("SMTP client for %s: %w", s.cfg.Redacted(), err)
	}
	return c, nil
}

func tlsPolicy(cfg Config) (gomail.TLSPolicy, error) {
	switch cfg.TLS {
	case TLSMandatory:
		return gomail.TLSMandatory, nil
	case TLSOpportunistic, TLSNone, "":
		if cfg.ImplicitTLS {
			if cfg.TLS == "" {
				return gomail.TLSMandatory, nil
			}
			return 0, fmt.Errorf("tls=%s contradicts implicit TLS (smtps://)", cfg.TLS)
		}
		if cfg.TLS == TLSNone {
			return gomail.NoTLS, nil
		}
		return gomail.TLSOpportunistic, nil
	}
	return 0, fmt.Errorf("TLS mode %q: want mandatory, opportunistic or none", cfg.TLS)
}

func authType(a AuthMode) (gomail.SMTPAuthType, error) {
	switch a {
	case AuthAuto, "":
		return gomail.SMTPAuthAutoDiscover, nil
	case AuthPlain:
		return gomail.SMTPAuthPlain, nil
	case AuthLogin:
		return gomail.SMTPAuthLogin, nil
	case AuthCRAMMD5:
		return gomail.SMTPAuthCramMD5, nil
	case AuthSCRAMSHA1:
		return gomail.SMTPAuthSCRAMSHA1, nil
	case AuthSCRAMSHA256:
		return gomail.SMTPAuthSCRAMSHA256, nil
	}
	return "", fmt.Errorf("auth %q: want auto, plain, login, cram-md5, scram-sha-1 or scram-sha-256", a)
}
