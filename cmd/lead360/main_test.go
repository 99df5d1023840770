package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

// env builds a getenv over a map, so tests never read the real environment.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// engineEnv is the environment that points lead360 at a fresh database of e.
func engineEnv(t *testing.T, e assessmenttest.Engine) map[string]string {
	t.Helper()
	cfg := assessmenttest.DatabaseURL(t, e)
	return map[string]string{"LEAD360_DATABASE_URL": cfg.DatabaseURL, "LEAD360_DATA_DIR": cfg.DataDir}
}

// organization migrates the database that vars name and makes, through
// the domain, the organisation name with the built-in questionnaires. The
// store is closed when the test ends.
func organization(t *testing.T, vars map[string]string, name string) (*store.Store, *assessment.Service, assessment.Organization) {
	t.Helper()
	ctx := context.Background()
	if err := run(ctx, []string{"migrate"}, env(vars), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, store.Config{DatabaseURL: vars["LEAD360_DATABASE_URL"], DataDir: vars["LEAD360_DATA_DIR"]})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := assessment.NewService(st, assessmenttest.Tokens(), nil)
	org, err := svc.CreateOrganization(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.EnsureBuiltinInstruments(ctx); err != nil {
		t.Fatal(err)
	}
	return st, svc, org
}

// draftCycle makes, in organisation Acme (see organization), the draft
// cycle "Spring" (two weeks from now) with Ana Lima as its leader and
// peers peers, rater0@example.com and on.
func draftCycle(t *testing.T, vars map[string]string, peers int) (*store.Store, assessment.Cycle) {
	t.Helper()
	ctx := context.Background()
	st, svc, org := organization(t, vars, "Acme")
	in, _, err := svc.EnsureBuiltinInstruments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	c, err := svc.CreateCycle(ctx, assessment.CycleDraft{OrganizationID: org.ID, InstrumentID: in.ID, Name: "Spring", OpensAt: now, ClosesAt: now.AddDate(0, 0, 14)})
	if err != nil {
		t.Fatal(err)
	}
	p, err := svc.AddParticipant(ctx, org.ID, c.ID, assessment.PersonInput{Name: "Ana Lima", Email: "ana@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range peers {
		if _, err := svc.AddRater(ctx, org.ID, p.ID, assessment.PersonInput{Name: fmt.Sprintf("Rater %d", i), Email: fmt.Sprintf("rater%d@example.com", i)}, assessment.Peer); err != nil {
			t.Fatal(err)
		}
	}
	return st, c
}

// runCLI runs lead360 with args on the configuration vars give, and
// returns what it wrote (stderr ends with the error line main would
// print) and the exit status main would give.
func runCLI(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, env(vars), &out, &errOut)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		errOut.WriteString("lead360: " + err.Error() + "\n")
	}
	return out.String(), errOut.String(), exitCode(err)
}

// auditOf lists the organisation's audit entries of the action about
// subjectID, newest first, as the store reads them for the audit page.
func auditOf(t *testing.T, st *store.Store, orgID, action, subjectID string) []assessment.AuditRecord {
	t.Helper()
	entries, err := st.AuditEntries(context.Background(), orgID, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []assessment.AuditRecord
	for _, e := range entries {
		if e.Action == action && e.SubjectID == subjectID {
			out = append(out, e)
		}
	}
	return out
}

// checkOperatorEntry fails unless the entries are one entry without an
// account whose actor label says the command line's command recorded it.
func checkOperatorEntry(t *testing.T, entries []assessment.AuditRecord, command string) {
	t.Helper()
	if len(entries) != 1 || entries[0].ActorUserID != "" ||
		!strings.HasSuffix(entries[0].ActorLabel, "from the command line (lead360 "+command+")") {
		t.Errorf("%s: audit entries %+v, want one without an actor naming the operator and the command", command, entries)
	}
}

// serveInProcess runs the server as `lead360 serve` wires it (newApp), on
// ln with the configuration vars give and its log written to logw, until
// the test ends; a failed start or stop fails the test.
func serveInProcess(t *testing.T, vars map[string]string, ln net.Listener, logw io.Writer) {
	t.Helper()
	cfg, err := parseConfig("serve", nil, env(vars), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := newApp(ctx, cfg, cfg.logger(logw))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- a.serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
}

func TestBadConfigurationStopsWithOneLineNamingTheSetting(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { busy.Close() })
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		vars map[string]string
		want string
	}{
		{"unparsable database URL", map[string]string{"LEAD360_DATABASE_URL": "postgres//nohost"}, "LEAD360_DATABASE_URL: not a postgres:// URL"},
		{"other database scheme", map[string]string{"LEAD360_DATABASE_URL": "mysql://root@localhost/x"}, "LEAD360_DATABASE_URL"},
		{"address in use", map[string]string{"LEAD360_ADDR": busy.Addr().String(), "LEAD360_DATA_DIR": t.TempDir()}, "LEAD360_ADDR: cannot listen on " + busy.Addr().String() + ": bind: address already in use"},
		{"data dir is a file", map[string]string{"LEAD360_DATA_DIR": notADir}, "LEAD360_DATA_DIR: cannot create"},
		{"base URL", map[string]string{"LEAD360_DATA_DIR": t.TempDir(), "LEAD360_BASE_URL": "localhost:8080"}, "LEAD360_BASE_URL"},
		{"log level", map[string]string{"LEAD360_DATA_DIR": t.TempDir(), "LEAD360_LOG_LEVEL": "loud"}, "LEAD360_LOG_LEVEL"},
		{"development mode", map[string]string{"LEAD360_DATA_DIR": t.TempDir(), "LEAD360_DEV_MODE": "maybe"}, `LEAD360_DEV_MODE: "maybe" is not true, false or auto`},
		{"webhook private targets", map[string]string{"LEAD360_DATA_DIR": t.TempDir(), "LEAD360_WEBHOOK_ALLOW_PRIVATE": "sometimes"},
			`LEAD360_WEBHOOK_ALLOW_PRIVATE: "sometimes" is not true or false`},
		{"trusted proxies", map[string]string{"LEAD360_DATA_DIR": t.TempDir(), "LEAD360_TRUSTED_PROXIES": "10.0.0.0/8, the-load-balancer"},
			`LEAD360_TRUSTED_PROXIES: "the-load-balancer" is not an address or a CIDR such as 10.0.0.0/8`},
		{"job rescue", map[string]string{"LEAD360_DATA_DIR": t.TempDir(), "LEAD360_JOB_RESCUE_AFTER": "soon"},
			`LEAD360_JOB_RESCUE_AFTER: "soon" is not a duration of at least 2s`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := run(context.Background(), []string{"serve"}, env(tc.vars), io.Discard, io.Discard)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to start with %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
		})
	}
}

func TestMigrateAndDemoAreIdempotent(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			vars := engineEnv(t, e)
			ctx := context.Background()
			for i := 0; i < 2; i++ {
				var out bytes.Buffer
				if err := run(ctx, []string{"migrate"}, env(vars), &out, io.Discard); err != nil {
					t.Fatalf("migrate #%d: %v", i+1, err)
				}
				if !strings.Contains(out.String(), "up to date") {
					t.Fatalf("migrate said %q", out.String())
				}
			}
			var first, second bytes.Buffer
			if err := run(ctx, []string{"demo"}, env(vars), &first, io.Discard); err != nil {
				t.Fatalf("demo: %v", err)
			}
			if !strings.Contains(first.String(), "Password:") || !strings.Contains(first.String(), "12 leaders") {
				t.Fatalf("first demo said %q", first.String())
			}
			if err := run(ctx, []string{"demo"}, env(vars), &second, io.Discard); err != nil {
				t.Fatalf("demo again: %v", err)
			}
			if !strings.Contains(second.String(), "already loaded") {
				t.Fatalf("second demo said %q", second.String())
			}
		})
	}
}

// SIGTERM cancels run's context (signal.NotifyContext in main); a request
// already in flight must still complete, and serve must return cleanly.
func TestShutdownLetsInFlightRequestsFinish(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := newTestApp(t, ctx)
	started := make(chan struct{})
	a.echo.GET("/slow", func(c echo.Context) error {
		close(started)
		time.Sleep(500 * time.Millisecond)
		return c.String(http.StatusOK, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- a.serve(ctx, ln) }()

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-started
	cancel()
	r := <-got
	if r.err != nil || r.body != "finished" {
		t.Fatalf("in-flight request: %q, %v", r.body, r.err)
	}
	if err := <-served; err != nil {
		t.Fatalf("serve returned %v, want nil", err)
	}
}

// newTestApp is the server on a fresh SQLite database, not yet serving.
func newTestApp(t *testing.T, ctx context.Context) *app {
	t.Helper()
	cfg, err := parseConfig("serve", nil, env(map[string]string{"LEAD360_DATA_DIR": t.TempDir(), "LEAD360_LOG_LEVEL": "error"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	a, err := newApp(ctx, cfg, cfg.logger(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestUnknownCommand(t *testing.T) {
	t.Parallel()
	if err := run(context.Background(), []string{"frobnicate"}, env(nil), io.Discard, io.Discard); err == nil {
		t.Fatal("unknown command accepted")
	}
}

// releaseCycle releases the cycle's results with lead360 cycle release.
func releaseCycle(t *testing.T, vars map[string]string, cycleID string) {
	t.Helper()
	if _, errOut, code := runCLI(t, vars, "cycle", "release", "--cycle", cycleID); code != exitOK {
		t.Fatalf("cycle release: exit %d\n%s", code, errOut)
	}
}

// writeFile writes content to a new file in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
