package assessment

import (
	"context"
	"time"
)

// CycleAdminStore is the persistence of running cycles from the dashboard:
// editing, imports, progress and deadline changes (cycle_admin.go). Every
// list it returns is built with a fixed number of queries, whatever the
// number of leaders: the progress page of a 1,000-leader cycle stays fast.
type CycleAdminStore interface {
	// Cycles lists the organisation's cycles, newest first.
	Cycles(ctx context.Context, orgID string) ([]Cycle, error)
	// CycleSummaries lists the organisation's cycles, newest first, with
	// their leader, invitation and submission counts.
	CycleSummaries(ctx context.Context, orgID string) ([]CycleSummary, error)
	// Instruments lists the instruments a cycle of the organisation may
	// use: the built-in ones and the organisation's own.
	Instruments(ctx context.Context, orgID string) ([]Instrument, error)
	// UpdateDraftCycle saves the cycle's own fields only while it is still
	// a draft (a compare-and-set on the status); otherwise CodeConflict.
	UpdateDraftCycle(ctx context.Context, c *Cycle) error
	// CycleSettings loads the cycle's settings; a cycle without stored
	// settings has DefaultCycleSettings.
	CycleSettings(ctx context.Context, orgID, cycleID string) (CycleSettings, error)
	// SaveCycleSettings inserts or replaces the settings and group limits.
	SaveCycleSettings(ctx context.Context, s *CycleSettings, at time.Time) error
	// AdvanceReminderRounds moves the cycle's reminder_rounds from `from`
	// to `to` only if it is still `from`: two clicks on "remind now" send
	// one round.
	AdvanceReminderRounds(ctx context.Context, orgID, cycleID string, from, to int, at time.Time) error
	// CycleLeaders lists the cycle's leaders with their people, by name;
	// Raters stay empty.
	CycleLeaders(ctx context.Context, orgID, cycleID string) ([]RosterLeader, error)
	// LeaderPage lists limit of the cycle's leaders, skipping the first
	// offset, in the order of CycleLeaders; Raters stay empty.
	LeaderPage(ctx context.Context, orgID, cycleID string, offset, limit int) ([]RosterLeader, error)
	// LeaderCount counts the cycle's leaders.
	LeaderCount(ctx context.Context, orgID, cycleID string) (int, error)
	// CycleRoster lists the cycle's leaders with every rater assignment
	// and the people involved.
	CycleRoster(ctx context.Context, orgID, cycleID string) ([]RosterLeader, error)
	// RemoveAssignment deletes a rater assignment of a participant.
	RemoveAssignment(ctx context.Context, orgID, participantID, assignmentID string) error
	// RemoveParticipant deletes a leader from a cycle with their
	// assignments.
	RemoveParticipant(ctx context.Context, orgID, cycleID, participantID string) error
	// GroupProgress counts, per leader and relationship, the assignments,
	// live invitations, submissions and failed emails of these leaders of
	// the cycle.
	GroupProgress(ctx context.Context, orgID, cycleID string, participantIDs []string) ([]GroupCount, error)
	// GroupTotals counts the same per relationship over all of the cycle's
	// leaders; ParticipantID is empty.
	GroupTotals(ctx context.Context, orgID, cycleID string) ([]GroupCount, error)
	// RaterStatuses lists every rater assignment of one leader with its
	// invitation and response status, for HR only.
	RaterStatuses(ctx context.Context, orgID, participantID string) ([]RaterStatus, error)
	// FailedRaters lists the cycle's assignments whose last email failed.
	FailedRaters(ctx context.Context, orgID, cycleID string) ([]RaterStatus, error)
	// PendingRaters lists the people with at least one live invitation in
	// the cycle that is not submitted: to rate the leader participantID,
	// or any leader when it is empty.
	PendingRaters(ctx context.Context, orgID, cycleID, participantID string) ([]string, error)
	// SubmissionTimes lists when the cycle's submitted surveys were
	// submitted, leaving out those about the leader except (none when
	// empty); in no particular order.
	SubmissionTimes(ctx context.Context, orgID, cycleID, except string) ([]time.Time, error)
	// PeopleByEmail finds the organisation's people with these (normalised)
	// addresses, by email; unknown addresses are simply absent.
	PeopleByEmail(ctx context.Context, orgID string, emails []string) (map[string]Person, error)
	// CycleGroupProgress is GroupProgress for every leader of the cycle.
	CycleGroupProgress(ctx context.Context, orgID, cycleID string) ([]GroupCount, error)
	// DeleteDraftCycle deletes a draft cycle with its leaders, raters and
	// settings; a cycle that is no longer a draft is CodeConflict.
	DeleteDraftCycle(ctx context.Context, orgID, cycleID string) error
	// MoveCycleStart sets an open cycle's opening date to when it really
	// opened, for a cycle opened before its planned date.
	MoveCycleStart(ctx context.Context, orgID, cycleID string, to, at time.Time) error
	// MoveCycleDeadline changes a cycle's close date only while it is
	// open; otherwise CodeConflict.
	MoveCycleDeadline(ctx context.Context, orgID, cycleID string, to, at time.Time) error
}

// CycleSummary is one line of the cycle list.
type CycleSummary struct {
	Cycle     Cycle
	Leaders   int
	Invited   int // live invitations, self included
	Submitted int
	// Assessed: the open cycle assesses the viewer, and Invited and
	// Submitted are left at zero (Service.CycleSummaries).
	Assessed bool
}

// RosterLeader is a leader of a cycle with the people asked to rate them,
// self first.
type RosterLeader struct {
	Participant Participant
	Leader      Person
	Raters      []RosterRater
}

// RosterRater is one rater assignment with its person.
type RosterRater struct {
	Assignment Assignment
	Person     Person
}

// GroupCount is the progress of one relationship group of one leader, or
// of the whole cycle.
type GroupCount struct {
	ParticipantID string
	Relationship  Relationship
	Assigned      int
	Invited       int
	Submitted     int
	Failed        int
}

// RaterStatus is one rater assignment's invitation status as HR sees it.
type RaterStatus struct {
	ParticipantID string
	Leader        Person
	Assignment    Assignment
	Rater         Person
	Invited       bool
	SentAt        *time.Time
	FailedAt      *time.Time
	Failure       string
	Submitted     bool
}
