package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

// BenchmarkCycleProgress times the data of the admin progress page
// (Service.CycleProgress: the cycle, its settings, the leader count, a page
// of 50 leaders with their grouped counts, the cycle's totals per group and
// the failed emails) for an open cycle of 1,000 leaders x 11 assignments
// (self, manager, 4 peers, 5 direct reports) = 11,000 invitations, half
// submitted, 1% failed; on the first page and on the last, which must cost
// the same. Seeding, with batched inserts, is outside the timer.
//
//	TEST_DATABASE_URL=postgres://... go test -run '^$' -bench CycleProgress ./assessment/store/
func BenchmarkCycleProgress(b *testing.B) {
	for _, e := range assessmenttest.Engines(b) {
		b.Run(string(e.Name), func(b *testing.B) {
			fx := assessmenttest.NewFixture(b, e)
			ctx := context.Background()
			cy := seedOpenCycle(b, fx, 1000, 10)
			for _, page := range []int{1, 20} {
				b.Run(fmt.Sprintf("page%d", page), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						p, err := fx.Service.CycleProgress(ctx, fx.Org.ID, cy.ID, assessment.ProgressQuery{Page: page})
						if err != nil {
							b.Fatal(err)
						}
						if len(p.Leaders) != assessment.ProgressPageSize || p.Page != page || p.Total.Invited != 11000 {
							b.Fatalf("page %d: %d leaders, %d invited", p.Page, len(p.Leaders), p.Total.Invited)
						}
					}
				})
			}
		})
	}
}

// seedOpenCycle writes an open cycle of leaders, each with raters drawn
// from a pool three times the number of leaders, straight into the tables.
func seedOpenCycle(b *testing.B, fx *assessmenttest.Fixture, leaders, raters int) assessment.Cycle {
	b.Helper()
	ctx := context.Background()
	cy := fx.MustCreateCycle(b, "Progress benchmark")
	db := fx.Store.(*store.Store).Gorm().WithContext(ctx)
	now := fx.Clock.Now()
	org := fx.Org.ID
	id := func() string { return uuid.Must(uuid.NewV7()).String() }
	var people, parts, assigns, invs, resps []map[string]any
	person := func(name string) string {
		pid := id()
		people = append(people, map[string]any{"id": pid, "organization_id": org, "name": name, "email": name + "@example.com", "created_at": now})
		return pid
	}
	pool := make([]string, 3*leaders)
	for i := range pool {
		pool[i] = person(fmt.Sprintf("rater%05d", i))
	}
	n := 0
	for l := range leaders {
		leader := person(fmt.Sprintf("leader%05d", l))
		part := id()
		parts = append(parts, map[string]any{"id": part, "organization_id": org, "cycle_id": cy.ID, "person_id": leader, "created_at": now})
		assign := func(personID, rel string) {
			aid := id()
			assigns = append(assigns, map[string]any{"id": aid, "organization_id": org, "participant_id": part, "person_id": personID,
				"relationship": rel, "created_at": now})
			sum := sha256.Sum256([]byte(aid))
			inv := map[string]any{"id": id(), "organization_id": org, "assignment_id": aid, "token_hash": hex.EncodeToString(sum[:]),
				"sent_at": now, "failure": "", "created_at": now, "token_sealed": ""}
			if n%100 == 7 {
				inv["failed_at"], inv["failure"] = now, "550 no such mailbox"
			}
			invs = append(invs, inv)
			if n%2 == 0 {
				resps = append(resps, map[string]any{"id": id(), "organization_id": org, "assignment_id": aid, "status": "submitted",
					"version": 1, "submitted_at": now, "created_at": now, "updated_at": now})
			}
			n++
		}
		assign(leader, "self")
		for r := range raters {
			rel := "peer"
			switch {
			case r == 0:
				rel = "manager"
			case r > 4:
				rel = "direct_report"
			}
			assign(pool[(l*raters+r)%len(pool)], rel)
		}
	}
	for _, t := range []struct {
		table string
		rows  []map[string]any
	}{{"people", people}, {"participants", parts}, {"rater_assignments", assigns}, {"invitations", invs}, {"responses", resps}} {
		if err := db.Table(t.table).CreateInBatches(t.rows, 500).Error; err != nil {
			b.Fatalf("seed %s: %v", t.table, err)
		}
	}
	if err := db.Table("cycles").Where("id = ?", cy.ID).Updates(map[string]any{"status": "open", "updated_at": time.Now().UTC()}).Error; err != nil {
		b.Fatal(err)
	}
	// Planner statistics, as autovacuum (PostgreSQL) or a periodic
	// ANALYZE would have them: fresh tables make the planner guess one row.
	if err := db.Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
	return cy
}
