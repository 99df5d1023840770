package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/mail"
)

const testSecretKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

// Where emails go without an SMTP server, and what start-up warns about:
// the log only in development mode (explicit, or a base URL on this
// machine, as with the README's first command); otherwise nowhere. A key
// file in the data directory is worth a warning when the base URL is not
// on this machine.
func TestDevelopmentModeDecidesWhereEmailsGo(t *testing.T) {
	t.Parallel()
	const (
		devWarning    = "development mode ("
		noSMTPWarning = "no SMTP server set (LEAD360_SMTP_URL): no email will be sent"
		keyWarning    = "set LEAD360_SECRET_KEY from a secret store"
	)
	tests := []struct {
		name   string
		vars   map[string]string
		sender string // log, failing or smtp
		warn   []string
		quiet  []string
	}{
		{"the README's first command", nil, "log", []string{devWarning + "the base URL http://localhost:8080 is on this machine"}, []string{noSMTPWarning, keyWarning}},
		{"loopback IPv6", map[string]string{"LEAD360_BASE_URL": "http://[::1]:8080"}, "log", []string{devWarning}, []string{keyWarning}},
		{"loopback IPv4", map[string]string{"LEAD360_BASE_URL": "http://127.0.0.1:9000"}, "log", []string{devWarning}, []string{keyWarning}},
		{"a public base URL", map[string]string{"LEAD360_BASE_URL": "https://360.acme.example"}, "failing", []string{noSMTPWarning, keyWarning}, []string{devWarning}},
		{"a public base URL and a key", map[string]string{"LEAD360_BASE_URL": "https://360.acme.example", "LEAD360_SECRET_KEY": testSecretKey}, "failing", []string{noSMTPWarning}, []string{keyWarning}},
		{"development asked for", map[string]string{"LEAD360_BASE_URL": "https://dev.acme.example", "LEAD360_DEV_MODE": "true"}, "log", []string{devWarning + "LEAD360_DEV_MODE=true", keyWarning}, []string{noSMTPWarning}},
		{"development turned off on loopback", map[string]string{"LEAD360_DEV_MODE": "false"}, "failing", []string{noSMTPWarning}, []string{devWarning}},
		{"an SMTP server", map[string]string{"LEAD360_BASE_URL": "https://360.acme.example", "LEAD360_SMTP_URL": "smtp://127.0.0.1:2525?tls=none",
			"LEAD360_SMTP_FROM": "HR <hr@acme.example>", "LEAD360_SECRET_KEY": testSecretKey}, "smtp", nil, []string{devWarning, noSMTPWarning, keyWarning}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{"LEAD360_DATA_DIR": t.TempDir()}
			for k, v := range tc.vars {
				vars[k] = v
			}
			cfg, err := parseConfig("serve", nil, env(vars), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			var logged bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logged, nil))
			sender, err := cfg.mailSender(log)
			if err != nil {
				t.Fatal(err)
			}
			kind := "log"
			switch sender.(type) {
			case mail.FailingSender:
				kind = "failing"
			case *mail.SMTPSender:
				kind = "smtp"
			}
			if kind != tc.sender {
				t.Errorf("sender %T, want the %s sender", sender, tc.sender)
			}
			cfg.warnAboutLinks(log)
			for _, want := range tc.warn {
				if !strings.Contains(logged.String(), want) {
					t.Errorf("start-up does not warn %q:\n%s", want, logged.String())
				}
			}
			for _, not := range tc.quiet {
				if strings.Contains(logged.String(), not) {
					t.Errorf("start-up warns %q:\n%s", not, logged.String())
				}
			}
		})
	}
}

// End to end, as `lead360 serve` runs: opening a cycle sends survey links
// and a password link. Outside development mode with no SMTP server none of
// them reaches the log: each email fails, recorded where HR sees it (the
// invitation, the audit log). In development mode the log has them, so the
// README's newcomer can follow them.
func TestLinksReachTheLogOnlyInDevelopmentMode(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		for _, dev := range []bool{false, true} {
			name := string(e.Name) + map[bool]string{true: "/development", false: "/production"}[dev]
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				vars := engineEnv(t, e)
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				base := "https://360.acme.example"
				if dev {
					base = "http://" + ln.Addr().String()
				}
				vars["LEAD360_BASE_URL"] = base
				st, c := draftCycle(t, vars, 1)
				// Two survey emails and the leader's invitation to set a password.
				if err := run(ctx, []string{"cycle", "open", "--cycle", c.ID}, env(vars), io.Discard, io.Discard); err != nil {
					t.Fatalf("cycle open: %v", err)
				}
				logged := &lockedBuffer{}
				serveInProcess(t, vars, ln, logged)
				if dev {
					assessmenttest.WaitFor(t, "two survey links and a password link in the log", func() bool {
						s := logged.String()
						return strings.Count(s, base+"/s/") == 2 && strings.Contains(s, base+"/password/reset/")
					})
					if !strings.Contains(logged.String(), "level=WARN msg=\"development mode (the base URL "+base+" is on this machine)") {
						t.Errorf("no development-mode warning at start:\n%s", logged.String())
					}
					return
				}
				assessmenttest.WaitFor(t, "both invitations and the leader's account email recorded as failed", func() bool {
					var failed, audited int
					err := st.DB().QueryRow(`SELECT (SELECT count(*) FROM invitations WHERE failure LIKE '%no mail server configured%'),
(SELECT count(*) FROM audit_log WHERE action = 'email.failed' AND detail LIKE '%no mail server configured%')`).Scan(&failed, &audited)
					return err == nil && failed == 2 && audited == 1
				})
				s := logged.String()
				for _, leak := range []string{"/s/", "/password/reset/", base + "/"} {
					if strings.Contains(s, leak) {
						t.Errorf("a link (%q) reached the log outside development mode:\n%s", leak, s)
					}
				}
				for _, want := range []string{"level=WARN msg=\"no SMTP server set", "level=WARN msg=\"the key that seals survey and password links is a file in the data directory",
					"no mail server configured"} {
					if !strings.Contains(s, want) {
						t.Errorf("the log does not say %q:\n%s", want, s)
					}
				}
				if got, err := st.Cycle(ctx, c.OrganizationID, c.ID); err != nil || got.Status != assessment.StatusOpen {
					t.Fatalf("cycle: %v, %v", got.Status, err)
				}
			})
		}
	}
}

// lockedBuffer is a log the server's goroutines write while the test reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
