package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/lead360/lead360/assessment"
)

// Action plans (migrations/00006): the plan a leader writes after reading
// their report; and LeaderFollowUps, which reads the plans with the audit
// log to tell which leaders took up their report.

type actionPlanRow struct {
	ID             string
	OrganizationID string
	ParticipantID  string
	Skill          string
	Behaviour      string
	Situation      string
	FeedbackFrom   string
	CheckInDate    time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (actionPlanRow) TableName() string { return "action_plans" }

func (r actionPlanRow) domain() assessment.ActionPlan {
	return assessment.ActionPlan{ID: r.ID, OrganizationID: r.OrganizationID, ParticipantID: r.ParticipantID, Skill: r.Skill,
		Behaviour: r.Behaviour, Situation: r.Situation, FeedbackFrom: r.FeedbackFrom, CheckInDate: r.CheckInDate.UTC(),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func init() { rowStructs = append(rowStructs, actionPlanRow{}) }

// SaveActionPlan inserts the participant's plan or replaces its fields; the
// unique participant_id makes two saves one row.
func (s *Store) SaveActionPlan(ctx context.Context, p *assessment.ActionPlan) error {
	ensureID(&p.ID)
	stamp(&p.UpdatedAt)
	if p.CreatedAt.IsZero() {
		p.CreatedAt = p.UpdatedAt
	}
	row := actionPlanRow{ID: p.ID, OrganizationID: p.OrganizationID, ParticipantID: p.ParticipantID, Skill: p.Skill,
		Behaviour: p.Behaviour, Situation: p.Situation, FeedbackFrom: p.FeedbackFrom, CheckInDate: utc(p.CheckInDate),
		CreatedAt: utc(p.CreatedAt), UpdatedAt: utc(p.UpdatedAt)}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "participant_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"skill", "behaviour", "situation", "feedback_from", "check_in_date", "updated_at"}),
	}).Create(&row).Error
	return translate(err, "save action plan")
}

// ActionPlan loads the participant's action plan.
func (s *Store) ActionPlan(ctx context.Context, orgID, participantID string) (assessment.ActionPlan, error) {
	var row actionPlanRow
	if err := s.inOrg(ctx, orgID).Where("participant_id = ?", participantID).Take(&row).Error; err != nil {
		return assessment.ActionPlan{}, translate(err, "action plan")
	}
	return row.domain(), nil
}

// LeaderFollowUps reads the two signs of a leader taking up their report:
// a report.view audit entry whose actor is the leader's own account, and a
// saved action plan.
func (s *Store) LeaderFollowUps(ctx context.Context, orgID, cycleID string) (map[string]assessment.FollowUp, error) {
	out := map[string]assessment.FollowUp{}
	var viewed []string
	err := s.db.WithContext(ctx).Raw(`SELECT DISTINCT p.id FROM participants p
		JOIN audit_log a ON a.organization_id = p.organization_id AND a.subject_type = 'participant' AND a.subject_id = p.id AND a.action IN ?
		JOIN users u ON u.id = a.actor_user_id AND u.person_id = p.person_id
		WHERE p.organization_id = ? AND p.cycle_id = ?`,
		[]string{assessment.ActionReportView, assessment.ActionReportDownload}, orgID, cycleID).Scan(&viewed).Error
	if err != nil {
		return nil, translate(err, "leaders who viewed their report")
	}
	for _, id := range viewed {
		out[id] = assessment.FollowUp{Viewed: true}
	}
	var planned []string
	err = s.db.WithContext(ctx).Raw(`SELECT ap.participant_id FROM action_plans ap
		JOIN participants p ON p.id = ap.participant_id
		WHERE ap.organization_id = ? AND p.cycle_id = ?`, orgID, cycleID).Scan(&planned).Error
	if err != nil {
		return nil, translate(err, "leaders' action plans")
	}
	for _, id := range planned {
		f := out[id]
		f.PlanStarted = true
		out[id] = f
	}
	return out, nil
}
