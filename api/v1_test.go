package api

import (
	"bytes"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lead360/lead360/api/openapi"
	"github.com/lead360/lead360/assessment"
)

// The document is served as the server loaded it, and the reference page
// lists every operation.
func TestAPIDocumentAndDocs(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		rec := h.api(t, apiCall{method: http.MethodGet, path: "/api/v1/openapi.json"})
		if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), h.srv.contract.json) || !strings.Contains(rec.Body.String(), `"openapi":"3.1.0"`) {
			t.Fatalf("openapi.json: %d %.300s", rec.Code, rec.Body)
		}
		docs := resultsStatus(t, "the API docs", h.client().get("/api/v1/docs"), http.StatusOK)
		for key, r := range h.srv.contract.routes {
			if !strings.Contains(docs, `id="`+r.Operation.OperationID+`"`) || !strings.Contains(docs, html.EscapeString(r.Operation.Summary)) {
				t.Errorf("the docs page misses %s", key)
			}
		}
		if strings.Contains(docs, "http://") || strings.Contains(docs, "https://") {
			t.Error("the docs page links outside lead360")
		}
	})
}

// Lists come a page at a time with cursors; GETs carry ETags and answer
// 304 while nothing changed; progress is the dashboard's counts.
func TestAPIReadsCyclesWithCursorsAndETags(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		tok := mustToken(t, h, h.fx.Org.ID, "BI", assessment.ScopeRead).secret
		var made []string
		for i := range 5 {
			made = append(made, h.fx.MustCreateCycle(t, fmt.Sprintf("Cycle %d", i)).ID)
			h.fx.Clock.Set(h.fx.Clock.Now().Add(time.Minute))
		}
		var seen []string
		path := "/api/v1/cycles?limit=2"
		for pages := 0; path != ""; pages++ {
			if pages > 3 {
				t.Fatal("the cursors never end")
			}
			list := apiJSON[openapi.CycleList](t, "a page of cycles", h.api(t, apiCall{method: http.MethodGet, path: path, token: tok}), http.StatusOK)
			for _, c := range list.Items {
				seen = append(seen, c.Id)
			}
			path = ""
			if list.NextCursor != nil {
				path = "/api/v1/cycles?limit=2&cursor=" + *list.NextCursor
			}
		}
		if fmt.Sprint(seen) != fmt.Sprint([]string{made[4], made[3], made[2], made[1], made[0]}) {
			t.Errorf("the pages hold %v, want the cycles newest first %v", seen, made)
		}

		one := h.api(t, apiCall{method: http.MethodGet, path: "/api/v1/cycles/" + made[0], token: tok})
		etag := one.Header().Get("ETag")
		if c := apiJSON[openapi.Cycle](t, "a cycle", one, http.StatusOK); c.Name != "Cycle 0" || c.Status != openapi.Draft || etag == "" {
			t.Fatalf("the cycle: %+v, ETag %q", c, etag)
		}
		if rec := h.api(t, apiCall{method: http.MethodGet, path: "/api/v1/cycles/" + made[0], token: tok, header: map[string]string{"If-None-Match": etag}}); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
			t.Errorf("If-None-Match with the ETag: %d %q", rec.Code, rec.Body)
		}

		p := apiJSON[openapi.Progress](t, "progress", h.api(t, apiCall{method: http.MethodGet, path: "/api/v1/cycles/" + made[0] + "/progress", token: tok}), http.StatusOK)
		want, err := h.fx.Service.CycleProgress(t.Context(), h.fx.Org.ID, made[0], assessment.ProgressQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Leaders != want.LeaderCount || p.Total.Submitted != want.Total.Submitted || len(p.Groups) != len(want.Groups) {
			t.Errorf("progress %+v is not the dashboard's %+v", p, want)
		}
		problemOf(t, "a cursor of nothing", h.api(t, apiCall{method: http.MethodGet, path: "/api/v1/cycles?cursor=bm90aGluZw", token: tok}), http.StatusBadRequest)
		problemOf(t, "an unknown cycle", h.api(t, apiCall{method: http.MethodGet, path: "/api/v1/cycles/01a23af1-b652-7887-8d44-fef80318ce00", token: tok}), http.StatusNotFound)
	})
}

// A write token's changes are in the audit log under its name, read
// back through the API a page at a time; a read token cannot write.
func TestAPIWritesAreAuditedUnderTheTokensName(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		w := mustToken(t, h, h.fx.Org.ID, "HRIS sync", assessment.ScopeWrite).secret
		created := apiJSON[openapi.Cycle](t, "create", h.api(t, apiCall{method: http.MethodPost, path: "/api/v1/cycles", token: w, body: newCycleBody}), http.StatusCreated)
		if created.Status != openapi.Draft || created.Name != "From the API" {
			t.Fatalf("created %+v", created)
		}
		p := problemOf(t, "a cycle with mistakes", h.api(t, apiCall{method: http.MethodPost, path: "/api/v1/cycles", token: w,
			body: `{"name":"  ","opens_at":"2026-04-20T09:00:00Z","closes_at":"2026-04-01T09:00:00Z"}`}), http.StatusUnprocessableEntity)
		fields := map[string]string{}
		for _, e := range p.Errors {
			fields[e.Field] = e.Message
		}
		if fields["name"] != "Enter a name." || fields["closes_at"] == "" {
			t.Errorf("the form's messages are not the API's: %+v", p)
		}
		var entries []openapi.AuditEntry
		path := "/api/v1/audit?limit=1"
		for path != "" {
			page := apiJSON[openapi.AuditList](t, "audit", h.api(t, apiCall{method: http.MethodGet, path: path, token: w}), http.StatusOK)
			entries, path = append(entries, page.Items...), ""
			if page.NextCursor != nil {
				path = "/api/v1/audit?limit=1&cursor=" + *page.NextCursor
			}
		}
		var create *openapi.AuditEntry
		for i, e := range entries {
			if e.Action == assessment.ActionCycleCreate && e.SubjectId != nil && *e.SubjectId == created.Id {
				create = &entries[i]
			}
		}
		if create == nil || create.Who != `API token "HRIS sync"` || len(entries) < 2 {
			t.Errorf("the audit log does not name the token for the new cycle: %+v", entries)
		}
	})
}

// A POST sent again with its Idempotency-Key gets the first answer and
// creates nothing twice, one at a time or ten at once; the key with
// another request is refused.
func TestAPIIdempotencyKeyCreatesNothingTwice(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		w := mustToken(t, h, h.fx.Org.ID, "HRIS sync", assessment.ScopeWrite).secret
		call := apiCall{method: http.MethodPost, path: "/api/v1/cycles", token: w, body: newCycleBody, header: map[string]string{"Idempotency-Key": "create-spring-1"}}
		first := h.api(t, call)
		again := h.api(t, call)
		if first.Code != http.StatusCreated || again.Code != first.Code || again.Body.String() != first.Body.String() || again.Header().Get("Idempotent-Replayed") != "true" {
			t.Fatalf("first %d %s; again %d %s", first.Code, first.Body, again.Code, again.Body)
		}
		other := call
		other.body = strings.Replace(newCycleBody, "From the API", "Another", 1)
		problemOf(t, "the key with another body", h.api(t, other), http.StatusUnprocessableEntity)

		race := call
		race.header = map[string]string{"Idempotency-Key": "create-spring-2"}
		var wg sync.WaitGroup
		bodies := make([]string, 10)
		for i := range bodies {
			wg.Go(func() {
				rec := h.api(t, race)
				if rec.Code != http.StatusCreated {
					t.Errorf("concurrent retry %d: %d %s", i, rec.Code, rec.Body)
				}
				bodies[i] = rec.Body.String()
			})
		}
		wg.Wait()
		sums, err := h.fx.Service.CycleSummaries(t.Context(), h.fx.Org.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(sums) != 2 {
			t.Errorf("%d cycles after two keys, want 2", len(sums))
		}
		for _, b := range bodies[1:] {
			if b != bodies[0] {
				t.Errorf("concurrent retries got different answers:\n%s\n%s", bodies[0], b)
			}
		}
	})
}

// A token is limited on its own: past its burst it gets 429 with
// Retry-After, and another token is not held up.
func TestAPITokenRateLimit(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		h.srv.limits.apiToken = throttle{h.fx.Service, assessment.Limit{Name: "api_token", Burst: 3, Every: time.Hour}}
		busy := mustToken(t, h, h.fx.Org.ID, "Busy", assessment.ScopeRead).secret
		calm := mustToken(t, h, h.fx.Org.ID, "Calm", assessment.ScopeRead).secret
		for i := range 3 {
			if rec := h.api(t, apiCall{method: http.MethodGet, path: "/api/v1/cycles", token: busy}); rec.Code != http.StatusOK {
				t.Fatalf("request %d: %d", i, rec.Code)
			}
		}
		rec := h.api(t, apiCall{method: http.MethodGet, path: "/api/v1/cycles", token: busy})
		if problemOf(t, "past the burst", rec, http.StatusTooManyRequests); rec.Header().Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		if rec := h.api(t, apiCall{method: http.MethodGet, path: "/api/v1/cycles", token: calm}); rec.Code != http.StatusOK {
			t.Errorf("another token: %d", rec.Code)
		}
	})
}

// No token reaches the log: every operation with every kind of token,
// failures and 5xx paths included, with the log at debug level.
func TestAPITokensNeverReachTheLog(t *testing.T) {
	forEngine(t, func(t *testing.T, h *harness) {
		var logs syncBuffer
		h.srv.log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		w := newAPIWorld(t, h)
		for _, row := range apiRows {
			for _, a := range apiActors {
				path := row.route
				if row.path != nil {
					path = row.path(w)
				}
				h.api(t, apiCall{method: row.method, path: path, token: w.tokens[a], body: row.body})
				h.api(t, apiCall{method: row.method, path: path + "?token=" + w.tokens[a], token: w.tokens[a] + "x"})
			}
		}
		if logs.Len() == 0 {
			t.Fatal("nothing was logged: the test cannot see the log")
		}
		for _, s := range w.secrets {
			if strings.Contains(logs.String(), s[len(assessment.APITokenPrefix):]) {
				t.Errorf("a token is in the log")
			}
		}
	})
}

// syncBuffer is a log buffer concurrent requests can write.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}
