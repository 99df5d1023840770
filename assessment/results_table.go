package assessment

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/lead360/lead360/scoring"
)

// ResultsTable is a released cycle at a glance, one row per leader: what
// HR needs to see which reports to follow up. Every figure in a row is one
// the leader's own report shows.
type ResultsTable struct {
	Cycle      Cycle
	Instrument Instrument
	Rows       []LeaderResult
}

// LeaderResult is one leader's row of the results table.
type LeaderResult struct {
	ParticipantID, Name string
	// Raters is how many people answered per shown group, as the report's
	// "Who responded" counts them (scoring.Leader.MostRaters); groups the
	// report does not show are absent.
	Raters map[scoring.Group]int
	// Focus is the focus skill's key, "" when the engine suggested none.
	Focus string
	// BlindSpots are the keys of the skills flagged as blind spots, in
	// instrument order.
	BlindSpots []string
	FollowUp
}

// ResultsTable reads the newest snapshot of a released cycle and what its
// leaders did with their reports, sorted by leader name. A cycle that is
// not released is ErrNotReleased, with the cycle in the table, so that the
// page can offer to release it.
func (s *Service) ResultsTable(ctx context.Context, orgID, cycleID string) (ResultsTable, error) {
	c, err := s.store.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return ResultsTable{}, fmt.Errorf("results table of cycle %s: %w", cycleID, err)
	}
	if err := requireReleased(&c); err != nil {
		return ResultsTable{Cycle: c}, err
	}
	fail := func(err error) (ResultsTable, error) {
		return ResultsTable{Cycle: c}, fmt.Errorf("results table of cycle %s: %w", cycleID, err)
	}
	in, err := s.store.Instrument(ctx, c.InstrumentID)
	if err != nil {
		return fail(err)
	}
	head, err := s.store.LatestSnapshotHeader(ctx, orgID, cycleID)
	if err != nil {
		return fail(err)
	}
	// The rows recorded at release: one small query, not every leader's
	// result.
	rows, err := s.snapshotFocus(ctx, orgID, head.ID)
	if err != nil {
		return fail(err)
	}
	names, err := s.store.ParticipantNames(ctx, orgID, cycleID)
	if err != nil {
		return fail(err)
	}
	followUps, err := s.store.LeaderFollowUps(ctx, orgID, cycleID)
	if err != nil {
		return fail(err)
	}
	nameOf := map[string]string{}
	for _, n := range names {
		nameOf[n.ParticipantID] = n.Name
	}
	t := ResultsTable{Cycle: c, Instrument: in}
	for _, f := range rows {
		t.Rows = append(t.Rows, LeaderResult{ParticipantID: f.ParticipantID, Name: cmp.Or(nameOf[f.ParticipantID], f.ParticipantID),
			Raters: f.Raters, Focus: f.Skill, BlindSpots: f.BlindSpots, FollowUp: followUps[f.ParticipantID]})
	}
	slices.SortFunc(t.Rows, func(a, b LeaderResult) int {
		return compareNames(a.Name, a.ParticipantID, b.Name, b.ParticipantID)
	})
	return t, nil
}
