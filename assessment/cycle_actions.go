package assessment

import (
	"context"
	"fmt"
	"time"
)

// Actions on an open cycle: remind its raters now, extend it, close it early.

// requireAnswering loads a cycle that still accepts answers.
func (s *Service) requireAnswering(ctx context.Context, tx Store, orgID, cycleID, what string) (Cycle, error) {
	c, err := tx.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return Cycle{}, err
	}
	if !c.AcceptsAnswers(s.Now()) {
		return Cycle{}, Errorf(CodeConflict, "cycle %q is not open for answers: %s only while it is open", c.Name, what)
	}
	return c, nil
}

// Reminded says what "remind now" did.
type Reminded struct {
	Emails int // one per rater with a survey still to submit
	Round  int // the settings' reminder rounds after this one
}

// RemindNow sends one reminder email, at once, to every rater who has a
// survey of the cycle still to submit; the email lists only those surveys
// (SurveyMailFor). round is the reminder round the admin's page showed: a
// second click, or a second tab, finds it moved and sends nothing.
func (s *Service) RemindNow(ctx context.Context, orgID, cycleID string, round int, actorUserID string) (Reminded, error) {
	return s.remind(ctx, orgID, cycleID, "", round, actorUserID)
}

// RemindLeaderRaters is RemindNow for the raters of one leader, the one
// click for a leader whose group is short of answers. The email lists
// every survey of the cycle the rater still has to submit. It shares the
// cycle's reminder round with RemindNow, so a second click from the same
// page sends nothing.
func (s *Service) RemindLeaderRaters(ctx context.Context, orgID, cycleID, participantID string, round int, actorUserID string) (Reminded, error) {
	if participantID == "" {
		return Reminded{}, Errorf(CodeNotFound, "no leader given")
	}
	return s.remind(ctx, orgID, cycleID, participantID, round, actorUserID)
}

// remind sends the reminders of RemindNow, to the raters of participantID
// only when it is not empty.
func (s *Service) remind(ctx context.Context, orgID, cycleID, participantID string, round int, actorUserID string) (Reminded, error) {
	var out Reminded
	err := s.store.InTx(ctx, func(tx Store) error {
		c, err := s.requireAnswering(ctx, tx, orgID, cycleID, "reminders are sent")
		if err != nil {
			return err
		}
		whose := fmt.Sprintf("cycle %q", c.Name)
		if participantID != "" {
			p, err := tx.Participant(ctx, orgID, participantID)
			if err != nil {
				return err
			}
			if p.CycleID != cycleID {
				return Errorf(CodeNotFound, "no leader %s in cycle %q", participantID, c.Name)
			}
			whose = "this leader"
		}
		cs, err := tx.CycleSettings(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		if cs.ReminderRounds != round {
			return Errorf(CodeConflict, "a reminder was sent from another page a moment ago; nothing more was sent")
		}
		people, err := tx.PendingRaters(ctx, orgID, cycleID, participantID)
		if err != nil {
			return err
		}
		if len(people) == 0 {
			return Errorf(CodeConflict, "every rater of %s has submitted: there is nobody to remind", whose)
		}
		now := s.Now()
		if err := tx.AdvanceReminderRounds(ctx, orgID, cycleID, round, round+1, now); err != nil {
			return err
		}
		jobs := make([]Job, len(people))
		for i, person := range people {
			jobs[i] = Job{Args: SurveyMailJob{Mail: MailReminder, OrganizationID: orgID, CycleID: cycleID,
				PersonID: person, Reminder: ManualReminderBase + round}}
		}
		out = Reminded{Emails: len(people), Round: round + 1}
		detail := fmt.Sprintf("%d reminder emails", len(people))
		if participantID != "" {
			detail += " to the raters of leader " + participantID
		}
		if err := tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: "cycle.remind",
			SubjectType: "cycle", SubjectID: cycleID, Detail: detail, CreatedAt: now}); err != nil {
			return err
		}
		return tx.Enqueue(ctx, jobs...)
	})
	if err != nil {
		return Reminded{}, fmt.Errorf("remind raters of cycle %s: %w", cycleID, err)
	}
	return out, nil
}

// Extended says what an extension did.
type Extended struct {
	Cycle     Cycle
	Reminders int // reminder emails scheduled before the new close date
}

// ExtendCycle moves an open cycle's close date later. Reminders already
// scheduled stay where they are (their emails show the new date, which is
// read when they are sent); the schedule's "days before closing" reminders
// are scheduled again before the new date for the raters who still have
// surveys to submit, as new reminder rounds, so people who were waiting for
// the last call get one.
func (s *Service) ExtendCycle(ctx context.Context, orgID, cycleID string, closesAt time.Time, actorUserID string) (Extended, error) {
	closesAt = closesAt.UTC()
	var out Extended
	err := s.store.InTx(ctx, func(tx Store) error {
		c, err := s.requireAnswering(ctx, tx, orgID, cycleID, "the close date can be extended")
		if err != nil {
			return err
		}
		now := s.Now()
		switch {
		case closesAt.IsZero():
			return fieldError("closes_at", "Enter the new close date.")
		case !closesAt.After(c.ClosesAt):
			return fieldError("closes_at", "Choose a date after the current close date, "+c.ClosesAt.Format("2 January 2006 15:04 UTC")+".")
		case !closesAt.After(now):
			return fieldError("closes_at", "Choose a date in the future.")
		}
		if err := tx.MoveCycleDeadline(ctx, orgID, cycleID, closesAt, now); err != nil {
			return err
		}
		old := c.ClosesAt
		c.ClosesAt, c.UpdatedAt = closesAt, now
		cs, err := tx.CycleSettings(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		var times []time.Time
		for _, d := range c.ReminderDays {
			if at := closesAt.AddDate(0, 0, d); d < 0 && at.After(now) && at.After(c.OpensAt) {
				times = append(times, at)
			}
		}
		people, err := tx.PendingRaters(ctx, orgID, cycleID, "")
		if err != nil {
			return err
		}
		var jobs []Job
		round := cs.ReminderRounds
		if len(people) > 0 && len(times) > 0 {
			for i, at := range times {
				for _, person := range people {
					jobs = append(jobs, Job{At: at, Args: SurveyMailJob{Mail: MailReminder, OrganizationID: orgID,
						CycleID: cycleID, PersonID: person, Reminder: ManualReminderBase + round + i}})
				}
			}
			if err := tx.AdvanceReminderRounds(ctx, orgID, cycleID, round, round+len(times), now); err != nil {
				return err
			}
		}
		out = Extended{Cycle: c, Reminders: len(jobs)}
		if err := tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: "cycle.extend",
			SubjectType: "cycle", SubjectID: cycleID, CreatedAt: now,
			Detail: fmt.Sprintf("Close date moved from %s to %s", auditTime(old), auditTime(closesAt))}); err != nil {
			return err
		}
		return tx.Enqueue(ctx, jobs...)
	})
	if err != nil {
		return Extended{}, fmt.Errorf("extend cycle %s: %w", cycleID, err)
	}
	return out, nil
}

func fieldError(field, msg string) error {
	return &Error{Code: CodeInvalid, Message: msg, Fields: map[string]string{field: msg}}
}

// ActionCycleDelete is the audit action of a deleted draft.
const ActionCycleDelete = "cycle.delete"

// Audit actions of creating, editing and opening a cycle, recorded in the
// step's own transaction.
const (
	ActionCycleCreate = "cycle.create"
	ActionCycleEdit   = "cycle.edit"
	ActionCycleOpen   = "cycle.open"
)

// DeleteDraftCycle deletes a cycle that was never opened, with its leaders
// and raters (nobody was invited, so nothing else refers to them); the
// audit log keeps its name. An opened cycle is never deleted: its answers
// and results are records.
func (s *Service) DeleteDraftCycle(ctx context.Context, orgID, cycleID, actorUserID string) (Cycle, error) {
	var c Cycle
	err := s.store.InTx(ctx, func(tx Store) error {
		var err error
		if c, err = tx.Cycle(ctx, orgID, cycleID); err != nil {
			return err
		}
		if c.Status != StatusDraft {
			return Errorf(CodeConflict, "cycle %q has been opened, so it cannot be deleted: its answers and results are kept", c.Name)
		}
		if err := tx.DeleteDraftCycle(ctx, orgID, cycleID); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionCycleDelete,
			SubjectType: "cycle", SubjectID: cycleID, Detail: truncate(c.Name, 200), CreatedAt: s.Now()})
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("delete cycle %s: %w", cycleID, err)
	}
	return c, nil
}

// CloseCycleEarly closes an open cycle now. Its close date becomes now, so
// every page and report says when answering really ended; surveys stop
// accepting answers at once and pending reminders send nothing (they read
// the cycle when they run).
func (s *Service) CloseCycleEarly(ctx context.Context, orgID, cycleID string, actorUserID string) (Cycle, error) {
	var c Cycle
	err := s.store.InTx(ctx, func(tx Store) error {
		var err error
		if c, err = tx.Cycle(ctx, orgID, cycleID); err != nil {
			return err
		}
		now := s.Now()
		// A cycle opened before its planned date opens when it was opened
		// (OpenCycle), so an early close always finds its opening in the
		// past; a close date must come after the opening.
		if c.Status == StatusOpen && now.Before(c.ClosesAt) && now.After(c.OpensAt) {
			if err := tx.MoveCycleDeadline(ctx, orgID, cycleID, now, now); err != nil {
				return err
			}
			c.ClosesAt = now
		}
		if err := s.moveCycle(ctx, tx, &c, StatusClosed); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: "cycle.close_early",
			SubjectType: "cycle", SubjectID: cycleID, CreatedAt: now})
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("close cycle %s early: %w", cycleID, err)
	}
	return c, nil
}
