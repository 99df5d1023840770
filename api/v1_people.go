package api

import (
	"encoding/base64"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/api/openapi"
	"github.com/lead360/lead360/assessment"
)

// The organisation's people through the API (assessment/people_directory.go):
// the directory a cycle's leaders and raters come from, loaded and kept up
// to date from an HR system.

// personOf is a person as the API shows them.
func personOf(p assessment.Person) openapi.Person {
	return openapi.Person{Id: p.ID, Name: p.Name, Email: p.Email, Department: p.Department, ManagerEmail: p.ManagerEmail,
		Location: p.Location, CreatedAt: p.CreatedAt.UTC()}
}

// ListPeople answers GET /api/v1/people: the directory in the order people
// were added, a page at a time. The cursor is the last person's id, so
// people added meanwhile do not shift the pages.
func (a apiV1) ListPeople(c echo.Context, params openapi.ListPeopleParams) error {
	after, err := idCursorOf(deref(params.Cursor))
	if err != nil {
		return err
	}
	svc, orgID := a.s.asToken(c)
	limit := pageLimit(params.Limit)
	people, err := svc.People(c.Request().Context(), orgID, assessment.PeopleQuery{Email: deref(params.Email), After: after, Limit: limit + 1})
	if err != nil {
		return err
	}
	out := openapi.PersonList{Items: []openapi.Person{}}
	if len(people) > limit {
		people = people[:limit]
		next := base64.RawURLEncoding.EncodeToString([]byte(people[limit-1].ID))
		out.NextCursor = &next
	}
	for _, p := range people {
		out.Items = append(out.Items, personOf(p))
	}
	return reply(c, http.StatusOK, out)
}

// idCursorOf reads a cursor that is the last item's id; "" is the start.
func idCursorOf(cursor string) (string, error) {
	if cursor == "" {
		return "", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || wellFormedID(string(raw)) != nil {
		return "", badCursor()
	}
	return string(raw), nil
}

// GetPerson answers GET /api/v1/people/:id.
func (a apiV1) GetPerson(c echo.Context, id openapi.PersonID) error {
	svc, orgID := a.s.asToken(c)
	p, err := svc.Person(c.Request().Context(), orgID, id.String())
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, personOf(p))
}

// CreatePerson answers POST /api/v1/people: a person new to the
// organisation (assessment.Service.AddPerson); an address already known is
// its 409.
func (a apiV1) CreatePerson(c echo.Context, params openapi.CreatePersonParams) error {
	body, err := readJSONBody(c)
	if err != nil {
		return err
	}
	var in openapi.NewPerson
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	return a.s.change(c, params.IdempotencyKey, body, func(svc *assessment.Service, orgID string) (int, any, error) {
		p, err := svc.AddPerson(c.Request().Context(), orgID, assessment.PersonInput{Name: in.Name, Email: in.Email,
			Placement: assessment.Placement{Department: deref(in.Department), ManagerEmail: deref(in.ManagerEmail), Location: deref(in.Location)}}, "")
		return http.StatusCreated, personOf(p), err
	})
}

// EditPerson answers PATCH /api/v1/people/:id: the name and placement
// fields sent (assessment.Service.ChangePerson); the others stay.
func (a apiV1) EditPerson(c echo.Context, id openapi.PersonID) error {
	body, err := readJSONBody(c)
	if err != nil {
		return err
	}
	var in openapi.PersonChange
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	return a.s.change(c, nil, body, func(svc *assessment.Service, orgID string) (int, any, error) {
		p, err := svc.ChangePerson(c.Request().Context(), orgID, id.String(), assessment.PersonChange{Name: in.Name,
			Department: in.Department, ManagerEmail: in.ManagerEmail, Location: in.Location}, "")
		return http.StatusOK, personOf(p), err
	})
}
