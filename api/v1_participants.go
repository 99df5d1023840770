package api

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/api/openapi"
	"github.com/lead360/lead360/assessment"
)

// A draft cycle's leaders and raters through the API, one at a time: the
// cycle page's roster and its add and remove forms, over the same use
// cases (assessment/cycle_roster.go) with the same rules and messages.

// participantOf is a roster leader as the API shows it.
func participantOf(l assessment.RosterLeader) openapi.Participant {
	out := openapi.Participant{Id: l.Participant.ID, PersonId: l.Leader.ID, Name: l.Leader.Name, Email: l.Leader.Email,
		Raters: make([]openapi.Rater, len(l.Raters))}
	for i, r := range l.Raters {
		out.Raters[i] = raterOf(r)
	}
	return out
}

func raterOf(r assessment.RosterRater) openapi.Rater {
	return openapi.Rater{Id: r.Assignment.ID, PersonId: r.Person.ID, Name: r.Person.Name, Email: r.Person.Email,
		Relationship: string(r.Assignment.Relationship)}
}

// rosterLeader is a leader of the cycle's roster, as it is after a change.
func rosterLeader(c echo.Context, svc *assessment.Service, orgID, cycleID, participantID string) (assessment.RosterLeader, error) {
	leaders, err := svc.CycleRoster(c.Request().Context(), orgID, cycleID)
	if err != nil {
		return assessment.RosterLeader{}, err
	}
	i := slices.IndexFunc(leaders, func(l assessment.RosterLeader) bool { return l.Participant.ID == participantID })
	if i < 0 {
		return assessment.RosterLeader{}, assessment.Errorf(assessment.CodeNotFound, "leader %s is not in this cycle", participantID)
	}
	return leaders[i], nil
}

// ListParticipants answers GET /api/v1/cycles/:id/participants: the cycle
// page's roster, leaders by name, a page at a time.
func (a apiV1) ListParticipants(c echo.Context, id openapi.CycleID, params openapi.ListParticipantsParams) error {
	svc, orgID := a.s.asToken(c)
	leaders, err := svc.CycleRoster(c.Request().Context(), orgID, id.String())
	if err != nil {
		return err
	}
	page, next, err := pageAfter(leaders, func(l assessment.RosterLeader) string { return l.Participant.ID }, deref(params.Cursor), pageLimit(params.Limit))
	if err != nil {
		return err
	}
	out := openapi.ParticipantList{Items: make([]openapi.Participant, len(page)), NextCursor: next}
	for i, l := range page {
		out.Items[i] = participantOf(l)
	}
	return reply(c, http.StatusOK, out)
}

// AddParticipant answers POST /api/v1/cycles/:id/participants: the cycle
// page's add-leader form (assessment.Service.AddCycleLeader).
func (a apiV1) AddParticipant(c echo.Context, id openapi.CycleID, params openapi.AddParticipantParams) error {
	body, err := readJSONBody(c)
	if err != nil {
		return err
	}
	var in openapi.NewParticipant
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	return a.s.change(c, params.IdempotencyKey, body, func(svc *assessment.Service, orgID string) (int, any, error) {
		p, err := svc.AddCycleLeader(c.Request().Context(), orgID, id.String(), assessment.PersonInput{Name: in.Name, Email: in.Email}, "")
		if err != nil {
			return 0, nil, err
		}
		l, err := rosterLeader(c, svc, orgID, id.String(), p.ID)
		return http.StatusCreated, participantOf(l), err
	})
}

// RemoveParticipant answers DELETE /api/v1/cycles/:id/participants/:pid:
// the cycle page's remove-leader button (assessment.Service.RemoveCycleLeader).
func (a apiV1) RemoveParticipant(c echo.Context, id openapi.CycleID, pid openapi.ParticipantID) error {
	return a.s.remove(c, func(svc *assessment.Service, orgID string) error {
		return svc.RemoveCycleLeader(c.Request().Context(), orgID, id.String(), pid.String(), "")
	})
}

// AddRater answers POST /api/v1/cycles/:id/participants/:pid/raters: the
// cycle page's add-rater form (assessment.Service.AddCycleRater).
func (a apiV1) AddRater(c echo.Context, id openapi.CycleID, pid openapi.ParticipantID, params openapi.AddRaterParams) error {
	body, err := readJSONBody(c)
	if err != nil {
		return err
	}
	var in openapi.NewRater
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	rel, problems := raterRelationship(in.Relationship)
	if problems != nil {
		return &assessment.Error{Code: assessment.CodeInvalid, Message: problems["relationship"], Fields: problems}
	}
	return a.s.change(c, params.IdempotencyKey, body, func(svc *assessment.Service, orgID string) (int, any, error) {
		ctx := c.Request().Context()
		as, err := svc.AddCycleRater(ctx, orgID, id.String(), pid.String(), assessment.PersonInput{Name: in.Name, Email: in.Email}, rel, "")
		if err != nil {
			return 0, nil, err
		}
		l, err := rosterLeader(c, svc, orgID, id.String(), pid.String())
		if err != nil {
			return 0, nil, err
		}
		i := slices.IndexFunc(l.Raters, func(r assessment.RosterRater) bool { return r.Assignment.ID == as.ID })
		if i < 0 {
			return 0, nil, fmt.Errorf("rater %s is not on the roster it was added to", as.ID)
		}
		return http.StatusCreated, raterOf(l.Raters[i]), nil
	})
}

// RemoveRater answers DELETE /api/v1/cycles/:id/participants/:pid/raters/:aid:
// the cycle page's remove-rater button (assessment.Service.RemoveCycleRater).
func (a apiV1) RemoveRater(c echo.Context, id openapi.CycleID, pid openapi.ParticipantID, aid openapi.RaterID) error {
	return a.s.remove(c, func(svc *assessment.Service, orgID string) error {
		return svc.RemoveCycleRater(c.Request().Context(), orgID, id.String(), pid.String(), aid.String(), "")
	})
}

// remove runs a deletion with the token's service and answers 204.
func (s *Server) remove(c echo.Context, do func(svc *assessment.Service, orgID string) error) error {
	svc, orgID := s.asToken(c)
	if err := do(svc, orgID); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.NoContent(http.StatusNoContent)
}
