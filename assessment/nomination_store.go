package assessment

import (
	"context"
	"time"
)

// NominationStore is the persistence of rater nominations (nominations.go)
// and of invitation management (nominations_invitations.go).
type NominationStore interface {
	// CycleInvitations lists, for every rater assignment of the cycle, its
	// live invitation, or its newest revoked one when none is live, with
	// the people involved and whether answers were submitted or excluded.
	CycleInvitations(ctx context.Context, orgID, cycleID string) ([]InvitationStatus, error)
	// Invitation loads one invitation of the organisation.
	Invitation(ctx context.Context, orgID, id string) (Invitation, error)
	// RevokeInvitation revokes a live invitation; one already revoked is a
	// CodeConflict error, so two clicks revoke once.
	RevokeInvitation(ctx context.Context, orgID, id string, at time.Time) error

	// Nominations lists a participant's nominations by relationship, then
	// name.
	Nominations(ctx context.Context, orgID, participantID string) ([]Nomination, error)
	// CycleNominations lists every nomination of the cycle.
	CycleNominations(ctx context.Context, orgID, cycleID string) ([]Nomination, error)
	// ReplaceNominations replaces the participant's nominations not yet
	// approved with ns.
	ReplaceNominations(ctx context.Context, orgID, participantID string, ns []Nomination) error
	AddNomination(ctx context.Context, n *Nomination) error
	Nomination(ctx context.Context, orgID, id string) (Nomination, error)
	DeleteNomination(ctx context.Context, orgID, id string) error
	// ApproveNomination marks one nomination approved.
	ApproveNomination(ctx context.Context, orgID, id string, at time.Time) error
}

// InvitationStatus is one invitation as HR manages it.
type InvitationStatus struct {
	Invitation Invitation
	Assignment Assignment
	Leader     Person
	Rater      Person
	// Submitted: the rater submitted answers; Excluded: HR excluded them
	// since (ExcludeResponse). HR may exclude answers only once it sees
	// that there are some.
	Submitted, Excluded bool
}
