package assessment

import (
	"context"
	"time"

	"github.com/lead360/lead360/scoring"
)

// ResultsStore is the persistence of releases, the audit log and leaders'
// action plans (results.go).
type ResultsStore interface {
	// SnapshotHead loads a snapshot's result without its leaders: the
	// settings and the cohort statistics (heatmap, agreement bands).
	SnapshotHead(ctx context.Context, orgID, snapshotID string) (scoring.Result, error)
	// SaveSnapshotFocus records each leader's focus skill of a snapshot, and
	// their results table row, for the organisation view and the results
	// table; rows already recorded are kept as they are.
	SaveSnapshotFocus(ctx context.Context, snapshotID string, focus []LeaderFocus) error
	// SnapshotFocus loads what SaveSnapshotFocus recorded for the snapshot
	// (nil when nothing was recorded).
	SnapshotFocus(ctx context.Context, orgID, snapshotID string) ([]LeaderFocus, error)
	// ParticipantComments loads the comments of one leader's submitted
	// responses, like CycleComments, without the rater.
	ParticipantComments(ctx context.Context, orgID, participantID string) ([]CycleComment, error)
	// ParticipantOfPerson finds the person's participation in the cycle.
	ParticipantOfPerson(ctx context.Context, orgID, cycleID, personID string) (Participant, error)
	// PersonCycles lists the cycles that assess the person, newest first.
	PersonCycles(ctx context.Context, orgID, personID string) ([]PersonCycle, error)
	// ParticipantProgress counts, per relationship, the raters asked and
	// the responses submitted for one leader, in all and before a moment;
	// never who.
	ParticipantProgress(ctx context.Context, orgID, participantID string, before time.Time) ([]GroupProgress, error)
	// ReleasedCycles lists the organisation's released cycles, the one that
	// closed last first.
	ReleasedCycles(ctx context.Context, orgID string) ([]Cycle, error)

	// AuditEntries lists the organisation's audit entries newest first,
	// skipping offset entries, with the actor's name and email.
	AuditEntries(ctx context.Context, orgID string, offset, limit int) ([]AuditRecord, error)
	// AuditEntriesBefore lists up to limit entries newest first, after
	// the entry before names (none: from the newest).
	AuditEntriesBefore(ctx context.Context, orgID string, before AuditCursor, limit int) ([]AuditRecord, error)
	// AuditCount counts the organisation's audit entries.
	AuditCount(ctx context.Context, orgID string) (int, error)

	// SaveActionPlan inserts or replaces the participant's action plan.
	SaveActionPlan(ctx context.Context, p *ActionPlan) error
	// ActionPlan loads the participant's action plan, or CodeNotFound.
	ActionPlan(ctx context.Context, orgID, participantID string) (ActionPlan, error)
	// LeaderFollowUps says, for the participants of a cycle, which leaders
	// opened their own report (an audit entry of theirs) and which started
	// an action plan; participants with neither are absent.
	LeaderFollowUps(ctx context.Context, orgID, cycleID string) (map[string]FollowUp, error)
}

// FollowUp is what a leader did with their released report.
type FollowUp struct {
	Viewed      bool // the leader opened their report (page or PDF)
	PlanStarted bool // the leader saved an action plan
}

// LeaderFocus is one leader's focus skill in a snapshot ("" when the engine
// suggested none) with the rest of the leader's row of the results table.
type LeaderFocus struct {
	ParticipantID string
	Skill         string
	// Raters (scoring.Leader.MostRaters) and BlindSpots (skill keys) are
	// nil when the row was recorded before they were (migration 00014);
	// Summarised tells them apart from a leader with none.
	Raters     map[scoring.Group]int
	BlindSpots []string
	Summarised bool
}

// PersonCycle is one cycle that assesses a person, with their participation.
type PersonCycle struct {
	Cycle         Cycle
	ParticipantID string
}

// GroupProgress is how many raters of one relationship were asked about a
// leader and how many have submitted: in all, and before the moment
// ParticipantProgress was given.
type GroupProgress struct {
	Relationship    Relationship
	Invited         int
	Submitted       int
	SubmittedBefore int
}

// AuditCursor is a place in the audit log: the last entry read.
type AuditCursor struct {
	At time.Time
	ID string
}

// AuditRecord is an audit entry as the audit page shows it, with who acted.
type AuditRecord struct {
	AuditEntry
	ActorName  string
	ActorEmail string
}

// ActionPlan is a leader's plan after reading their report: one skill, one
// behaviour, the next situation to practise it in, who to ask and when to
// check progress.
type ActionPlan struct {
	ID             string
	OrganizationID string
	ParticipantID  string
	Skill          string
	Behaviour      string
	Situation      string
	FeedbackFrom   string
	CheckInDate    time.Time // a calendar date, at midnight UTC
	CreatedAt      time.Time
	UpdatedAt      time.Time
}
