package assessment

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Cycle administration from the dashboard: settings beyond the dates,
// editing drafts, the roster, progress, reminders on demand, extending and
// closing early. Each exported method is one use case in one transaction.

// DefaultRaterCap is how many survey requests one person gets in a cycle
// before an import warns: past about eight, people answer carelessly or not
// at all.
const DefaultRaterCap = 8

// MaxRaterCap bounds the cap an admin may set.
const MaxRaterCap = 100

// MaxGroupLimit bounds a nomination group's maximum.
const MaxGroupLimit = 50

// ManualReminderBase is the first reminder index of reminders sent outside
// the schedule ("remind now", an extension's reminders). Scheduled ones use
// 0 to MaxReminders-1; each manual round takes the next index from here, so
// the one-reminder-per-rater claim of a round never collides with another.
const ManualReminderBase = 100

// CycleSettings are the admin's choices about a cycle beyond its own fields.
type CycleSettings struct {
	CycleID        string
	OrganizationID string
	// LeadersNominate lets leaders propose their own raters, within
	// GroupLimits (the nomination flow reads both).
	LeadersNominate bool
	GroupLimits     []GroupLimit
	// RaterCap is how many requests one person should get in the cycle;
	// more is a warning, never a refusal.
	RaterCap int
	// ReminderRounds counts reminder rounds sent outside the schedule.
	ReminderRounds int
}

// GroupLimit bounds how many raters of one relationship a leader nominates.
type GroupLimit struct {
	Relationship Relationship
	Min, Max     int
}

// NominatedRelationships are the groups a leader may nominate: everyone
// but themself.
var NominatedRelationships = []Relationship{Manager, Peer, DirectReport, Other}

// DefaultCycleSettings are the settings of a cycle that has none stored.
func DefaultCycleSettings(orgID, cycleID string) CycleSettings {
	return CycleSettings{CycleID: cycleID, OrganizationID: orgID, RaterCap: DefaultRaterCap}
}

// Limit returns the group's limit, if it has one.
func (cs *CycleSettings) Limit(rel Relationship) (GroupLimit, bool) {
	for _, l := range cs.GroupLimits {
		if l.Relationship == rel {
			return l, true
		}
	}
	return GroupLimit{}, false
}

// LimitField is the form field of a group limit's problem.
func LimitField(rel Relationship) string { return "limit_" + string(rel) }

// Validate checks the settings; problems are keyed by form field.
func (cs *CycleSettings) Validate() error {
	f := fieldErrors{}
	if cs.RaterCap < 1 || cs.RaterCap > MaxRaterCap {
		f.add("rater_cap", fmt.Sprintf("Enter a number from 1 to %d.", MaxRaterCap))
	}
	seen := map[Relationship]bool{}
	for _, l := range cs.GroupLimits {
		field := LimitField(l.Relationship)
		switch {
		case !slices.Contains(NominatedRelationships, l.Relationship):
			f.add("limits", fmt.Sprintf("%q is not a group leaders nominate.", l.Relationship))
		case seen[l.Relationship]:
			f.add(field, "Give each group one limit.")
		case l.Min < 0 || l.Max < 1 || l.Max > MaxGroupLimit:
			f.add(field, fmt.Sprintf("Use a minimum from 0 and a maximum from 1 to %d.", MaxGroupLimit))
		case l.Min > l.Max:
			f.add(field, "The minimum cannot be more than the maximum.")
		}
		seen[l.Relationship] = true
	}
	return f.err("the cycle settings are not valid")
}

// CycleInput is what an admin fills in to create or edit a cycle.
type CycleInput struct {
	Draft    CycleDraft
	Settings CycleSettings
	// ActorUserID is the admin who creates or edits the cycle, for the audit log;
	// empty for an operator (Service.ByOperator names them).
	ActorUserID string
}

// validateCycleInput checks the cycle and its settings together, so a form
// shows every problem at once.
func validateCycleInput(c *Cycle, cs *CycleSettings) error {
	merged := fieldErrors{}
	for _, err := range []error{c.Validate(), cs.Validate()} {
		if de, ok := err.(*Error); ok {
			for k, v := range de.Fields {
				merged.add(k, v)
			}
		}
	}
	return merged.err("the cycle is not valid")
}

// within is the service running on a transaction's store, so one use case
// can reuse another inside its own transaction (GORM nests it as a
// savepoint).
func (s *Service) within(tx Store) *Service {
	c := *s
	c.store = tx
	return &c
}

// CreateCycleWithSettings creates a draft cycle and its settings in one
// transaction.
func (s *Service) CreateCycleWithSettings(ctx context.Context, in CycleInput) (Cycle, error) {
	c := draftCycle(in.Draft)
	cs := in.Settings
	if err := validateCycleInput(&c, &cs); err != nil {
		return Cycle{}, err
	}
	var out Cycle
	err := s.store.InTx(ctx, func(tx Store) error {
		if err := checkInstrument(ctx, tx, c.OrganizationID, c.InstrumentID); err != nil {
			return err
		}
		var err error
		if out, err = s.within(tx).CreateCycle(ctx, in.Draft); err != nil {
			return err
		}
		cs.CycleID, cs.OrganizationID, cs.ReminderRounds = out.ID, out.OrganizationID, 0
		if err := tx.SaveCycleSettings(ctx, &cs, s.Now()); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: out.OrganizationID, ActorUserID: in.ActorUserID, Action: ActionCycleCreate,
			SubjectType: "cycle", SubjectID: out.ID, CreatedAt: s.Now(),
			Detail: fmt.Sprintf("Created %q: threshold %d, open from %s to %s", out.Name, out.AnonymityThreshold,
				auditTime(out.OpensAt), auditTime(out.ClosesAt))})
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("create cycle with settings: %w", err)
	}
	return out, nil
}

// checkInstrument refuses an instrument the organisation may not use:
// instruments are looked up by id in any organisation.
func checkInstrument(ctx context.Context, tx Store, orgID, id string) error {
	ins, err := tx.Instruments(ctx, orgID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ins, func(in Instrument) bool { return in.ID == id }) {
		return fieldError("instrument", "Choose one of the listed instruments.")
	}
	return nil
}

// draftCycle is the cycle a draft describes, with the defaults CreateCycle
// applies, for validation before anything is stored.
func draftCycle(d CycleDraft) Cycle {
	c := Cycle{OrganizationID: d.OrganizationID, InstrumentID: d.InstrumentID, Name: strings.TrimSpace(d.Name),
		OpensAt: d.OpensAt.UTC(), ClosesAt: d.ClosesAt.UTC(), AnonymityThreshold: d.AnonymityThreshold,
		ReminderDays: d.ReminderDays, Status: StatusDraft}
	if c.AnonymityThreshold == 0 {
		c.AnonymityThreshold = MinAnonymityThreshold
	}
	if c.ReminderDays == nil {
		c.ReminderDays = DefaultReminderDays
	}
	return c
}

// EditCycle changes a draft cycle and its settings. Once a cycle is open its
// dates move only through ExtendCycle and CloseCycleEarly, and its
// threshold never: raters were told it.
func (s *Service) EditCycle(ctx context.Context, orgID, cycleID string, in CycleInput) (Cycle, error) {
	in.Draft.OrganizationID = orgID
	next := draftCycle(in.Draft)
	cs := in.Settings
	if err := validateCycleInput(&next, &cs); err != nil {
		return Cycle{}, err
	}
	var out Cycle
	err := s.store.InTx(ctx, func(tx Store) error {
		cur, err := tx.Cycle(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		if cur.Status != StatusDraft {
			return Errorf(CodeConflict, "cycle %q is %s: only a draft can be edited", cur.Name, cur.Status)
		}
		if err := checkInstrument(ctx, tx, orgID, next.InstrumentID); err != nil {
			return err
		}
		old, err := tx.CycleSettings(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		next.ID, next.CreatedAt, next.UpdatedAt = cur.ID, cur.CreatedAt, s.Now()
		if err := tx.UpdateDraftCycle(ctx, &next); err != nil {
			return err
		}
		cs.CycleID, cs.OrganizationID, cs.ReminderRounds = cycleID, orgID, old.ReminderRounds
		out = next
		if err := tx.SaveCycleSettings(ctx, &cs, s.Now()); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: in.ActorUserID, Action: ActionCycleEdit,
			SubjectType: "cycle", SubjectID: cycleID, CreatedAt: s.Now(),
			Detail: fmt.Sprintf("Edited %q: threshold %d, open from %s to %s", out.Name, out.AnonymityThreshold,
				auditTime(out.OpensAt), auditTime(out.ClosesAt))})
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("edit cycle %s: %w", cycleID, err)
	}
	return out, nil
}

// CycleSummaries lists the organisation's cycles for the dashboard. The
// response rate of an open cycle that assesses the viewer (an admin's
// email) moves when one of their raters submits, so those are marked
// Assessed and their counts left out.
func (s *Service) CycleSummaries(ctx context.Context, orgID, viewer string) ([]CycleSummary, error) {
	out, err := s.store.CycleSummaries(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("list cycles: %w", err)
	}
	mine, err := s.viewerParticipations(ctx, orgID, viewer)
	if err != nil {
		return nil, fmt.Errorf("list cycles: %w", err)
	}
	for i, sum := range out {
		if _, assessed := mine[sum.Cycle.ID]; assessed && sum.Cycle.Status == StatusOpen {
			out[i] = CycleSummary{Cycle: sum.Cycle, Leaders: sum.Leaders, Assessed: true}
		}
	}
	return out, nil
}

// Instruments lists the instruments a new cycle may use.
func (s *Service) Instruments(ctx context.Context, orgID string) ([]Instrument, error) {
	out, err := s.store.Instruments(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("list instruments: %w", err)
	}
	return out, nil
}

// CycleOverview is a cycle with its settings, questionnaire and roster.
type CycleOverview struct {
	Cycle      Cycle
	Settings   CycleSettings
	Instrument Instrument
	Leaders    []RosterLeader
}

// CycleOverview loads a cycle of the organisation with everything its
// admin page shows.
func (s *Service) CycleOverview(ctx context.Context, orgID, cycleID string) (CycleOverview, error) {
	var o CycleOverview
	var err error
	if o.Cycle, err = s.store.Cycle(ctx, orgID, cycleID); err != nil {
		return CycleOverview{}, fmt.Errorf("cycle overview %s: %w", cycleID, err)
	}
	if o.Settings, err = s.store.CycleSettings(ctx, orgID, cycleID); err != nil {
		return CycleOverview{}, fmt.Errorf("cycle overview %s: %w", cycleID, err)
	}
	if o.Instrument, err = s.store.Instrument(ctx, o.Cycle.InstrumentID); err != nil {
		return CycleOverview{}, fmt.Errorf("cycle overview %s: %w", cycleID, err)
	}
	if o.Leaders, err = s.store.CycleRoster(ctx, orgID, cycleID); err != nil {
		return CycleOverview{}, fmt.Errorf("cycle overview %s: %w", cycleID, err)
	}
	return o, nil
}

// CycleWithSettings loads a cycle and its settings (the edit form).
func (s *Service) CycleWithSettings(ctx context.Context, orgID, cycleID string) (Cycle, CycleSettings, error) {
	c, err := s.store.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return Cycle{}, CycleSettings{}, fmt.Errorf("cycle %s: %w", cycleID, err)
	}
	cs, err := s.store.CycleSettings(ctx, orgID, cycleID)
	if err != nil {
		return Cycle{}, CycleSettings{}, fmt.Errorf("settings of cycle %s: %w", cycleID, err)
	}
	return c, cs, nil
}

// participantOf loads a participant and checks it belongs to the cycle the
// page addresses: an id from another cycle is not found there.
func participantOf(ctx context.Context, st Store, orgID, cycleID, participantID string) (Participant, error) {
	p, err := st.Participant(ctx, orgID, participantID)
	if err != nil {
		return Participant{}, err
	}
	if p.CycleID != cycleID {
		return Participant{}, Errorf(CodeNotFound, "leader %s is not in this cycle", participantID)
	}
	return p, nil
}
