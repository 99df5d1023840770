package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/lead360/lead360/assessment"
)

// The rules about raters (migrations/00009): an organisation's email
// domains, and responses HR excluded.

type organizationSettingsRow struct {
	OrganizationID string `gorm:"primaryKey"`
	EmailDomains   string
	UpdatedAt      time.Time
}

func (organizationSettingsRow) TableName() string { return "organization_settings" }

// countedResponseSQL is the condition on a response (alias r) that makes
// its answers count: submitted and not excluded. Every query that feeds a
// figure uses it (constant SQL, no input).
const countedResponseSQL = "r.status = 'submitted' AND r.excluded_at IS NULL"

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

// StaffAddresses lists the admins' addresses and the cycles' leaders'.
func (s *Store) StaffAddresses(ctx context.Context, orgID string) ([]string, error) {
	var admins, leaders []string
	if err := s.inOrg(ctx, orgID).Model(&userRow{}).Where("role = ?", string(assessment.RoleAdmin)).
		Distinct().Pluck("email", &admins).Error; err != nil {
		return nil, translate(err, "admins' addresses")
	}
	lead := s.inOrg(ctx, orgID).Model(&participantRow{}).Select("person_id")
	if err := s.inOrg(ctx, orgID).Model(&personRow{}).Where("id IN (?)", lead).
		Distinct().Pluck("email", &leaders).Error; err != nil {
		return nil, translate(err, "leaders' addresses")
	}
	return append(admins, leaders...), nil
}

// PersonAddresses lists each person's own address and their accounts'.
func (s *Store) PersonAddresses(ctx context.Context, orgID string, personIDs []string) (map[string][]string, error) {
	out := make(map[string][]string, len(personIDs))
	for batch := range slices.Chunk(personIDs, 1000) {
		var people []personRow
		if err := s.inOrg(ctx, orgID).Where("id IN ?", batch).Find(&people).Error; err != nil {
			return nil, translate(err, "addresses of people")
		}
		for _, p := range people {
			out[p.ID] = append(out[p.ID], p.Email)
		}
		var users []userRow
		if err := s.inOrg(ctx, orgID).Where("person_id IN ?", batch).Find(&users).Error; err != nil {
			return nil, translate(err, "accounts of people")
		}
		for _, u := range users {
			if id := *u.PersonID; !slices.Contains(out[id], u.Email) {
				out[id] = append(out[id], u.Email)
			}
		}
	}
	return out, nil
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

// RevokeLiveInvitations revokes the assignment's live invitation, if any.
func (s *Store) RevokeLiveInvitations(ctx context.Context, orgID, assignmentID string, at time.Time) error {
	res := s.inOrg(ctx, orgID).Model(&invitationRow{}).Where("assignment_id = ? AND revoked_at IS NULL", assignmentID).
		Update("revoked_at", utc(at))
	return translate(res.Error, "revoke the links of assignment "+assignmentID)
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

// MarkExclusionsSeen stamps the cycle's excluded responses not seen yet.
func (s *Store) MarkExclusionsSeen(ctx context.Context, orgID, cycleID string, at time.Time) error {
	res := s.inOrg(ctx, orgID).Model(&responseRow{}).
		Where("excluded_at IS NOT NULL AND exclusion_seen_at IS NULL AND assignment_id IN (?)", s.cycleAssignmentIDs(ctx, orgID, cycleID)).
		Update("exclusion_seen_at", utc(at))
	return translate(res.Error, fmt.Sprintf("confirm the exclusions of cycle %s", cycleID))
}

func init() { rowStructs = append(rowStructs, organizationSettingsRow{}) }
