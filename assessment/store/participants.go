package store

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/lead360/lead360/assessment"
)

// A cycle's leaders and their raters: participants and rater_assignments
// (migrations/00001). Also the subqueries on their ids that other files'
// queries start from, and the roster: leaders by name, a page at a time,
// with their raters.

type participantRow struct {
	ID             string
	OrganizationID string
	CycleID        string
	PersonID       string
	CreatedAt      time.Time
}

func (participantRow) TableName() string { return "participants" }

func (r participantRow) domain() assessment.Participant {
	return assessment.Participant{ID: r.ID, OrganizationID: r.OrganizationID, CycleID: r.CycleID, PersonID: r.PersonID, CreatedAt: r.CreatedAt.UTC()}
}

type assignmentRow struct {
	ID             string
	OrganizationID string
	ParticipantID  string
	PersonID       string
	Relationship   string
	CreatedAt      time.Time
}

func (assignmentRow) TableName() string { return "rater_assignments" }

func (r assignmentRow) domain() assessment.Assignment {
	return assessment.Assignment{
		ID: r.ID, OrganizationID: r.OrganizationID, ParticipantID: r.ParticipantID, PersonID: r.PersonID,
		Relationship: assessment.Relationship(r.Relationship), CreatedAt: r.CreatedAt.UTC(),
	}
}

// cycleParticipantIDs is the subquery of a cycle's participant ids.
func (s *Store) cycleParticipantIDs(ctx context.Context, orgID, cycleID string) *gorm.DB {
	return s.inOrg(ctx, orgID).Model(&participantRow{}).Select("id").Where("cycle_id = ?", cycleID)
}

// cycleAssignments starts a query on a cycle's rater assignments.
func (s *Store) cycleAssignments(ctx context.Context, orgID, cycleID string) *gorm.DB {
	return s.assignmentsOf(ctx, orgID, s.cycleParticipantIDs(ctx, orgID, cycleID))
}

// assignmentsOf starts a query on the rater assignments of participants
// given as a subquery of their ids.
func (s *Store) assignmentsOf(ctx context.Context, orgID string, participantIDs *gorm.DB) *gorm.DB {
	return s.inOrg(ctx, orgID).Model(&assignmentRow{}).Where("participant_id IN (?)", participantIDs)
}

// cycleAssignmentIDs is the subquery of the ids of a cycle's assignments.
func (s *Store) cycleAssignmentIDs(ctx context.Context, orgID, cycleID string) *gorm.DB {
	parts := s.inOrg(ctx, orgID).Model(&participantRow{}).Select("id").Where("cycle_id = ?", cycleID)
	return s.inOrg(ctx, orgID).Model(&assignmentRow{}).Select("id").Where("participant_id IN (?)", parts)
}

// AddParticipant puts a leader into a cycle.
func (s *Store) AddParticipant(ctx context.Context, p *assessment.Participant) error {
	ensureID(&p.ID)
	stamp(&p.CreatedAt)
	row := participantRow{ID: p.ID, OrganizationID: p.OrganizationID, CycleID: p.CycleID, PersonID: p.PersonID, CreatedAt: utc(p.CreatedAt)}
	return translate(s.db.WithContext(ctx).Create(&row).Error, "add participant")
}

// Participant loads one participant of the organisation.
func (s *Store) Participant(ctx context.Context, orgID, id string) (assessment.Participant, error) {
	var row participantRow
	if err := s.inOrg(ctx, orgID).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.Participant{}, translate(err, "participant "+id)
	}
	return row.domain(), nil
}

// Participants lists the leaders of a cycle in a stable order.
func (s *Store) Participants(ctx context.Context, orgID, cycleID string) ([]assessment.Participant, error) {
	var rows []participantRow
	if err := s.inOrg(ctx, orgID).Where("cycle_id = ?", cycleID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "list participants of cycle "+cycleID)
	}
	out := make([]assessment.Participant, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// ParticipantOfPerson finds the person's participation in the cycle.
func (s *Store) ParticipantOfPerson(ctx context.Context, orgID, cycleID, personID string) (assessment.Participant, error) {
	var row participantRow
	if err := s.inOrg(ctx, orgID).Where("cycle_id = ? AND person_id = ?", cycleID, personID).Take(&row).Error; err != nil {
		return assessment.Participant{}, translate(err, "your participation in cycle "+cycleID)
	}
	return row.domain(), nil
}

// ParticipantNames lists the cycle's leaders with their names, sorted by
// participant id.
func (s *Store) ParticipantNames(ctx context.Context, orgID, cycleID string) ([]assessment.ParticipantName, error) {
	var rows []struct {
		ParticipantID string
		PersonID      string
		Name          string
		Email         string
		Department    string
		ManagerEmail  string
		Location      string
	}
	err := s.db.WithContext(ctx).Raw(`
SELECT p.id AS participant_id, pe.id AS person_id, pe.name, pe.email, pe.department, pe.manager_email, pe.location
FROM participants p
JOIN people pe ON pe.id = p.person_id AND pe.organization_id = p.organization_id
WHERE p.cycle_id = ? AND p.organization_id = ?`, cycleID, orgID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "names of the leaders of cycle "+cycleID)
	}
	out := make([]assessment.ParticipantName, len(rows))
	for i, r := range rows {
		out[i] = assessment.ParticipantName{ParticipantID: r.ParticipantID, PersonID: r.PersonID, Name: r.Name, Email: r.Email,
			Placement: assessment.Placement{Department: r.Department, ManagerEmail: r.ManagerEmail, Location: r.Location}}
	}
	slices.SortFunc(out, func(a, b assessment.ParticipantName) int { return strings.Compare(a.ParticipantID, b.ParticipantID) })
	return out, nil
}

// PreviousParticipations finds, through the person id, the cycle's leaders'
// participations in released cycles of the same organisation that closed
// before this cycle.
func (s *Store) PreviousParticipations(ctx context.Context, orgID, cycleID string) ([]assessment.PreviousParticipation, error) {
	var rows []struct {
		ParticipantID         string
		PreviousCycleID       string
		PreviousParticipantID string
		PreviousClosesAt      time.Time
	}
	err := s.db.WithContext(ctx).Raw(`
SELECT p.id AS participant_id, c2.id AS previous_cycle_id, q.id AS previous_participant_id, c2.closes_at AS previous_closes_at
FROM participants p
JOIN cycles c ON c.id = p.cycle_id AND c.organization_id = p.organization_id
JOIN participants q ON q.person_id = p.person_id AND q.organization_id = p.organization_id AND q.cycle_id <> p.cycle_id
JOIN cycles c2 ON c2.id = q.cycle_id AND c2.organization_id = p.organization_id
WHERE p.cycle_id = ? AND p.organization_id = ? AND c2.status = 'released' AND c2.closes_at < c.closes_at`, cycleID, orgID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "previous participations in cycle "+cycleID)
	}
	out := make([]assessment.PreviousParticipation, len(rows))
	for i, r := range rows {
		out[i] = assessment.PreviousParticipation{ParticipantID: r.ParticipantID, PreviousCycleID: r.PreviousCycleID,
			PreviousParticipantID: r.PreviousParticipantID, PreviousClosesAt: r.PreviousClosesAt.UTC()}
	}
	return out, nil
}

// RemoveParticipant deletes the participant's assignments, then the
// participant (explicitly, not trusting ON DELETE CASCADE to be enabled).
func (s *Store) RemoveParticipant(ctx context.Context, orgID, cycleID, participantID string) error {
	op := "remove leader " + participantID
	if err := s.inOrg(ctx, orgID).Where("participant_id = ?", participantID).Delete(&assignmentRow{}).Error; err != nil {
		return translate(err, op)
	}
	res := s.inOrg(ctx, orgID).Where("id = ? AND cycle_id = ?", participantID, cycleID).Delete(&participantRow{})
	if res.Error != nil {
		return translate(res.Error, op)
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeNotFound, "leader %s: not found", participantID)
	}
	return nil
}

// AddAssignment asks a person to rate a participant.
func (s *Store) AddAssignment(ctx context.Context, a *assessment.Assignment) error {
	ensureID(&a.ID)
	stamp(&a.CreatedAt)
	row := assignmentRow{ID: a.ID, OrganizationID: a.OrganizationID, ParticipantID: a.ParticipantID,
		PersonID: a.PersonID, Relationship: string(a.Relationship), CreatedAt: utc(a.CreatedAt)}
	return translate(s.db.WithContext(ctx).Create(&row).Error, "add rater")
}

// Assignment loads one rater assignment of the organisation.
func (s *Store) Assignment(ctx context.Context, orgID, id string) (assessment.Assignment, error) {
	var row assignmentRow
	if err := s.inOrg(ctx, orgID).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.Assignment{}, translate(err, "rater assignment "+id)
	}
	return row.domain(), nil
}

// Assignments lists the raters of a participant in a stable order.
func (s *Store) Assignments(ctx context.Context, orgID, participantID string) ([]assessment.Assignment, error) {
	var rows []assignmentRow
	if err := s.inOrg(ctx, orgID).Where("participant_id = ?", participantID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "list raters of participant "+participantID)
	}
	out := make([]assessment.Assignment, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// RemoveAssignment deletes one assignment of the participant.
func (s *Store) RemoveAssignment(ctx context.Context, orgID, participantID, assignmentID string) error {
	res := s.inOrg(ctx, orgID).Where("id = ? AND participant_id = ?", assignmentID, participantID).Delete(&assignmentRow{})
	if res.Error != nil {
		return translate(res.Error, "remove rater "+assignmentID)
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeNotFound, "rater %s: not found", assignmentID)
	}
	return nil
}

// CycleLeaders lists all of a cycle's leaders by name.
func (s *Store) CycleLeaders(ctx context.Context, orgID, cycleID string) ([]assessment.RosterLeader, error) {
	return s.leadersByName(ctx, orgID, cycleID, 0, -1)
}

// LeaderPage lists limit of a cycle's leaders after the first offset, in
// the order of CycleLeaders. The database sorts and skips, so only the
// page's rows are scanned into Go, whatever the size of the cycle.
func (s *Store) LeaderPage(ctx context.Context, orgID, cycleID string, offset, limit int) ([]assessment.RosterLeader, error) {
	return s.leadersByName(ctx, orgID, cycleID, offset, limit)
}

// leadersByName is the one query behind every list of a cycle's leaders:
// by name, email and participant id, compared byte by byte as Go compares
// strings, so a page holds the leaders the whole list has in its place.
// People are joined as a derived table without organization_id (scoped by
// its own inOrg), so the outer inOrg stays unambiguous. A negative limit
// means all.
func (s *Store) leadersByName(ctx context.Context, orgID, cycleID string, offset, limit int) ([]assessment.RosterLeader, error) {
	var rows []struct {
		ID, OrganizationID, CycleID, PersonID string
		CreatedAt                             time.Time
		LeaderName, LeaderEmail               string
		LeaderCreatedAt                       time.Time
	}
	people := s.inOrg(ctx, orgID).Model(&personRow{}).Select("id, name, email, created_at")
	err := s.inOrg(ctx, orgID).Model(&participantRow{}).Where("cycle_id = ?", cycleID).
		Joins("JOIN (?) p ON p.id = participants.person_id", people).
		Select("participants.*, p.name AS leader_name, p.email AS leader_email, p.created_at AS leader_created_at").
		Order(s.bytewise("p.name") + ", " + s.bytewise("p.email") + ", " + s.bytewise("participants.id")).
		Offset(offset).Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "leaders of cycle "+cycleID)
	}
	out := make([]assessment.RosterLeader, len(rows))
	for i, r := range rows {
		part := participantRow{ID: r.ID, OrganizationID: r.OrganizationID, CycleID: r.CycleID, PersonID: r.PersonID, CreatedAt: r.CreatedAt}
		leader := personRow{ID: r.PersonID, OrganizationID: r.OrganizationID, Name: r.LeaderName, Email: r.LeaderEmail, CreatedAt: r.LeaderCreatedAt}
		out[i] = assessment.RosterLeader{Participant: part.domain(), Leader: leader.domain()}
	}
	return out, nil
}

// LeaderCount counts a cycle's leaders.
func (s *Store) LeaderCount(ctx context.Context, orgID, cycleID string) (int, error) {
	var n int64
	if err := s.inOrg(ctx, orgID).Model(&participantRow{}).Where("cycle_id = ?", cycleID).Count(&n).Error; err != nil {
		return 0, translate(err, "count leaders of cycle "+cycleID)
	}
	return int(n), nil
}

// CycleRoster lists the leaders with their raters: four queries.
func (s *Store) CycleRoster(ctx context.Context, orgID, cycleID string) ([]assessment.RosterLeader, error) {
	op := "roster of cycle " + cycleID
	leaders, err := s.CycleLeaders(ctx, orgID, cycleID)
	if err != nil {
		return nil, err
	}
	var assigns []assignmentRow
	if err := s.cycleAssignments(ctx, orgID, cycleID).Find(&assigns).Error; err != nil {
		return nil, translate(err, op)
	}
	var people []personRow
	raterIDs := s.cycleAssignments(ctx, orgID, cycleID).Select("person_id")
	if err := s.inOrg(ctx, orgID).Where("id IN (?)", raterIDs).Find(&people).Error; err != nil {
		return nil, translate(err, op)
	}
	byID := peopleByID(people)
	index := make(map[string]int, len(leaders))
	for i, l := range leaders {
		index[l.Participant.ID] = i
	}
	for _, a := range assigns {
		if i, ok := index[a.ParticipantID]; ok {
			leaders[i].Raters = append(leaders[i].Raters, assessment.RosterRater{Assignment: a.domain(), Person: byID[a.PersonID]})
		}
	}
	for i := range leaders {
		slices.SortFunc(leaders[i].Raters, func(a, b assessment.RosterRater) int {
			return cmp.Or(relOrder(a.Assignment.Relationship)-relOrder(b.Assignment.Relationship),
				cmp.Compare(a.Person.Name, b.Person.Name), cmp.Compare(a.Assignment.ID, b.Assignment.ID))
		})
	}
	return leaders, nil
}

func relOrder(r assessment.Relationship) int { return slices.Index(assessment.Relationships, r) }
