package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/lead360/lead360/assessment"
)

// Nominations (migrations/00007): the raters proposed for a leader, by the
// leader or by an admin, pending until approved.

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
