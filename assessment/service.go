package assessment

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Service holds lead360's use cases. Each public method is one use case and
// runs in one transaction.
type Service struct {
	store Store
	// Now is the clock; tests and the demo set it.
	Now func() time.Time
	Log *slog.Logger
	// tokens mints and seals survey and account links.
	tokens *Tokens
	// AllowPrivateWebhooks lets webhook endpoints be http:// on loopback
	// and on private addresses (LEAD360_WEBHOOK_ALLOW_PRIVATE): for tests
	// and for receivers inside the server's own network.
	AllowPrivateWebhooks bool
	// LookupHost resolves a webhook's host name when it is registered
	// (SystemLookup unless a test gives another).
	LookupHost LookupNetIP
	// BaseURL is the dashboard's public address (LEAD360_BASE_URL),
	// without a trailing slash, for the links in webhook payloads.
	BaseURL string
}

// NewService returns a service over the store with the real clock. tokens
// must not be nil: a server gives the one of its configured key, so links
// outlive a restart.
func NewService(store Store, tokens *Tokens, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, Now: func() time.Time { return time.Now().UTC() }, Log: log, tokens: tokens, LookupHost: SystemLookup}
}

// WithClock returns a copy of the service whose clock is now; the demo uses it
// to record answers inside a cycle's window.
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.Now = now
	return &c
}

// EnsureBuiltinInstruments stores the built-in instrument's full and short
// forms if this database does not have them yet, and returns them with
// their ids.
func (s *Service) EnsureBuiltinInstruments(ctx context.Context) (full, short Instrument, err error) {
	if full, err = BuiltinInstrument(); err != nil {
		return Instrument{}, Instrument{}, err
	}
	if short, err = BuiltinShortForm(); err != nil {
		return Instrument{}, Instrument{}, err
	}
	for _, in := range []*Instrument{&full, &short} {
		if err := s.store.SaveInstrument(ctx, in); err != nil {
			return Instrument{}, Instrument{}, fmt.Errorf("store built-in instrument %s: %w", in.Key, err)
		}
	}
	return full, short, nil
}

// CreateOrganization creates a tenant.
func (s *Service) CreateOrganization(ctx context.Context, name string) (Organization, error) {
	name = strings.TrimSpace(name)
	if err := ValidateName("name", name); err != nil {
		return Organization{}, err
	}
	org := Organization{Name: name, CreatedAt: s.Now()}
	if err := s.store.CreateOrganization(ctx, &org); err != nil {
		return Organization{}, err
	}
	return org, nil
}

// CycleDraft is what an admin fills in to create a cycle.
type CycleDraft struct {
	OrganizationID     string
	InstrumentID       string
	Name               string
	OpensAt            time.Time
	ClosesAt           time.Time
	AnonymityThreshold int   // 0 means the default of 3
	ReminderDays       []int // nil means DefaultReminderDays
}

// CreateCycle creates a cycle in draft.
func (s *Service) CreateCycle(ctx context.Context, d CycleDraft) (Cycle, error) {
	c := Cycle{
		OrganizationID: d.OrganizationID, InstrumentID: d.InstrumentID, Name: strings.TrimSpace(d.Name),
		OpensAt: d.OpensAt.UTC(), ClosesAt: d.ClosesAt.UTC(), AnonymityThreshold: d.AnonymityThreshold,
		ReminderDays: d.ReminderDays, Status: StatusDraft, CreatedAt: s.Now(), UpdatedAt: s.Now(),
	}
	if c.AnonymityThreshold == 0 {
		c.AnonymityThreshold = MinAnonymityThreshold
	}
	if c.ReminderDays == nil {
		c.ReminderDays = DefaultReminderDays
	}
	if err := c.Validate(); err != nil {
		return Cycle{}, err
	}
	err := s.store.InTx(ctx, func(tx Store) error {
		if _, err := tx.Instrument(ctx, c.InstrumentID); err != nil {
			return err
		}
		return tx.CreateCycle(ctx, &c)
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("create cycle %q: %w", c.Name, err)
	}
	return c, nil
}

// MoveCycle changes a cycle's status if the domain allows the move; the store
// makes it a compare-and-set so concurrent movers cannot both succeed.
func (s *Service) MoveCycle(ctx context.Context, orgID, cycleID string, to CycleStatus) (Cycle, error) {
	var c Cycle
	err := s.store.InTx(ctx, func(tx Store) error {
		var err error
		if c, err = tx.Cycle(ctx, orgID, cycleID); err != nil {
			return err
		}
		return s.moveCycle(ctx, tx, &c, to)
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("move cycle %s to %s: %w", cycleID, to, err)
	}
	return c, nil
}

// moveCycle moves c to status to in tx: the domain's rule, then a
// compare-and-set on the stored status, then what the new status brings.
// Every way a cycle opens, closes or is released comes through here, so
// this is where its webhooks are recorded.
// Closing erases the sealed copies of its survey tokens: a closed cycle's
// links open nothing and no email will carry them again, so neither a copy
// of the database nor its key can rebuild them. The hashes stay, so an old
// link still says that its survey has closed.
func (s *Service) moveCycle(ctx context.Context, tx Store, c *Cycle, to CycleStatus) error {
	from := c.Status
	if err := c.MoveTo(to, s.Now()); err != nil {
		return err
	}
	if err := tx.UpdateCycleStatus(ctx, c.OrganizationID, c.ID, from, to, c.UpdatedAt); err != nil {
		return err
	}
	if to == StatusClosed {
		if err := tx.EraseSealedTokens(ctx, c.OrganizationID, c.ID); err != nil {
			return err
		}
	}
	return s.announceCycle(ctx, tx, c)
}

// PersonInput names a person by name and email, as an admin types them,
// and where they sit when known (checked with CheckPlacement).
type PersonInput struct {
	Name  string
	Email string
	Placement
}

// savePerson stores the person whose address book.parse accepts, or finds
// the one with that address.
func (s *Service) savePerson(ctx context.Context, tx Store, book *addressBook, in PersonInput) (Person, error) {
	p, err := personOf(book, in, s.Now())
	if err != nil {
		return Person{}, err
	}
	given := p.Placement
	if err := tx.SavePerson(ctx, &p); err != nil {
		return Person{}, err
	}
	// A person already stored keeps their placement where the input gives
	// none.
	if merged := p.Placement.Over(given); merged != p.Placement {
		if err := tx.SetPlacement(ctx, p.OrganizationID, p.ID, merged); err != nil {
			return Person{}, err
		}
		p.Placement = merged
	}
	return p, nil
}

// AddParticipant puts a leader into a draft cycle, together with their own
// self-assessment assignment.
func (s *Service) AddParticipant(ctx context.Context, orgID, cycleID string, leader PersonInput) (Participant, error) {
	var p Participant
	err := s.store.InTx(ctx, func(tx Store) error {
		book, err := newAddressBook(ctx, tx, orgID)
		if err != nil {
			return err
		}
		p, err = s.addParticipant(ctx, tx, book, cycleID, leader)
		return err
	})
	if err != nil {
		return Participant{}, fmt.Errorf("add leader %s: %w", leader.Email, err)
	}
	return p, nil
}

func (s *Service) addParticipant(ctx context.Context, tx Store, book *addressBook, cycleID string, leader PersonInput) (Participant, error) {
	orgID := book.orgID
	c, err := tx.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return Participant{}, err
	}
	if c.Status != StatusDraft {
		return Participant{}, Errorf(CodeConflict, "cycle %q is %s: leaders can only be added while it is a draft", c.Name, c.Status)
	}
	person, err := s.savePerson(ctx, tx, book, leader)
	if err != nil {
		return Participant{}, err
	}
	p := Participant{OrganizationID: orgID, CycleID: cycleID, PersonID: person.ID, CreatedAt: s.Now()}
	if err := tx.AddParticipant(ctx, &p); err != nil {
		return Participant{}, err
	}
	if err := askIfCalled(ctx, tx, p); err != nil {
		return Participant{}, err
	}
	self := Assignment{OrganizationID: orgID, ParticipantID: p.ID, PersonID: person.ID, Relationship: Self, CreatedAt: s.Now()}
	return p, tx.AddAssignment(ctx, &self)
}

// AddRater asks a person to rate a participant. The self-assessment is
// created with the participant, so it cannot be added here, and no address
// of the leader's own (another of their addresses, a tagged or look-alike
// one) can rate them in another role.
func (s *Service) AddRater(ctx context.Context, orgID, participantID string, rater PersonInput, rel Relationship) (Assignment, error) {
	var a Assignment
	err := s.store.InTx(ctx, func(tx Store) error {
		book, err := newAddressBook(ctx, tx, orgID)
		if err != nil {
			return err
		}
		a, err = s.addRater(ctx, tx, book, participantID, rater, rel)
		return err
	})
	if err != nil {
		return Assignment{}, fmt.Errorf("add rater %s: %w", rater.Email, err)
	}
	return a, nil
}

func (s *Service) addRater(ctx context.Context, tx Store, book *addressBook, participantID string, rater PersonInput, rel Relationship) (Assignment, error) {
	orgID := book.orgID
	if rel == Self {
		return Assignment{}, &Error{Code: CodeInvalid, Message: "the self-assessment is added with the leader", Fields: map[string]string{"relationship": "Choose manager, peer, direct report or other."}}
	}
	if _, err := ParseRelationship(string(rel)); err != nil {
		return Assignment{}, &Error{Code: CodeInvalid, Message: err.Error(), Fields: map[string]string{"relationship": "Choose manager, peer, direct report or other."}}
	}
	p, err := tx.Participant(ctx, orgID, participantID)
	if err != nil {
		return Assignment{}, err
	}
	c, err := tx.Cycle(ctx, orgID, p.CycleID)
	if err != nil {
		return Assignment{}, err
	}
	if c.Status != StatusDraft {
		return Assignment{}, Errorf(CodeConflict, "cycle %q is %s: raters can only be added while it is a draft", c.Name, c.Status)
	}
	// An address savePerson refuses is answered there, next to its field.
	own := false
	if addr, err := book.parse(rater.Email); err == nil {
		if own, err = book.leaderOwn(ctx, p.PersonID, addr); err != nil {
			return Assignment{}, err
		}
	}
	person, err := s.savePerson(ctx, tx, book, rater)
	if err != nil {
		return Assignment{}, err
	}
	if own || person.ID == p.PersonID {
		return Assignment{}, &Error{Code: CodeInvalid, Message: "a leader cannot rate themself as a " + strings.ToLower(rel.Label()), Fields: map[string]string{"email": leaderOwnMessage}}
	}
	a := Assignment{OrganizationID: orgID, ParticipantID: p.ID, PersonID: person.ID, Relationship: rel, CreatedAt: s.Now()}
	return a, tx.AddAssignment(ctx, &a)
}

// SaveAnswers records a rater's draft or submission for an assignment. The
// version in r must be the one the rater last saw (0 for a first save).
func (s *Service) SaveAnswers(ctx context.Context, orgID string, r *Response) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		a, err := tx.Assignment(ctx, orgID, r.AssignmentID)
		if err != nil {
			return err
		}
		p, err := tx.Participant(ctx, orgID, a.ParticipantID)
		if err != nil {
			return err
		}
		c, err := tx.Cycle(ctx, orgID, p.CycleID)
		if err != nil {
			return err
		}
		in, err := tx.Instrument(ctx, c.InstrumentID)
		if err != nil {
			return err
		}
		return s.saveResponse(ctx, tx, &c, &in, a.Relationship, r)
	})
	if err != nil {
		return fmt.Errorf("save answers for assignment %s: %w", r.AssignmentID, err)
	}
	return nil
}

// saveResponse checks and stores a response of the cycle c, in the caller's
// transaction: the one place that decides whether a cycle still takes
// answers and whether the answers fit the instrument.
func (s *Service) saveResponse(ctx context.Context, tx Store, c *Cycle, in *Instrument, rel Relationship, r *Response) error {
	now := s.Now()
	if !c.AcceptsAnswers(now) {
		return Errorf(CodeGone, "this survey closed on %s; answers can no longer be changed", c.ClosesAt.Format("2 January 2006"))
	}
	if err := r.Validate(in, rel); err != nil {
		return err
	}
	r.OrganizationID = c.OrganizationID
	r.UpdatedAt = now
	r.SubmittedAt = nil
	if r.Status == ResponseSubmitted {
		r.SubmittedAt = &now
	}
	return tx.SaveResponse(ctx, r)
}
