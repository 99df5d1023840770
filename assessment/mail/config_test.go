package mail_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/textproto"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment/mail"
)

func TestParseSMTPURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want mail.Config
	}{
		{"smtp://user:p%40ss@mail.example.com:587", mail.Config{
			Host: "mail.example.com", Port: 587, Username: "user", Password: "p@ss",
			TLS: mail.TLSOpportunistic, Auth: mail.AuthAuto, Timeout: 15 * time.Second}},
		{"smtps://user:pw@mail.example.com", mail.Config{
			Host: "mail.example.com", Port: 465, Username: "user", Password: "pw", ImplicitTLS: true,
			TLS: mail.TLSMandatory, Auth: mail.AuthAuto, Timeout: 15 * time.Second}},
		{"smtp://mail.example.com", mail.Config{
			Host: "mail.example.com", Port: 587, TLS: mail.TLSOpportunistic, Auth: mail.AuthAuto, Timeout: 15 * time.Second}},
		{"smtp://127.0.0.1:2525?tls=none&from=HR%20Team%20<hr@acme.example>&timeout=3s", mail.Config{
			Host: "127.0.0.1", Port: 2525, TLS: mail.TLSNone, Auth: mail.AuthAuto, Timeout: 3 * time.Second,
			From: mail.Address{Name: "HR Team", Email: "hr@acme.example"}}},
		{"smtp://u:p@[::1]:25?tls=MANDATORY&auth=plain", mail.Config{
			Host: "::1", Port: 25, Username: "u", Password: "p", TLS: mail.TLSMandatory, Auth: mail.AuthPlain, Timeout: 15 * time.Second}},
	}
	for _, tt := range tests {
		got, err := mail.ParseSMTPURL(tt.raw)
		if err != nil {
			t.Errorf("ParseSMTPURL(%q): %v", tt.raw, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseSMTPURL(%q)\n got %#v\nwant %#v", tt.raw, got, tt.want)
		}
	}
}

func TestParseSMTPURLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ raw, wantInErr string }{
		{"", "scheme"},
		{"mail.example.com:587", "scheme"},
		{"http://mail.example.com", "scheme"},
		{"smtp://", "no host"},
		{"smtp://u:topsecret@mail.example.com:99999", "port"},
		{"smtp://u:topsecret@mail.example.com:0", "port"},
		{"smtp://u:topsecret@mail.example.com?tls=maybe", "tls="},
		{"smtps://u:topsecret@mail.example.com?tls=none", "contradicts"},
		{"smtps://u:topsecret@mail.example.com?tls=opportunistic", "contradicts"},
		{"smtp://u:topsecret@mail.example.com?auth=magic", "auth="},
		{"smtp://mail.example.com?auth=plain", "without a user"},
		{"smtp://u:topsecret@mail.example.com?from=not-an-address", "from="},
		{"smtp://u:topsecret@mail.example.com?timeout=-1s", "timeout="},
		{"smtp://u:topsecret@mail.example.com?tsl=none", `unknown parameter "tsl"`},
		{"smtp://u:topsecret@mail.example.com?tls=none&tls=mandatory", "tls given 2 times"},
		{"smtp://u:topsecret@mail.example.com/path", "path"},
		{"smtp://:topsecret@mail.example.com", "user name"},
		{"smtp://u:top secret%zz@mail.example.com", "not a valid URL"},
	}
	for _, tt := range tests {
		_, err := mail.ParseSMTPURL(tt.raw)
		if err == nil {
			t.Errorf("ParseSMTPURL(%q): no error, want one about %s", tt.raw, tt.wantInErr)
			continue
		}
		if !strings.Contains(err.Error(), tt.wantInErr) {
			t.Errorf("ParseSMTPURL(%q) = %q, want it to mention %q", tt.raw, err, tt.wantInErr)
		}
		if strings.Contains(err.Error(), "topsecret") {
			t.Errorf("ParseSMTPURL(%q) leaks the password: %q", tt.raw, err)
		}
	}
}

func TestConfigRedacted(t *testing.T) {
	t.Parallel()
	cfg, err := mail.ParseSMTPURL("smtps://mailer:topsecret@mail.example.com?from=hr@acme.example")
	if err != nil {
		t.Fatal(err)
	}
	want := "smtps://mailer:xxxxx@mail.example.com:465?auth=auto&from=%3Chr%40acme.example%3E&timeout=15s&tls=mandatory"
	for _, got := range []string{cfg.Redacted(), cfg.String(), fmt.Sprint(cfg), fmt.Sprintf("%v %+v", cfg, cfg)} {
		if strings.Contains(got, "topsecret") {
			t.Errorf("leaks the password: %s", got)
		}
	}
	if got := fmt.Sprintf("%#v", cfg); strings.Contains(got, "topsecret") {
		t.Errorf("%%#v leaks the password: %s", got)
	}
	if got := cfg.Redacted(); got != want {
		t.Errorf("Redacted() = %s, want %s", got, want)
	}
	// The redacted form parses back to the same settings (bar the password).
	back, err := mail.ParseSMTPURL(cfg.Redacted())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Password = "xxxxx"
	if back != cfg {
		t.Errorf("round trip: %#v != %#v", back, cfg)
	}
}

func TestMessageValidate(t *testing.T) {
	t.Parallel()
	ok := mail.Message{
		To: mail.Address{Name: "Ana", Email: "ana@example.org"}, Subject: "Hi",
		TextBody: "text", MessageID: "a.1@lead360.example",
	}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid message: %v", err)
	}
	tests := map[string]func(*mail.Message){
		"CRLF in subject":      func(m *mail.Message) { m.Subject = "Hi\r\nBcc: x@example.org" },
		"LF in to name":        func(m *mail.Message) { m.To.Name = "Ana\nBcc: x@example.org" },
		"CR in from name":      func(m *mail.Message) { m.From = mail.Address{Name: "HR\r", Email: "hr@example.org"} },
		"two addresses in to":  func(m *mail.Message) { m.To.Email = "a@example.org, b@example.org" },
		"name in to email":     func(m *mail.Message) { m.To.Email = "Ana <ana@example.org>" },
		"no to":                func(m *mail.Message) { m.To.Email = "" },
		"empty subject":        func(m *mail.Message) { m.Subject = " " },
		"empty text":           func(m *mail.Message) { m.TextBody = "" },
		"no message id":        func(m *mail.Message) { m.MessageID = "" },
		"bracketed message id": func(m *mail.Message) { m.MessageID = "<a@b>" },
		"message id no at":     func(m *mail.Message) { m.MessageID = "abc" },
		"message id space":     func(m *mail.Message) { m.MessageID = "a b@c" },
		"reserved header":      func(m *mail.Message) { m.Headers = map[string]string{"bcc": "x@example.org"} },
		"header name colon":    func(m *mail.Message) { m.Headers = map[string]string{"X-A:": "1"} },
		"header value CRLF":    func(m *mail.Message) { m.Headers = map[string]string{"X-A": "1\r\nBcc: x@example.org"} },
		"invalid UTF-8 body":   func(m *mail.Message) { m.TextBody = "\xff" },
	}
	for name, mutate := range tests {
		m := ok
		mutate(&m)
		err := m.Validate()
		if !errors.Is(err, mail.ErrInvalidMessage) {
			t.Errorf("%s: Validate() = %v, want ErrInvalidMessage", name, err)
		}
	}
}

func TestIsTemporary(t *testing.T) {
	t.Parallel()
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"421 greeting", fmt.Errorf("dial failed: %w", &textproto.Error{Code: 421, Msg: "busy"}), true},
		{"454 auth", fmt.Errorf("SMTP AUTH failed: %w", &textproto.Error{Code: 454, Msg: "later"}), true},
		{"535 auth", fmt.Errorf("SMTP AUTH failed: %w", &textproto.Error{Code: 535, Msg: "no"}), false},
		{"refused", fmt.Errorf("dial failed: %w", refused), true},
		{"timeout", &net.OpError{Op: "read", Err: timeoutErr{}}, true},
		{"dns", &net.DNSError{Err: "no such host", Name: "smtp.invalid", IsNotFound: true}, true},
		{"cancelled", fmt.Errorf("x: %w", context.Canceled), true},
		{"invalid message", fmt.Errorf("x: %w", mail.ErrInvalidMessage), false},
		{"STARTTLS missing", errors.New(`STARTTLS mode set to: "TLSMandatory", but target host does not support STARTTLS`), false},
	}
	for _, tt := range tests {
		if got := mail.IsTemporary(tt.err); got != tt.want {
			t.Errorf("IsTemporary(%s: %v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestLogSender(t *testing.T) {
	t.Parallel()
	var buf strings.Builder
	s := mail.NewLogSender(slog.New(slog.NewTextHandler(&buf, nil)))
	msg := mail.Message{
		To: mail.Address{Name: "Ana", Email: "ana@example.org"}, Subject: "Feedback for Bo",
		TextBody: "Answer here: https://lead360.example/s/tok123", MessageID: "a.1@lead360.example",
	}
	if err := s.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ana@example.org", "Feedback for Bo", "https://lead360.example/s/tok123", "a.1@lead360.example"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log %q lacks %q", buf.String(), want)
		}
	}
	msg.Subject = "a\nb"
	if err := s.Send(context.Background(), msg); !errors.Is(err, mail.ErrInvalidMessage) {
		t.Errorf("LogSender accepted a CRLF subject: %v", err)
	}
}

// Without a mail server outside development, every email fails for good
// (the outbox records it for HR instead of retrying), with the reason.
func TestFailingSender(t *testing.T) {
	t.Parallel()
	msg := mail.Message{To: mail.Address{Email: "ana@example.org"}, Subject: "s", TextBody: "https://lead360.example/s/tok123", MessageID: "a.1@lead360.example"}
	err := mail.FailingSender{Reason: "not sent: no mail server"}.Send(context.Background(), msg)
	if err == nil || err.Error() != "not sent: no mail server" || mail.IsTemporary(err) {
		t.Fatalf("err = %v (temporary %v), want the reason, for good", err, mail.IsTemporary(err))
	}
}
