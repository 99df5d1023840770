package assessment

import (
	"fmt"
	"strings"
	"time"
)

// MinAnonymityThreshold is the smallest group that may be shown on its own.
// Below three, a rater can often be identified by elimination.
const MinAnonymityThreshold = 3

// CycleStatus is where a cycle is in its life.
type CycleStatus string

const (
	StatusDraft    CycleStatus = "draft"
	StatusOpen     CycleStatus = "open"
	StatusClosed   CycleStatus = "closed"
	StatusReleased CycleStatus = "released"
)

// transitions lists the only moves a cycle may make. Results exist only after
// close, so there is no way back from closed to open that would let a leader
// watch numbers move.
var transitions = map[CycleStatus][]CycleStatus{
	StatusDraft:  {StatusOpen},
	StatusOpen:   {StatusClosed},
	StatusClosed: {StatusReleased},
}

// Cycle is one round of 360 assessments in an organisation.
type Cycle struct {
	ID                 string
	OrganizationID     string
	InstrumentID       string
	Name               string
	OpensAt            time.Time
	ClosesAt           time.Time
	AnonymityThreshold int
	// ReminderDays are offsets in days: positive after opening, negative
	// before closing.
	ReminderDays []int
	Status       CycleStatus
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// DefaultReminderDays: three days after opening, two days and one day before
// the close date.
var DefaultReminderDays = []int{3, -2, -1}

// MaxReminders caps reminders: more than three makes people stop reading them.
const MaxReminders = 3

// Validate checks the cycle's own fields.
func (c *Cycle) Validate() error {
	f := fieldErrors{}
	if err := ValidateName("name", c.Name); err != nil {
		f.add("name", err.(*Error).Fields["name"])
	}
	if c.InstrumentID == "" {
		f.add("instrument", "Choose an instrument.")
	}
	if c.OpensAt.IsZero() {
		f.add("opens_at", "Enter the date the cycle opens.")
	}
	if c.ClosesAt.IsZero() {
		f.add("closes_at", "Enter the date the cycle closes.")
	} else if !c.ClosesAt.After(c.OpensAt) {
		f.add("closes_at", "The cycle must close after it opens.")
	}
	if c.AnonymityThreshold < MinAnonymityThreshold {
		f.add("anonymity_threshold", fmt.Sprintf("The anonymity threshold must be at least %d.", MinAnonymityThreshold))
	}
	if len(c.ReminderDays) > MaxReminders {
		f.add("reminders", fmt.Sprintf("Use at most %d reminders.", MaxReminders))
	}
	for _, d := range c.ReminderDays {
		if d == 0 {
			f.add("reminders", "A reminder is a number of days after opening (3) or before closing (-2), not 0.")
		}
	}
	switch c.Status {
	case StatusDraft, StatusOpen, StatusClosed, StatusReleased:
	default:
		f.add("status", fmt.Sprintf("unknown status %q", c.Status))
	}
	return f.err("the cycle is not valid")
}

// CanMoveTo reports whether the cycle may go from its status to next.
func (c *Cycle) CanMoveTo(next CycleStatus) bool {
	for _, s := range transitions[c.Status] {
		if s == next {
			return true
		}
	}
	return false
}

// MoveTo changes the status or explains why it cannot.
func (c *Cycle) MoveTo(next CycleStatus, now time.Time) error {
	if !c.CanMoveTo(next) {
		allowed := make([]string, 0, 1)
		for _, s := range transitions[c.Status] {
			allowed = append(allowed, string(s))
		}
		hint := "it cannot change any more"
		if len(allowed) > 0 {
			hint = "it can only become " + strings.Join(allowed, " or ")
		}
		return Errorf(CodeConflict, "cycle %q is %s; %s", c.Name, c.Status, hint)
	}
	c.Status = next
	c.UpdatedAt = now
	return nil
}

// AcceptsAnswers reports whether raters may still save or submit.
func (c *Cycle) AcceptsAnswers(now time.Time) bool {
	return c.Status == StatusOpen && now.Before(c.ClosesAt)
}

// ReminderTimes are the moments reminders go out, in schedule order,
// keeping only those strictly between opening and closing.
func (c *Cycle) ReminderTimes() []time.Time {
	var out []time.Time
	for _, d := range c.ReminderDays {
		var t time.Time
		if d > 0 {
			t = c.OpensAt.AddDate(0, 0, d)
		} else {
			t = c.ClosesAt.AddDate(0, 0, d)
		}
		if t.After(c.OpensAt) && t.Before(c.ClosesAt) {
			out = append(out, t)
		}
	}
	return out
}

// Participant is a leader assessed in a cycle.
type Participant struct {
	ID             string
	OrganizationID string
	CycleID        string
	PersonID       string
	CreatedAt      time.Time
}

// Assignment says that a person rates a participant in a relationship. It is
// the "who was asked" half; what they said lives in Response.
type Assignment struct {
	ID             string
	OrganizationID string
	ParticipantID  string
	PersonID       string
	Relationship   Relationship
	CreatedAt      time.Time
}

// Invitation is the emailed link for one assignment. Only the SHA-256 of the
// token is stored, so a database dump opens no survey.
type Invitation struct {
	ID             string
	OrganizationID string
	AssignmentID   string
	TokenHash      []byte
	SentAt         *time.Time
	RemindedAt     *time.Time
	RevokedAt      *time.Time
	FailedAt       *time.Time
	Failure        string
	CreatedAt      time.Time
}
