package api_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment/assessmenttest"
)

// BenchmarkForgotPassword times POST /password/forgot for an address with
// an account and for one without, alternately, over HTTP to the real app
// with its job queue sending the emails in the background. The page must
// not tell the two apart, by its words or by its time (issue #10, item 9):
// the request records one job either way, and the job does the rest. Each
// iteration asks once for each address and reports their medians; the
// fixture's clock moves 10 minutes per iteration so that the throttles
// never answer instead. PostgreSQL runs when TEST_DATABASE_URL is set.
//
//	TEST_DATABASE_URL=postgres://... go test -run '^$' -bench ForgotPassword -benchtime 50x ./api/
func BenchmarkForgotPassword(b *testing.B) {
	for _, eng := range assessmenttest.Engines(b) {
		b.Run(string(eng.Name), func(b *testing.B) {
			e := newDashEnv(b, eng)
			post := func(email string) time.Duration {
				e.Clock.Set(e.Clock.Now().Add(10 * time.Minute))
				req, err := http.NewRequest(http.MethodPost, e.url+"/password/forgot", strings.NewReader(url.Values{"email": {email}}.Encode()))
				if err != nil {
					b.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Sec-Fetch-Site", "same-origin")
				t0 := time.Now()
				resp, err := e.client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				took := time.Since(t0)
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatalf("POST /password/forgot for %s: %d, %v", email, resp.StatusCode, err)
				}
				return took
			}
			const unknown = "nobody@example.com"
			for range 10 { // warm-up: templates, connections, caches
				post(e.admin.Email)
				post(unknown)
			}
			var withAccount, without []time.Duration
			for b.Loop() {
				withAccount = append(withAccount, post(e.admin.Email))
				without = append(without, post(unknown))
			}
			b.ReportMetric(percentileMS(withAccount, 0.50), "known-p50-ms")
			b.ReportMetric(percentileMS(without, 0.50), "unknown-p50-ms")
		})
	}
}
