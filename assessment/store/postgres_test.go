package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
	"github.com/lead360/lead360/scoring"
)

// On PostgreSQL, outside a transaction, CycleRatings and CreateSnapshot take
// a fast path through pgx itself (postgres.go); inside InTx they take their
// plain twins, the database/sql loop and GORM's INSERTs, which are also what
// SQLite runs. Both must answer the same: the same counted ratings of a
// cycle (not observed as NotObserved; drafts, excluded responses and other
// cycles left out), and snapshots stored byte for byte alike, with more
// leaders than one COPY batch holds.
func TestPostgresFastPathsMatchTheirPlainTwins(t *testing.T) {
	t.Parallel()
	f := assessmenttest.NewFixture(t, assessmenttest.Postgres(t, "the fast paths are PostgreSQL's"))
	st := f.Store.(*store.Store)
	ctx, org, now := context.Background(), f.Org.ID, f.Clock.Now()
	cy := f.MustCreateCycle(t, "Fast paths")
	otherCycle := f.MustCreateCycle(t, "Another cycle")

	// 300 leaders; the first eight are rated by themselves and three peers,
	// one of whom leaves a draft and one of whom is excluded; leader 0 is
	// also rated in another cycle. want is what counts: submitted answers of
	// this cycle, not excluded.
	var leaders []assessment.Participant
	var want []assessment.CycleRating
	var excluded string
	respond := func(tx assessment.Store, p assessment.Participant, personID string, rel assessment.Relationship, status assessment.ResponseStatus, seed int) (assessment.Response, []assessment.CycleRating, error) {
		a := assessment.Assignment{OrganizationID: org, ParticipantID: p.ID, PersonID: personID, Relationship: rel}
		if err := tx.AddAssignment(ctx, &a); err != nil {
			return assessment.Response{}, nil, err
		}
		r := assessment.Response{OrganizationID: org, AssignmentID: a.ID, Status: status}
		if status == assessment.ResponseSubmitted {
			r.SubmittedAt = &now
		}
		var ratings []assessment.CycleRating
		k := 0
		for _, sk := range f.Instrument.Skills {
			for _, it := range sk.Items {
				k++
				v := 1 + (seed+k)%5
				if rel != assessment.Self && (seed+k)%7 == 0 {
					v = assessment.NotObserved
				}
				r.Answers = append(r.Answers, assessment.Answer{ItemKey: it.Key, Value: v})
				ratings = append(ratings, assessment.CycleRating{ParticipantID: p.ID, PersonID: personID, Relationship: rel, ItemKey: it.Key, Value: v})
			}
		}
		err := tx.SaveResponse(ctx, &r)
		return r, ratings, err
	}
	err := st.InTx(ctx, func(tx assessment.Store) error {
		peers := make([]assessment.Person, 3)
		for i := range peers {
			peers[i] = assessment.Person{OrganizationID: org, Name: fmt.Sprintf("Peer %d", i), Email: fmt.Sprintf("peer%d@example.com", i)}
			if err := tx.SavePerson(ctx, &peers[i]); err != nil {
				return err
			}
		}
		for i := range 300 {
			person := assessment.Person{OrganizationID: org, Name: fmt.Sprintf("Leader %03d", i), Email: fmt.Sprintf("leader%03d@example.com", i)}
			if err := tx.SavePerson(ctx, &person); err != nil {
				return err
			}
			p := assessment.Participant{OrganizationID: org, CycleID: cy.ID, PersonID: person.ID}
			if err := tx.AddParticipant(ctx, &p); err != nil {
				return err
			}
			leaders = append(leaders, p)
			if i >= 8 {
				continue
			}
			_, ratings, err := respond(tx, p, person.ID, assessment.Self, assessment.ResponseSubmitted, i)
			if err != nil {
				return err
			}
			want = append(want, ratings...)
			for j, peer := range peers {
				status := assessment.ResponseSubmitted
				if i == 0 && j == 0 {
					status = assessment.ResponseDraft
				}
				r, ratings, err := respond(tx, p, peer.ID, assessment.Peer, status, 10*i+j)
				switch {
				case err != nil:
					return err
				case i == 1 && j == 1:
					excluded = r.ID
				case status == assessment.ResponseSubmitted:
					want = append(want, ratings...)
				}
			}
		}
		elsewhere := assessment.Participant{OrganizationID: org, CycleID: otherCycle.ID, PersonID: leaders[0].PersonID}
		if err := tx.AddParticipant(ctx, &elsewhere); err != nil {
			return err
		}
		_, _, err := respond(tx, elsewhere, peers[2].ID, assessment.Peer, assessment.ResponseSubmitted, 99)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ExcludeResponse(ctx, org, excluded, now); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(want, func(r assessment.CycleRating) bool { return r.Value == assessment.NotObserved }) {
		t.Fatal("no expected rating is 'not observed': the test data lost its point")
	}
	want = sortedRatings(want)

	// CycleRatings: cycleRatingsPgx outside a transaction, the database/sql
	// loop inside one.
	collect := func(s assessment.Store) []assessment.CycleRating {
		t.Helper()
		var out []assessment.CycleRating
		if err := s.CycleRatings(ctx, org, cy.ID, func(r assessment.CycleRating) error { out = append(out, r); return nil }); err != nil {
			t.Fatal(err)
		}
		return sortedRatings(out)
	}
	fast := collect(st)
	var plain []assessment.CycleRating
	if err := st.InTx(ctx, func(tx assessment.Store) error { plain = collect(tx); return nil }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(fast, want) {
		t.Errorf("pgx path: %d ratings, want %d (first difference %s)", len(fast), len(want), firstDifference(fast, want))
	}
	if !slices.Equal(plain, want) {
		t.Errorf("plain path: %d ratings, want %d (first difference %s)", len(plain), len(want), firstDifference(plain, want))
	}

	// CreateSnapshot: createSnapshotPgx (COPY) outside a transaction, GORM's
	// INSERTs inside one, for one result of 300 leaders.
	in := scoring.Input{Instrument: assessment.ScoringInstrument(&f.Instrument), Config: scoring.Config{KMin: 3}}
	rels := []scoring.Relationship{scoring.Self, scoring.Manager, scoring.Peer, scoring.Peer, scoring.Peer}
	for i, l := range leaders {
		for r, rel := range rels {
			k := 0
			for _, sk := range in.Instrument.Skills {
				for _, it := range sk.Items {
					k++
					v := scoring.Answer(1 + (i+r+k)%5)
					if rel != scoring.Self && (i+r+k)%11 == 0 {
						v = scoring.NotObserved
					}
					in.Ratings = append(in.Ratings, scoring.Rating{ParticipantID: l.ID, RaterID: fmt.Sprintf("%s-%d", l.ID, r),
						Relationship: rel, ItemKey: it.Key, Value: v})
				}
			}
		}
	}
	res, err := scoring.Score(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Leaders) != len(leaders) {
		t.Fatalf("scored %d leaders of %d", len(res.Leaders), len(leaders))
	}
	snapshot := func(version int) assessment.Snapshot {
		return assessment.Snapshot{OrganizationID: org, CycleID: cy.ID, Version: version, EngineVersion: res.EngineVersion,
			InstrumentKey: f.Instrument.Key, InstrumentVersion: f.Instrument.Version, InputHash: fmt.Sprintf("%064d", 7),
			Result: res, CreatedAt: now}
	}
	viaCopy, viaInsert := snapshot(1), snapshot(2)
	if err := st.CreateSnapshot(ctx, &viaCopy); err != nil {
		t.Fatal(err)
	}
	if err := st.InTx(ctx, func(tx assessment.Store) error { return tx.CreateSnapshot(ctx, &viaInsert) }); err != nil {
		t.Fatal(err)
	}
	type headRow struct {
		OrganizationID, CycleID, EngineVersion, InstrumentKey string
		InstrumentVersion                                     int
		InputHash, Result                                     string
		CreatedAt                                             time.Time
	}
	type leaderRow struct{ ParticipantID, Result string }
	stored := func(id string) (headRow, []leaderRow) {
		t.Helper()
		var head []headRow
		if err := st.Gorm().Raw(`SELECT organization_id, cycle_id, engine_version, instrument_key, instrument_version,
input_hash, result, created_at FROM score_snapshots WHERE id = ?`, id).Scan(&head).Error; err != nil || len(head) != 1 {
			t.Fatalf("snapshot %s: %v (%d rows)", id, err, len(head))
		}
		var rows []leaderRow
		if err := st.Gorm().Raw(`SELECT participant_id, result FROM score_snapshot_leaders WHERE snapshot_id = ? ORDER BY participant_id`, id).
			Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		return head[0], rows
	}
	copyHead, copyLeaders := stored(viaCopy.ID)
	insertHead, insertLeaders := stored(viaInsert.ID)
	if copyHead != insertHead {
		t.Errorf("stored heads differ:\nCOPY   %.300v\nINSERT %.300v", copyHead, insertHead)
	}
	if len(copyLeaders) != len(leaders) || !slices.Equal(copyLeaders, insertLeaders) {
		t.Errorf("stored leaders differ: %d through COPY, %d through INSERT, want %d each", len(copyLeaders), len(insertLeaders), len(leaders))
	}
	for _, snap := range []assessment.Snapshot{viaCopy, viaInsert} {
		got, err := st.SnapshotResult(ctx, org, snap.ID)
		if err != nil {
			t.Fatal(err)
		}
		gotJSON, err1 := json.Marshal(got)
		wantJSON, err2 := json.Marshal(res)
		if err1 != nil || err2 != nil || string(gotJSON) != string(wantJSON) {
			t.Errorf("snapshot version %d reads back other than it was scored (%v, %v)", snap.Version, err1, err2)
		}
	}
}

func sortedRatings(rs []assessment.CycleRating) []assessment.CycleRating {
	key := func(r assessment.CycleRating) string {
		return fmt.Sprintf("%s %s %s %s %d", r.ParticipantID, r.PersonID, r.Relationship, r.ItemKey, r.Value)
	}
	slices.SortFunc(rs, func(a, b assessment.CycleRating) int { return strings.Compare(key(a), key(b)) })
	return rs
}

func firstDifference(got, want []assessment.CycleRating) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("at %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	return "in length"
}
