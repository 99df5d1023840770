package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/scoring"
)

// Results (migrations/00006): released cycles' summaries, the audit log as
// the audit page reads it, leaders' action plans.

type snapshotFocusRow struct {
	SnapshotID    string `gorm:"primaryKey"`
	ParticipantID string `gorm:"primaryKey"`
	Skill         string
	Raters        *string // JSON {"peer": 3, ...}; NULL before migration 00014
	BlindSpots    *string // JSON ["coaching", ...]
}

func (snapshotFocusRow) TableName() string { return "score_snapshot_focus" }

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

// SnapshotHead loads a snapshot's result without its leaders: one row, the
// cohort statistics included, however many leaders the cycle has.
func (s *Store) SnapshotHead(ctx context.Context, orgID, snapshotID string) (scoring.Result, error) {
	var row scoreSnapshotRow
	if err := s.inOrg(ctx, orgID).Select("result").Where("id = ?", snapshotID).Take(&row).Error; err != nil {
		return scoring.Result{}, translate(err, "snapshot "+snapshotID)
	}
	var res scoring.Result
	if err := json.Unmarshal([]byte(row.Result), &res); err != nil {
		return scoring.Result{}, fmt.Errorf("decode snapshot %s: %w", snapshotID, err)
	}
	res.Leaders = nil
	return res, nil
}

// focusBatch keeps each insert's parameters well under SQLite's limit.
const focusBatch = 500

// SaveSnapshotFocus records the leaders' focus skills of a snapshot; a
// second release of the same snapshot keeps the first rows.
func (s *Store) SaveSnapshotFocus(ctx context.Context, snapshotID string, focus []assessment.LeaderFocus) error {
	for lo := 0; lo < len(focus); lo += focusBatch {
		part := focus[lo:min(lo+focusBatch, len(focus))]
		rows := make([]snapshotFocusRow, len(part))
		for i, f := range part {
			rows[i] = snapshotFocusRow{SnapshotID: snapshotID, ParticipantID: f.ParticipantID, Skill: f.Skill}
			if f.Summarised {
				raters, err := json.Marshal(f.Raters)
				if err != nil {
					return fmt.Errorf("save focus skills of snapshot %s: %w", snapshotID, err)
				}
				blind, err := json.Marshal(f.BlindSpots)
				if err != nil {
					return fmt.Errorf("save focus skills of snapshot %s: %w", snapshotID, err)
				}
				rows[i].Raters, rows[i].BlindSpots = new(string(raters)), new(string(blind))
			}
		}
		if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error; err != nil {
			return translate(err, "save focus skills of snapshot "+snapshotID)
		}
	}
	return nil
}

// SnapshotFocus loads the recorded focus skills of a snapshot of the
// organisation (the subquery scopes the snapshot through inOrg).
func (s *Store) SnapshotFocus(ctx context.Context, orgID, snapshotID string) ([]assessment.LeaderFocus, error) {
	own := s.inOrg(ctx, orgID).Model(&scoreSnapshotRow{}).Select("id").Where("id = ?", snapshotID)
	var rows []snapshotFocusRow
	if err := s.db.WithContext(ctx).Where("snapshot_id IN (?)", own).Find(&rows).Error; err != nil {
		return nil, translate(err, "focus skills of snapshot "+snapshotID)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	out := make([]assessment.LeaderFocus, len(rows))
	for i, r := range rows {
		f := assessment.LeaderFocus{ParticipantID: r.ParticipantID, Skill: r.Skill}
		if r.Raters != nil && r.BlindSpots != nil {
			f.Summarised = true
			if err := json.Unmarshal([]byte(*r.Raters), &f.Raters); err != nil {
				return nil, fmt.Errorf("rater counts of snapshot %s: %w", snapshotID, err)
			}
			if err := json.Unmarshal([]byte(*r.BlindSpots), &f.BlindSpots); err != nil {
				return nil, fmt.Errorf("blind spots of snapshot %s: %w", snapshotID, err)
			}
		}
		out[i] = f
	}
	return out, nil
}

// ParticipantOfPerson finds the person's participation in the cycle.
func (s *Store) ParticipantOfPerson(ctx context.Context, orgID, cycleID, personID string) (assessment.Participant, error) {
	var row participantRow
	if err := s.inOrg(ctx, orgID).Where("cycle_id = ? AND person_id = ?", cycleID, personID).Take(&row).Error; err != nil {
		return assessment.Participant{}, translate(err, "your participation in cycle "+cycleID)
	}
	return row.domain(), nil
}

// PersonCycles lists the cycles that assess the person, the one that opens
// last first.
func (s *Store) PersonCycles(ctx context.Context, orgID, personID string) ([]assessment.PersonCycle, error) {
	var parts []participantRow
	if err := s.inOrg(ctx, orgID).Where("person_id = ?", personID).Find(&parts).Error; err != nil {
		return nil, translate(err, "participations of person "+personID)
	}
	if len(parts) == 0 {
		return nil, nil
	}
	byCycle := make(map[string]string, len(parts))
	ids := make([]string, len(parts))
	for i, p := range parts {
		byCycle[p.CycleID] = p.ID
		ids[i] = p.CycleID
	}
	var cycles []cycleRow
	if err := s.inOrg(ctx, orgID).Where("id IN ?", ids).Order("opens_at DESC").Order("id DESC").Find(&cycles).Error; err != nil {
		return nil, translate(err, "cycles of person "+personID)
	}
	out := make([]assessment.PersonCycle, 0, len(cycles))
	for _, r := range cycles {
		c, err := r.domain()
		if err != nil {
			return nil, err
		}
		out = append(out, assessment.PersonCycle{Cycle: c, ParticipantID: byCycle[c.ID]})
	}
	return out, nil
}

// ParticipantProgress counts raters asked and responses submitted per
// relationship for one leader, in one grouped query; no rater is selected.
func (s *Store) ParticipantProgress(ctx context.Context, orgID, participantID string, before time.Time) ([]assessment.GroupProgress, error) {
	var rows []struct {
		Relationship    string
		Invited         int
		Submitted       int
		SubmittedBefore int
	}
	err := s.db.WithContext(ctx).Raw(`
SELECT a.relationship AS relationship, COUNT(*) AS invited,
       SUM(CASE WHEN `+countedResponseSQL+` THEN 1 ELSE 0 END) AS submitted,
       SUM(CASE WHEN `+countedResponseSQL+` AND r.submitted_at < ? THEN 1 ELSE 0 END) AS submitted_before
FROM rater_assignments a
LEFT JOIN responses r ON r.assignment_id = a.id AND r.organization_id = a.organization_id
WHERE a.participant_id = ? AND a.organization_id = ?
GROUP BY a.relationship`, utc(before), participantID, orgID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "progress of leader "+participantID)
	}
	out := make([]assessment.GroupProgress, 0, len(rows))
	for _, rel := range assessment.Relationships {
		for _, r := range rows {
			if r.Relationship == string(rel) {
				out = append(out, assessment.GroupProgress{Relationship: rel, Invited: r.Invited, Submitted: r.Submitted,
					SubmittedBefore: r.SubmittedBefore})
			}
		}
	}
	return out, nil
}

// ReleasedCycles lists the organisation's released cycles, the one that
// closed last first.
func (s *Store) ReleasedCycles(ctx context.Context, orgID string) ([]assessment.Cycle, error) {
	var rows []cycleRow
	err := s.inOrg(ctx, orgID).Where("status = ?", string(assessment.StatusReleased)).
		Order("closes_at DESC").Order("id DESC").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "released cycles")
	}
	out := make([]assessment.Cycle, len(rows))
	for i, r := range rows {
		c, err := r.domain()
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// AuditEntries lists a page of the organisation's audit log newest first,
// then names the actors with one more query.
func (s *Store) AuditEntries(ctx context.Context, orgID string, offset, limit int) ([]assessment.AuditRecord, error) {
	var rows []auditRow
	err := s.inOrg(ctx, orgID).Order("created_at DESC").Order("id DESC").Offset(offset).Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(err, "audit log")
	}
	var actorIDs []string
	for _, r := range rows {
		if r.ActorUserID != nil {
			actorIDs = append(actorIDs, *r.ActorUserID)
		}
	}
	actors := map[string]userRow{}
	if len(actorIDs) > 0 {
		var users []userRow
		if err := s.inOrg(ctx, orgID).Where("id IN ?", actorIDs).Find(&users).Error; err != nil {
			return nil, translate(err, "audit log actors")
		}
		for _, u := range users {
			actors[u.ID] = u
		}
	}
	out := make([]assessment.AuditRecord, len(rows))
	for i, r := range rows {
		rec := assessment.AuditRecord{AuditEntry: assessment.AuditEntry{ID: r.ID, OrganizationID: r.OrganizationID,
			ActorUserID: deref(r.ActorUserID), Action: r.Action, SubjectType: r.SubjectType, SubjectID: r.SubjectID,
			Detail: r.Detail, CreatedAt: r.CreatedAt.UTC()}}
		if u, ok := actors[rec.ActorUserID]; ok {
			rec.ActorName, rec.ActorEmail = u.Name, u.Email
		}
		out[i] = rec
	}
	return out, nil
}

// AuditCount counts the organisation's audit entries.
func (s *Store) AuditCount(ctx context.Context, orgID string) (int, error) {
	var n int64
	if err := s.inOrg(ctx, orgID).Model(&auditRow{}).Count(&n).Error; err != nil {
		return 0, translate(err, "count audit log")
	}
	return int(n), nil
}

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

func init() { rowStructs = append(rowStructs, snapshotFocusRow{}, actionPlanRow{}) }
