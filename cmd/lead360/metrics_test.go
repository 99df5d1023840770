package main

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment/assessmenttest"
)

// /metrics on the main address, for this machine: requests by route
// pattern (a survey token never appears), the job queue, cycles, emails and
// the connection pool, read from the running server's database.
func TestMetricsOnTheMainAddressForThisMachine(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			vars := engineEnv(t, e)
			vars["LEAD360_LOG_LEVEL"] = "error"
			draftCycle(t, vars, 0)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			base := "http://" + ln.Addr().String()
			serveInProcess(t, vars, ln, io.Discard)
			token := strings.Repeat("Q", 43)
			for _, path := range []string{"/healthz", "/s/" + token, "/no/such/page"} {
				resp, err := http.Get(base + path)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
			}
			resp, err := http.Get(base + "/metrics")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			text := string(body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("/metrics: %d", resp.StatusCode)
			}
			for _, want := range []string{
				`lead360_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 1`,
				`lead360_http_request_duration_seconds_count{method="GET",route="/s/:token",status="404"} 1`,
				`route="unmatched",status="404"`,
				`lead360_cycles{status="draft"} 1`,
				`lead360_counts_up 1`,
				`lead360_survey_emails{result="failed"} 0`,
				`go_sql_max_open_connections{db_name="lead360"}`,
			} {
				if !strings.Contains(text, want) {
					t.Errorf("/metrics lacks %s", want)
				}
			}
			if strings.Contains(text, token) || strings.Contains(text, "/no/such/page") {
				t.Error("/metrics shows a path instead of its route pattern")
			}
		})
	}
}
