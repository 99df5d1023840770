package store_test

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
	"github.com/lead360/lead360/migrations"
)

// Migration 00010 on a database that already has data: the snapshots stored
// before versions existed are numbered in the order reports read them
// (created_at, then id), and the sealed tokens of cycles closed before it
// are erased while an open cycle's stay.
func TestMigration00010NumbersSnapshotsAndErasesClosedCyclesSealedTokens(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := storeMigratedTo(t, e, 9)
			svc := assessment.NewService(st, assessmenttest.Tokens(), nil)
			org, err := svc.CreateOrganization(ctx, "Acme")
			if err != nil {
				t.Fatal(err)
			}
			in, _, err := svc.EnsureBuiltinInstruments(ctx)
			if err != nil {
				t.Fatal(err)
			}
			now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			exec := func(q string, args ...any) {
				t.Helper()
				if _, err := st.DB().ExecContext(ctx, q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			// Two cycles of one leader each, with an invitation whose token
			// is sealed; one of them closed (as it was before 00010).
			var cycles []assessment.Cycle
			for i, name := range []string{"Closed", "Open"} {
				c, err := svc.CreateCycle(ctx, assessment.CycleDraft{OrganizationID: org.ID, InstrumentID: in.ID, Name: name,
					OpensAt: now, ClosesAt: now.AddDate(0, 0, 21)})
				if err != nil {
					t.Fatal(err)
				}
				// Rows as they were at version 9: today's store writes
				// columns (people.department...) that came later.
				person, part, self := fmt.Sprintf("person-%d", i), fmt.Sprintf("part-%d", i), fmt.Sprintf("self-%d", i)
				exec(`INSERT INTO people (id, organization_id, name, email, created_at) VALUES ($1, $2, $3, $4, $5)`,
					person, org.ID, "Ana "+name, fmt.Sprintf("ana%d@example.com", i), now)
				exec(`INSERT INTO participants (id, organization_id, cycle_id, person_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
					part, org.ID, c.ID, person, now)
				exec(`INSERT INTO rater_assignments (id, organization_id, participant_id, person_id, relationship, created_at) VALUES ($1, $2, $3, $4, 'self', $5)`,
					self, org.ID, part, person, now)
				exec(`INSERT INTO invitations (id, organization_id, assignment_id, token_hash, token_sealed, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
					fmt.Sprintf("inv-%d", i), org.ID, self, fmt.Sprintf("%064d", i), "sealed-"+name, now)
				cycles = append(cycles, c)
			}
			exec(`UPDATE cycles SET status = 'closed' WHERE id = $1`, cycles[0].ID)
			exec(`UPDATE cycles SET status = 'open' WHERE id = $1`, cycles[1].ID)
			// Snapshots inserted out of order; two share a created_at.
			for _, s := range []struct {
				id    string
				cycle int
				at    time.Time
			}{{"snap-c", 0, now.Add(2 * time.Hour)}, {"snap-a", 0, now}, {"snap-b", 0, now}, {"snap-o", 1, now}} {
				exec(`INSERT INTO score_snapshots (id, organization_id, cycle_id, engine_version, instrument_key, instrument_version, input_hash, result, created_at)
VALUES ($1, $2, $3, '1.0.0', 'k', 1, $4, '{}', $5)`, s.id, org.ID, cycles[s.cycle].ID, fmt.Sprintf("%064d", 7), s.at)
			}
			if _, err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			versions := map[string]int{}
			rows, err := st.DB().QueryContext(ctx, `SELECT id, version FROM score_snapshots`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id string
				var v int
				if err := rows.Scan(&id, &v); err != nil {
					t.Fatal(err)
				}
				versions[id] = v
			}
			rows.Close()
			if want := map[string]int{"snap-a": 1, "snap-b": 2, "snap-c": 3, "snap-o": 1}; fmt.Sprint(versions) != fmt.Sprint(want) {
				t.Errorf("versions after 00010: %v, want %v", versions, want)
			}
			if latest, err := st.LatestSnapshotHeader(ctx, org.ID, cycles[0].ID); err != nil || latest.ID != "snap-c" || latest.Version != 3 {
				t.Errorf("current snapshot: %s v%d, %v; want snap-c v3", latest.ID, latest.Version, err)
			}
			if where := assessmenttest.FindText(t, st, []string{"sealed-Closed", "sealed-Open"}); !slices.Equal(where, []string{"invitations.token_sealed"}) {
				t.Fatalf("sealed tokens after 00010 are in %v", where)
			}
			if where := assessmenttest.FindText(t, st, []string{"sealed-Closed"}); len(where) != 0 {
				t.Errorf("the closed cycle's sealed token is still in %v", where)
			}
		})
	}
}

// Migration 00025 on an audit log written before it: entries whose detail
// ends with the operator ("...; by API token ...", from the command line or
// a token) point at the detail, and the system's own entries stay unlabelled.
func TestMigration00025LabelsEarlierOperatorEntries(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := storeMigratedTo(t, e, 24)
			svc := assessment.NewService(st, assessmenttest.Tokens(), nil)
			org, err := svc.CreateOrganization(ctx, "Acme")
			if err != nil {
				t.Fatal(err)
			}
			details := map[string]string{
				"token":    `Created "Spring"; by API token "HRIS sync"`,
				"operator": "by operator ana on host1, from the command line (lead360 cycle close)",
				"system":   `Closed "Spring" on its close date`,
			}
			for id, detail := range details {
				if _, err := st.DB().ExecContext(ctx, `INSERT INTO audit_log (id, organization_id, action, subject_type, subject_id, detail, created_at)
VALUES ($1, $2, 'cycle.create', 'cycle', 'c1', $3, $4)`, id, org.ID, detail, time.Now().UTC()); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			entries, err := st.AuditEntries(ctx, org.ID, 0, 10)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, e := range entries {
				got[e.ID] = e.ActorLabel
			}
			const pointer = "Command line or API token (Details say which)"
			if want := map[string]string{"token": pointer, "operator": pointer, "system": ""}; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("labels after 00025: %q, want %q", got, want)
			}
		})
	}
}

// storeMigratedTo opens a fresh database of the engine with the migrations
// up to version applied, for a test that loads rows of an older schema and
// then applies the rest (Store.Migrate).
func storeMigratedTo(t *testing.T, e assessmenttest.Engine, version int64) *store.Store {
	t.Helper()
	st, p := freshStore(t, e, migrations.FS)
	if _, err := p.UpTo(context.Background(), version); err != nil {
		t.Fatalf("migrate to %05d: %v", version, err)
	}
	return st
}

// freshStore opens a fresh, empty database of the engine, and a goose
// provider of the migrations in fsys for it.
func freshStore(t *testing.T, e assessmenttest.Engine, fsys fs.FS) (*store.Store, *goose.Provider) {
	t.Helper()
	st, err := store.Open(context.Background(), assessmenttest.DatabaseURL(t, e))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	dialect := goose.DialectPostgres
	if st.Dialect() == store.SQLite {
		dialect = goose.DialectSQLite3
	}
	p, err := goose.NewProvider(dialect, st.DB(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	return st, p
}

func TestMigrateTwiceIsANoOp(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			cfg := assessmenttest.DatabaseURL(t, e)
			ctx := context.Background()
			s, err := store.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			first, err := s.Migrate(ctx)
			if err != nil || len(first) == 0 {
				t.Fatalf("first migrate applied %v, err %v", first, err)
			}
			second, err := s.Migrate(ctx)
			if err != nil || len(second) != 0 {
				t.Fatalf("second migrate applied %v, err %v; want nothing", second, err)
			}
		})
	}
}

// Replicas started together on one new PostgreSQL database all migrate it:
// one applies the migrations while the others wait, then find nothing to
// do. Without the lock, two of them apply the same file and one fails.
func TestReplicasStartingTogetherMigrateOnce(t *testing.T) {
	t.Parallel()
	cfg := assessmenttest.DatabaseURL(t, assessmenttest.Postgres(t, "replicas share a PostgreSQL database"))
	ctx := context.Background()
	const replicas = 3
	applied := make([][]string, replicas)
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		s, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		wg.Go(func() { applied[i], errs[i] = s.Migrate(ctx) })
	}
	wg.Wait()
	total := 0
	for i := range replicas {
		if errs[i] != nil {
			t.Fatalf("replica %d: %v", i, errs[i])
		}
		if len(applied[i]) > 0 {
			total++
		}
	}
	if total != 1 {
		t.Fatalf("%d replicas applied migrations, want exactly 1", total)
	}
}

// A database migrated before a lower-numbered migration landed (work done
// side by side merges in any order) takes the missing one and the rest.
func TestMigrateAppliesAMissingLowerMigration(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			// Every migration but 00018, as a database of that time has them.
			without := fstest.MapFS{}
			entries, err := fs.ReadDir(migrations.FS, ".")
			if err != nil {
				t.Fatal(err)
			}
			for _, en := range entries {
				if !strings.HasPrefix(en.Name(), "00018_") && strings.HasSuffix(en.Name(), ".sql") {
					b, err := fs.ReadFile(migrations.FS, en.Name())
					if err != nil {
						t.Fatal(err)
					}
					without[en.Name()] = &fstest.MapFile{Data: b}
				}
			}
			ctx := context.Background()
			st, p := freshStore(t, e, without)
			if _, err := p.Up(ctx); err != nil {
				t.Fatal(err)
			}
			applied, err := st.Migrate(ctx)
			if err != nil {
				t.Fatalf("migrate with 00018 missing: %v", err)
			}
			if len(applied) == 0 || !strings.HasPrefix(applied[0], "00018_") {
				t.Fatalf("applied %v, want 00018 first", applied)
			}
		})
	}
}
