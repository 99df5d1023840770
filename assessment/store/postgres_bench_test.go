package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

// BenchmarkScoreCycleFromPostgres scores a closed cycle of 10,000 leaders x
// 12 raters (self, manager, 5 peers, 5 direct reports) x 40 items = 4.8
// million answers, 5% "not observed", from PostgreSQL end to end: the one
// streamed query, the engine and the snapshot insert. Loading the data
// (COPY, about a minute) is outside the timer. Sub-benchmarks: "load" is
// the ratings query alone, "score" the whole ScoreCycle.
//
//	TEST_DATABASE_URL=postgres://... go test -run '^$' -bench ScoreCycleFromPostgres -benchtime 1x -timeout 30m ./assessment/store/
func BenchmarkScoreCycleFromPostgres(b *testing.B) {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		b.Skip("TEST_DATABASE_URL is not set: this benchmark needs PostgreSQL")
	}
	const leaders = 10_000
	cfg := assessmenttest.DatabaseURL(b, assessmenttest.Engine{Name: store.Postgres})
	ctx := context.Background()
	st, err := store.Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	svc := assessment.NewService(st, assessmenttest.Tokens(), nil)
	org, cycle, answers := loadCohort(b, ctx, cfg.DatabaseURL, svc, leaders)
	b.Logf("loaded %d leaders, %d answers", leaders, answers)

	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			if err := st.CycleRatings(ctx, org.ID, cycle.ID, func(assessment.CycleRating) error { n++; return nil }); err != nil {
				b.Fatal(err)
			}
			if n != answers {
				b.Fatalf("streamed %d answers, want %d", n, answers)
			}
		}
	})
	b.Run("score", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			// Without this, every run after the first would find an
			// identical snapshot and return it.
			if err := st.Gorm().Exec("DELETE FROM score_snapshots").Error; err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			snap, err := svc.ScoreCycle(ctx, org.ID, cycle.ID)
			if err != nil {
				b.Fatal(err)
			}
			if len(snap.Result.Leaders) != leaders {
				b.Fatalf("%d leaders scored", len(snap.Result.Leaders))
			}
		}
	})
}

// loadCohort creates an organisation and a closed cycle of n leaders with
// COPY, and returns how many answers it wrote.
func loadCohort(b *testing.B, ctx context.Context, url string, svc *assessment.Service, n int) (assessment.Organization, assessment.Cycle, int) {
	b.Helper()
	start := time.Now()
	org, err := svc.CreateOrganization(ctx, "Benchmark org")
	if err != nil {
		b.Fatal(err)
	}
	in, _, err := svc.EnsureBuiltinInstruments(ctx)
	if err != nil {
		b.Fatal(err)
	}
	opens := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	c, err := svc.CreateCycle(ctx, assessment.CycleDraft{OrganizationID: org.ID, InstrumentID: in.ID, Name: "Cohort", OpensAt: opens, ClosesAt: opens.AddDate(0, 0, 21)})
	if err != nil {
		b.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	var items []string
	var reverse []bool
	for _, s := range in.Skills {
		for _, it := range s.Items {
			items = append(items, it.Key)
			reverse = append(reverse, it.Reverse)
		}
	}
	rels := []assessment.Relationship{assessment.Self, assessment.Manager}
	for range 5 {
		rels = append(rels, assessment.Peer, assessment.DirectReport)
	}
	at := opens.Add(48 * time.Hour)
	var people, participants, assignments, responses [][]any
	var resps []answerResp
	id := func() string { return uuid.Must(uuid.NewV7()).String() }
	rng := rand.New(rand.NewPCG(3, 3))
	for l := range n {
		bias := rng.Float64()*2 - 1
		pid := id()
		var leaderPerson string
		for r, rel := range rels {
			person := id()
			if rel == assessment.Self {
				leaderPerson = person
			}
			people = append(people, []any{person, org.ID, fmt.Sprintf("Person %d-%d", l, r), fmt.Sprintf("p%d.%d@example.com", l, r), at})
			if r == 0 {
				participants = append(participants, []any{pid, org.ID, c.ID, leaderPerson, at})
			}
			aid, rid := id(), id()
			assignments = append(assignments, []any{aid, org.ID, pid, person, string(rel), at})
			responses = append(responses, []any{rid, org.ID, aid, "submitted", 1, at, at, at})
			resps = append(resps, answerResp{id: rid, bias: bias})
		}
	}
	copyRows := func(table string, cols []string, rows [][]any) {
		b.Helper()
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
			b.Fatalf("copy %s: %v", table, err)
		}
	}
	copyRows("people", []string{"id", "organization_id", "name", "email", "created_at"}, people)
	copyRows("participants", []string{"id", "organization_id", "cycle_id", "person_id", "created_at"}, participants)
	copyRows("rater_assignments", []string{"id", "organization_id", "participant_id", "person_id", "relationship", "created_at"}, assignments)
	copyRows("responses", []string{"id", "organization_id", "assignment_id", "status", "version", "submitted_at", "created_at", "updated_at"}, responses)
	src := &answerSource{rng: rand.New(rand.NewPCG(4, 4)), items: items, reverse: reverse, resps: resps, i: -1}
	written, err := conn.CopyFrom(ctx, pgx.Identifier{"answers"}, []string{"response_id", "item_key", "value"}, src)
	if err != nil {
		b.Fatalf("copy answers: %v", err)
	}
	if _, err := conn.Exec(ctx, "UPDATE cycles SET status = 'closed' WHERE id = $1", c.ID); err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "ANALYZE people, participants, rater_assignments, responses, answers"); err != nil {
		b.Fatal(err)
	}
	b.Logf("bulk load took %v", time.Since(start).Round(time.Second))
	return org, c, int(written)
}

type answerResp struct {
	id   string
	bias float64
}

// answerSource generates the answers row by row for COPY, so 4.8 million
// rows never sit in memory at once.
type answerSource struct {
	rng     *rand.Rand
	items   []string
	reverse []bool
	resps   []answerResp
	i, j    int
	row     [3]any
}

func (s *answerSource) Next() bool {
	if s.i < 0 || s.j+1 >= len(s.items) {
		s.i++
		s.j = 0
	} else {
		s.j++
	}
	if s.i >= len(s.resps) {
		return false
	}
	r := s.resps[s.i]
	var v any // NULL: "not observed"
	if s.rng.Float64() >= 0.05 {
		x := int(3.5 + r.bias + s.rng.NormFloat64() + 0.5)
		x = min(5, max(1, x))
		if s.reverse[s.j] {
			x = 6 - x
		}
		v = int32(x)
	}
	s.row = [3]any{r.id, s.items[s.j], v}
	return true
}

func (s *answerSource) Values() ([]any, error) { return s.row[:], nil }
func (s *answerSource) Err() error             { return nil }
