package assessment

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// PlanInput is what a leader types into the action plan form.
type PlanInput struct {
	Skill        string
	Behaviour    string
	Situation    string
	FeedbackFrom string
	CheckInDate  string // YYYY-MM-DD
}

// Field limits of the action plan.
const (
	MaxPlanText  = 1000
	maxPlanAhead = 366 * 24 * time.Hour
)

// ActionPlanOf loads the participant's plan; found is false before the
// first save.
func (s *Service) ActionPlanOf(ctx context.Context, orgID, participantID string) (plan ActionPlan, found bool, err error) {
	plan, err = s.store.ActionPlan(ctx, orgID, participantID)
	switch {
	case err == nil:
		return plan, true, nil
	case ErrorCode(err) == CodeNotFound:
		return ActionPlan{}, false, nil
	}
	return ActionPlan{}, false, fmt.Errorf("action plan of %s: %w", participantID, err)
}

// SaveActionPlan validates and stores the signed-in leader's action plan
// for their participation in a released cycle; the skill must be one of
// the instrument's, and the check-in date between today and a year ahead.
func (s *Service) SaveActionPlan(ctx context.Context, u User, cycleID string, in PlanInput) (ActionPlan, error) {
	p, err := s.OwnParticipation(ctx, u, cycleID)
	if err != nil {
		return ActionPlan{}, err
	}
	c, err := s.ReleasedCycle(ctx, u.OrganizationID, cycleID)
	if err != nil {
		return ActionPlan{}, err
	}
	instrument, err := s.store.Instrument(ctx, c.InstrumentID)
	if err != nil {
		return ActionPlan{}, fmt.Errorf("action plan: %w", err)
	}
	plan := ActionPlan{OrganizationID: u.OrganizationID, ParticipantID: p.ID, Skill: strings.TrimSpace(in.Skill),
		Behaviour: strings.TrimSpace(in.Behaviour), Situation: strings.TrimSpace(in.Situation),
		FeedbackFrom: strings.TrimSpace(in.FeedbackFrom), UpdatedAt: s.Now()}
	f := fieldErrors{}
	if !slices.ContainsFunc(instrument.Skills, func(sk Skill) bool { return sk.Key == plan.Skill }) {
		f.add("skill", "Choose the skill you will work on.")
	}
	for field, v := range map[string]string{"behaviour": plan.Behaviour, "situation": plan.Situation, "feedback_from": plan.FeedbackFrom} {
		switch {
		case v == "":
			f.add(field, map[string]string{"behaviour": "Enter the behaviour you will practise.",
				"situation":     "Enter the next situation where you will practise it.",
				"feedback_from": "Enter who you will ask for feedback."}[field])
		case utf8.RuneCountInString(v) > MaxPlanText:
			f.add(field, fmt.Sprintf("Use at most %d characters.", MaxPlanText))
		}
	}
	today := s.Now().UTC().Truncate(24 * time.Hour)
	date, derr := time.Parse(time.DateOnly, strings.TrimSpace(in.CheckInDate))
	switch {
	case strings.TrimSpace(in.CheckInDate) == "":
		f.add("check_in_date", "Enter the date you will check your progress.")
	case derr != nil:
		f.add("check_in_date", "Enter a date like 2026-05-04.")
	case date.Before(today):
		f.add("check_in_date", "Choose today or a later date.")
	case date.After(today.Add(maxPlanAhead)):
		f.add("check_in_date", "Choose a date within a year.")
	}
	if err := f.err("the action plan is not complete"); err != nil {
		return ActionPlan{}, err
	}
	plan.CheckInDate = date
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.SaveActionPlan(ctx, &plan); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: u.OrganizationID, ActorUserID: u.ID, Action: ActionPlanSave,
			SubjectType: "participant", SubjectID: p.ID, CreatedAt: s.Now(), Detail: truncate("Action plan for "+c.Name, 2000)})
	})
	if err != nil {
		return ActionPlan{}, fmt.Errorf("save action plan of %s: %w", p.ID, err)
	}
	return plan, nil
}
