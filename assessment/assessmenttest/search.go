package assessmenttest

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment/store"
)

// FindText searches every column of every table of the store's database
// (ours and the job queue's), each read as text, for any of needles, and
// returns where they were found as "table.column", sorted and without
// repeats. It is how a test proves that a secret is nowhere at rest, not
// only absent from the column that used to hold it.
func FindText(t testing.TB, st *store.Store, needles []string) []string {
	t.Helper()
	if len(needles) == 0 {
		t.Fatal("FindText: nothing to look for")
	}
	ctx := context.Background()
	found := map[string]bool{}
	for table, columns := range tableColumns(t, st) {
		for _, col := range columns {
			q := `SELECT CAST(` + quoteIdent(col) + ` AS TEXT) FROM ` + quoteIdent(table) + ` WHERE ` + quoteIdent(col) + ` IS NOT NULL`
			rows, err := st.DB().QueryContext(ctx, q)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			for rows.Next() {
				var v string
				if err := rows.Scan(&v); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				for _, n := range needles {
					if strings.Contains(v, n) {
						found[table+"."+col] = true
					}
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			rows.Close()
		}
	}
	return slices.Sorted(maps.Keys(found))
}

// tableColumns lists the database's tables with their columns, from the
// engine's catalogue (the test's own schema on PostgreSQL).
func tableColumns(t testing.TB, st *store.Store) map[string][]string {
	t.Helper()
	q := `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
WHERE m.type = 'table' ORDER BY m.name, p.cid`
	if st.Dialect() == store.Postgres {
		q = `SELECT table_name, column_name FROM information_schema.columns
WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`
	}
	rows, err := st.DB().QueryContext(context.Background(), q)
	if err != nil {
		t.Fatalf("list columns: %v", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatalf("list columns: %v", err)
		}
		out[table] = append(out[table], col)
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		t.Fatalf("list columns: %d tables, %v", len(out), err)
	}
	return out
}

// quoteIdent quotes a name from the catalogue for SQL (both engines).
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
