package assessment

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// A cycle's progress: counts per group for HR, never who answered to anyone else.

// ProgressPageSize is how many leaders one page of a cycle's progress
// lists: enough to scan, few enough to stay fast in a cycle of thousands.
const ProgressPageSize = 50

// ProgressQuery says which part of a cycle's progress to load.
type ProgressQuery struct {
	// Page is 1-based; one outside the cycle's pages gives the nearest.
	Page int
	// Leader is a participant whose raters to list one by one, or "".
	Leader string
	// Viewer is the signed-in admin's email. An admin who is also assessed
	// in the cycle must not watch their own raters answer (TRUST.md rule 3),
	// so their own participation is left out (Progress.Own).
	Viewer string
}

// Progress is how far a cycle's raters are: cycle-wide counts, and per
// leader and group for one page of leaders. It holds counts only; HR's
// per-rater view is Selected and Failed.
type Progress struct {
	Cycle    Cycle
	Settings CycleSettings
	// Leaders are the page's leaders, in the order of CycleLeaders.
	Leaders []LeaderProgress
	// Page is the page shown, from 1 to Pages (1 when there are no leaders).
	Page, Pages int
	// LeaderCount, Groups (per relationship, in report order) and Total
	// cover all of the cycle's leaders, not only the page's.
	LeaderCount int
	Groups      []GroupCount
	Total       GroupCount
	// Failed are the raters whose email bounced or failed for good: the
	// people HR must act on first.
	Failed []RaterStatus
	// Selected is the leader of ProgressQuery.Leader, on the page or not.
	Selected *LeaderRaters
	// Own is the viewer's own participation when they are assessed in the
	// cycle: it is left out of Groups, Total, Failed and Daily, its row has
	// no counts and its raters are never Selected.
	Own string
	// Daily counts the surveys submitted on each day (UTC) from the day
	// the cycle opened to today or its close, whichever is first: the
	// whole cycle's, never a leader's or a group's.
	Daily []DayCount
}

// DayCount is how many surveys were submitted on one day, and how many by
// the end of it.
type DayCount struct {
	Day              time.Time // midnight UTC
	Submitted, SoFar int
}

// LeaderProgress is one leader's counts, per group in report order; Own
// marks the viewer's own row, which has none.
type LeaderProgress struct {
	Participant Participant
	Leader      Person
	Groups      []GroupCount
	Total       GroupCount
	Own         bool
}

// LeaderRaters is one leader with each rater's status. Only HR may see
// it: a leader sees counts per group, never who has answered (TRUST.md
// rule 3).
type LeaderRaters struct {
	Participant Participant
	Leader      Person
	Raters      []RaterStatus
}

// CycleProgress counts a cycle's invitations and submissions per group,
// over the whole cycle and per leader for one page of leaders, with a fixed
// number of queries whatever the number of leaders or the page.
func (s *Service) CycleProgress(ctx context.Context, orgID, cycleID string, q ProgressQuery) (Progress, error) {
	var p Progress
	var err error
	wrap := func(err error) error { return fmt.Errorf("progress of cycle %s: %w", cycleID, err) }
	if p.Cycle, err = s.store.Cycle(ctx, orgID, cycleID); err != nil {
		return Progress{}, wrap(err)
	}
	if p.Settings, err = s.store.CycleSettings(ctx, orgID, cycleID); err != nil {
		return Progress{}, wrap(err)
	}
	if p.LeaderCount, err = s.store.LeaderCount(ctx, orgID, cycleID); err != nil {
		return Progress{}, wrap(err)
	}
	p.Pages = max(1, (p.LeaderCount+ProgressPageSize-1)/ProgressPageSize)
	p.Page = min(max(q.Page, 1), p.Pages)
	leaders, err := s.store.LeaderPage(ctx, orgID, cycleID, (p.Page-1)*ProgressPageSize, ProgressPageSize)
	if err != nil {
		return Progress{}, wrap(err)
	}
	ids := make([]string, len(leaders))
	for i, l := range leaders {
		ids[i] = l.Participant.ID
	}
	counts, err := s.store.GroupProgress(ctx, orgID, cycleID, ids)
	if err != nil {
		return Progress{}, wrap(err)
	}
	if p.Groups, err = s.store.GroupTotals(ctx, orgID, cycleID); err != nil {
		return Progress{}, wrap(err)
	}
	if p.Failed, err = s.store.FailedRaters(ctx, orgID, cycleID); err != nil {
		return Progress{}, wrap(err)
	}
	if q.Leader != "" {
		if p.Selected, err = s.leaderRaters(ctx, orgID, cycleID, q.Leader); err != nil {
			return Progress{}, wrap(err)
		}
	}
	byLeader := make(map[string][]GroupCount, len(leaders))
	for _, g := range counts {
		byLeader[g.ParticipantID] = append(byLeader[g.ParticipantID], g)
	}
	p.Leaders = make([]LeaderProgress, len(leaders))
	for i, l := range leaders {
		lp := LeaderProgress{Participant: l.Participant, Leader: l.Leader, Groups: inReportOrder(byLeader[l.Participant.ID])}
		for _, g := range lp.Groups {
			lp.Total = lp.Total.plus(g)
		}
		p.Leaders[i] = lp
	}
	p.Groups = inReportOrder(p.Groups)
	for _, g := range p.Groups {
		p.Total = p.Total.plus(g)
	}
	if err := s.leaveOutViewer(ctx, &p, q.Viewer); err != nil {
		return Progress{}, wrap(err)
	}
	times, err := s.store.SubmissionTimes(ctx, orgID, cycleID, p.Own)
	if err != nil {
		return Progress{}, wrap(err)
	}
	until := s.Now()
	if p.Cycle.ClosesAt.Before(until) {
		until = p.Cycle.ClosesAt
	}
	p.Daily = dailyCounts(times, p.Cycle.OpensAt, until)
	return p, nil
}

// dailyCounts bins submission times into the UTC days from..to, both
// included; a time outside them counts on the nearest end.
func dailyCounts(times []time.Time, from, to time.Time) []DayCount {
	first, last := from.UTC().Truncate(24*time.Hour), to.UTC().Truncate(24*time.Hour)
	if last.Before(first) {
		return nil
	}
	days := make([]DayCount, int(last.Sub(first)/(24*time.Hour))+1)
	for i := range days {
		days[i].Day = first.AddDate(0, 0, i)
	}
	for _, t := range times {
		i := int(t.UTC().Truncate(24*time.Hour).Sub(first) / (24 * time.Hour))
		days[min(max(i, 0), len(days)-1)].Submitted++
	}
	total := 0
	for i := range days {
		total += days[i].Submitted
		days[i].SoFar = total
	}
	return days
}

// viewerParticipations maps each cycle of the organisation that assesses
// the admin with this email to their participation. An admin assessed in a
// cycle must not watch their own raters answer (TRUST.md rule 3), so the
// progress pages leave these out.
func (s *Service) viewerParticipations(ctx context.Context, orgID, viewer string) (map[string]string, error) {
	email, err := NormalizeEmail(viewer)
	if err != nil {
		return nil, nil // no viewer: nothing to leave out
	}
	people, err := s.store.PeopleByEmail(ctx, orgID, []string{email})
	if err != nil || people[email].ID == "" {
		return nil, err
	}
	pcs, err := s.store.PersonCycles(ctx, orgID, people[email].ID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(pcs))
	for _, pc := range pcs {
		out[pc.Cycle.ID] = pc.ParticipantID
	}
	return out, nil
}

// leaveOutViewer takes the viewer's own participation, if they are assessed
// in the cycle, out of the progress: from the cycle-wide counts and failed
// emails, from their row and from the raters listed.
func (s *Service) leaveOutViewer(ctx context.Context, p *Progress, viewer string) error {
	mine, err := s.viewerParticipations(ctx, p.Cycle.OrganizationID, viewer)
	own := mine[p.Cycle.ID]
	if err != nil || own == "" {
		return err
	}
	counts, err := s.store.GroupProgress(ctx, p.Cycle.OrganizationID, p.Cycle.ID, []string{own})
	if err != nil {
		return err
	}
	p.Own, p.Total = own, GroupCount{}
	groups := p.Groups[:0]
	for _, g := range p.Groups {
		for _, mine := range counts {
			if mine.Relationship == g.Relationship {
				g.Assigned, g.Invited, g.Submitted, g.Failed = g.Assigned-mine.Assigned, g.Invited-mine.Invited, g.Submitted-mine.Submitted, g.Failed-mine.Failed
			}
		}
		if g.Assigned > 0 {
			groups = append(groups, g)
			p.Total = p.Total.plus(g)
		}
	}
	p.Groups = groups
	p.Failed = slices.DeleteFunc(p.Failed, func(r RaterStatus) bool { return r.ParticipantID == own })
	for i, l := range p.Leaders {
		if l.Participant.ID == own {
			p.Leaders[i] = LeaderProgress{Participant: l.Participant, Leader: l.Leader, Own: true}
		}
	}
	if p.Selected != nil && p.Selected.Participant.ID == own {
		p.Selected = nil
	}
	return nil
}

// inReportOrder sorts groups by relationship as reports list them.
func inReportOrder(gs []GroupCount) []GroupCount {
	order := func(r Relationship) int { return slices.Index(Relationships, r) }
	slices.SortFunc(gs, func(a, b GroupCount) int { return order(a.Relationship) - order(b.Relationship) })
	return gs
}

func (g GroupCount) plus(o GroupCount) GroupCount {
	g.Assigned += o.Assigned
	g.Invited += o.Invited
	g.Submitted += o.Submitted
	g.Failed += o.Failed
	return g
}

// ResponseRate is submitted over invited in percent, rounded down so 99.6%
// never reads as done; ok is false before anyone is invited.
func (g GroupCount) ResponseRate() (pct int, ok bool) {
	if g.Invited == 0 {
		return 0, false
	}
	return g.Submitted * 100 / g.Invited, true
}

// leaderRaters loads one leader of the cycle with their raters' statuses;
// a participant of another cycle is not found.
func (s *Service) leaderRaters(ctx context.Context, orgID, cycleID, participantID string) (*LeaderRaters, error) {
	p, err := participantOf(ctx, s.store, orgID, cycleID, participantID)
	if err != nil {
		return nil, fmt.Errorf("rater status: %w", err)
	}
	leader, err := s.store.Person(ctx, orgID, p.PersonID)
	if err != nil {
		return nil, fmt.Errorf("rater status of leader %s: %w", participantID, err)
	}
	raters, err := s.store.RaterStatuses(ctx, orgID, participantID)
	if err != nil {
		return nil, fmt.Errorf("rater status of leader %s: %w", participantID, err)
	}
	return &LeaderRaters{Participant: p, Leader: leader, Raters: raters}, nil
}
