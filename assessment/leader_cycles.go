package assessment

import (
	"context"
	"fmt"
	"time"
)

// OwnParticipation finds the signed-in leader's participation in a cycle of
// their organisation. A cycle that does not assess them is not found,
// whatever else they are (a manager, a rater): a leader only ever reaches
// their own results.
func (s *Service) OwnParticipation(ctx context.Context, u User, cycleID string) (Participant, error) {
	if !u.Has(RoleLeader) || u.PersonID == "" {
		return Participant{}, Errorf(CodeNotFound, "you are not assessed in this cycle")
	}
	p, err := s.store.ParticipantOfPerson(ctx, u.OrganizationID, cycleID, u.PersonID)
	if err != nil {
		return Participant{}, fmt.Errorf("participation of %s in cycle %s: %w", u.ID, cycleID, err)
	}
	return p, nil
}

// LeaderCycle is one cycle on a leader's own page: its status, and while it
// is open what they may know of who has answered (Completion).
type LeaderCycle struct {
	Cycle         Cycle
	ParticipantID string
	Completion    *Completion // open cycles only
	// FocusName is the focus skill of a released cycle's report ("" when
	// the report suggests none), and PlanStarted whether the leader saved
	// an action plan for it: released cycles only.
	FocusName   string
	PlanStarted bool
}

// Completion is what a leader sees of the answers about them while their
// cycle is open. It must never let them watch a known person submit
// (TRUST.md rule 3), so:
//
//   - counts are those of the start of the day (00:00 UTC): they change at
//     most once a day, together for everyone who submitted the day before,
//     never at the moment one person submits;
//   - a group with fewer invited than the cycle's threshold shows no count
//     at all, its invited number included: a group of one or two is people,
//     and its count would be their progress (a manager too);
//   - no total across groups is given, since it minus the shown groups
//     would be the hidden ones' count.
//
// The leader's own self-assessment is theirs: its status is live.
type Completion struct {
	// AsOf is 00:00 UTC of the current day: counts are of the answers
	// submitted before it.
	AsOf      time.Time
	Threshold int
	// SelfSubmitted is whether the leader has submitted their own survey.
	SelfSubmitted bool
	// Groups are the colleagues' groups that have raters, in report order.
	Groups []GroupCompletion
}

// GroupCompletion is one group of colleagues on a leader's page. When
// Shown is false (fewer than the threshold invited), Invited and Answered
// are zero: the numbers never reach a page.
type GroupCompletion struct {
	Relationship Relationship
	Shown        bool
	Invited      int
	Answered     int // submitted before Completion.AsOf
}

// Plural names the group's people: "peers", "direct reports".
func (g GroupCompletion) Plural() string { return g.Relationship.Plural() }

// LeaderCycles lists the cycles that assess the signed-in leader, newest
// first, with the completion they may see of open ones.
func (s *Service) LeaderCycles(ctx context.Context, u User) ([]LeaderCycle, error) {
	if !u.Has(RoleLeader) || u.PersonID == "" {
		return nil, nil
	}
	pcs, err := s.store.PersonCycles(ctx, u.OrganizationID, u.PersonID)
	if err != nil {
		return nil, fmt.Errorf("cycles of %s: %w", u.ID, err)
	}
	startOfDay := s.Now().UTC().Truncate(24 * time.Hour)
	out := make([]LeaderCycle, len(pcs))
	for i, pc := range pcs {
		out[i] = LeaderCycle{Cycle: pc.Cycle, ParticipantID: pc.ParticipantID}
		if pc.Cycle.Status == StatusReleased {
			if err := s.followUpOf(ctx, u.OrganizationID, &out[i]); err != nil {
				return nil, err
			}
		}
		if pc.Cycle.Status != StatusOpen {
			continue
		}
		groups, err := s.store.ParticipantProgress(ctx, u.OrganizationID, pc.ParticipantID, startOfDay)
		if err != nil {
			return nil, fmt.Errorf("progress of %s: %w", pc.ParticipantID, err)
		}
		out[i].Completion = completionOf(groups, pc.Cycle.AnonymityThreshold, startOfDay)
	}
	return out, nil
}

// followUpOf fills in a released cycle's focus skill, as recorded at
// release, and whether the leader started an action plan.
func (s *Service) followUpOf(ctx context.Context, orgID string, lc *LeaderCycle) error {
	head, err := s.store.LatestSnapshotHeader(ctx, orgID, lc.Cycle.ID)
	if err != nil {
		return fmt.Errorf("focus of %s: %w", lc.ParticipantID, err)
	}
	focus, err := s.snapshotFocus(ctx, orgID, head.ID)
	if err != nil {
		return fmt.Errorf("focus of %s: %w", lc.ParticipantID, err)
	}
	in, err := s.store.Instrument(ctx, lc.Cycle.InstrumentID)
	if err != nil {
		return fmt.Errorf("focus of %s: %w", lc.ParticipantID, err)
	}
	for _, f := range focus {
		if f.ParticipantID != lc.ParticipantID || f.Skill == "" {
			continue
		}
		lc.FocusName = f.Skill
		for _, sk := range in.Skills {
			if sk.Key == f.Skill {
				lc.FocusName = sk.Name
			}
		}
	}
	_, lc.PlanStarted, err = s.ActionPlanOf(ctx, orgID, lc.ParticipantID)
	return err
}

// completionOf applies Completion's rules to a leader's counts.
func completionOf(groups []GroupProgress, threshold int, asOf time.Time) *Completion {
	c := &Completion{AsOf: asOf, Threshold: threshold}
	for _, g := range groups {
		switch {
		case g.Relationship == Self:
			c.SelfSubmitted = g.Submitted > 0
		case g.Invited >= threshold:
			c.Groups = append(c.Groups, GroupCompletion{Relationship: g.Relationship, Shown: true, Invited: g.Invited, Answered: g.SubmittedBefore})
		default:
			c.Groups = append(c.Groups, GroupCompletion{Relationship: g.Relationship})
		}
	}
	return c
}
