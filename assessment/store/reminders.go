package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// Reminders sent (reminders_sent, migrations/00002, 00005): one claim per
// cycle, reminder round and person, so that a reminder goes out once however
// many processes try.

type reminderSentRow struct {
	CycleID        string `gorm:"primaryKey"`
	ReminderIndex  int    `gorm:"primaryKey"`
	PersonID       string `gorm:"primaryKey"`
	OrganizationID string
	MessageID      string
	ClaimedAt      time.Time
}

func (reminderSentRow) TableName() string { return "reminders_sent" }

// ClaimReminder inserts the claim unless one exists (a conditional insert,
// safe on both engines and inside a PostgreSQL transaction), then reports
// whether the stored claim is messageID's.
func (s *Store) ClaimReminder(ctx context.Context, orgID, cycleID string, index int, personID, messageID string, at time.Time) (bool, error) {
	row := reminderSentRow{CycleID: cycleID, ReminderIndex: index, PersonID: personID, OrganizationID: orgID,
		MessageID: messageID, ClaimedAt: utc(at)}
	op := fmt.Sprintf("claim reminder %d for %s", index, personID)
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return false, translate(err, op)
	}
	var stored reminderSentRow
	err := s.inOrg(ctx, orgID).Where("cycle_id = ? AND reminder_index = ? AND person_id = ?", cycleID, index, personID).Take(&stored).Error
	if err != nil {
		return false, translate(err, op)
	}
	return stored.MessageID == messageID, nil
}
