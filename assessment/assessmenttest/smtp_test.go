package assessmenttest_test

import (
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment/assessmenttest"
)

// rawMessage is multipart/alternative with a base64 text part and a
// quoted-printable HTML part, as other mailers write them.
const rawMessage = "From: hr@acme.example\r\n" +
	"To: ana@example.org\r\n" +
	"Subject: =?UTF-8?q?Caf=C3=A9_feedback?=\r\n" +
	"Message-ID: <m1@acme.example>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/alternative; boundary=BOUND\r\n" +
	"\r\n" +
	"--BOUND\r\n" +
	"Content-Type: text/plain; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"TGluazogaHR0cHM6Ly9sZWFkMzYwLmV4YW1wbGUvcy9hYmMuIFRoYW5rcyE=\r\n" + // "Link: https://lead360.example/s/abc. Thanks!"
	"--BOUND\r\n" +
	"Content-Type: text/html; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"<a href=3D\"https://lead360.example/s/abc\">Caf=C3=A9</a>\r\n" +
	"--BOUND--\r\n"

func send(addr, to string) error {
	return smtp.SendMail(addr, nil, "hr@acme.example", []string{to}, []byte(rawMessage))
}

func TestSMTPServerCapturesAndDecodes(t *testing.T) {
	t.Parallel()
	srv := assessmenttest.StartSMTP(t)
	if !strings.HasPrefix(srv.URL(), "smtp://127.0.0.1:") || !strings.HasSuffix(srv.URL(), "?tls=none") {
		t.Errorf("URL() = %q", srv.URL())
	}
	if err := send(srv.Addr(), "ana@example.org"); err != nil {
		t.Fatal(err)
	}
	m := srv.WaitFor(1, 5*time.Second)[0]
	if m.ParseErr != nil {
		t.Fatal(m.ParseErr)
	}
	if m.EnvelopeFrom != "hr@acme.example" || len(m.EnvelopeTo) != 1 || m.EnvelopeTo[0] != "ana@example.org" {
		t.Errorf("envelope %q -> %q", m.EnvelopeFrom, m.EnvelopeTo)
	}
	if m.Subject != "Café feedback" || m.MessageID != "<m1@acme.example>" {
		t.Errorf("subject %q, message-id %q", m.Subject, m.MessageID)
	}
	if m.Text != "Link: https://lead360.example/s/abc. Thanks!" {
		t.Errorf("text = %q", m.Text)
	}
	if m.HTML != `<a href="https://lead360.example/s/abc">Café</a>` {
		t.Errorf("html = %q", m.HTML)
	}
	if got := m.URL("https://lead360.example/"); got != "https://lead360.example/s/abc" {
		t.Errorf("URL = %q (trailing full stop must go)", got)
	}
	if got := m.URL("https://elsewhere/"); got != "" {
		t.Errorf("URL(other prefix) = %q, want empty", got)
	}
}

func TestSMTPServerFailuresAndRestart(t *testing.T) {
	t.Parallel()
	srv := assessmenttest.StartSMTP(t)
	srv.FailRecipient("Busy@Example.org", 451)
	srv.FailRecipient("gone@example.org", 550)

	if err := send(srv.Addr(), "busy@example.org"); err == nil || !strings.HasPrefix(err.Error(), "451") {
		t.Errorf("busy: %v, want 451", err)
	}
	if err := send(srv.Addr(), "gone@example.org"); err == nil || !strings.HasPrefix(err.Error(), "550") {
		t.Errorf("gone: %v, want 550", err)
	}

	addr := srv.Addr()
	srv.Stop()
	srv.Stop() // idempotent
	if err := send(addr, "ana@example.org"); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("stopped: %v, want connection refused", err)
	}
	srv.Restart()
	if srv.Addr() != addr {
		t.Errorf("restarted on %s, want %s", srv.Addr(), addr)
	}
	srv.FailRecipient("busy@example.org", 0)
	if err := send(srv.Addr(), "busy@example.org"); err != nil {
		t.Errorf("after restart: %v", err)
	}
	if got := len(srv.WaitFor(1, 5*time.Second)); got != 1 {
		t.Errorf("%d messages, want 1", got)
	}
	if srv.Attempts() != 3 {
		t.Errorf("Attempts() = %d, want 3 (the refused connection never reached MAIL)", srv.Attempts())
	}
}

func TestSMTPServerAuth(t *testing.T) {
	t.Parallel()
	srv := assessmenttest.StartSMTP(t)
	srv.RequireAuth("mailer", "pw")
	if err := send(srv.Addr(), "ana@example.org"); err == nil {
		t.Error("unauthenticated mail accepted")
	}
	auth := smtp.PlainAuth("", "mailer", "pw", "127.0.0.1")
	if err := smtp.SendMail(srv.Addr(), auth, "hr@acme.example", []string{"ana@example.org"}, []byte(rawMessage)); err != nil {
		t.Errorf("authenticated: %v", err)
	}
	if !strings.HasPrefix(srv.URL(), "smtp://mailer:pw@127.0.0.1:") {
		t.Errorf("URL() = %q", srv.URL())
	}
}
