package assessment

import (
	"context"
	"time"

	"github.com/lead360/lead360/scoring"
)

// ScoreStore is the persistence of scoring inputs and immutable score
// snapshots (owned by the scoring use cases in score.go).
type ScoreStore interface {
	// CycleRatings streams every answer of the cycle's SUBMITTED responses
	// to fn, in no particular order, from one query: drafts and answers HR
	// excluded never reach the engine, and no query runs per rater or per
	// item. Strings that repeat (ids, item keys) are shared between calls,
	// so 4.8 million answers do not cost 4.8 million copies of each id.
	// fn's error stops the scan and is returned.
	CycleRatings(ctx context.Context, orgID, cycleID string, fn func(CycleRating) error) error

	// CycleComments loads the comments of the cycle's submitted responses
	// that HR did not exclude, with the leader and the relationship they
	// come from, never the rater.
	CycleComments(ctx context.Context, orgID, cycleID string) ([]CycleComment, error)

	// PreviousParticipations lists, for each leader of the cycle, every
	// participation of the same person in a RELEASED cycle of the
	// organisation that closed before this one.
	PreviousParticipations(ctx context.Context, orgID, cycleID string) ([]PreviousParticipation, error)

	// ParticipantNames lists the cycle's leaders with their names, for
	// reports; names never enter the scoring input.
	ParticipantNames(ctx context.Context, orgID, cycleID string) ([]ParticipantName, error)

	// CreateSnapshot stores a new snapshot under its Version and fills in
	// its id. Snapshots are never updated: re-scoring inserts another
	// version. A version the cycle already has is a CodeConflict (a unique
	// key, so two processes never both store the version after the one
	// they read).
	CreateSnapshot(ctx context.Context, snap *Snapshot) error
	// LatestSnapshotHeader returns the cycle's current snapshot (its highest
	// version) without its result (Result is zero), or a CodeNotFound error.
	LatestSnapshotHeader(ctx context.Context, orgID, cycleID string) (Snapshot, error)
	// SnapshotResult loads a snapshot's whole result, every leader included.
	SnapshotResult(ctx context.Context, orgID, snapshotID string) (scoring.Result, error)
	// SnapshotLeader loads one leader of a snapshot, for a report that needs
	// only that leader.
	SnapshotLeader(ctx context.Context, orgID, snapshotID, participantID string) (scoring.Leader, error)

	// CycleAnyOrganization loads a cycle by id whatever its organisation.
	// Only the operator CLI (`lead360 score --cycle`) may use it: every
	// request-driven path goes through Cycle with the caller's organisation.
	CycleAnyOrganization(ctx context.Context, id string) (Cycle, error)
}

// CycleRating is one answer of a submitted response, as the scoring use case
// reads it: the rater's person id stands for the rater, so no name or email
// is ever part of a scoring input, and the same rater has the same id in
// every cycle of the organisation (which trends need to compare panels).
type CycleRating struct {
	ParticipantID string
	PersonID      string
	Relationship  Relationship
	ItemKey       string
	Value         int // 1..ScalePoints, or NotObserved
}

// CycleComment is one comment of a submitted response, without its rater.
type CycleComment struct {
	ParticipantID string
	Relationship  Relationship
	QuestionKey   string
	Body          string
}

// PreviousParticipation links a leader of a cycle to an earlier
// participation of the same person in a released cycle.
type PreviousParticipation struct {
	ParticipantID         string // in the cycle being scored
	PreviousCycleID       string
	PreviousParticipantID string
	PreviousClosesAt      time.Time
}

// ParticipantName is a leader of a cycle with the person's name.
type ParticipantName struct {
	ParticipantID string
	PersonID      string
	Name          string
	Email         string
	Placement
}
