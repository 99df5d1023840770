package store

import (
	"cmp"
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm/schema"

	"github.com/lead360/lead360/assessment"
)

// Invitations (migrations/00001, 00002): a rater's survey link, stored as the
// hash of its token and a sealed copy; the outcome of each email sent for it;
// revoking it.

type invitationRow struct {
	ID             string
	OrganizationID string
	AssignmentID   string
	TokenHash      string
	SentAt         *time.Time
	RemindedAt     *time.Time
	RevokedAt      *time.Time
	FailedAt       *time.Time
	Failure        string
	CreatedAt      time.Time
	TokenSealed    string
}

func (invitationRow) TableName() string { return "invitations" }

func (r invitationRow) domain() (assessment.Invitation, error) {
	hash, err := hex.DecodeString(r.TokenHash)
	if err != nil {
		return assessment.Invitation{}, fmt.Errorf("invitation %s: token hash: %w", r.ID, err)
	}
	return assessment.Invitation{ID: r.ID, OrganizationID: r.OrganizationID, AssignmentID: r.AssignmentID, TokenHash: hash,
		SentAt: utcPtr(r.SentAt), RemindedAt: utcPtr(r.RemindedAt), RevokedAt: utcPtr(r.RevokedAt), FailedAt: utcPtr(r.FailedAt),
		Failure: r.Failure, CreatedAt: r.CreatedAt.UTC()}, nil
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

// Invitation loads one invitation of the organisation.
func (s *Store) Invitation(ctx context.Context, orgID, id string) (assessment.Invitation, error) {
	var row invitationRow
	if err := s.inOrg(ctx, orgID).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.Invitation{}, translate(err, "invitation "+id)
	}
	return row.domain()
}

// surveyLinkRow is one row of the survey link read: each table's columns
// under a prefix of its own.
type surveyLinkRow struct {
	Invitation invitationRow `gorm:"embedded;embeddedPrefix:i_"`
	Assignment assignmentRow `gorm:"embedded;embeddedPrefix:a_"`
	Cycle      cycleRow      `gorm:"embedded;embeddedPrefix:c_"`
	Leader     personRow     `gorm:"embedded;embeddedPrefix:l_"`
}

// surveyLinkColumns is the select list of that read, from the row types'
// own columns, so a column added to one of them is read here too.
var surveyLinkColumns = sync.OnceValue(func() string {
	var cols []string
	for _, t := range []struct {
		alias string
		row   any
	}{{"i", &invitationRow{}}, {"a", &assignmentRow{}}, {"c", &cycleRow{}}, {"l", &personRow{}}} {
		sch, err := schema.Parse(t.row, &sync.Map{}, schema.NamingStrategy{})
		if err != nil {
			panic(err) // the row types are fixed at compile time
		}
		for _, f := range sch.DBNames {
			cols = append(cols, fmt.Sprintf("%s.%s AS %s_%s", t.alias, f, t.alias, f))
		}
	}
	return strings.Join(cols, ", ")
})

// SurveyLink reads a survey link's invitation, assignment, cycle and
// leader in one statement: every survey request starts here, and four
// reads one after another cost four round trips. Each join stays within
// the invitation's organisation, as inOrg would.
func (s *Store) SurveyLink(ctx context.Context, hash []byte) (assessment.SurveyLink, error) {
	var row surveyLinkRow
	err := s.db.WithContext(ctx).Table("invitations i").Select(surveyLinkColumns()).
		Joins("JOIN rater_assignments a ON a.id = i.assignment_id AND a.organization_id = i.organization_id").
		Joins("JOIN participants p ON p.id = a.participant_id AND p.organization_id = i.organization_id").
		Joins("JOIN cycles c ON c.id = p.cycle_id AND c.organization_id = i.organization_id").
		Joins("JOIN people l ON l.id = p.person_id AND l.organization_id = i.organization_id").
		Where("i.token_hash = ?", hex.EncodeToString(hash)).Take(&row).Error
	if err != nil {
		return assessment.SurveyLink{}, translate(err, "invitation")
	}
	inv, err := row.Invitation.domain()
	if err != nil {
		return assessment.SurveyLink{}, err
	}
	c, err := row.Cycle.domain()
	if err != nil {
		return assessment.SurveyLink{}, err
	}
	return assessment.SurveyLink{Invitation: inv, Assignment: row.Assignment.domain(), Cycle: c, Leader: row.Leader.domain()}, nil
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

// RevokeLiveInvitations revokes the assignment's live invitation, if any.
func (s *Store) RevokeLiveInvitations(ctx context.Context, orgID, assignmentID string, at time.Time) error {
	res := s.inOrg(ctx, orgID).Model(&invitationRow{}).Where("assignment_id = ? AND revoked_at IS NULL", assignmentID).
		Update("revoked_at", utc(at))
	return translate(res.Error, "revoke the links of assignment "+assignmentID)
}

// EraseSealedTokens empties the sealed tokens of the cycle's invitations,
// revoked ones included, in one statement.
func (s *Store) EraseSealedTokens(ctx context.Context, orgID, cycleID string) error {
	assignments := s.cycleAssignments(ctx, orgID, cycleID).Select("id")
	res := s.inOrg(ctx, orgID).Model(&invitationRow{}).Where("assignment_id IN (?) AND token_sealed <> ''", assignments).
		Update("token_sealed", "")
	return translate(res.Error, "erase the sealed survey links of cycle "+cycleID)
}
