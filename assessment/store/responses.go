package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/lead360/lead360/assessment"
)

// Responses (migrations/00001, 00009) with their answers and comments: saving
// a survey, HR's exclusions, and the scoring's reads of the counted answers
// and comments (submitted, not excluded), and the progress page's
// submission times. CycleRatings has a PostgreSQL fast path,
// cycleRatingsPgx in postgres.go.

type responseRow struct {
	ID             string
	OrganizationID string
	AssignmentID   string
	Status         string
	Version        int
	SubmittedAt    *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// ExcludedAt and ExclusionSeenAt are HR's (ExcludeResponse,
	// MarkExclusionsSeen below); a survey save never writes them.
	ExcludedAt      *time.Time
	ExclusionSeenAt *time.Time
}

func (responseRow) TableName() string { return "responses" }

type answerRow struct {
	ResponseID string `gorm:"primaryKey"`
	ItemKey    string `gorm:"primaryKey"`
	Value      *int
}

func (answerRow) TableName() string { return "answers" }

type commentRow struct {
	ResponseID  string `gorm:"primaryKey"`
	QuestionKey string `gorm:"primaryKey"`
	Body        string
}

func (commentRow) TableName() string { return "comments" }

// countedResponseSQL is the condition on a response (alias r) that makes
// its answers count: submitted and not excluded. Every query that feeds a
// figure uses it (constant SQL, no input).
const countedResponseSQL = "r.status = 'submitted' AND r.excluded_at IS NULL"

// SaveResponse writes the response and replaces its answers and comments in
// one transaction, guarded by the optimistic version.
func (s *Store) SaveResponse(ctx context.Context, r *assessment.Response) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := time.Now().UTC()
		if r.UpdatedAt.IsZero() {
			r.UpdatedAt = now
		}
		if r.Version == 0 {
			ensureID(&r.ID)
			if r.CreatedAt.IsZero() {
				r.CreatedAt = r.UpdatedAt
			}
			row := responseRow{ID: r.ID, OrganizationID: r.OrganizationID, AssignmentID: r.AssignmentID,
				Status: string(r.Status), Version: 1, SubmittedAt: utcPtr(r.SubmittedAt),
				CreatedAt: utc(r.CreatedAt), UpdatedAt: utc(r.UpdatedAt)}
			if err := tx.Create(&row).Error; err != nil {
				if constraintKind(err) == "unique" {
					return assessment.Errorf(assessment.CodeConflict, "this survey was already saved from another window; reload to see the saved answers")
				}
				return translate(err, "save response")
			}
			r.Version = 1
		} else {
			res := tx.Model(&responseRow{}).
				Where("id = ? AND organization_id = ? AND version = ?", r.ID, r.OrganizationID, r.Version).
				Updates(map[string]any{"status": string(r.Status), "version": gorm.Expr("version + 1"),
					"submitted_at": utcPtr(r.SubmittedAt), "updated_at": utc(r.UpdatedAt)})
			if res.Error != nil {
				return translate(res.Error, "save response")
			}
			if res.RowsAffected == 0 {
				return assessment.Errorf(assessment.CodeConflict, "these answers were changed in another window since you opened this one")
			}
			r.Version++
			if err := tx.Where("response_id = ?", r.ID).Delete(&answerRow{}).Error; err != nil {
				return translate(err, "replace answers")
			}
			if err := tx.Where("response_id = ?", r.ID).Delete(&commentRow{}).Error; err != nil {
				return translate(err, "replace comments")
			}
		}
		if len(r.Answers) > 0 {
			rows := make([]answerRow, len(r.Answers))
			for i, a := range r.Answers {
				rows[i] = answerRow{ResponseID: r.ID, ItemKey: a.ItemKey}
				if a.Value != assessment.NotObserved {
					v := a.Value
					rows[i].Value = &v
				}
			}
			if err := tx.Create(&rows).Error; err != nil {
				return translate(err, "save answers")
			}
		}
		if len(r.Comments) > 0 {
			rows := make([]commentRow, len(r.Comments))
			for i, c := range r.Comments {
				rows[i] = commentRow{ResponseID: r.ID, QuestionKey: c.QuestionKey, Body: c.Body}
			}
			if err := tx.Create(&rows).Error; err != nil {
				return translate(err, "save comments")
			}
		}
		return nil
	})
}

// ResponseByAssignment loads the response of an assignment with its answers
// and comments in item order.
func (s *Store) ResponseByAssignment(ctx context.Context, orgID, assignmentID string) (assessment.Response, error) {
	var row responseRow
	if err := s.inOrg(ctx, orgID).Where("assignment_id = ?", assignmentID).Take(&row).Error; err != nil {
		return assessment.Response{}, translate(err, "response")
	}
	var answers []answerRow
	if err := s.db.WithContext(ctx).Where("response_id = ?", row.ID).Order("item_key").Find(&answers).Error; err != nil {
		return assessment.Response{}, translate(err, "load answers")
	}
	var comments []commentRow
	if err := s.db.WithContext(ctx).Where("response_id = ?", row.ID).Order("question_key").Find(&comments).Error; err != nil {
		return assessment.Response{}, translate(err, "load comments")
	}
	r := assessment.Response{ID: row.ID, OrganizationID: row.OrganizationID, AssignmentID: row.AssignmentID,
		Status: assessment.ResponseStatus(row.Status), Version: row.Version, SubmittedAt: utcPtr(row.SubmittedAt),
		ExcludedAt: utcPtr(row.ExcludedAt), CreatedAt: row.CreatedAt.UTC(), UpdatedAt: row.UpdatedAt.UTC()}
	for _, a := range answers {
		v := assessment.NotObserved
		if a.Value != nil {
			v = *a.Value
		}
		r.Answers = append(r.Answers, assessment.Answer{ItemKey: a.ItemKey, Value: v})
	}
	for _, c := range comments {
		r.Comments = append(r.Comments, assessment.Comment{QuestionKey: c.QuestionKey, Body: c.Body})
	}
	return r, nil
}

// SubmissionTimes lists the submission times of the cycle's submitted
// responses, except those about the leader except.
func (s *Store) SubmissionTimes(ctx context.Context, orgID, cycleID, except string) ([]time.Time, error) {
	assignments := s.cycleAssignments(ctx, orgID, cycleID).Select("id")
	if except != "" {
		assignments = assignments.Where("participant_id <> ?", except)
	}
	var times []time.Time
	err := s.inOrg(ctx, orgID).Model(&responseRow{}).Where("status = ? AND assignment_id IN (?)", string(assessment.ResponseSubmitted), assignments).
		Pluck("submitted_at", &times).Error
	if err != nil {
		return nil, translate(err, "submission times of cycle "+cycleID)
	}
	return times, nil
}

// ExcludeResponse marks a submitted response excluded, conditionally.
func (s *Store) ExcludeResponse(ctx context.Context, orgID, responseID string, at time.Time) error {
	res := s.inOrg(ctx, orgID).Model(&responseRow{}).
		Where("id = ? AND status = ? AND excluded_at IS NULL", responseID, string(assessment.ResponseSubmitted)).
		Update("excluded_at", utc(at))
	if res.Error != nil {
		return translate(res.Error, "exclude response "+responseID)
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeConflict, "these answers were already excluded, or were never submitted")
	}
	return nil
}

// MarkExclusionsSeen stamps the cycle's excluded responses not seen yet.
func (s *Store) MarkExclusionsSeen(ctx context.Context, orgID, cycleID string, at time.Time) error {
	res := s.inOrg(ctx, orgID).Model(&responseRow{}).
		Where("excluded_at IS NOT NULL AND exclusion_seen_at IS NULL AND assignment_id IN (?)", s.cycleAssignmentIDs(ctx, orgID, cycleID)).
		Update("exclusion_seen_at", utc(at))
	return translate(res.Error, fmt.Sprintf("confirm the exclusions of cycle %s", cycleID))
}

// excludedGroupsSQL counts a cycle's submitted responses per leader and
// relationship, for the groups with an excluded one (constant SQL).
const excludedGroupsSQL = `
SELECT a.participant_id AS participant_id, pe.name AS leader_name, a.relationship AS relationship,
       SUM(CASE WHEN r.excluded_at IS NULL THEN 1 ELSE 0 END) AS counted,
       SUM(CASE WHEN r.excluded_at IS NOT NULL THEN 1 ELSE 0 END) AS excluded,
       SUM(CASE WHEN r.excluded_at IS NOT NULL AND r.exclusion_seen_at IS NULL THEN 1 ELSE 0 END) AS unseen
FROM participants p
JOIN people pe ON pe.id = p.person_id AND pe.organization_id = p.organization_id
JOIN rater_assignments a ON a.participant_id = p.id AND a.organization_id = p.organization_id
JOIN responses r ON r.assignment_id = a.id AND r.organization_id = p.organization_id
WHERE p.cycle_id = ? AND p.organization_id = ? AND r.status = 'submitted'
GROUP BY a.participant_id, pe.name, a.relationship
HAVING SUM(CASE WHEN r.excluded_at IS NOT NULL THEN 1 ELSE 0 END) > 0
ORDER BY pe.name, a.participant_id, a.relationship`

// ExcludedGroups counts the groups of the cycle with excluded responses.
func (s *Store) ExcludedGroups(ctx context.Context, orgID, cycleID string) ([]assessment.ExcludedGroup, error) {
	var rows []struct {
		ParticipantID             string
		LeaderName                string
		Relationship              string
		Counted, Excluded, Unseen int
	}
	if err := s.db.WithContext(ctx).Raw(excludedGroupsSQL, cycleID, orgID).Scan(&rows).Error; err != nil {
		return nil, translate(err, "excluded responses of cycle "+cycleID)
	}
	out := make([]assessment.ExcludedGroup, len(rows))
	for i, r := range rows {
		out[i] = assessment.ExcludedGroup{ParticipantID: r.ParticipantID, LeaderName: r.LeaderName,
			Relationship: assessment.Relationship(r.Relationship), Counted: r.Counted, Excluded: r.Excluded, Unseen: r.Unseen}
	}
	return out, nil
}

// cycleRatingsSQL reads every answer of a cycle's counted responses
// (submitted, not excluded: countedResponseSQL) in one pass. Each join is on a key with an index (participants.cycle_id through
// the (cycle_id, person_id) key, rater_assignments.participant_id, the
// unique responses.assignment_id, the answers primary key), and every table
// is scoped to the organisation. Constant text: no input becomes SQL.
const cycleRatingsSQL = `
SELECT a.participant_id, a.person_id, a.relationship, ans.item_key, ans.value
FROM participants p
JOIN rater_assignments a ON a.participant_id = p.id AND a.organization_id = p.organization_id
JOIN responses r ON r.assignment_id = a.id AND r.organization_id = p.organization_id
JOIN answers ans ON ans.response_id = r.id
WHERE p.cycle_id = ? AND p.organization_id = ? AND ` + countedResponseSQL

// CycleRatings streams the cycle's submitted answers to fn (see
// assessment.ScoreStore). Rows are read as raw bytes and each distinct id
// or key becomes one string, shared by every answer that repeats it.
func (s *Store) CycleRatings(ctx context.Context, orgID, cycleID string, fn func(assessment.CycleRating) error) error {
	if _, inTx := s.db.Statement.ConnPool.(*sql.Tx); s.dialect == Postgres && !inTx {
		return s.cycleRatingsPgx(ctx, orgID, cycleID, fn)
	}
	rows, err := s.db.WithContext(ctx).Raw(cycleRatingsSQL, cycleID, orgID).Rows()
	if err != nil {
		return translate(err, "load ratings of cycle "+cycleID)
	}
	defer rows.Close()
	strs := map[string]string{}
	intern := func(b []byte) string {
		if v, ok := strs[string(b)]; ok {
			return v
		}
		v := string(b)
		strs[v] = v
		return v
	}
	var (
		participant, person, rel, item sql.RawBytes
		value                          sql.NullInt64
	)
	for rows.Next() {
		if err := rows.Scan(&participant, &person, &rel, &item, &value); err != nil {
			return translate(err, "read ratings of cycle "+cycleID)
		}
		r := assessment.CycleRating{
			ParticipantID: intern(participant), PersonID: intern(person),
			Relationship: assessment.Relationship(intern(rel)), ItemKey: intern(item), Value: assessment.NotObserved,
		}
		if value.Valid {
			r.Value = int(value.Int64)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return translate(err, "read ratings of cycle "+cycleID)
	}
	return nil
}

// CycleComments loads the comments of the cycle's submitted responses with
// their leader and relationship.
func (s *Store) CycleComments(ctx context.Context, orgID, cycleID string) ([]assessment.CycleComment, error) {
	return s.comments(ctx, orgID, "p.cycle_id = ?", cycleID, "load comments of cycle "+cycleID)
}

// ParticipantComments loads one leader's comments from submitted responses
// with their relationship.
func (s *Store) ParticipantComments(ctx context.Context, orgID, participantID string) ([]assessment.CycleComment, error) {
	return s.comments(ctx, orgID, "p.id = ?", participantID, "load comments about leader "+participantID)
}

// comments loads the comments of counted responses with their leader and
// relationship; the rater's identity is never selected. where is one of the constant filters
// above, never user input.
func (s *Store) comments(ctx context.Context, orgID, where string, arg any, op string) ([]assessment.CycleComment, error) {
	var rows []struct {
		ParticipantID string
		Relationship  string
		QuestionKey   string
		Body          string
	}
	err := s.db.WithContext(ctx).Raw(`
SELECT a.participant_id, a.relationship, c.question_key, c.body
FROM participants p
JOIN rater_assignments a ON a.participant_id = p.id AND a.organization_id = p.organization_id
JOIN responses r ON r.assignment_id = a.id AND r.organization_id = p.organization_id
JOIN comments c ON c.response_id = r.id
WHERE p.organization_id = ? AND `+countedResponseSQL+` AND `+where, orgID, arg).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, op)
	}
	out := make([]assessment.CycleComment, len(rows))
	for i, r := range rows {
		out[i] = assessment.CycleComment{ParticipantID: r.ParticipantID, Relationship: assessment.Relationship(r.Relationship),
			QuestionKey: r.QuestionKey, Body: r.Body}
	}
	return out, nil
}
