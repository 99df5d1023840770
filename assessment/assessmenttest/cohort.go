package assessmenttest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/scoring"
)

// Cohort describes a released cycle of generated leaders, for the tests
// and benchmarks of the views across leaders (organisation view, results
// table, dashboard).
type Cohort struct {
	Leaders int
	// Place gives leader i where they sit; nil places no one.
	Place func(i int) assessment.Placement
	// Peers and Directs give leader i's numbers of peers and direct
	// reports; nil means five each.
	Peers, Directs func(i int) int
	// Seed varies the answers; leaders of one seed get the same ones.
	Seed uint64
}

// ReleasedCohort stores a released cycle of c.Leaders leaders with a
// snapshot scored from generated answers (self, manager, peers, direct
// reports, every item, 5% not observed) and the focus rows a release
// records (assessment.LeaderFocusOf). It writes the rows directly, so a
// thousand leaders take seconds.
func (f *Fixture) ReleasedCohort(t testing.TB, c Cohort) assessment.Cycle {
	t.Helper()
	ctx := context.Background()
	cy := f.MustCreateCycle(t, "Cohort")
	ids := f.cohortLeaders(t, cy, c)
	rng := rand.New(rand.NewPCG(1, 2+c.Seed))
	in := scoring.Input{Instrument: assessment.ScoringInstrument(&f.Instrument), Config: scoring.Config{KMin: 3}}
	for i, pid := range ids {
		bias := rng.IntN(3)
		for r, rel := range cohortRaters(c, i) {
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
		t.Fatal(err)
	}
	snap := assessment.Snapshot{OrganizationID: f.Org.ID, CycleID: cy.ID, Version: 1, EngineVersion: res.EngineVersion,
		InstrumentKey: f.Instrument.Key, InstrumentVersion: f.Instrument.Version, InputHash: fmt.Sprintf("%064d", 1), Result: res,
		CreatedAt: time.Now()}
	if err := f.Store.CreateSnapshot(ctx, &snap); err != nil {
		t.Fatal(err)
	}
	if err := f.Store.SaveSnapshotFocus(ctx, snap.ID, assessment.LeaderFocusOf(&res)); err != nil {
		t.Fatal(err)
	}
	for _, to := range []assessment.CycleStatus{assessment.StatusOpen, assessment.StatusClosed, assessment.StatusReleased} {
		if _, err := f.Service.MoveCycle(ctx, f.Org.ID, cy.ID, to); err != nil {
			t.Fatal(err)
		}
	}
	return cy
}

// cohortLeaders stores the cohort's people and participants and returns
// the participant ids, leader 0 first.
func (f *Fixture) cohortLeaders(t testing.TB, cy assessment.Cycle, c Cohort) []string {
	t.Helper()
	ctx := context.Background()
	ids := make([]string, 0, c.Leaders)
	err := f.Store.InTx(ctx, func(tx assessment.Store) error {
		for i := range c.Leaders {
			p := assessment.Person{OrganizationID: f.Org.ID, Name: fmt.Sprintf("Leader %04d", i), Email: fmt.Sprintf("l%04d@example.com", i)}
			if c.Place != nil {
				p.Placement = c.Place(i)
			}
			if err := tx.SavePerson(ctx, &p); err != nil {
				return err
			}
			part := assessment.Participant{OrganizationID: f.Org.ID, CycleID: cy.ID, PersonID: p.ID}
			if err := tx.AddParticipant(ctx, &part); err != nil {
				return err
			}
			ids = append(ids, part.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// cohortRaters are leader i's raters: self, a manager, peers and direct
// reports.
func cohortRaters(c Cohort, i int) []scoring.Relationship {
	peers, directs := 5, 5
	if c.Peers != nil {
		peers = c.Peers(i)
	}
	if c.Directs != nil {
		directs = c.Directs(i)
	}
	rels := []scoring.Relationship{scoring.Self, scoring.Manager}
	for range peers {
		rels = append(rels, scoring.Peer)
	}
	for range directs {
		rels = append(rels, scoring.DirectReport)
	}
	return rels
}
