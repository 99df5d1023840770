package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/lead360/lead360/assessment"
)

// Nominations (migrations/00007) and invitation management.

type nominationRow struct {
	ID             string
	OrganizationID string
	CycleID        string
	ParticipantID  string
	Name           string
	Email          string
	Relationship   string
	ByAdmin        bool
	ApprovedAt     *time.Time
	CreatedAt      time.Time
}

func (nominationRow) TableName() string { return "nominations" }

func (r nominationRow) domain() assessment.Nomination {
	return assessment.Nomination{ID: r.ID, OrganizationID: r.OrganizationID, CycleID: r.CycleID, ParticipantID: r.ParticipantID,
		Name: r.Name, Email: r.Email, Relationship: assessment.Relationship(r.Relationship), ByAdmin: r.ByAdmin,
		ApprovedAt: utcPtr(r.ApprovedAt), CreatedAt: r.CreatedAt.UTC()}
}

func nominationToRow(n *assessment.Nomination) nominationRow {
	ensureID(&n.ID)
	stamp(&n.CreatedAt)
	return nominationRow{ID: n.ID, OrganizationID: n.OrganizationID, CycleID: n.CycleID, ParticipantID: n.ParticipantID,
		Name: n.Name, Email: n.Email, Relationship: string(n.Relationship), ByAdmin: n.ByAdmin,
		ApprovedAt: utcPtr(n.ApprovedAt), CreatedAt: utc(n.CreatedAt)}
}

// cycleAssignmentIDs is the subquery of the ids of a cycle's assignments.
func (s *Store) cycleAssignmentIDs(ctx context.Context, orgID, cycleID string) *gorm.DB {
	parts := s.inOrg(ctx, orgID).Model(&participantRow{}).Select("id").Where("cycle_id = ?", cycleID)
	return s.inOrg(ctx, orgID).Model(&assignmentRow{}).Select("id").Where("participant_id IN (?)", parts)
}

// CycleInvitations lists each assignment's live invitation, or its newest
// revoked one, with the people and the response's state: five queries
// however large the cycle.
func (s *Store) CycleInvitations(ctx context.Context, orgID, cycleID string) ([]assessment.InvitationStatus, error) {
	op := "invitations of cycle " + cycleID
	var invs []invitationRow
	if err := s.inOrg(ctx, orgID).Where("assignment_id IN (?)", s.cycleAssignmentIDs(ctx, orgID, cycleID)).
		Order("created_at, id").Find(&invs).Error; err != nil {
		return nil, translate(err, op)
	}
	// The last row per assignment wins, unless an earlier one is live.
	chosen := map[string]invitationRow{}
	for _, r := range invs {
		if cur, ok := chosen[r.AssignmentID]; ok && cur.RevokedAt == nil {
			continue
		}
		chosen[r.AssignmentID] = r
	}
	if len(chosen) == 0 {
		return nil, nil
	}
	var assigns []assignmentRow
	if err := s.inOrg(ctx, orgID).Where("id IN (?)", s.cycleAssignmentIDs(ctx, orgID, cycleID)).Find(&assigns).Error; err != nil {
		return nil, translate(err, op)
	}
	var parts []participantRow
	if err := s.inOrg(ctx, orgID).Where("cycle_id = ?", cycleID).Find(&parts).Error; err != nil {
		return nil, translate(err, op)
	}
	var people []personRow
	inCycle := s.inOrg(ctx, orgID).Model(&assignmentRow{}).Select("person_id").
		Where("id IN (?)", s.cycleAssignmentIDs(ctx, orgID, cycleID))
	if err := s.inOrg(ctx, orgID).Where("id IN (?)", inCycle).Find(&people).Error; err != nil {
		return nil, translate(err, op)
	}
	leaderOf := make(map[string]string, len(parts))
	for _, p := range parts {
		leaderOf[p.ID] = p.PersonID
	}
	person := make(map[string]assessment.Person, len(people))
	for _, p := range people {
		person[p.ID] = p.domain()
	}
	var responses []responseRow
	if err := s.inOrg(ctx, orgID).Select("assignment_id, excluded_at").Where("status = ? AND assignment_id IN (?)",
		string(assessment.ResponseSubmitted), s.cycleAssignmentIDs(ctx, orgID, cycleID)).Find(&responses).Error; err != nil {
		return nil, translate(err, op)
	}
	submitted := make(map[string]responseRow, len(responses))
	for _, r := range responses {
		submitted[r.AssignmentID] = r
	}
	out := make([]assessment.InvitationStatus, 0, len(chosen))
	for _, a := range assigns {
		r, ok := chosen[a.ID]
		if !ok {
			continue
		}
		inv, err := r.domain()
		if err != nil {
			return nil, err
		}
		resp, done := submitted[a.ID]
		out = append(out, assessment.InvitationStatus{Invitation: inv, Assignment: a.domain(),
			Leader: person[leaderOf[a.ParticipantID]], Rater: person[a.PersonID], Submitted: done, Excluded: resp.ExcludedAt != nil})
	}
	slices.SortFunc(out, func(a, b assessment.InvitationStatus) int { return cmp.Compare(a.Invitation.ID, b.Invitation.ID) })
	return out, nil
}

// Invitation loads one invitation of the organisation.
func (s *Store) Invitation(ctx context.Context, orgID, id string) (assessment.Invitation, error) {
	var row invitationRow
	if err := s.inOrg(ctx, orgID).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.Invitation{}, translate(err, "invitation "+id)
	}
	return row.domain()
}

// RevokeInvitation revokes a live invitation, conditionally: a second
// revoke finds nothing to change.
func (s *Store) RevokeInvitation(ctx context.Context, orgID, id string, at time.Time) error {
	res := s.inOrg(ctx, orgID).Model(&invitationRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", utc(at))
	if res.Error != nil {
		return translate(res.Error, "revoke invitation "+id)
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeConflict, "this link was already revoked")
	}
	return nil
}

func nominationsOf(q *gorm.DB, op string) ([]assessment.Nomination, error) {
	var rows []nominationRow
	if err := q.Order("participant_id, relationship, name, id").Find(&rows).Error; err != nil {
		return nil, translate(err, op)
	}
	out := make([]assessment.Nomination, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// Nominations lists one leader's nominations.
func (s *Store) Nominations(ctx context.Context, orgID, participantID string) ([]assessment.Nomination, error) {
	return nominationsOf(s.inOrg(ctx, orgID).Where("participant_id = ?", participantID), "nominations of leader "+participantID)
}

// CycleNominations lists every nomination of a cycle.
func (s *Store) CycleNominations(ctx context.Context, orgID, cycleID string) ([]assessment.Nomination, error) {
	return nominationsOf(s.inOrg(ctx, orgID).Where("cycle_id = ?", cycleID), "nominations of cycle "+cycleID)
}

// ReplaceNominations deletes the leader's pending nominations and inserts
// ns; call it in a transaction.
func (s *Store) ReplaceNominations(ctx context.Context, orgID, participantID string, ns []assessment.Nomination) error {
	op := "save nominations of leader " + participantID
	if err := s.inOrg(ctx, orgID).Where("participant_id = ? AND approved_at IS NULL", participantID).
		Delete(&nominationRow{}).Error; err != nil {
		return translate(err, op)
	}
	if len(ns) == 0 {
		return nil
	}
	rows := make([]nominationRow, len(ns))
	for i := range ns {
		rows[i] = nominationToRow(&ns[i])
	}
	return translate(s.db.WithContext(ctx).Create(&rows).Error, op)
}

// AddNomination inserts one nomination.
func (s *Store) AddNomination(ctx context.Context, n *assessment.Nomination) error {
	row := nominationToRow(n)
	return translate(s.db.WithContext(ctx).Create(&row).Error, fmt.Sprintf("nominate %s", n.Email))
}

// Nomination loads one nomination of the organisation.
func (s *Store) Nomination(ctx context.Context, orgID, id string) (assessment.Nomination, error) {
	var row nominationRow
	if err := s.inOrg(ctx, orgID).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.Nomination{}, translate(err, "nomination "+id)
	}
	return row.domain(), nil
}

// DeleteNomination removes one nomination.
func (s *Store) DeleteNomination(ctx context.Context, orgID, id string) error {
	return translate(s.inOrg(ctx, orgID).Where("id = ?", id).Delete(&nominationRow{}).Error, "remove nomination "+id)
}

// ApproveNomination stamps one nomination approved.
func (s *Store) ApproveNomination(ctx context.Context, orgID, id string, at time.Time) error {
	res := s.inOrg(ctx, orgID).Model(&nominationRow{}).Where("id = ?", id).Update("approved_at", utc(at))
	return translate(res.Error, "approve nomination "+id)
}

func init() { rowStructs = append(rowStructs, nominationRow{}) }
