package assessment

import (
	"cmp"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Organization is one tenant: every other record belongs to exactly one.
type Organization struct {
	ID        string
	Name      string
	CreatedAt time.Time
}

// Person is someone who takes part in cycles, as a leader in one and a rater
// in another. A person has no login; dashboard access is a User.
type Person struct {
	ID             string
	OrganizationID string
	Name           string
	Email          string
	Placement
	CreatedAt time.Time
}

// Placement is where a person sits in the organisation: what the
// organisation view groups and filters leaders by. Every field is optional.
type Placement struct {
	Department   string
	ManagerEmail string
	Location     string
}

// IsZero reports whether nothing is known of the placement.
func (p Placement) IsZero() bool { return p == Placement{} }

// Over is p with the fields that q gives replacing p's: an import that
// leaves a column empty keeps what was stored.
func (p Placement) Over(q Placement) Placement {
	return Placement{Department: cmp.Or(q.Department, p.Department), ManagerEmail: cmp.Or(q.ManagerEmail, p.ManagerEmail),
		Location: cmp.Or(q.Location, p.Location)}
}

// CheckPlacement trims a placement and checks it: short single lines, and a
// manager's email that is an address (stored in its plain form). Problems
// are keyed by field: department, manager_email, location.
func CheckPlacement(p Placement) (Placement, map[string]string) {
	problems := map[string]string{}
	p.Department, p.Location = strings.TrimSpace(p.Department), strings.TrimSpace(p.Location)
	for field, v := range map[string]string{"department": p.Department, "location": p.Location} {
		switch {
		case utf8.RuneCountInString(v) > 100:
			problems[field] = "Use at most 100 characters."
		case strings.ContainsAny(v, "\r\n\x00"):
			problems[field] = "Use a single line of text."
		}
	}
	if raw := strings.TrimSpace(p.ManagerEmail); raw != "" {
		a, err := ParseAddress(raw)
		if err != nil {
			problems["manager_email"] = "Enter the manager's email address, like name@example.com."
		} else {
			p.ManagerEmail = a.String()
		}
	}
	return p, problems
}

// Role is what a dashboard user may do.
type Role string

const (
	RoleAdmin  Role = "admin"
	RoleLeader Role = "leader"
)

// User is a dashboard account. Roles belong to the account: an HR admin
// who is also assessed holds both, and uses one at a time (the dashboard
// keeps the role in use in the session).
type User struct {
	ID             string
	OrganizationID string
	Email          string
	Name           string // shown in the dashboard header; may be empty
	PasswordHash   string
	// Roles are the roles the account holds, admin before leader; none
	// once an admin's role is removed (the account stays for the audit
	// log, and signs in nowhere).
	Roles     []Role
	PersonID  string // set for leaders: the person whose results they see
	CreatedAt time.Time
	// LastSignInAt is nil before the first sign-in.
	LastSignInAt *time.Time
}

// Has reports whether the account holds the role.
func (u User) Has(r Role) bool { return slices.Contains(u.Roles, r) }

// RolesOf lists the roles of the flags in their one order, admin first.
func RolesOf(admin, leader bool) []Role {
	var roles []Role
	if admin {
		roles = append(roles, RoleAdmin)
	}
	if leader {
		roles = append(roles, RoleLeader)
	}
	return roles
}

// NormalizeEmail parses an address and returns its canonical stored form, so
// that "Ana@Example.com" and "ana@example.com" are one person.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || strings.ContainsAny(s, "\r\n") {
		return "", Errorf(CodeInvalid, "%q is not an email address", s)
	}
	return strings.ToLower(addr.Address), nil
}

// ValidateName checks a person's or organisation's display name.
func ValidateName(field, name string) error {
	n := strings.TrimSpace(name)
	switch {
	case n == "":
		return &Error{Code: CodeInvalid, Message: "a name is required", Fields: map[string]string{field: "Enter a name."}}
	case utf8.RuneCountInString(n) > 200:
		return &Error{Code: CodeInvalid, Message: "the name is too long", Fields: map[string]string{field: "Use at most 200 characters."}}
	case strings.ContainsAny(n, "\r\n\x00"):
		return &Error{Code: CodeInvalid, Message: "the name has control characters", Fields: map[string]string{field: "Use a single line of text."}}
	}
	return nil
}

// compareNames orders leaders as lists show them: by name, ignoring case,
// then by participant id so that two people with one name keep one order.
func compareNames(aName, aID, bName, bID string) int {
	return cmp.Or(strings.Compare(strings.ToLower(aName), strings.ToLower(bName)), strings.Compare(aID, bID))
}
