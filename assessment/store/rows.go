package store

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lead360/lead360/assessment"
)

// Row structs mirror the tables of migrations/ one to one; a test compares
// them with the migrated schema on both engines. Converters keep GORM types
// out of the domain.

type organizationRow struct {
	ID        string
	Name      string
	CreatedAt time.Time
}

func (organizationRow) TableName() string { return "organizations" }

type personRow struct {
	ID             string
	OrganizationID string
	Name           string
	Email          string
	Department     string
	ManagerEmail   string
	Location       string
	CreatedAt      time.Time
}

func (personRow) TableName() string { return "people" }

type userRow struct {
	ID             string
	OrganizationID string
	Email          string
	Name           string
	PasswordHash   string
	Role           string
	PersonID       *string
	CreatedAt      time.Time
}

func (userRow) TableName() string { return "users" }

type instrumentRow struct {
	ID             string
	OrganizationID *string
	Key            string
	Version        int
	Name           string
	Definition     string
	ContentHash    string
	CreatedAt      time.Time
}

func (instrumentRow) TableName() string { return "instruments" }

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

type participantRow struct {
	ID             string
	OrganizationID string
	CycleID        string
	PersonID       string
	CreatedAt      time.Time
}

func (participantRow) TableName() string { return "participants" }

type assignmentRow struct {
	ID             string
	OrganizationID string
	ParticipantID  string
	PersonID       string
	Relationship   string
	CreatedAt      time.Time
}

func (assignmentRow) TableName() string { return "rater_assignments" }

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

type responseRow struct {
	ID             string
	OrganizationID string
	AssignmentID   string
	Status         string
	Version        int
	SubmittedAt    *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// ExcludedAt and ExclusionSeenAt are HR's (raters.go); a survey save
	// never writes them.
	ExcludedAt      *time.Time
	ExclusionSeenAt *time.Time
}

func (responseRow) TableName() string { return "responses" }

type answerRow struct {
	ResponseID string `gorm:"primaryKey"`
	ItemKey    string `gorm:"primaryKey"`
	Value      *int
}

func (answerRow) TableName() string { return "answers" }

type commentRow struct {
	ResponseID  string `gorm:"primaryKey"`
	QuestionKey string `gorm:"primaryKey"`
	Body        string
}

func (commentRow) TableName() string { return "comments" }

// rowStructs lists every row type, for the schema test.
var rowStructs = []any{
	organizationRow{}, personRow{}, userRow{}, instrumentRow{}, cycleRow{},
	participantRow{}, assignmentRow{}, invitationRow{}, responseRow{}, answerRow{}, commentRow{},
	reminderSentRow{},
}

// utc makes every stored time UTC: TIMESTAMP columns carry no zone, and both
// engines must read back the instant that was written.
func utc(t time.Time) time.Time { return t.UTC() }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
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

func (r instrumentRow) domain() (assessment.Instrument, error) {
	var in assessment.Instrument
	if err := json.Unmarshal([]byte(r.Definition), &in); err != nil {
		return assessment.Instrument{}, fmt.Errorf("decode instrument %s: %w", r.ID, err)
	}
	in.ID = r.ID
	return in, nil
}

func (r userRow) domain() assessment.User {
	return assessment.User{
		ID: r.ID, OrganizationID: r.OrganizationID, Email: r.Email, Name: r.Name, PasswordHash: r.PasswordHash,
		Role: assessment.Role(r.Role), PersonID: deref(r.PersonID), CreatedAt: r.CreatedAt.UTC(),
	}
}

func (r personRow) domain() assessment.Person {
	return assessment.Person{ID: r.ID, OrganizationID: r.OrganizationID, Name: r.Name, Email: r.Email, CreatedAt: r.CreatedAt.UTC(),
		Placement: assessment.Placement{Department: r.Department, ManagerEmail: r.ManagerEmail, Location: r.Location}}
}

func (r participantRow) domain() assessment.Participant {
	return assessment.Participant{ID: r.ID, OrganizationID: r.OrganizationID, CycleID: r.CycleID, PersonID: r.PersonID, CreatedAt: r.CreatedAt.UTC()}
}

func (r assignmentRow) domain() assessment.Assignment {
	return assessment.Assignment{
		ID: r.ID, OrganizationID: r.OrganizationID, ParticipantID: r.ParticipantID, PersonID: r.PersonID,
		Relationship: assessment.Relationship(r.Relationship), CreatedAt: r.CreatedAt.UTC(),
	}
}

// Score snapshots (migrations/00003; queries in scores.go).

type scoreSnapshotRow struct {
	ID                string
	OrganizationID    string
	CycleID           string
	EngineVersion     string
	InstrumentKey     string
	InstrumentVersion int
	InputHash         string
	Result            string
	CreatedAt         time.Time
	Version           int
}

func (scoreSnapshotRow) TableName() string { return "score_snapshots" }

type scoreSnapshotLeaderRow struct {
	SnapshotID    string `gorm:"primaryKey"`
	ParticipantID string `gorm:"primaryKey"`
	Result        string
}

func (scoreSnapshotLeaderRow) TableName() string { return "score_snapshot_leaders" }

func init() { rowStructs = append(rowStructs, scoreSnapshotRow{}, scoreSnapshotLeaderRow{}) }
