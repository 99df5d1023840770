package store

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm/clause"

	"github.com/lead360/lead360/assessment"
)

// A cycle's settings (cycle_settings and cycle_group_limits, migrations/00005):
// whether leaders nominate, the cap on raters, the reminder rounds sent, and
// the minimum and maximum raters per group. A cycle without a row has the
// defaults.

type cycleSettingsRow struct {
	CycleID         string `gorm:"primaryKey"`
	OrganizationID  string
	LeadersNominate bool
	RaterCap        int
	ReminderRounds  int
	UpdatedAt       time.Time
}

func (cycleSettingsRow) TableName() string { return "cycle_settings" }

type cycleGroupLimitRow struct {
	CycleID        string `gorm:"primaryKey"`
	Relationship   string `gorm:"primaryKey"`
	OrganizationID string
	MinRaters      int
	MaxRaters      int
}

func (cycleGroupLimitRow) TableName() string { return "cycle_group_limits" }

func init() { rowStructs = append(rowStructs, cycleSettingsRow{}, cycleGroupLimitRow{}) }

// CycleSettings loads the settings, or the defaults when none are stored.
func (s *Store) CycleSettings(ctx context.Context, orgID, cycleID string) (assessment.CycleSettings, error) {
	out := assessment.DefaultCycleSettings(orgID, cycleID)
	var rows []cycleSettingsRow
	if err := s.inOrg(ctx, orgID).Where("cycle_id = ?", cycleID).Limit(1).Find(&rows).Error; err != nil {
		return out, translate(err, "settings of cycle "+cycleID)
	}
	if len(rows) == 1 {
		out.LeadersNominate, out.RaterCap, out.ReminderRounds = rows[0].LeadersNominate, rows[0].RaterCap, rows[0].ReminderRounds
	}
	var limits []cycleGroupLimitRow
	if err := s.inOrg(ctx, orgID).Where("cycle_id = ?", cycleID).Find(&limits).Error; err != nil {
		return out, translate(err, "group limits of cycle "+cycleID)
	}
	for _, l := range limits {
		out.GroupLimits = append(out.GroupLimits, assessment.GroupLimit{Relationship: assessment.Relationship(l.Relationship), Min: l.MinRaters, Max: l.MaxRaters})
	}
	order := func(r assessment.Relationship) int { return slices.Index(assessment.Relationships, r) }
	slices.SortFunc(out.GroupLimits, func(a, b assessment.GroupLimit) int { return order(a.Relationship) - order(b.Relationship) })
	return out, nil
}

// SaveCycleSettings upserts the settings and replaces the group limits.
func (s *Store) SaveCycleSettings(ctx context.Context, cs *assessment.CycleSettings, at time.Time) error {
	op := "save settings of cycle " + cs.CycleID
	row := cycleSettingsRow{CycleID: cs.CycleID, OrganizationID: cs.OrganizationID, LeadersNominate: cs.LeadersNominate,
		RaterCap: cs.RaterCap, ReminderRounds: cs.ReminderRounds, UpdatedAt: utc(at)}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "cycle_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"leaders_nominate", "rater_cap", "reminder_rounds", "updated_at"})}).
		Create(&row).Error
	if err != nil {
		return translate(err, op)
	}
	if err := s.inOrg(ctx, cs.OrganizationID).Where("cycle_id = ?", cs.CycleID).Delete(&cycleGroupLimitRow{}).Error; err != nil {
		return translate(err, op)
	}
	if len(cs.GroupLimits) == 0 {
		return nil
	}
	limits := make([]cycleGroupLimitRow, len(cs.GroupLimits))
	for i, l := range cs.GroupLimits {
		limits[i] = cycleGroupLimitRow{CycleID: cs.CycleID, Relationship: string(l.Relationship), OrganizationID: cs.OrganizationID,
			MinRaters: l.Min, MaxRaters: l.Max}
	}
	return translate(s.db.WithContext(ctx).Create(&limits).Error, op)
}

// AdvanceReminderRounds is a compare-and-set on reminder_rounds; a cycle
// without a settings row gets one with the defaults first.
func (s *Store) AdvanceReminderRounds(ctx context.Context, orgID, cycleID string, from, to int, at time.Time) error {
	op := "count reminder rounds of cycle " + cycleID
	def := assessment.DefaultCycleSettings(orgID, cycleID)
	row := cycleSettingsRow{CycleID: cycleID, OrganizationID: orgID, RaterCap: def.RaterCap, UpdatedAt: utc(at)}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return translate(err, op)
	}
	res := s.inOrg(ctx, orgID).Model(&cycleSettingsRow{}).Where("cycle_id = ? AND reminder_rounds = ?", cycleID, from).
		Updates(map[string]any{"reminder_rounds": to, "updated_at": utc(at)})
	if res.Error != nil {
		return translate(res.Error, op)
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeConflict, "a reminder was sent from another page a moment ago; nothing more was sent")
	}
	return nil
}
