package assessment

import (
	"context"
	"fmt"
)

// A draft cycle's roster: its leaders and their raters.

// AddCycleLeader adds a leader to a draft cycle (AddParticipant), named
// by the cycle the page addresses.
func (s *Service) AddCycleLeader(ctx context.Context, orgID, cycleID string, leader PersonInput) (Participant, error) {
	// The status is checked first, so a conflict from AddParticipant is
	// the person already leading in the cycle.
	if err := requireDraft(ctx, s.store, orgID, cycleID, "leaders can only be added"); err != nil {
		return Participant{}, fmt.Errorf("add leader: %w", err)
	}
	p, err := s.AddParticipant(ctx, orgID, cycleID, leader)
	if ErrorCode(err) == CodeConflict {
		return Participant{}, &Error{Code: CodeConflict, Message: "this person is already a leader in the cycle",
			Fields: map[string]string{"email": "This person is already a leader in this cycle."}}
	}
	return p, err
}

// AddCycleRater asks a person to rate a leader of the cycle (AddRater).
func (s *Service) AddCycleRater(ctx context.Context, orgID, cycleID, participantID string, rater PersonInput, rel Relationship) (Assignment, error) {
	if _, err := participantOf(ctx, s.store, orgID, cycleID, participantID); err != nil {
		return Assignment{}, fmt.Errorf("add rater: %w", err)
	}
	if err := requireDraft(ctx, s.store, orgID, cycleID, "raters can only be added"); err != nil {
		return Assignment{}, fmt.Errorf("add rater: %w", err)
	}
	a, err := s.AddRater(ctx, orgID, participantID, rater, rel)
	if ErrorCode(err) == CodeConflict {
		return Assignment{}, &Error{Code: CodeConflict, Message: "this person already rates the leader",
			Fields: map[string]string{"email": "This person already rates this leader."}}
	}
	return a, err
}

// RemoveCycleRater takes a rater away from a leader while the cycle is a
// draft. The self-assessment goes only with the leader.
func (s *Service) RemoveCycleRater(ctx context.Context, orgID, cycleID, participantID, assignmentID string) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		if err := requireDraft(ctx, tx, orgID, cycleID, "raters can only be removed"); err != nil {
			return err
		}
		if _, err := participantOf(ctx, tx, orgID, cycleID, participantID); err != nil {
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
		return tx.RemoveAssignment(ctx, orgID, participantID, assignmentID)
	})
	if err != nil {
		return fmt.Errorf("remove rater %s: %w", assignmentID, err)
	}
	return nil
}

// RemoveCycleLeader takes a leader, and everyone asked to rate them, out of
// a draft cycle.
func (s *Service) RemoveCycleLeader(ctx context.Context, orgID, cycleID, participantID string) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		if err := requireDraft(ctx, tx, orgID, cycleID, "leaders can only be removed"); err != nil {
			return err
		}
		if _, err := participantOf(ctx, tx, orgID, cycleID, participantID); err != nil {
			return err
		}
		return tx.RemoveParticipant(ctx, orgID, cycleID, participantID)
	})
	if err != nil {
		return fmt.Errorf("remove leader %s: %w", participantID, err)
	}
	return nil
}

func requireDraft(ctx context.Context, tx Store, orgID, cycleID, what string) error {
	c, err := tx.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return err
	}
	if c.Status != StatusDraft {
		return Errorf(CodeConflict, "cycle %q is %s: %s while it is a draft", c.Name, c.Status, what)
	}
	return nil
}
