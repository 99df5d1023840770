package assessment

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"
)

// The organisation's people as a directory: listed, looked up, added and
// changed one at a time (the API's /people). A person added here is the
// one a cycle later names by the same address, so HR can load names and
// placements from an HR system before any cycle exists.

// Audit actions of the directory's changes.
const (
	ActionPersonCreate = "person.create"
	ActionPersonUpdate = "person.update"
)

// PeopleQuery is one page of the directory: up to Limit people after the
// one with id After ("" from the start), in id order, only the one with
// the address Email when it is given.
type PeopleQuery struct {
	Email string
	After string
	Limit int
}

// PersonChange is what a change of a person gives; a nil field stays as
// stored. The address is who the person is, so it does not change.
type PersonChange struct {
	Name, Department, ManagerEmail, Location *string
}

// PeopleStore is the persistence of the directory (people.go has the
// rest of the people table's).
type PeopleStore interface {
	// PeoplePage lists a page of the organisation's people (PeopleQuery).
	PeoplePage(ctx context.Context, orgID string, q PeopleQuery) ([]Person, error)
	// CreatePerson inserts a new person; an address the organisation
	// already has is a CodeConflict error.
	CreatePerson(ctx context.Context, p *Person) error
	// UpdatePerson stores a person's name and placement.
	UpdatePerson(ctx context.Context, p Person) error
}

// personOf is the person an admin's input describes, checked as every
// form that adds a person checks it: the address in its stored form
// (addressBook.parse), the name and the placement (CheckPlacement). Every
// problem is reported at once, led by the first in that order.
func personOf(book *addressBook, in PersonInput, now time.Time) (Person, error) {
	p := Person{OrganizationID: book.orgID, CreatedAt: now}
	addr, addrErr := book.parse(in.Email)
	if addrErr == nil {
		p.Email = addr.String()
	}
	p, err := placed(p, in.Name, in.Placement)
	if addrErr == nil {
		return p, err
	}
	wrong := &Error{Code: CodeInvalid, Message: addressField(addrErr), Fields: map[string]string{"email": addressField(addrErr)}}
	var e *Error
	if errors.As(err, &e) {
		maps.Copy(wrong.Fields, e.Fields)
	}
	return Person{}, wrong
}

// placed is p with a checked name and placement; a problem with the name
// leads the error, with the placement's problems beside it.
func placed(p Person, name string, where Placement) (Person, error) {
	nameErr := ValidateName("name", name)
	where, problems := CheckPlacement(where)
	var e *Error
	switch {
	case errors.As(nameErr, &e):
		maps.Copy(e.Fields, problems)
		return Person{}, e
	case nameErr != nil:
		return Person{}, nameErr
	case len(problems) > 0:
		return Person{}, &Error{Code: CodeInvalid, Message: "where the person sits in the organisation is not valid", Fields: problems}
	}
	p.Name, p.Placement = strings.TrimSpace(name), where
	return p, nil
}

// People lists a page of the organisation's people. An address to find is
// read as the forms read one, so it finds the person it would be stored
// as.
func (s *Service) People(ctx context.Context, orgID string, q PeopleQuery) ([]Person, error) {
	if q.Email != "" {
		book, err := newAddressBook(ctx, s.store, orgID)
		if err != nil {
			return nil, fmt.Errorf("list people: %w", err)
		}
		addr, err := book.parse(q.Email)
		if err != nil {
			return nil, fieldError("email", addressField(err))
		}
		q.Email = addr.String()
	}
	out, err := s.store.PeoplePage(ctx, orgID, q)
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	return out, nil
}

// Person loads one person of the organisation.
func (s *Service) Person(ctx context.Context, orgID, id string) (Person, error) {
	p, err := s.store.Person(ctx, orgID, id)
	if err != nil {
		return Person{}, fmt.Errorf("person %s: %w", id, err)
	}
	return p, nil
}

// AddPerson adds a person to the organisation. Unlike a leader or rater
// added to a cycle, who may already be known, a new person's address must
// be new: a second person with it would be the first one.
func (s *Service) AddPerson(ctx context.Context, orgID string, in PersonInput, actorUserID string) (Person, error) {
	var p Person
	err := s.store.InTx(ctx, func(tx Store) error {
		book, err := newAddressBook(ctx, tx, orgID)
		if err != nil {
			return err
		}
		if p, err = personOf(book, in, s.Now()); err != nil {
			return err
		}
		if err := tx.CreatePerson(ctx, &p); ErrorCode(err) == CodeConflict {
			return &Error{Code: CodeConflict, Message: "someone in the organisation already has this address",
				Fields: map[string]string{"email": "Someone in the organisation already has this address."}}
		} else if err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionPersonCreate,
			SubjectType: "person", SubjectID: p.ID, Detail: p.Name, CreatedAt: s.Now()})
	})
	if err != nil {
		return Person{}, fmt.Errorf("add person: %w", err)
	}
	return p, nil
}

// ChangePerson changes a person's name and placement, with the checks and
// messages of the forms; the audit entry names the fields that changed.
func (s *Service) ChangePerson(ctx context.Context, orgID, id string, ch PersonChange, actorUserID string) (Person, error) {
	var p Person
	err := s.store.InTx(ctx, func(tx Store) error {
		old, err := tx.Person(ctx, orgID, id)
		if err != nil {
			return err
		}
		name, where := old.Name, old.Placement
		for _, f := range []struct {
			into *string
			sent *string
		}{{&name, ch.Name}, {&where.Department, ch.Department}, {&where.ManagerEmail, ch.ManagerEmail}, {&where.Location, ch.Location}} {
			if f.sent != nil {
				*f.into = *f.sent
			}
		}
		if p, err = placed(old, name, where); err != nil {
			return err
		}
		if err := tx.UpdatePerson(ctx, p); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionPersonUpdate,
			SubjectType: "person", SubjectID: p.ID, Detail: p.Name + ": " + changedFields(old, p), CreatedAt: s.Now()})
	})
	if err != nil {
		return Person{}, fmt.Errorf("change person %s: %w", id, err)
	}
	return p, nil
}

// changedFields names the fields a change of a person changed, for the
// audit log: the names of the fields, never their values.
func changedFields(old, p Person) string {
	var changed []string
	for _, f := range []struct{ name, was, is string }{
		{"name", old.Name, p.Name}, {"department", old.Department, p.Department},
		{"manager_email", old.ManagerEmail, p.ManagerEmail}, {"location", old.Location, p.Location},
	} {
		if f.was != f.is {
			changed = append(changed, f.name)
		}
	}
	if len(changed) == 0 {
		return "nothing changed"
	}
	return "changed " + strings.Join(changed, ", ")
}
