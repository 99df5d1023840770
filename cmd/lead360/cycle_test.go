package main

import (
	"bytes"
	"cmp"
	"context"
	"io"
	"net"
	"net/http"
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
