package store

import (
	"cmp"
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm/clause"

	"github.com/lead360/lead360/assessment"
)

// Organization loads an organisation by id.
func (s *Store) Organization(ctx context.Context, id string) (assessment.Organization, error) {
	var row organizationRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.Organization{}, translate(err, "organisation "+id)
	}
	return assessment.Organization{ID: row.ID, Name: row.Name, CreatedAt: row.CreatedAt.UTC()}, nil
}

// CreateInvitation inserts an invitation; only the token's hash and its
// sealed copy are stored.
func (s *Store) CreateInvitation(ctx context.Context, inv *assessment.Invitation, sealedToken string) error {
	ensureID(&inv.ID)
	stamp(&inv.CreatedAt)
	row := invitationRow{ID: inv.ID, OrganizationID: inv.OrganizationID, AssignmentID: inv.AssignmentID,
		TokenHash: hex.EncodeToString(inv.TokenHash), TokenSealed: sealedToken, CreatedAt: utc(inv.CreatedAt)}
	return translate(s.db.WithContext(ctx).Create(&row).Error, "create invitation")
}

// InvitationByTokenHash looks a survey link up by the hash of its token. It
// is not scoped to an organisation: the token is the capability, and the
// organisation comes from the row found.
func (s *Store) InvitationByTokenHash(ctx context.Context, hash []byte) (assessment.Invitation, error) {
	var row invitationRow
	if err := s.db.WithContext(ctx).Where("token_hash = ?", hex.EncodeToString(hash)).Take(&row).Error; err != nil {
		return assessment.Invitation{}, translate(err, "invitation")
	}
	return row.domain()
}

// RaterInvitations lists one rater's live invitations in a cycle, ordered by
// leader name then id.
func (s *Store) RaterInvitations(ctx context.Context, orgID, cycleID, personID string) ([]assessment.RaterInvitation, error) {
	op := fmt.Sprintf("invitations of %s in cycle %s", personID, cycleID)
	// The rater's assignments first (few), then which of them are in this
	// cycle: a cycle has many leaders, a rater few.
	var mine []assignmentRow
	if err := s.inOrg(ctx, orgID).Where("person_id = ?", personID).Find(&mine).Error; err != nil {
		return nil, translate(err, op)
	}
	if len(mine) == 0 {
		return nil, nil
	}
	partIDs := make([]string, len(mine))
	for i, a := range mine {
		partIDs[i] = a.ParticipantID
	}
	var parts []participantRow
	if err := s.inOrg(ctx, orgID).Where("cycle_id = ? AND id IN ?", cycleID, partIDs).Find(&parts).Error; err != nil {
		return nil, translate(err, op)
	}
	leaderOf := make(map[string]string, len(parts))
	for _, p := range parts {
		leaderOf[p.ID] = p.PersonID
	}
	var assigns []assignmentRow
	for _, a := range mine {
		if _, ok := leaderOf[a.ParticipantID]; ok {
			assigns = append(assigns, a)
		}
	}
	if len(assigns) == 0 {
		return nil, nil
	}
	assignByID := make(map[string]assignmentRow, len(assigns))
	assignIDs := make([]string, len(assigns))
	leaderIDs := make([]string, 0, len(assigns))
	for i, a := range assigns {
		assignIDs[i] = a.ID
		assignByID[a.ID] = a
		leaderIDs = append(leaderIDs, leaderOf[a.ParticipantID])
	}
	var invs []invitationRow
	if err := s.inOrg(ctx, orgID).Where("assignment_id IN ? AND revoked_at IS NULL", assignIDs).Order("id").Find(&invs).Error; err != nil {
		return nil, translate(err, op)
	}
	var submitted []responseRow
	if err := s.inOrg(ctx, orgID).Where("assignment_id IN ? AND status = ?", assignIDs, string(assessment.ResponseSubmitted)).Find(&submitted).Error; err != nil {
		return nil, translate(err, op)
	}
	isSubmitted := make(map[string]bool, len(submitted))
	for _, r := range submitted {
		isSubmitted[r.AssignmentID] = true
	}
	var leaders []personRow
	if err := s.inOrg(ctx, orgID).Where("id IN ?", leaderIDs).Find(&leaders).Error; err != nil {
		return nil, translate(err, op)
	}
	people := make(map[string]assessment.Person, len(leaders))
	for _, p := range leaders {
		people[p.ID] = p.domain()
	}
	out := make([]assessment.RaterInvitation, 0, len(invs))
	for _, row := range invs {
		inv, err := row.domain()
		if err != nil {
			return nil, err
		}
		a := assignByID[row.AssignmentID]
		out = append(out, assessment.RaterInvitation{Invitation: inv, SealedToken: row.TokenSealed, Assignment: a.domain(),
			Leader: people[leaderOf[a.ParticipantID]], Submitted: isSubmitted[a.ID]})
	}
	// Self first, then by leader name: the order a person reads best.
	sortRaterInvitations(out)
	return out, nil
}

func sortRaterInvitations(out []assessment.RaterInvitation) {
	slices.SortFunc(out, func(a, b assessment.RaterInvitation) int {
		as, bs := a.Assignment.Relationship == assessment.Self, b.Assignment.Relationship == assessment.Self
		if as != bs {
			if as {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Leader.Name, b.Leader.Name), cmp.Compare(a.Invitation.ID, b.Invitation.ID))
	})
}

// EraseSealedTokens empties the sealed tokens of the cycle's invitations,
// revoked ones included, in one statement.
func (s *Store) EraseSealedTokens(ctx context.Context, orgID, cycleID string) error {
	assignments := s.cycleAssignments(ctx, orgID, cycleID).Select("id")
	res := s.inOrg(ctx, orgID).Model(&invitationRow{}).Where("assignment_id IN (?) AND token_sealed <> ''", assignments).
		Update("token_sealed", "")
	return translate(res.Error, "erase the sealed survey links of cycle "+cycleID)
}

// MarkInvitations records an email's outcome on its invitations.
func (s *Store) MarkInvitations(ctx context.Context, orgID string, ids []string, mark assessment.InvitationMark) error {
	if len(ids) == 0 {
		return nil
	}
	at := utc(mark.At)
	var set map[string]any
	switch {
	case mark.Failure != "":
		set = map[string]any{"failed_at": at, "failure": mark.Failure}
	case mark.Mail == assessment.MailReminder:
		set = map[string]any{"reminded_at": at}
	default:
		set = map[string]any{"sent_at": at, "failed_at": nil, "failure": ""}
	}
	res := s.inOrg(ctx, orgID).Model(&invitationRow{}).Where("id IN ?", ids).Updates(set)
	return translate(res.Error, fmt.Sprintf("record %s outcome", mark.Mail))
}

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

// DueCycles lists open cycles past their close date in every organisation:
// the clock closes them, not a tenant's request, so this is the one query
// that is not scoped to an organisation.
func (s *Store) DueCycles(ctx context.Context, now time.Time) ([]assessment.Cycle, error) {
	var rows []cycleRow
	err := s.db.WithContext(ctx).Where("status = ? AND closes_at <= ?", string(assessment.StatusOpen), utc(now)).
		Order("closes_at, id").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "find cycles due to close")
	}
	out := make([]assessment.Cycle, 0, len(rows))
	for _, r := range rows {
		c, err := r.domain()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (r invitationRow) domain() (assessment.Invitation, error) {
	hash, err := hex.DecodeString(r.TokenHash)
	if err != nil {
		return assessment.Invitation{}, fmt.Errorf("invitation %s: token hash: %w", r.ID, err)
	}
	return assessment.Invitation{ID: r.ID, OrganizationID: r.OrganizationID, AssignmentID: r.AssignmentID, TokenHash: hash,
		SentAt: utcPtr(r.SentAt), RemindedAt: utcPtr(r.RemindedAt), RevokedAt: utcPtr(r.RevokedAt), FailedAt: utcPtr(r.FailedAt),
		Failure: r.Failure, CreatedAt: r.CreatedAt.UTC()}, nil
}
