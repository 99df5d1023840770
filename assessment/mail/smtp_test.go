package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/mail"
)

func newSender(t *testing.T, rawURL string) *mail.SMTPSender {
	t.Helper()
	cfg, err := mail.ParseSMTPURL(rawURL)
	if err != nil {
		t.Fatalf("ParseSMTPURL: %v", err)
	}
	cfg.Timeout = 5 * time.Second
	s, err := mail.NewSMTPSender(cfg)
	if err != nil {
		t.Fatalf("NewSMTPSender: %v", err)
	}
	s.Now = func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }
	return s
}

func invitation(to string) mail.Message {
	return mail.Message{
		From:      mail.Address{Name: `Acme "People" Team`, Email: "hr@acme.example"},
		ReplyTo:   mail.Address{Name: "Zoë Martin", Email: "zoe@acme.example"},
		To:        mail.Address{Name: "Jürgen O'Neil", Email: to},
		Subject:   "Feedback for Ana Lima – 5 minutes",
		TextBody:  "Hello Jürgen,\n\nPlease answer: https://lead360.example/s/tok_abc-123.\n",
		HTMLBody:  `<p>Hello J&uuml;rgen, <a href="https://lead360.example/s/tok_abc-123">start</a></p>`,
		MessageID: "outbox-42.7f3a@lead360.example",
		Headers:   map[string]string{"X-Lead360-Cycle": "7"},
	}
}

func TestSendMultipartReadBack(t *testing.T) {
	t.Parallel()
	srv := assessmenttest.StartSMTP(t)
	s := newSender(t, srv.URL())

	if err := s.Send(context.Background(), invitation("juergen@example.org")); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.WaitFor(1, 5*time.Second)[0]
	if got.ParseErr != nil {
		t.Fatalf("parse: %v\n%s", got.ParseErr, got.Data)
	}
	checks := []struct{ name, got, want string }{
		{"envelope from", got.EnvelopeFrom, "hr@acme.example"},
		{"envelope to", strings.Join(got.EnvelopeTo, ","), "juergen@example.org"},
		{"subject", got.Subject, "Feedback for Ana Lima – 5 minutes"},
		{"message-id", got.MessageID, "<outbox-42.7f3a@lead360.example>"},
		{"auto-submitted", got.Header.Get("Auto-Submitted"), "auto-generated"},
		{"extra header", got.Header.Get("X-Lead360-Cycle"), "7"},
		{"date", got.Header.Get("Date"), "Mon, 02 Mar 2026 09:00:00 +0000"},
		{"link", got.URL("https://lead360.example/s/"), "https://lead360.example/s/tok_abc-123"},
		{"text", got.Text, "Hello Jürgen,\n\nPlease answer: https://lead360.example/s/tok_abc-123.\n"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if !strings.Contains(got.HTML, `href="https://lead360.example/s/tok_abc-123"`) {
		t.Errorf("HTML part = %q", got.HTML)
	}
	if ct := got.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") {
		t.Errorf("Content-Type = %q, want multipart/alternative", ct)
	}
	from, err := got.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != `Acme "People" Team` {
		t.Errorf("From = %v (%v), want the display name with quotes kept", from, err)
	}
	to, err := got.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "Jürgen O'Neil" {
		t.Errorf("To = %v (%v)", to, err)
	}
	if ua := got.Header.Get("User-Agent") + got.Header.Get("X-Mailer"); ua != "" {
		t.Errorf("mailer advertised: %q", ua)
	}
}

func TestSendRecipientRefused(t *testing.T) {
	t.Parallel()
	srv := assessmenttest.StartSMTP(t)
	s := newSender(t, srv.URL())
	srv.FailRecipient("busy@example.org", 451)
	srv.FailRecipient("gone@example.org", 550)

	err := s.Send(context.Background(), invitation("busy@example.org"))
	t.Logf("451: %v", err)
	if err == nil || !mail.IsTemporary(err) {
		t.Errorf("451: err = %v, IsTemporary = %v, want a temporary error", err, mail.IsTemporary(err))
	}
	err = s.Send(context.Background(), invitation("gone@example.org"))
	t.Logf("550: %v", err)
	if err == nil || mail.IsTemporary(err) {
		t.Errorf("550: err = %v, IsTemporary = %v, want a permanent error", err, mail.IsTemporary(err))
	}
	if !strings.Contains(err.Error(), "outbox-42.7f3a@lead360.example") {
		t.Errorf("error %q does not name the message", err)
	}

	srv.FailRecipient("busy@example.org", 0)
	if err := s.Send(context.Background(), invitation("busy@example.org")); err != nil {
		t.Errorf("after the 451 cleared: %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages accepted, want 1", n)
	}
}

func TestSendOutageIsTemporaryAndRecovers(t *testing.T) {
	t.Parallel()
	srv := assessmenttest.StartSMTP(t)
	s := newSender(t, srv.URL())
	addr := srv.Addr()

	srv.Stop()
	err := s.Send(context.Background(), invitation("a@example.org"))
	t.Logf("server down: %v", err)
	if err == nil || !mail.IsTemporary(err) {
		t.Fatalf("server down: err = %v, IsTemporary = %v, want temporary", err, mail.IsTemporary(err))
	}
	if !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("server down: %v, want connection refused", err)
	}

	srv.Restart()
	if srv.Addr() != addr {
		t.Fatalf("restarted on %s, want %s", srv.Addr(), addr)
	}
	if err := s.Send(context.Background(), invitation("a@example.org")); err != nil {
		t.Fatalf("after restart: %v", err)
	}
	srv.WaitFor(1, 5*time.Second)
}

func TestSendCancelledContextIsTemporary(t *testing.T) {
	t.Parallel()
	srv := assessmenttest.StartSMTP(t)
	s := newSender(t, srv.URL())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.Send(ctx, invitation("a@example.org"))
	t.Logf("cancelled: %v", err)
	if err == nil || !mail.IsTemporary(err) {
		t.Errorf("cancelled: err = %v, IsTemporary = %v, want temporary", err, mail.IsTemporary(err))
	}
}

func TestSendAuth(t *testing.T) {
	t.Parallel()
	srv := assessmenttest.StartSMTP(t)
	srv.RequireAuth("mailer", "s3cret")

	if err := newSender(t, srv.URL()).Send(context.Background(), invitation("a@example.org")); err != nil {
		t.Fatalf("with the right password: %v", err)
	}
	wrong := strings.Replace(srv.URL(), "s3cret", "wrong", 1)
	err := newSender(t, wrong).Send(context.Background(), invitation("a@example.org"))
	t.Logf("wrong password: %v", err)
	if err == nil || mail.IsTemporary(err) {
		t.Errorf("wrong password: err = %v, IsTemporary = %v, want permanent (535)", err, mail.IsTemporary(err))
	}
	if err != nil && strings.Contains(err.Error(), "wrong") {
		t.Errorf("error leaks the password: %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages accepted, want 1", n)
	}
}

func TestSendRejectsInvalidMessageWithoutConnecting(t *testing.T) {
	t.Parallel()
	srv := assessmenttest.StartSMTP(t)
	s := newSender(t, srv.URL())
	msg := invitation("a@example.org")
	msg.Subject = "Hi\r\nBcc: victim@example.org"
	err := s.Send(context.Background(), msg)
	if !errors.Is(err, mail.ErrInvalidMessage) || mail.IsTemporary(err) {
		t.Errorf("CRLF subject: err = %v, want a permanent ErrInvalidMessage", err)
	}
	if srv.Attempts() != 0 {
		t.Errorf("server saw %d attempts, want 0", srv.Attempts())
	}
}
