package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/lead360/lead360/assessment"
)

// Leaders asked to nominate their raters (nomination_calls and
// nomination_invites, migrations/00017): the draft cycles whose leaders HR
// asked, and each leader asked, once.

type nominationCallRow struct {
	CycleID        string `gorm:"primaryKey"`
	OrganizationID string
	CalledAt       time.Time
}

func (nominationCallRow) TableName() string { return "nomination_calls" }

type nominationInviteRow struct {
	ParticipantID  string `gorm:"primaryKey"`
	OrganizationID string
	CycleID        string
	InvitedAt      time.Time
}

func (nominationInviteRow) TableName() string { return "nomination_invites" }

func init() { rowStructs = append(rowStructs, nominationCallRow{}, nominationInviteRow{}) }

// CallNominations records the call, keeping the first one.
func (s *Store) CallNominations(ctx context.Context, orgID, cycleID string, at time.Time) error {
	row := nominationCallRow{CycleID: cycleID, OrganizationID: orgID, CalledAt: utc(at)}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
	return translate(err, "ask the leaders of cycle "+cycleID+" to nominate")
}

// NominationsCalled reports whether the cycle's leaders were asked.
func (s *Store) NominationsCalled(ctx context.Context, orgID, cycleID string) (bool, error) {
	var n int64
	err := s.inOrg(ctx, orgID).Model(&nominationCallRow{}).Where("cycle_id = ?", cycleID).Count(&n).Error
	return n > 0, translate(err, "nomination call of cycle "+cycleID)
}

// ClaimNominationInvite inserts the leader's row unless it exists. ON
// CONFLICT DO NOTHING rather than a duplicate-key error: on PostgreSQL a
// failed statement would abort the transaction, and a rival transaction's
// insert waits for it and then does nothing.
func (s *Store) ClaimNominationInvite(ctx context.Context, p assessment.Participant, at time.Time) (bool, error) {
	row := nominationInviteRow{ParticipantID: p.ID, OrganizationID: p.OrganizationID, CycleID: p.CycleID, InvitedAt: utc(at)}
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return false, translate(res.Error, "ask leader "+p.ID+" to nominate")
	}
	return res.RowsAffected == 1, nil
}
