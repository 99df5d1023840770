package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/lead360/lead360/assessment"
)

// The organisation's contact (organization_contacts, migrations/00017): who
// every email names under "Questions?" and replies go to. No row: none set.

type organizationContactRow struct {
	OrganizationID string `gorm:"primaryKey"`
	Name           string
	Email          string
	UpdatedAt      time.Time
}

func (organizationContactRow) TableName() string { return "organization_contacts" }

func init() { rowStructs = append(rowStructs, organizationContactRow{}) }

// OrgContact loads the organisation's contact, or the zero contact.
func (s *Store) OrgContact(ctx context.Context, orgID string) (assessment.OrgContact, error) {
	var rows []organizationContactRow
	if err := s.inOrg(ctx, orgID).Limit(1).Find(&rows).Error; err != nil {
		return assessment.OrgContact{}, translate(err, "contact of organisation "+orgID)
	}
	if len(rows) == 0 {
		return assessment.OrgContact{}, nil
	}
	return assessment.OrgContact{Name: rows[0].Name, Email: rows[0].Email}, nil
}

// SaveOrgContact inserts or replaces the contact; the zero contact deletes
// it.
func (s *Store) SaveOrgContact(ctx context.Context, orgID string, c assessment.OrgContact, at time.Time) error {
	if c.IsZero() {
		return translate(s.inOrg(ctx, orgID).Delete(&organizationContactRow{}).Error, "remove the contact")
	}
	row := organizationContactRow{OrganizationID: orgID, Name: c.Name, Email: c.Email, UpdatedAt: utc(at)}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "organization_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"name", "email", "updated_at"}),
	}).Create(&row).Error
	return translate(err, "save the contact")
}
