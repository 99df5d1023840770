package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/lead360/lead360/assessment"
)

// Organisations (migrations/00001) and their settings (organization_settings,
// 00009: the email domains HR saved for its raters' addresses).

type organizationRow struct {
	ID        string
	Name      string
	CreatedAt time.Time
}

func (organizationRow) TableName() string { return "organizations" }

type organizationSettingsRow struct {
	OrganizationID string `gorm:"primaryKey"`
	EmailDomains   string
	UpdatedAt      time.Time
}

func (organizationSettingsRow) TableName() string { return "organization_settings" }

func init() { rowStructs = append(rowStructs, organizationSettingsRow{}) }

// CreateOrganization inserts a new organisation.
func (s *Store) CreateOrganization(ctx context.Context, org *assessment.Organization) error {
	ensureID(&org.ID)
	stamp(&org.CreatedAt)
	row := organizationRow{ID: org.ID, Name: org.Name, CreatedAt: utc(org.CreatedAt)}
	return translate(s.db.WithContext(ctx).Create(&row).Error, fmt.Sprintf("create organisation %q", org.Name))
}

// Organization loads an organisation by id.
func (s *Store) Organization(ctx context.Context, id string) (assessment.Organization, error) {
	var row organizationRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.Organization{}, translate(err, "organisation "+id)
	}
	return assessment.Organization{ID: row.ID, Name: row.Name, CreatedAt: row.CreatedAt.UTC()}, nil
}

// OrganizationByName finds an organisation by its unique name.
func (s *Store) OrganizationByName(ctx context.Context, name string) (assessment.Organization, error) {
	var row organizationRow
	err := s.db.WithContext(ctx).Where("name = ?", name).Take(&row).Error
	if err != nil {
		return assessment.Organization{}, translate(err, fmt.Sprintf("organisation %q", name))
	}
	return assessment.Organization{ID: row.ID, Name: row.Name, CreatedAt: row.CreatedAt.UTC()}, nil
}

// EmailDomains loads the domains HR saved.
func (s *Store) EmailDomains(ctx context.Context, orgID string) ([]string, bool, error) {
	var row organizationSettingsRow
	err := s.inOrg(ctx, orgID).Take(&row).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return nil, false, nil
	case err != nil:
		return nil, false, translate(err, "email domains")
	}
	return strings.Fields(row.EmailDomains), true, nil
}

// SaveEmailDomains inserts or replaces the organisation's domains.
func (s *Store) SaveEmailDomains(ctx context.Context, orgID string, domains []string, at time.Time) error {
	row := organizationSettingsRow{OrganizationID: orgID, EmailDomains: strings.Join(domains, "\n"), UpdatedAt: utc(at)}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "organization_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"email_domains", "updated_at"}),
	}).Create(&row).Error
	return translate(err, "save email domains")
}
