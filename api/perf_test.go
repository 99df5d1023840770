package api_test

import (
	"context"
	crand "crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

// BenchmarkDashboardPages times the two heaviest dashboard pages over a
// cycle of 1,000 leaders x 10 raters (self, manager, 4 peers, 4 direct
// reports), served by the real app on 127.0.0.1 and asked for by an admin
// over HTTP, one request at a time, after a warm-up:
//
//   - progress: GET /cycles/:id/progress of an open cycle (65% submitted,
//     10% drafts, 1% failed emails): the cycle-wide figures and the first
//     page of 50 leaders;
//   - progress-last: the same page's last page of leaders (?page=20), which
//     must cost what the first does;
//   - org: GET /org?cycle=:id, the organisation heatmap of a released cycle
//     (every rater submitted, 40 items each, scored and released by the
//     service);
//   - org-by-department: the same grouped by department (ten departments
//     of a hundred leaders);
//   - org-one-department: one department's hundred leaders grouped by
//     their four managers;
//   - home: GET /dashboard, the admin's home with both cycles (the open one
//     with its leaders short of the threshold);
//   - results: GET /cycles/:id/results, the released cycle's results table.
//
// Each sub-benchmark reports the p50 and p99 of its request times
// (sorted durations); ns/op is their mean. The data are bulk-inserted
// outside the timer. PostgreSQL runs when TEST_DATABASE_URL is set.
//
//	TEST_DATABASE_URL=postgres://... go test -run '^$' -bench DashboardPages -benchtime 200x -timeout 30m ./api/
func BenchmarkDashboardPages(b *testing.B) {
	for _, eng := range assessmenttest.Engines(b) {
		b.Run(string(eng.Name), func(b *testing.B) {
			e := newQuietDashEnv(b, eng)
			start := time.Now()
			open := seedCohort(b, e, "Progress cohort", 1000, false)
			released := seedCohort(b, e, "Released cohort", 1000, true)
			// A live database has planner statistics (autovacuum analyses
			// tables as they grow); freshly bulk-loaded tables do not, and
			// the planner then picks nested loops over 10,000 rows.
			if _, err := e.Store.(interface{ DB() *sql.DB }).DB().ExecContext(context.Background(), "ANALYZE"); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: seeded two cycles of 1,000 leaders in %v", eng.Name, time.Since(start).Round(100*time.Millisecond))
			signedIn := withCookie(e.signIn(b, e.admin.Email))
			b.Run("progress", func(b *testing.B) { timeRequests(b, e, signedIn, "/cycles/"+open+"/progress") })
			b.Run("progress-last", func(b *testing.B) { timeRequests(b, e, signedIn, "/cycles/"+open+"/progress?page=20") })
			b.Run("org", func(b *testing.B) { timeRequests(b, e, signedIn, "/org?cycle="+released) })
			b.Run("org-by-department", func(b *testing.B) { timeRequests(b, e, signedIn, "/org?group=department&cycle="+released) })
			b.Run("org-one-department", func(b *testing.B) {
				timeRequests(b, e, signedIn, "/org?group=manager&department=Department+3&cycle="+released)
			})
			b.Run("home", func(b *testing.B) { timeRequests(b, e, signedIn, "/dashboard") })
			b.Run("results", func(b *testing.B) { timeRequests(b, e, signedIn, "/cycles/"+released+"/results") })
			// The API's results list with a read token: a page of 50 leaders
			// (the default) and of 100 (the most a page holds).
			_, secret, err := e.Service.CreateAPIToken(context.Background(), e.Org.ID, "",
				assessment.NewAPIToken{Name: "Benchmark", Scope: string(assessment.ScopeRead), CreatedBy: "the benchmark"})
			if err != nil {
				b.Fatal(err)
			}
			bearer := func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+secret) }
			b.Run("api-results", func(b *testing.B) { timeRequests(b, e, bearer, "/api/v1/cycles/"+released+"/results") })
			b.Run("api-results-100", func(b *testing.B) {
				timeRequests(b, e, bearer, "/api/v1/cycles/"+released+"/results?limit=100")
			})
		})
	}
}

// withCookie signs a request in with a session cookie.
func withCookie(cookie *http.Cookie) func(*http.Request) {
	return func(r *http.Request) { r.AddCookie(cookie) }
}

// timeRequests asks for path once per iteration, signed in by auth, and
// reports p50 and p99.
func timeRequests(b *testing.B, e *dashEnv, auth func(*http.Request), path string) {
	get := func() (int, int) {
		req, err := http.NewRequest(http.MethodGet, e.url+path, nil)
		if err != nil {
			b.Fatal(err)
		}
		auth(req)
		resp, err := e.client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		return resp.StatusCode, int(n)
	}
	// Warm-up: templates, connection pools, the database's caches.
	for range 10 {
		if status, _ := get(); status != http.StatusOK {
			b.Fatalf("GET %s: %d", path, status)
		}
	}
	var took []time.Duration
	size := 0
	for b.Loop() {
		t0 := time.Now()
		_, size = get()
		took = append(took, time.Since(t0))
	}
	b.ReportMetric(percentileMS(took, 0.50), "p50-ms")
	b.ReportMetric(percentileMS(took, 0.99), "p99-ms")
	b.ReportMetric(float64(size)/1024, "KiB/page")
}

// percentileMS is the q-quantile of the durations (nearest rank), in
// milliseconds; it sorts took.
func percentileMS(took []time.Duration, q float64) float64 {
	slices.Sort(took)
	i := int(math.Ceil(q*float64(len(took)))) - 1
	return float64(took[max(i, 0)].Microseconds()) / 1000
}

// seedCohort creates a cycle of n leaders, each with 10 assignments, and
// returns its id. An open cycle gets invitations and a mix of responses;
// a released one gets every response submitted with answers, then is
// closed, scored and released through the service. Rows go in with
// multi-row INSERTs in one transaction: the service adds one row at a
// time, which would take minutes.
func seedCohort(b *testing.B, e *dashEnv, name string, n int, release bool) string {
	b.Helper()
	ctx := context.Background()
	opens := e.Clock.Now().AddDate(0, 0, -7)
	c, err := e.Service.CreateCycle(ctx, assessment.CycleDraft{OrganizationID: e.Org.ID, InstrumentID: e.Instrument.ID,
		Name: name, OpensAt: opens, ClosesAt: opens.AddDate(0, 0, 21)})
	if err != nil {
		b.Fatal(err)
	}
	var items []string
	for _, s := range e.Instrument.Skills {
		for _, it := range s.Items {
			items = append(items, it.Key)
		}
	}
	rels := []assessment.Relationship{assessment.Self, assessment.Manager,
		assessment.Peer, assessment.Peer, assessment.Peer, assessment.Peer,
		assessment.DirectReport, assessment.DirectReport, assessment.DirectReport, assessment.DirectReport}
	id := func() string { return uuid.Must(uuid.NewV7()).String() }
	rng := rand.New(rand.NewPCG(uint64(n), uint64(len(name))))
	at := opens.Add(time.Hour)
	var people, participants, assignments, invitations, responses, answers [][]any
	for l := range n {
		pid := id()
		bias := rng.Float64()*2 - 1
		for r, rel := range rels {
			person := id()
			// Leaders sit in ten departments of a hundred, under forty
			// managers of twenty-five.
			department, manager := "", ""
			if r == 0 {
				department, manager = fmt.Sprintf("Department %d", l%10), fmt.Sprintf("head%d@example.com", l%40)
			}
			people = append(people, []any{person, e.Org.ID, fmt.Sprintf("Person %d-%d", l, r),
				fmt.Sprintf("%s.p%d.%d@example.com", strings.ToLower(strings.Fields(name)[0]), l, r), department, manager, at})
			if r == 0 {
				participants = append(participants, []any{pid, e.Org.ID, c.ID, person, at})
			}
			aid := id()
			assignments = append(assignments, []any{aid, e.Org.ID, pid, person, string(rel), at})
			inv := []any{id(), e.Org.ID, aid, randomHex(32), at, nil, "", at}
			if !release && rng.Float64() < 0.01 {
				inv[4], inv[5], inv[6] = nil, at, "550 mailbox unavailable"
			}
			invitations = append(invitations, inv)
			roll := rng.Float64()
			switch {
			case release || roll < 0.65:
				rid := id()
				responses = append(responses, []any{rid, e.Org.ID, aid, "submitted", 1, at, at, at})
				for _, item := range items {
					var v any // NULL: not observed
					if rng.Float64() >= 0.05 {
						v = min(5, max(1, int(3.5+bias+rng.NormFloat64()+0.5)))
					}
					answers = append(answers, []any{rid, item, v})
				}
			case roll < 0.75:
				responses = append(responses, []any{id(), e.Org.ID, aid, "draft", 1, nil, at, at})
			}
		}
	}
	db := e.Store.(interface{ DB() *sql.DB }).DB()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	insertRows(b, tx, "people", []string{"id", "organization_id", "name", "email", "department", "manager_email", "created_at"}, people)
	insertRows(b, tx, "participants", []string{"id", "organization_id", "cycle_id", "person_id", "created_at"}, participants)
	insertRows(b, tx, "rater_assignments", []string{"id", "organization_id", "participant_id", "person_id", "relationship", "created_at"}, assignments)
	insertRows(b, tx, "invitations", []string{"id", "organization_id", "assignment_id", "token_hash", "sent_at", "failed_at", "failure", "created_at"}, invitations)
	insertRows(b, tx, "responses", []string{"id", "organization_id", "assignment_id", "status", "version", "submitted_at", "created_at", "updated_at"}, responses)
	insertRows(b, tx, "answers", []string{"response_id", "item_key", "value"}, answers)
	status := assessment.StatusOpen
	if release {
		status = assessment.StatusClosed
	}
	if _, err := tx.ExecContext(ctx, "UPDATE cycles SET status = $1 WHERE id = $2", string(status), c.ID); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if release {
		if _, err := e.Service.ReleaseCycle(ctx, e.Org.ID, c.ID, e.admin.ID); err != nil {
			b.Fatalf("release %s: %v", name, err)
		}
	}
	return c.ID
}

// insertRows inserts rows with multi-row INSERTs of a few hundred rows
// ($n placeholders: both drivers accept them).
func insertRows(b *testing.B, tx *sql.Tx, table string, cols []string, rows [][]any) {
	b.Helper()
	const batch = 500
	for start := 0; start < len(rows); start += batch {
		chunk := rows[start:min(start+batch, len(rows))]
		var q strings.Builder
		fmt.Fprintf(&q, "INSERT INTO %s (%s) VALUES ", table, strings.Join(cols, ", "))
		args := make([]any, 0, len(chunk)*len(cols))
		for i, row := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(")
			for j, v := range row {
				if j > 0 {
					q.WriteString(", ")
				}
				fmt.Fprintf(&q, "$%d", len(args)+1)
				args = append(args, v)
			}
			q.WriteString(")")
		}
		if _, err := tx.Exec(q.String(), args...); err != nil {
			b.Fatalf("insert into %s: %v", table, err)
		}
	}
}

func randomHex(n int) string {
	buf := make([]byte, n)
	_, _ = crand.Read(buf)
	return hex.EncodeToString(buf)
}
