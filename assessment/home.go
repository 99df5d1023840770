package assessment

import (
	"context"
	"fmt"
	"math"
	"slices"
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

// OpenCycleHome is one open cycle on the admin's home page. An admin
// assessed in the cycle sees it without their own participation (Own), as
// on the progress page.
type OpenCycleHome struct {
	Cycle Cycle
	// Groups are the cycle-wide counts per relationship, in report order,
	// and Total their sum; Failed counts the invitations whose email failed.
	Groups []GroupCount
	Total  GroupCount
	Failed int
	Own    bool
	// DaysLeft is the whole days until the cycle closes, rounded up; 0 on
	// its last day.
	DaysLeft int
	// AtRisk are the leaders with a group of peers, direct reports or
	// others that was invited with enough people to be shown but has
	// fewer than the threshold answers so far: closed now, their report
	// would pool or hide that group. By leader name.
	AtRisk []LeaderRisk
	// Pace is how fast the cycle's raters answer, for the outlook of the
	// groups at risk (read only when some are).
	Pace Pace
	// InvitedBelowThreshold counts the leaders with such a group invited
	// below the threshold: it is pooled or left out whoever answers.
	InvitedBelowThreshold int
	// ReminderRound is the cycle's reminder round, for the page's
	// "remind their raters" buttons (RemindLeaderRaters).
	ReminderRound int
}

// LeaderRisk is a leader with the groups that are short of answers.
type LeaderRisk struct {
	ParticipantID, Name string
	Short               []GroupOutlook
}

// Behind reports whether one of the leader's groups will not reach the
// threshold by the close date at the cycle's pace; with no pace yet, every
// group short now counts.
func (r LeaderRisk) Behind(k int) bool {
	for _, g := range r.Short {
		if g.Behind(k) {
			return true
		}
	}
	return false
}

// Shortfall is how far the leader's furthest group is expected to fall
// short of k by the close date (its answers now, with no pace yet): the
// home page lists the leaders furthest behind first.
func (r LeaderRisk) Shortfall(k int) float64 {
	worst := 0.0
	for _, g := range r.Short {
		worst = max(worst, float64(k)-g.Expected)
	}
	return worst
}

// GroupOutlook is a group short of answers and where it is heading:
// Expected answers by the close date at the cycle's pace (Pace.Expected),
// out of the Reachable ones (submitted, or waiting on an email that did not
// fail).
type GroupOutlook struct {
	GroupCount
	Expected  float64
	Reachable int
	PaceKnown bool
}

// Behind reports whether the group is expected to stay below k.
func (g GroupOutlook) Behind(k int) bool {
	return g.Reachable < k || !g.PaceKnown || g.Expected < float64(k)
}

const homeReleases = 3

// AdminHome gathers the admin's home page. viewer is the admin's email:
// an open cycle that assesses them leaves their own raters out. An open
// cycle costs one grouped count over its leaders (and their names when one
// is at risk), whatever its size.
func (s *Service) AdminHome(ctx context.Context, orgID, viewer string) (AdminHome, error) {
	cycles, err := s.store.Cycles(ctx, orgID)
	if err != nil {
		return AdminHome{}, fmt.Errorf("home: %w", err)
	}
	mine, err := s.viewerParticipations(ctx, orgID, viewer)
	if err != nil {
		return AdminHome{}, fmt.Errorf("home: %w", err)
	}
	var home AdminHome
	for _, c := range cycles {
		switch c.Status {
		case StatusOpen:
			o, err := s.openCycleHome(ctx, c, mine[c.ID])
			if err != nil {
				return AdminHome{}, fmt.Errorf("home, cycle %s: %w", c.ID, err)
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

// openCycleHome counts an open cycle's answers, leaving out own (the
// viewer's participation, or "").
func (s *Service) openCycleHome(ctx context.Context, c Cycle, own string) (OpenCycleHome, error) {
	o := OpenCycleHome{Cycle: c, Own: own != "", DaysLeft: max(0, int(math.Ceil(c.ClosesAt.Sub(s.Now()).Hours()/24)))}
	counts, err := s.store.CycleGroupProgress(ctx, c.OrganizationID, c.ID)
	if err != nil {
		return OpenCycleHome{}, err
	}
	k := max(c.AnonymityThreshold, MinAnonymityThreshold)
	totals := map[Relationship]GroupCount{}
	byLeader := map[string][]GroupCount{}
	for _, g := range counts {
		if g.ParticipantID == own {
			continue
		}
		t := totals[g.Relationship]
		t.Relationship = g.Relationship
		totals[g.Relationship] = t.plus(g)
		o.Failed += g.Failed
		byLeader[g.ParticipantID] = append(byLeader[g.ParticipantID], g)
	}
	for _, t := range totals {
		o.Groups = append(o.Groups, t)
		o.Total = o.Total.plus(t)
	}
	o.Groups = inReportOrder(o.Groups)
	for id, groups := range byLeader {
		risk := LeaderRisk{ParticipantID: id}
		below := false
		for _, g := range inReportOrder(groups) {
			switch {
			case g.Relationship.Identifiable() || g.Invited == 0:
			case g.Invited < k:
				below = true
			case g.Submitted < k:
				risk.Short = append(risk.Short, GroupOutlook{GroupCount: g})
			}
		}
		if below {
			o.InvitedBelowThreshold++
		}
		if len(risk.Short) > 0 {
			o.AtRisk = append(o.AtRisk, risk)
		}
	}
	if len(o.AtRisk) == 0 {
		return o, nil
	}
	cs, err := s.store.CycleSettings(ctx, c.OrganizationID, c.ID)
	if err != nil {
		return OpenCycleHome{}, err
	}
	o.ReminderRound = cs.ReminderRounds
	if err := s.projectRisks(ctx, &o, own); err != nil {
		return OpenCycleHome{}, err
	}
	names, err := s.store.ParticipantNames(ctx, c.OrganizationID, c.ID)
	if err != nil {
		return OpenCycleHome{}, err
	}
	nameOf := make(map[string]string, len(names))
	for _, n := range names {
		nameOf[n.ParticipantID] = n.Name
	}
	for i := range o.AtRisk {
		o.AtRisk[i].Name = nameOf[o.AtRisk[i].ParticipantID]
	}
	slices.SortFunc(o.AtRisk, func(a, b LeaderRisk) int { return compareNames(a.Name, a.ParticipantID, b.Name, b.ParticipantID) })
	return o, nil
}

// projectRisks gives each group at risk its outlook at the cycle's pace,
// leaving out own (the viewer's participation) as the counts do.
func (s *Service) projectRisks(ctx context.Context, o *OpenCycleHome, own string) error {
	now := s.Now()
	times, err := s.store.SubmissionTimes(ctx, o.Cycle.OrganizationID, o.Cycle.ID, own)
	if err != nil {
		return err
	}
	o.Pace = CyclePace(o.Cycle.OpensAt, now, times, max(0, o.Total.Invited-len(times)))
	left := o.Cycle.ClosesAt.Sub(now)
	for i := range o.AtRisk {
		for j := range o.AtRisk[i].Short {
			g := &o.AtRisk[i].Short[j]
			waiting := max(0, g.Invited-g.Submitted-g.Failed)
			g.Reachable = g.Submitted + waiting
			g.Expected = o.Pace.Expected(g.Submitted, waiting, left)
			g.PaceKnown = o.Pace.Known
		}
	}
	return nil
}
