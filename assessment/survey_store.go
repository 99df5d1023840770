package assessment

import (
	"context"
	"time"
)

// SurveyStore is the persistence of invitations, reminders and the rater's
// survey (owned by the survey use cases in survey.go).
type SurveyStore interface {
	// Enqueue records background jobs in the store's transaction: they run
	// if and only if it commits. Outside InTx it is an error.
	Enqueue(ctx context.Context, jobs ...Job) error

	Organization(ctx context.Context, id string) (Organization, error)

	// CreateInvitation stores an invitation with its sealed token.
	CreateInvitation(ctx context.Context, inv *Invitation, sealedToken string) error
	// SurveyLink finds, in one read, the invitation a survey link opens
	// and what it is about, in any organisation: the token is the
	// capability. Revoked invitations are returned too; the caller decides.
	SurveyLink(ctx context.Context, hash []byte) (SurveyLink, error)
	// RaterInvitations lists the live (not revoked) invitations of one rater
	// in one cycle, in a stable order, with what an email needs about them.
	RaterInvitations(ctx context.Context, orgID, cycleID, personID string) ([]RaterInvitation, error)
	// EraseSealedTokens empties the sealed token of every invitation of the
	// cycle; the token hashes stay.
	EraseSealedTokens(ctx context.Context, orgID, cycleID string) error
	// MarkInvitations records the outcome of an email about the invitations.
	MarkInvitations(ctx context.Context, orgID string, ids []string, mark InvitationMark) error
	// ClaimReminder records that messageID is the one email for reminder
	// index of the rater in the cycle. It reports false when another
	// message already holds the claim; claiming again with the same
	// messageID reports true (a retry of the same job).
	ClaimReminder(ctx context.Context, orgID, cycleID string, index int, personID, messageID string, at time.Time) (bool, error)
	// DueCycles lists open cycles, of every organisation, whose close date
	// is not after now.
	DueCycles(ctx context.Context, now time.Time) ([]Cycle, error)
}

// RaterInvitation is an invitation with the facts its email shows.
type RaterInvitation struct {
	Invitation  Invitation
	SealedToken string
	Assignment  Assignment
	Leader      Person
	// Submitted is true when the assignment's response is submitted.
	Submitted bool
}

// InvitationMark is an email outcome for MarkInvitations.
type InvitationMark struct {
	At time.Time
	// Mail says which timestamp is set: SentAt for invitations, RemindedAt
	// for reminders. Failure, when not empty, sets FailedAt and Failure
	// instead.
	Mail    MailKind
	Failure string
}
