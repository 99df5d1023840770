package assessment

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"
)

// Copying a cycle: HR runs the same 360 again (next half-year, same
// leaders, same raters) without typing anyone in twice. The copy is a new
// draft with the source's questionnaire, threshold, reminders, settings,
// leaders and rater assignments. Nothing that happened in the source comes
// along (invitations, answers, nominations waiting for approval, results),
// so the copy tells nobody anything about the source, and HR can still
// change everything before opening it.

// ActionCycleCopy is the audit action of a copied cycle; the copy's
// creation is recorded as ActionCycleCreate too, with its dates.
const ActionCycleCopy = "cycle.copy"

// copySuffix marks the name a copy is offered.
const copySuffix = " (copy)"

// CycleCopy is what an admin chooses for a copy: its name and new dates.
type CycleCopy struct {
	Name              string
	OpensAt, ClosesAt time.Time
	// ActorUserID is the admin who copies, for the audit log.
	ActorUserID string
}

// CopyName is the name a copy of a cycle named name is offered: the same
// with " (copy)", shortened to fit the 200 characters a name may have.
func CopyName(name string) string {
	keep := maxNameRunes - utf8.RuneCountInString(copySuffix)
	if utf8.RuneCountInString(name) > keep {
		name = string([]rune(name)[:keep])
	}
	return name + copySuffix
}

// maxNameRunes is the longest name ValidateName accepts.
const maxNameRunes = 200

// Copied says what a copy holds.
type Copied struct {
	Cycle   Cycle
	Leaders int // leaders copied
	Raters  int // rater assignments copied, self-assessments left out
}

// CopyCycle makes a new draft from the cycle sourceID, of any status, with
// the name and dates in, validated as a new cycle is: one transaction, so
// a copy has all of its leaders and raters or does not exist.
func (s *Service) CopyCycle(ctx context.Context, orgID, sourceID string, in CycleCopy) (Copied, error) {
	var out Copied
	err := s.store.InTx(ctx, func(tx Store) error {
		src, err := tx.Cycle(ctx, orgID, sourceID)
		if err != nil {
			return err
		}
		settings, err := tx.CycleSettings(ctx, orgID, sourceID)
		if err != nil {
			return err
		}
		roster, err := tx.CycleRoster(ctx, orgID, sourceID)
		if err != nil {
			return err
		}
		reminders := src.ReminderDays
		if reminders == nil {
			reminders = []int{} // none, not the default schedule
		}
		draft := CycleDraft{OrganizationID: orgID, InstrumentID: src.InstrumentID, Name: in.Name, OpensAt: in.OpensAt, ClosesAt: in.ClosesAt,
			AnonymityThreshold: src.AnonymityThreshold, ReminderDays: reminders}
		if out.Cycle, err = s.within(tx).CreateCycleWithSettings(ctx, CycleInput{Draft: draft, Settings: settings, ActorUserID: in.ActorUserID}); err != nil {
			return err
		}
		if out.Leaders, out.Raters, err = s.copyRoster(ctx, tx, out.Cycle, roster); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: in.ActorUserID, Action: ActionCycleCopy,
			SubjectType: "cycle", SubjectID: out.Cycle.ID, CreatedAt: s.Now(),
			Detail: truncate(fmt.Sprintf("%q copied from %q: %d leaders and %d raters, nobody invited yet",
				out.Cycle.Name, src.Name, out.Leaders, out.Raters), 2000)})
	})
	if err != nil {
		return Copied{}, fmt.Errorf("copy cycle %s: %w", sourceID, err)
	}
	return out, nil
}

// copyRoster adds the roster's leaders, each with every rater assignment
// (the self-assessment included), to the draft c. The people are the same
// people, so where they sit and their addresses stay as stored.
func (s *Service) copyRoster(ctx context.Context, tx Store, c Cycle, roster []RosterLeader) (leaders, raters int, err error) {
	now := s.Now()
	for _, l := range roster {
		p := Participant{OrganizationID: c.OrganizationID, CycleID: c.ID, PersonID: l.Participant.PersonID, CreatedAt: now}
		if err := tx.AddParticipant(ctx, &p); err != nil {
			return 0, 0, fmt.Errorf("copy leader %s: %w", l.Participant.ID, err)
		}
		leaders++
		for _, r := range l.Raters {
			a := Assignment{OrganizationID: c.OrganizationID, ParticipantID: p.ID, PersonID: r.Assignment.PersonID,
				Relationship: r.Assignment.Relationship, CreatedAt: now}
			if err := tx.AddAssignment(ctx, &a); err != nil {
				return 0, 0, fmt.Errorf("copy rater %s: %w", r.Assignment.ID, err)
			}
			if a.Relationship != Self {
				raters++
			}
		}
	}
	return leaders, raters, nil
}
