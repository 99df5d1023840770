package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/scoring"
)

// BenchmarkOrganizationView loads the organisation view's data (heatmap,
// agreement categories, focus counts) of a released cycle of 1,000 leaders
// x 12 raters, as GET /org does: the snapshot's head (the cohort, with the
// heatmap), the leaders' names and the focus rows recorded at release, one
// query each, never a query per leader nor a leader's full result. The
// snapshot is scored from generated ratings outside the timer.
//
//	go test -run '^$' -bench OrganizationView ./assessment/store/
//	TEST_DATABASE_URL=postgres://... go test -run '^$' -bench OrganizationView ./assessment/store/
func BenchmarkOrganizationView(b *testing.B) {
	for _, e := range assessmenttest.Engines(b) {
		b.Run(string(e.Name), func(b *testing.B) {
			f := assessmenttest.NewFixture(b, e)
			ctx := context.Background()
			cycle := releasedCohort(b, f, 1000)
			b.ReportAllocs()
			for b.Loop() {
				v, err := f.Service.OrganizationView(ctx, f.Org.ID, "")
				if err != nil {
					b.Fatal(err)
				}
				if v.Cycle.ID != cycle.ID || len(v.Rows) != 1000 {
					b.Fatalf("view of %s with %d rows", v.Cycle.ID, len(v.Rows))
				}
			}
		})
	}
}

// releasedCohort stores a released cycle of n leaders with a snapshot
// scored from generated answers (self, manager, 5 peers, 5 direct reports,
// every item, 5% not observed), and the focus rows a release records.
func releasedCohort(b *testing.B, f *assessmenttest.Fixture, n int) assessment.Cycle {
	b.Helper()
	ctx := context.Background()
	c := f.MustCreateCycle(b, "Cohort")
	st := f.Store
	var ids []string
	err := st.InTx(ctx, func(tx assessment.Store) error {
		for i := range n {
			p := assessment.Person{OrganizationID: f.Org.ID, Name: fmt.Sprintf("Leader %04d", i), Email: fmt.Sprintf("l%04d@example.com", i)}
			if err := tx.SavePerson(ctx, &p); err != nil {
				return err
			}
			part := assessment.Participant{OrganizationID: f.Org.ID, CycleID: c.ID, PersonID: p.ID}
			if err := tx.AddParticipant(ctx, &part); err != nil {
				return err
			}
			ids = append(ids, part.ID)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	in := scoring.Input{Instrument: assessment.ScoringInstrument(&f.Instrument), Config: scoring.Config{KMin: 3}}
	rels := []scoring.Relationship{scoring.Self, scoring.Manager}
	for range 5 {
		rels = append(rels, scoring.Peer)
	}
	for range 5 {
		rels = append(rels, scoring.DirectReport)
	}
	for _, pid := range ids {
		bias := rng.IntN(3)
		for r, rel := range rels {
			for _, sk := range in.Instrument.Skills {
				for _, it := range sk.Items {
					v := scoring.Answer(min(5, 1+bias+rng.IntN(3)))
					if rng.IntN(20) == 0 && rel != scoring.Self {
						v = scoring.NotObserved
					}
					in.Ratings = append(in.Ratings, scoring.Rating{ParticipantID: pid, RaterID: fmt.Sprintf("%s-%d", pid, r),
						Relationship: rel, ItemKey: it.Key, Value: v})
				}
			}
		}
	}
	res, err := scoring.Score(in)
	if err != nil {
		b.Fatal(err)
	}
	snap := assessment.Snapshot{OrganizationID: f.Org.ID, CycleID: c.ID, Version: 1, EngineVersion: res.EngineVersion,
		InstrumentKey: f.Instrument.Key, InstrumentVersion: f.Instrument.Version, InputHash: fmt.Sprintf("%064d", 1), Result: res,
		CreatedAt: time.Now()}
	if err := st.CreateSnapshot(ctx, &snap); err != nil {
		b.Fatal(err)
	}
	focus := make([]assessment.LeaderFocus, len(res.Leaders))
	for i, l := range res.Leaders {
		focus[i] = assessment.LeaderFocus{ParticipantID: l.ParticipantID, Skill: l.Focus.Skill}
	}
	if err := st.SaveSnapshotFocus(ctx, snap.ID, focus); err != nil {
		b.Fatal(err)
	}
	for _, to := range []assessment.CycleStatus{assessment.StatusOpen, assessment.StatusClosed, assessment.StatusReleased} {
		if _, err := f.Service.MoveCycle(ctx, f.Org.ID, c.ID, to); err != nil {
			b.Fatal(err)
		}
	}
	return c
}
