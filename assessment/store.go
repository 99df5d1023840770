package assessment

import (
	"context"
	"time"
)

// Store is the persistence the use cases need. Every method that touches a
// tenant's data takes the organisation id, so a caller cannot forget it.
// Missing rows are CodeNotFound errors, never zero values.
type Store interface {
	SurveyStore
	ScoreStore
	AccountStore
	CycleAdminStore
	PeopleStore
	ResultsStore
	NominationStore
	ReportBatchStore
	RaterStore
	MailStore
	AttemptStore
	APITokenStore
	IdempotencyStore
	WebhookStore

	// InTx runs fn in one transaction; fn must use only the store it gets.
	InTx(ctx context.Context, fn func(tx Store) error) error

	CreateOrganization(ctx context.Context, org *Organization) error
	OrganizationByName(ctx context.Context, name string) (Organization, error)

	// SavePerson inserts the person, or finds the one with the same email in
	// the organisation and fills in its id.
	SavePerson(ctx context.Context, p *Person) error
	Person(ctx context.Context, orgID, id string) (Person, error)
	// SetPlacement stores where a person sits in the organisation.
	SetPlacement(ctx context.Context, orgID, personID string, p Placement) error

	// CreateUser inserts an account; an email is unique within its
	// organisation only (migrations/00011).
	CreateUser(ctx context.Context, u *User) error
	// UserByEmail finds the organisation's account with the email.
	UserByEmail(ctx context.Context, orgID, email string) (User, error)
	// UsersByEmail lists the email's accounts in every organisation, oldest
	// first; none is an empty list.
	UsersByEmail(ctx context.Context, email string) ([]User, error)

	// SaveInstrument stores a new instrument version, or fills in the id of
	// the identical one already stored; a different text under the same key
	// and version is a conflict.
	SaveInstrument(ctx context.Context, in *Instrument) error
	Instrument(ctx context.Context, id string) (Instrument, error)

	CreateCycle(ctx context.Context, c *Cycle) error
	Cycle(ctx context.Context, orgID, id string) (Cycle, error)
	CycleByName(ctx context.Context, orgID, name string) (Cycle, error)
	// UpdateCycleStatus moves a cycle from one status to another only if it
	// is still in the first one, so two processes cannot both close it.
	UpdateCycleStatus(ctx context.Context, orgID, id string, from, to CycleStatus, at time.Time) error

	AddParticipant(ctx context.Context, p *Participant) error
	Participant(ctx context.Context, orgID, id string) (Participant, error)
	Participants(ctx context.Context, orgID, cycleID string) ([]Participant, error)
	AddAssignment(ctx context.Context, a *Assignment) error
	Assignment(ctx context.Context, orgID, id string) (Assignment, error)
	Assignments(ctx context.Context, orgID, participantID string) ([]Assignment, error)

	// SaveResponse inserts r when r.Version is 0, or else updates it only if
	// the stored version is still r.Version; either way r.Version is then the
	// stored version. A stale version is a CodeConflict error.
	SaveResponse(ctx context.Context, r *Response) error
	ResponseByAssignment(ctx context.Context, orgID, assignmentID string) (Response, error)
}
