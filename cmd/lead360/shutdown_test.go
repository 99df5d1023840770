package main

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment/assessmenttest"
)

// TRUST.md R6: SIGTERM under load fails no request in flight and the
// server exits within 15 s, on either database.
//
// The real binary serves the survey links of loadWorld while every client
// autosaves; it gets SIGTERM at a moment when writes are being
// acknowledged. A request the server had begun is in flight: graceful
// shutdown waits for it, so the server must log "stopped" (http.Server's
// Shutdown returned before its deadline, which it does only once every
// active connection has finished) and exit 0. The clients must see no 5xx,
// and every acknowledged write must be in the database afterwards.
// Graceful shutdown closes only idle connections, so a client error
// during it is a request that was never served (sent on an idle connection
// being closed, or to the closed listener), not a failed one: the survey
// page keeps the rater's input and saves again.
func TestSIGTERMUnderLoadFinishesInFlightRequests(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and stops the real binary")
	}
	bin := buildBinary(t)
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			w := newLoadWorld(t, engineEnv(t, e), bin)
			stop := w.startLoad()
			w.waitForAcks(t, durabilityAcksPerRun)
			sent := time.Now()
			if err := w.srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			select {
			case <-w.srv.done:
			case <-time.After(20 * time.Second):
				t.Fatalf("still running 20 s after SIGTERM\n%s", w.srv.log)
			}
			took := time.Since(sent)
			stop()
			log := w.srv.log.String()
			if code := w.srv.cmd.ProcessState.ExitCode(); code != 0 || !strings.Contains(log, `msg=stopped`) {
				t.Errorf("exit code %d after SIGTERM; the log should end with a clean stop:\n%s", code, log)
			}
			if took > 15*time.Second {
				t.Errorf("exit %s after SIGTERM, want within 15 s", took)
			}
			failed := 0
			for _, cl := range w.clients {
				failed += cl.serverErrors
			}
			if failed > 0 {
				t.Errorf("%d requests answered 5xx during the shutdown", failed)
			}
			acked, unknown, _ := w.verify(t)
			t.Logf("%s: SIGTERM after %d acknowledged writes over %d links; exit 0 in %s; %d requests refused by the stopping server (sent on an idle connection it closed, or to its closed listener: never served), 0 failed",
				e.Name, acked, len(w.clients), took.Round(time.Millisecond), unknown)
		})
	}
}
