package main

import (
	"testing"
	"time"

	"github.com/lead360/lead360/assessment/assessmenttest"
)

// TRUST.md R4: PostgreSQL restarts in the middle of survey load. No
// acknowledged write may be lost, requests during the outage answer 503
// (never another 5xx), and writes are acknowledged again within 10 s of
// the database coming back, without restarting lead360.
//
// The database is a private cluster (assessmenttest.StartPrivatePostgres),
// so stopping it touches no other test.
func TestPostgresRestartUnderLoad(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the real binary and restarts a database server")
	}
	pg := assessmenttest.StartPrivatePostgres(t)
	bin := buildBinary(t)
	w := newLoadWorld(t, map[string]string{"LEAD360_DATABASE_URL": pg.URL(), "LEAD360_DATA_DIR": t.TempDir()}, bin)
	stop := w.startLoad()
	w.waitForAcks(t, durabilityAcksPerRun)

	pg.Stop(t)
	down := time.Now()
	// Keep it down long enough for every client to meet the outage.
	time.Sleep(2 * time.Second)
	pg.Start(t)
	back := time.Now()
	w.waitForAcks(t, 1)
	recovered := time.Since(back)
	w.waitForAcks(t, durabilityAcksPerRun)
	stop()

	unavailable, failed := 0, 0
	for _, cl := range w.clients {
		unavailable += cl.unavailable
		failed += cl.serverErrors
	}
	if unavailable == 0 {
		t.Error("no request met the outage: the test did not test it")
	}
	if recovered > 10*time.Second {
		t.Errorf("first acknowledged write %s after the database came back, want within 10 s", recovered)
	}
	if failed > 0 {
		t.Errorf("%d requests answered a 5xx other than 503", failed)
	}
	w.srv.cmd.Process.Kill()
	<-w.srv.done
	acked, unknown, _ := w.verify(t)
	t.Logf("PostgreSQL down %s: %d requests answered 503 while it was down; first write acknowledged %s after it was back; %d acknowledged writes over %d links, %d outcomes unknown to the client, 0 lost",
		back.Sub(down).Round(time.Millisecond), unavailable, recovered.Round(time.Millisecond), acked, len(w.clients), unknown)
}
