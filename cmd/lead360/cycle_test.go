package main

import (
	"bytes"
	"cmp"
	"context"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment/assessmenttest"
)

// `lead360 cycle open` queues the invitations; the server sends them with
// links under LEAD360_BASE_URL, and the link opens the survey.
func TestCycleOpenThenServeSendsWorkingLinks(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			vars := engineEnv(t, e)
			smtp := assessmenttest.StartSMTP(t)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			base := "http://" + ln.Addr().String()
			vars["LEAD360_SMTP_URL"] = smtp.URL()
			vars["LEAD360_SMTP_FROM"] = "People team <hr@example.com>"
			vars["LEAD360_BASE_URL"] = base
			vars["LEAD360_SECRET_KEY"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
			vars["LEAD360_LOG_LEVEL"] = "error"
			_, c := draftCycle(t, vars, 0)

			var out bytes.Buffer
			if err := run(ctx, []string{"cycle", "open", "--cycle", c.ID}, env(vars), &out, io.Discard); err != nil {
				t.Fatalf("cycle open: %v", err)
			}
			if !strings.Contains(out.String(), "1 invitations in 1 emails") {
				t.Fatalf("cycle open said %q", out.String())
			}

			serveInProcess(t, vars, ln, io.Discard)
			// Ana's survey link, and her invitation to set a dashboard password.
			msgs := smtp.WaitFor(2, 60*time.Second)
			var link, invite string
			for _, m := range msgs {
				if m.Header.Get("From") == "" {
					t.Fatalf("email without a sender:\n%s", m.Text)
				}
				link, invite = cmp.Or(link, m.URL(base+"/s/")), cmp.Or(invite, m.URL(base+"/password/reset/"))
			}
			if link == "" || invite == "" {
				t.Fatalf("emails without a survey link or a password link: %d", len(msgs))
			}
			resp, err := http.Get(link)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Your self-assessment") {
				t.Fatalf("GET %s: %d", link, resp.StatusCode)
			}
		})
	}
}

// -h prints a command's usage with the flags it uses, and only those, and
// is not a failure.
func TestHelpListsOnlyTheFlagsACommandUses(t *testing.T) {
	t.Parallel()
	never := []string{"addr", "smtp-url", "smtp-from", "dev-mode"}
	tests := []struct {
		args      []string
		want, not []string
	}{
		{[]string{"cycle", "create", "-h"}, []string{"org", "name", "opens", "closes", "form", "threshold", "json", "database-url", "data-dir"}, []string{"cycle", "base-url"}},
		{[]string{"cycle", "import", "--help"}, []string{"cycle", "json", "database-url"}, []string{"org", "base-url"}},
		{[]string{"cycle", "open", "-h"}, []string{"cycle", "json", "base-url", "secret-key"}, []string{"org"}},
		{[]string{"cycle", "close", "-h"}, []string{"cycle", "json"}, []string{"org", "base-url"}},
		{[]string{"cycle", "release", "-h"}, []string{"cycle", "confirm-exclusions", "json"}, []string{"org", "base-url"}},
		{[]string{"cycle", "list", "-h"}, []string{"org", "json", "log-level"}, []string{"cycle", "base-url"}},
		{[]string{"report", "-h"}, []string{"cycle", "participant", "csv", "database-url"}, []string{"json", "base-url"}},
		{[]string{"score", "-h"}, []string{"cycle", "re-release", "database-url"}, []string{"json", "base-url"}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			out, errOut, code := runCLI(t, nil, tc.args...)
			if code != exitOK || out != "" || !strings.Contains(errOut, "Usage:\n  lead360 "+tc.args[0]) {
				t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, out, errOut)
			}
			for _, name := range tc.want {
				if !regexp.MustCompile(`(?m)^  -` + name + `\b`).MatchString(errOut) {
					t.Errorf("the usage lacks -%s:\n%s", name, errOut)
				}
			}
			for _, name := range append(tc.not, never...) {
				if regexp.MustCompile(`(?m)^  -` + name + `\b`).MatchString(errOut) {
					t.Errorf("the usage lists -%s, which the command does not use", name)
				}
			}
		})
	}
	if out, _, code := runCLI(t, nil, "cycle", "--help"); code != exitOK || !strings.Contains(out, "lead360 cycle release --cycle ID") {
		t.Errorf("cycle --help: exit %d, stdout:\n%s", code, out)
	}
}

// Exit status: 2 for a command line that cannot run as written, 1 for
// work that fails, 0 for done or help.
func TestExitStatusTellsAWrongCommandLineFromAFailure(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"LEAD360_DATA_DIR": t.TempDir(), "LEAD360_SECRET_KEY": testSecretKey, "LEAD360_LOG_LEVEL": "error"}
	tests := []struct {
		args []string
		code int
		says string
	}{
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{[]string{"cycle"}, exitUsage, "name an action"},
		{[]string{"cycle", "reopen"}, exitUsage, `unknown action "reopen"`},
		{[]string{"cycle", "open"}, exitUsage, "--cycle is required"},
		{[]string{"cycle", "open", "--cycle", "x", "now"}, exitUsage, `unexpected argument "now"`},
		{[]string{"cycle", "close", "--cycle"}, exitUsage, "flag needs an argument"},
		{[]string{"cycle", "release", "--cycle", "x", "--smtp-url", "smtp://mail"}, exitUsage, "flag provided but not defined: -smtp-url"},
		{[]string{"cycle", "import", "--cycle", "x"}, exitUsage, "name the CSV file"},
		{[]string{"cycle", "create", "--org", "Acme", "--name", "N", "--opens", "2026-01-01"}, exitUsage, "--closes is required"},
		{[]string{"cycle", "create", "--org", "Acme", "--name", "N", "--opens", "2026-01-01", "--closes", "soon"}, exitUsage, `--closes "soon" is not a day`},
		{[]string{"cycle", "create", "--org", "Acme", "--name", "N", "--opens", "2026-01-01", "--closes", "2026-01-09", "--threshold", "many"}, exitUsage, "invalid value"},
		{[]string{"cycle", "list"}, exitUsage, "--org is required"},
		{[]string{"report", "--cycle", "c", "-o", "a.pdf"}, exitUsage, "use exactly one of"},
		{[]string{"score", "-f", "in.json", "--cycle", "c"}, exitUsage, "not both"},
		{[]string{"admin", "create", "--email", "ana@example.com"}, exitUsage, "--email and --org are required"},
		{[]string{"migrate", "extra"}, exitUsage, `unexpected argument "extra"`},
		{[]string{"cycle", "open", "--cycle", "no-such-cycle"}, exitFailure, "cycle open --cycle no-such-cycle"},
		{[]string{"cycle", "list", "--org", "Nobody"}, exitFailure, `no organisation named "Nobody"`},
		{[]string{"report", "--cycle", "no-such-cycle", "--csv", "-o", "-"}, exitFailure, "not found"},
		{[]string{"version"}, exitOK, ""},
		{[]string{"help"}, exitOK, ""},
		{[]string{"migrate", "-h"}, exitOK, ""},
		{[]string{"admin", "--help"}, exitOK, ""},
	}
	for _, tc := range tests {
		_, errOut, code := runCLI(t, vars, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.says) {
			t.Errorf("%q: exit %d, want %d saying %q; stderr:\n%s", tc.args, code, tc.code, tc.says, errOut)
		}
	}
}
