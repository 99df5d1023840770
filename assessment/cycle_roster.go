package assessment

import (
	"context"
	"fmt"
	"strings"
)

// A draft cycle's roster: its leaders and their raters, changed one at a
// time by an admin on the cycle page or through the API. Each change is
// audited in its own transaction.

// Audit actions of the roster's changes.
const (
	ActionLeaderAdd    = "cycle.leader_add"
	ActionLeaderRemove = "cycle.leader_remove"
	ActionRaterAdd     = "cycle.rater_add"
	ActionRaterRemove  = "cycle.rater_remove"
)

// AddCycleLeader adds a leader to a draft cycle (addParticipant), named
// by the cycle the page addresses.
func (s *Service) AddCycleLeader(ctx context.Context, orgID, cycleID string, leader PersonInput, actorUserID string) (Participant, error) {
	var p Participant
	err := s.store.InTx(ctx, func(tx Store) error {
		// The status is checked first, so a conflict from addParticipant
		// is the person already leading in the cycle.
		c, err := requireDraft(ctx, tx, orgID, cycleID, "leaders can only be added")
		if err != nil {
			return err
		}
		book, err := newAddressBook(ctx, tx, orgID)
		if err != nil {
			return err
		}
		p, err = s.addParticipant(ctx, tx, book, cycleID, leader)
		if ErrorCode(err) == CodeConflict {
			return &Error{Code: CodeConflict, Message: "this person is already a leader in the cycle",
				Fields: map[string]string{"email": "This person is already a leader in this cycle."}}
		}
		if err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionLeaderAdd,
			SubjectType: "participant", SubjectID: p.ID, Detail: fmt.Sprintf("%s in %q", strings.TrimSpace(leader.Name), c.Name), CreatedAt: s.Now()})
	})
	if err != nil {
		return Participant{}, fmt.Errorf("add leader: %w", err)
	}
	return p, nil
}

// AddCycleRater asks a person to rate a leader of the cycle (addRater).
func (s *Service) AddCycleRater(ctx context.Context, orgID, cycleID, participantID string, rater PersonInput, rel Relationship, actorUserID string) (Assignment, error) {
	var a Assignment
	err := s.store.InTx(ctx, func(tx Store) error {
		if _, err := participantOf(ctx, tx, orgID, cycleID, participantID); err != nil {
			return err
		}
		c, err := requireDraft(ctx, tx, orgID, cycleID, "raters can only be added")
		if err != nil {
			return err
		}
		book, err := newAddressBook(ctx, tx, orgID)
		if err != nil {
			return err
		}
		a, err = s.addRater(ctx, tx, book, participantID, rater, rel)
		if ErrorCode(err) == CodeConflict {
			return &Error{Code: CodeConflict, Message: "this person already rates the leader",
				Fields: map[string]string{"email": "This person already rates this leader."}}
		}
		if err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionRaterAdd,
			SubjectType: "assignment", SubjectID: a.ID, Detail: fmt.Sprintf("%s in %q", strings.TrimSpace(rater.Name), c.Name), CreatedAt: s.Now()})
	})
	if err != nil {
		return Assignment{}, fmt.Errorf("add rater: %w", err)
	}
	return a, nil
}

// RemoveCycleRater takes a rater away from a leader while the cycle is a
// draft. The self-assessment goes only with the leader.
func (s *Service) RemoveCycleRater(ctx context.Context, orgID, cycleID, participantID, assignmentID, actorUserID string) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		c, err := requireDraft(ctx, tx, orgID, cycleID, "raters can only be removed")
		if err != nil {
			return err
		}
		p, err := participantOf(ctx, tx, orgID, cycleID, participantID)
		if err != nil {
			return err
		}
		a, err := tx.Assignment(ctx, orgID, assignmentID)
		if err != nil {
			return err
		}
		if a.ParticipantID != participantID {
			return Errorf(CodeNotFound, "rater %s does not rate this leader", assignmentID)
		}
		if a.Relationship == Self {
			return Errorf(CodeConflict, "the self-assessment goes with the leader: remove the leader instead")
		}
		rater, err := tx.Person(ctx, orgID, a.PersonID)
		if err != nil {
			return err
		}
		leader, err := tx.Person(ctx, orgID, p.PersonID)
		if err != nil {
			return err
		}
		if err := tx.RemoveAssignment(ctx, orgID, participantID, assignmentID); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionRaterRemove,
			SubjectType: "assignment", SubjectID: assignmentID, CreatedAt: s.Now(),
			Detail: fmt.Sprintf("%s, no longer rating %s, in %q", rater.Name, leader.Name, c.Name)})
	})
	if err != nil {
		return fmt.Errorf("remove rater %s: %w", assignmentID, err)
	}
	return nil
}

// RemoveCycleLeader takes a leader, and everyone asked to rate them, out of
// a draft cycle.
func (s *Service) RemoveCycleLeader(ctx context.Context, orgID, cycleID, participantID, actorUserID string) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		c, err := requireDraft(ctx, tx, orgID, cycleID, "leaders can only be removed")
		if err != nil {
			return err
		}
		p, err := participantOf(ctx, tx, orgID, cycleID, participantID)
		if err != nil {
			return err
		}
		leader, err := tx.Person(ctx, orgID, p.PersonID)
		if err != nil {
			return err
		}
		if err := tx.RemoveParticipant(ctx, orgID, cycleID, participantID); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionLeaderRemove,
			SubjectType: "participant", SubjectID: participantID, CreatedAt: s.Now(),
			Detail: fmt.Sprintf("%s, with their raters, from %q", leader.Name, c.Name)})
	})
	if err != nil {
		return fmt.Errorf("remove leader %s: %w", participantID, err)
	}
	return nil
}

func requireDraft(ctx context.Context, tx Store, orgID, cycleID, what string) (Cycle, error) {
	c, err := tx.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return Cycle{}, err
	}
	if c.Status != StatusDraft {
		return Cycle{}, Errorf(CodeConflict, "cycle %q is %s: %s while it is a draft", c.Name, c.Status, what)
	}
	return c, nil
}

// CycleRoster lists a cycle's leaders by name, each with the raters asked
// about them: the cycle page's roster, which says who was asked and never
// who has answered.
func (s *Service) CycleRoster(ctx context.Context, orgID, cycleID string) ([]RosterLeader, error) {
	if _, err := s.store.Cycle(ctx, orgID, cycleID); err != nil {
		return nil, fmt.Errorf("roster of cycle %s: %w", cycleID, err)
	}
	leaders, err := s.store.CycleRoster(ctx, orgID, cycleID)
	if err != nil {
		return nil, fmt.Errorf("roster of cycle %s: %w", cycleID, err)
	}
	return leaders, nil
}
