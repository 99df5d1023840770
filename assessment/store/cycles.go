package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lead360/lead360/assessment"
)

// Cycles (migrations/00001): creating one, its status moves and date changes,
// and the lists of cycles (an organisation's with their counts, a person's,
// the released ones, those due to close).

type cycleRow struct {
	ID                 string
	OrganizationID     string
	InstrumentID       string
	Name               string
	OpensAt            time.Time
	ClosesAt           time.Time
	AnonymityThreshold int
	ReminderDays       string
	Status             string
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

func (cycleRow) TableName() string { return "cycles" }

func (r cycleRow) domain() (assessment.Cycle, error) {
	days, err := decodeDays(r.ReminderDays)
	if err != nil {
		return assessment.Cycle{}, err
	}
	return assessment.Cycle{
		ID: r.ID, OrganizationID: r.OrganizationID, InstrumentID: r.InstrumentID, Name: r.Name,
		OpensAt: r.OpensAt.UTC(), ClosesAt: r.ClosesAt.UTC(), AnonymityThreshold: r.AnonymityThreshold,
		ReminderDays: days, Status: assessment.CycleStatus(r.Status),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}, nil
}

func cycleToRow(c *assessment.Cycle) cycleRow {
	return cycleRow{
		ID: c.ID, OrganizationID: c.OrganizationID, InstrumentID: c.InstrumentID, Name: c.Name,
		OpensAt: utc(c.OpensAt), ClosesAt: utc(c.ClosesAt), AnonymityThreshold: c.AnonymityThreshold,
		ReminderDays: encodeDays(c.ReminderDays), Status: string(c.Status),
		CreatedAt: utc(c.CreatedAt), UpdatedAt: utc(c.UpdatedAt),
	}
}

func encodeDays(days []int) string {
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, ",")
}

func decodeDays(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	days := make([]int, len(parts))
	for i, p := range parts {
		d, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("reminder days %q: %w", s, err)
		}
		days[i] = d
	}
	return days, nil
}

// CreateCycle inserts a cycle.
func (s *Store) CreateCycle(ctx context.Context, c *assessment.Cycle) error {
	ensureID(&c.ID)
	stamp(&c.CreatedAt)
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	row := cycleToRow(c)
	return translate(s.db.WithContext(ctx).Create(&row).Error, fmt.Sprintf("create cycle %q", c.Name))
}

// Cycle loads a cycle of the organisation.
func (s *Store) Cycle(ctx context.Context, orgID, id string) (assessment.Cycle, error) {
	return s.findCycle(ctx, orgID, "id = ?", id)
}

// CycleByName loads a cycle of the organisation by name.
func (s *Store) CycleByName(ctx context.Context, orgID, name string) (assessment.Cycle, error) {
	return s.findCycle(ctx, orgID, "name = ?", name)
}

func (s *Store) findCycle(ctx context.Context, orgID, where string, arg string) (assessment.Cycle, error) {
	var row cycleRow
	if err := s.inOrg(ctx, orgID).Where(where, arg).Order("created_at").Take(&row).Error; err != nil {
		return assessment.Cycle{}, translate(err, "cycle "+arg)
	}
	return row.domain()
}

// CycleAnyOrganization loads a cycle by id in any organisation, for the
// operator CLI only (see assessment.ScoreStore).
func (s *Store) CycleAnyOrganization(ctx context.Context, id string) (assessment.Cycle, error) {
	var row cycleRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.Cycle{}, translate(err, "cycle "+id)
	}
	return row.domain()
}

// Cycles lists the organisation's cycles, newest first.
func (s *Store) Cycles(ctx context.Context, orgID string) ([]assessment.Cycle, error) {
	var rows []cycleRow
	if err := s.inOrg(ctx, orgID).Order("created_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, translate(err, "list cycles")
	}
	out := make([]assessment.Cycle, len(rows))
	for i, r := range rows {
		c, err := r.domain()
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// CycleSummaries lists the organisation's cycles with their counts: one
// query for the cycles, one for all their counts.
func (s *Store) CycleSummaries(ctx context.Context, orgID string) ([]assessment.CycleSummary, error) {
	cycles, err := s.Cycles(ctx, orgID)
	if err != nil {
		return nil, err
	}
	var counts []struct {
		CycleID   string
		Leaders   int
		Invited   int
		Submitted int
	}
	err = s.inOrg(ctx, orgID).Model(&participantRow{}).Select("cycle_id, COUNT(*) AS leaders, " +
		"COALESCE(SUM((SELECT COUNT(*) FROM rater_assignments a JOIN invitations i ON i.assignment_id = a.id " +
		"WHERE a.participant_id = participants.id AND i.revoked_at IS NULL)), 0) AS invited, " +
		"COALESCE(SUM((SELECT COUNT(*) FROM rater_assignments a JOIN responses r ON r.assignment_id = a.id " +
		"WHERE a.participant_id = participants.id AND " + countedResponseSQL + ")), 0) AS submitted").
		Group("cycle_id").Scan(&counts).Error
	if err != nil {
		return nil, translate(err, "count cycle progress")
	}
	out := make([]assessment.CycleSummary, len(cycles))
	index := make(map[string]int, len(cycles))
	for i, c := range cycles {
		out[i].Cycle = c
		index[c.ID] = i
	}
	for _, n := range counts {
		if i, ok := index[n.CycleID]; ok {
			out[i].Leaders, out[i].Invited, out[i].Submitted = n.Leaders, n.Invited, n.Submitted
		}
	}
	return out, nil
}

// ReleasedCycles lists the organisation's released cycles, the one that
// closed last first.
func (s *Store) ReleasedCycles(ctx context.Context, orgID string) ([]assessment.Cycle, error) {
	var rows []cycleRow
	err := s.inOrg(ctx, orgID).Where("status = ?", string(assessment.StatusReleased)).
		Order("closes_at DESC").Order("id DESC").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "released cycles")
	}
	out := make([]assessment.Cycle, len(rows))
	for i, r := range rows {
		c, err := r.domain()
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// PersonCycles lists the cycles that assess the person, the one that opens
// last first.
func (s *Store) PersonCycles(ctx context.Context, orgID, personID string) ([]assessment.PersonCycle, error) {
	var parts []participantRow
	if err := s.inOrg(ctx, orgID).Where("person_id = ?", personID).Find(&parts).Error; err != nil {
		return nil, translate(err, "participations of person "+personID)
	}
	if len(parts) == 0 {
		return nil, nil
	}
	byCycle := make(map[string]string, len(parts))
	ids := make([]string, len(parts))
	for i, p := range parts {
		byCycle[p.CycleID] = p.ID
		ids[i] = p.CycleID
	}
	var cycles []cycleRow
	if err := s.inOrg(ctx, orgID).Where("id IN ?", ids).Order("opens_at DESC").Order("id DESC").Find(&cycles).Error; err != nil {
		return nil, translate(err, "cycles of person "+personID)
	}
	out := make([]assessment.PersonCycle, 0, len(cycles))
	for _, r := range cycles {
		c, err := r.domain()
		if err != nil {
			return nil, err
		}
		out = append(out, assessment.PersonCycle{Cycle: c, ParticipantID: byCycle[c.ID]})
	}
	return out, nil
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

// UpdateCycleStatus is a compare-and-set on the status column.
func (s *Store) UpdateCycleStatus(ctx context.Context, orgID, id string, from, to assessment.CycleStatus, at time.Time) error {
	res := s.inOrg(ctx, orgID).Model(&cycleRow{}).Where("id = ? AND status = ?", id, string(from)).
		Updates(map[string]any{"status": string(to), "updated_at": utc(at)})
	if res.Error != nil {
		return translate(res.Error, fmt.Sprintf("move cycle %s to %s", id, to))
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeConflict, "cycle %s is no longer %s", id, from)
	}
	return nil
}

// UpdateDraftCycle saves a draft's own fields, as a compare-and-set on the
// status.
func (s *Store) UpdateDraftCycle(ctx context.Context, c *assessment.Cycle) error {
	row := cycleToRow(c)
	res := s.inOrg(ctx, c.OrganizationID).Model(&cycleRow{}).
		Where("id = ? AND status = ?", c.ID, string(assessment.StatusDraft)).
		Updates(map[string]any{"instrument_id": row.InstrumentID, "name": row.Name, "opens_at": row.OpensAt,
			"closes_at": row.ClosesAt, "anonymity_threshold": row.AnonymityThreshold,
			"reminder_days": row.ReminderDays, "updated_at": row.UpdatedAt})
	if res.Error != nil {
		return translate(res.Error, "update cycle "+c.ID)
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeConflict, "cycle %q is no longer a draft, so it was not changed", c.Name)
	}
	return nil
}

// MoveCycleStart sets an open cycle's opening date.
func (s *Store) MoveCycleStart(ctx context.Context, orgID, cycleID string, to, at time.Time) error {
	res := s.inOrg(ctx, orgID).Model(&cycleRow{}).Where("id = ? AND status = ?", cycleID, string(assessment.StatusOpen)).
		Updates(map[string]any{"opens_at": utc(to), "updated_at": utc(at)})
	if res.Error != nil {
		return translate(res.Error, fmt.Sprintf("move the opening date of cycle %s", cycleID))
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeConflict, "cycle %s is not open, so its opening date was not changed", cycleID)
	}
	return nil
}

// MoveCycleDeadline sets an open cycle's close date.
func (s *Store) MoveCycleDeadline(ctx context.Context, orgID, cycleID string, to, at time.Time) error {
	res := s.inOrg(ctx, orgID).Model(&cycleRow{}).Where("id = ? AND status = ?", cycleID, string(assessment.StatusOpen)).
		Updates(map[string]any{"closes_at": utc(to), "updated_at": utc(at)})
	if res.Error != nil {
		return translate(res.Error, fmt.Sprintf("move the close date of cycle %s", cycleID))
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeConflict, "cycle %s is no longer open, so its close date was not changed", cycleID)
	}
	return nil
}

// DeleteDraftCycle deletes a draft; the foreign keys delete its
// participants, assignments, settings and nominations with it.
func (s *Store) DeleteDraftCycle(ctx context.Context, orgID, cycleID string) error {
	res := s.inOrg(ctx, orgID).Where("id = ? AND status = ?", cycleID, string(assessment.StatusDraft)).Delete(&cycleRow{})
	if res.Error != nil {
		return translate(res.Error, "delete cycle "+cycleID)
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeConflict, "only a draft can be deleted; this cycle has been opened")
	}
	return nil
}
