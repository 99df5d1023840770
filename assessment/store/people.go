package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/lead360/lead360/assessment"
)

// People (migrations/00001): everyone a cycle names, leaders and raters, one
// row per address in an organisation; and the addresses the rater rules
// compare, a person's own and their accounts'.

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

func (r personRow) domain() assessment.Person {
	return assessment.Person{ID: r.ID, OrganizationID: r.OrganizationID, Name: r.Name, Email: r.Email, CreatedAt: r.CreatedAt.UTC(),
		Placement: assessment.Placement{Department: r.Department, ManagerEmail: r.ManagerEmail, Location: r.Location}}
}

func personRowOf(p assessment.Person) personRow {
	return personRow{ID: p.ID, OrganizationID: p.OrganizationID, Name: p.Name, Email: p.Email, CreatedAt: utc(p.CreatedAt),
		Department: p.Department, ManagerEmail: p.ManagerEmail, Location: p.Location}
}

func peopleByID(rows []personRow) map[string]assessment.Person {
	out := make(map[string]assessment.Person, len(rows))
	for _, p := range rows {
		out[p.ID] = p.domain()
	}
	return out
}

// SavePerson inserts p or adopts the id of the person with the same email.
func (s *Store) SavePerson(ctx context.Context, p *assessment.Person) error {
	var existing personRow
	err := s.inOrg(ctx, p.OrganizationID).Where("email = ?", p.Email).Take(&existing).Error
	if err == nil {
		*p = existing.domain()
		return nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return translate(err, "find person")
	}
	ensureID(&p.ID)
	stamp(&p.CreatedAt)
	row := personRowOf(*p)
	return translate(s.db.WithContext(ctx).Create(&row).Error, fmt.Sprintf("save person %s", p.Email))
}

// CreatePerson inserts a new person; the table's unique address per
// organisation makes a second one a conflict.
func (s *Store) CreatePerson(ctx context.Context, p *assessment.Person) error {
	ensureID(&p.ID)
	stamp(&p.CreatedAt)
	row := personRowOf(*p)
	return translate(s.db.WithContext(ctx).Create(&row).Error, "add person")
}

// UpdatePerson stores a person's name and placement.
func (s *Store) UpdatePerson(ctx context.Context, p assessment.Person) error {
	res := s.inOrg(ctx, p.OrganizationID).Model(&personRow{}).Where("id = ?", p.ID).
		Updates(map[string]any{"name": p.Name, "department": p.Department, "manager_email": p.ManagerEmail, "location": p.Location})
	if res.Error != nil {
		return translate(res.Error, "change person "+p.ID)
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeNotFound, "no person %s", p.ID)
	}
	return nil
}

// PeoplePage lists a page of the organisation's people in id order, after
// q.After: the index on the primary key finds the page's start whatever
// the directory's size.
func (s *Store) PeoplePage(ctx context.Context, orgID string, q assessment.PeopleQuery) ([]assessment.Person, error) {
	db := s.inOrg(ctx, orgID)
	if q.After != "" {
		db = db.Where("id > ?", q.After)
	}
	if q.Email != "" {
		db = db.Where("email = ?", q.Email)
	}
	var rows []personRow
	if err := db.Order("id").Limit(q.Limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "list people")
	}
	out := make([]assessment.Person, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// Person loads one person of the organisation.
func (s *Store) Person(ctx context.Context, orgID, id string) (assessment.Person, error) {
	var row personRow
	if err := s.inOrg(ctx, orgID).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.Person{}, translate(err, "person "+id)
	}
	return row.domain(), nil
}

// PeopleByEmail finds people by address, in batches that stay under both
// engines' limits on bound parameters.
func (s *Store) PeopleByEmail(ctx context.Context, orgID string, emails []string) (map[string]assessment.Person, error) {
	out := make(map[string]assessment.Person, len(emails))
	for batch := range slices.Chunk(emails, 1000) {
		var rows []personRow
		if err := s.inOrg(ctx, orgID).Where("email IN ?", batch).Find(&rows).Error; err != nil {
			return nil, translate(err, "find people by email")
		}
		for _, p := range rows {
			out[p.Email] = p.domain()
		}
	}
	return out, nil
}

// PersonAddresses lists each person's own address and their accounts'.
func (s *Store) PersonAddresses(ctx context.Context, orgID string, personIDs []string) (map[string][]string, error) {
	out := make(map[string][]string, len(personIDs))
	for batch := range slices.Chunk(personIDs, 1000) {
		var people []personRow
		if err := s.inOrg(ctx, orgID).Where("id IN ?", batch).Find(&people).Error; err != nil {
			return nil, translate(err, "addresses of people")
		}
		for _, p := range people {
			out[p.ID] = append(out[p.ID], p.Email)
		}
		var users []userRow
		if err := s.inOrg(ctx, orgID).Where("person_id IN ?", batch).Find(&users).Error; err != nil {
			return nil, translate(err, "accounts of people")
		}
		for _, u := range users {
			if id := *u.PersonID; !slices.Contains(out[id], u.Email) {
				out[id] = append(out[id], u.Email)
			}
		}
	}
	return out, nil
}

// StaffAddresses lists the admins' addresses and the cycles' leaders'.
func (s *Store) StaffAddresses(ctx context.Context, orgID string) ([]string, error) {
	var admins, leaders []string
	if err := s.inOrg(ctx, orgID).Model(&userRow{}).Where("admin = ?", true).
		Distinct().Pluck("email", &admins).Error; err != nil {
		return nil, translate(err, "admins' addresses")
	}
	lead := s.inOrg(ctx, orgID).Model(&participantRow{}).Select("person_id")
	if err := s.inOrg(ctx, orgID).Model(&personRow{}).Where("id IN (?)", lead).
		Distinct().Pluck("email", &leaders).Error; err != nil {
		return nil, translate(err, "leaders' addresses")
	}
	return append(admins, leaders...), nil
}

// SetPlacement stores where a person of the organisation sits.
func (s *Store) SetPlacement(ctx context.Context, orgID, personID string, p assessment.Placement) error {
	res := s.inOrg(ctx, orgID).Model(&personRow{}).Where("id = ?", personID).
		Updates(map[string]any{"department": p.Department, "manager_email": p.ManagerEmail, "location": p.Location})
	if res.Error != nil {
		return translate(res.Error, "set placement of person "+personID)
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeNotFound, "no person %s", personID)
	}
	return nil
}
