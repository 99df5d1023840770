package assessment

import (
	"context"
	"fmt"
	"math"
)

// AdminHome is what an HR admin should look at first: every open cycle with
// how far its raters are and what needs attention, the closed cycles
// waiting for release, the latest releases and the drafts. It holds counts
// per group only, never who answered (TRUST.md rule 3).
type AdminHome struct {
	Open     []OpenCycleHome
	Closed   []Cycle // closed, results not released yet
	Released []Cycle // the latest releases, newest first (at most homeReleases)
	Drafts   []Cycle
}

// OpenCycleHome is one open cycle on the admin's home page.
type OpenCycleHome struct {
	// Progress holds the cycle-wide counts (Groups, Total, Failed); its
	// Leaders are left empty. An admin assessed in the cycle sees it
	// without their own participation (Progress.Own).
	Progress Progress
	// DaysLeft is the whole days until the cycle closes, rounded up; 0 on
	// its last day.
	DaysLeft int
	// AtRisk are the leaders with a group of peers, direct reports or
	// others that was invited with enough people to be shown but has
	// fewer than the threshold answers so far: closed now, their report
	// would pool or hide that group.
	AtRisk []LeaderRisk
	// InvitedBelowThreshold counts the leaders with such a group invited
	// below the threshold: it is pooled or left out whoever answers.
	InvitedBelowThreshold int
}

// LeaderRisk is a leader with the groups that are short of answers.
type LeaderRisk struct {
	Participant Participant
	Leader      Person
	Short       []GroupCount
}

const homeReleases = 3

// AdminHome gathers the admin's home page. viewer is the admin's email:
// an open cycle that assesses them leaves their own raters out.
func (s *Service) AdminHome(ctx context.Context, orgID, viewer string) (AdminHome, error) {
	sums, err := s.store.CycleSummaries(ctx, orgID)
	if err != nil {
		return AdminHome{}, fmt.Errorf("home: %w", err)
	}
	var home AdminHome
	for _, sum := range sums {
		switch c := sum.Cycle; c.Status {
		case StatusOpen:
			o, err := s.openCycleHome(ctx, c, viewer)
			if err != nil {
				return AdminHome{}, err
			}
			home.Open = append(home.Open, o)
		case StatusClosed:
			home.Closed = append(home.Closed, c)
		case StatusReleased:
			if len(home.Released) < homeReleases {
				home.Released = append(home.Released, c)
			}
		case StatusDraft:
			home.Drafts = append(home.Drafts, c)
		}
	}
	return home, nil
}

func (s *Service) openCycleHome(ctx context.Context, c Cycle, viewer string) (OpenCycleHome, error) {
	wrap := func(err error) error { return fmt.Errorf("home, cycle %s: %w", c.ID, err) }
	p, err := s.CycleProgress(ctx, c.OrganizationID, c.ID, ProgressQuery{Page: 1, Viewer: viewer})
	if err != nil {
		return OpenCycleHome{}, err
	}
	p.Leaders = nil
	o := OpenCycleHome{Progress: p, DaysLeft: max(0, int(math.Ceil(c.ClosesAt.Sub(s.Now()).Hours()/24)))}
	leaders, err := s.store.LeaderPage(ctx, c.OrganizationID, c.ID, 0, p.LeaderCount)
	if err != nil {
		return OpenCycleHome{}, wrap(err)
	}
	ids := make([]string, 0, len(leaders))
	for _, l := range leaders {
		if l.Participant.ID != p.Own {
			ids = append(ids, l.Participant.ID)
		}
	}
	counts, err := s.store.GroupProgress(ctx, c.OrganizationID, c.ID, ids)
	if err != nil {
		return OpenCycleHome{}, wrap(err)
	}
	byLeader := map[string][]GroupCount{}
	for _, g := range counts {
		byLeader[g.ParticipantID] = append(byLeader[g.ParticipantID], g)
	}
	k := max(c.AnonymityThreshold, MinAnonymityThreshold)
	for _, l := range leaders {
		if l.Participant.ID == p.Own {
			continue
		}
		risk := LeaderRisk{Participant: l.Participant, Leader: l.Leader}
		below := false
		for _, g := range inReportOrder(byLeader[l.Participant.ID]) {
			if g.Relationship.Identifiable() || g.Invited == 0 {
				continue
			}
			switch {
			case g.Invited < k:
				below = true
			case g.Submitted < k:
				risk.Short = append(risk.Short, g)
			}
		}
		if below {
			o.InvitedBelowThreshold++
		}
		if len(risk.Short) > 0 {
			o.AtRisk = append(o.AtRisk, risk)
		}
	}
	return o, nil
}
