package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/api/openapi"
	"github.com/lead360/lead360/assessment"
)

// apiV1 implements the generated server interface of /api/v1: thin
// handlers over the same use cases as the dashboard, the organisation and
// the audit name from the request's token (requireToken).
type apiV1 struct{ s *Server }

var _ openapi.ServerInterface = apiV1{}

// cycleOf is a cycle as the API shows it.
func cycleOf(c assessment.Cycle) openapi.Cycle {
	return openapi.Cycle{Id: c.ID, Name: c.Name, Status: openapi.CycleStatus(c.Status), OpensAt: c.OpensAt.UTC(), ClosesAt: c.ClosesAt.UTC(),
		AnonymityThreshold: c.AnonymityThreshold, CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC()}
}

// ListCycles answers GET /api/v1/cycles: the dashboard's list, newest
// first, a page at a time.
func (a apiV1) ListCycles(c echo.Context, params openapi.ListCyclesParams) error {
	svc, orgID := a.s.asToken(c)
	sums, err := svc.CycleSummaries(c.Request().Context(), orgID, "")
	if err != nil {
		return err
	}
	page, next, err := pageAfter(sums, func(s assessment.CycleSummary) string { return s.Cycle.ID }, deref(params.Cursor), pageLimit(params.Limit))
	if err != nil {
		return err
	}
	out := openapi.CycleList{Items: make([]openapi.Cycle, len(page)), NextCursor: next}
	for i, sum := range page {
		out.Items[i] = cycleOf(sum.Cycle)
	}
	return reply(c, http.StatusOK, out)
}

// GetCycle answers GET /api/v1/cycles/:id.
func (a apiV1) GetCycle(c echo.Context, id openapi.CycleID) error {
	svc, orgID := a.s.asToken(c)
	cy, _, err := svc.CycleWithSettings(c.Request().Context(), orgID, id.String())
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, cycleOf(cy))
}

// GetCycleProgress answers GET /api/v1/cycles/:id/progress: the counts per
// group the dashboard's progress page and `lead360 cycle list` show for the
// whole cycle, never who has answered.
func (a apiV1) GetCycleProgress(c echo.Context, id openapi.CycleID) error {
	svc, orgID := a.s.asToken(c)
	p, err := svc.CycleProgress(c.Request().Context(), orgID, id.String(), assessment.ProgressQuery{})
	if err != nil {
		return err
	}
	group := func(g assessment.GroupCount) openapi.GroupCount {
		return openapi.GroupCount{Relationship: string(g.Relationship), Raters: g.Assigned, Invited: g.Invited, Submitted: g.Submitted}
	}
	out := openapi.Progress{CycleId: p.Cycle.ID, Status: openapi.CycleStatus(p.Cycle.Status), Leaders: p.LeaderCount,
		Total: group(p.Total), Groups: make([]openapi.GroupCount, len(p.Groups))}
	out.Total.Relationship = "all"
	for i, g := range p.Groups {
		out.Groups[i] = group(g)
	}
	return reply(c, http.StatusOK, out)
}

// CreateCycle answers POST /api/v1/cycles: a draft, as the dashboard's
// new-cycle form makes it with its default settings, and the form's
// messages for its fields.
func (a apiV1) CreateCycle(c echo.Context, params openapi.CreateCycleParams) error {
	body, err := readJSONBody(c)
	if err != nil {
		return err
	}
	var in openapi.NewCycle
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	return a.s.change(c, params.IdempotencyKey, body, func(svc *assessment.Service, orgID string) (int, any, error) {
		form := ""
		if in.Form != nil {
			form = string(*in.Form)
		}
		ins, err := svc.FormInstrument(c.Request().Context(), orgID, form)
		if err != nil {
			return 0, nil, err
		}
		d := assessment.CycleDraft{OrganizationID: orgID, InstrumentID: ins.ID, Name: in.Name, OpensAt: in.OpensAt, ClosesAt: in.ClosesAt}
		if in.AnonymityThreshold != nil {
			d.AnonymityThreshold = *in.AnonymityThreshold
		}
		cy, err := svc.CreateCycleWithSettings(c.Request().Context(), assessment.CycleInput{Draft: d, Settings: assessment.DefaultCycleSettings(orgID, "")})
		return http.StatusCreated, cycleOf(cy), err
	})
}

// EditCycle answers PATCH /api/v1/cycles/:id: the dashboard's edit of a
// draft (assessment.Service.EditCycle), the fields sent over the stored
// ones. An opened cycle is refused with EditCycle's 409.
func (a apiV1) EditCycle(c echo.Context, id openapi.CycleID) error {
	body, err := readJSONBody(c)
	if err != nil {
		return err
	}
	var in openapi.CycleChange
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	return a.s.change(c, nil, body, func(svc *assessment.Service, orgID string) (int, any, error) {
		ctx := c.Request().Context()
		cy, cs, err := svc.CycleWithSettings(ctx, orgID, id.String())
		if err != nil {
			return 0, nil, err
		}
		d := assessment.CycleDraft{OrganizationID: orgID, InstrumentID: cy.InstrumentID, Name: cy.Name, OpensAt: cy.OpensAt,
			ClosesAt: cy.ClosesAt, AnonymityThreshold: cy.AnonymityThreshold, ReminderDays: cy.ReminderDays}
		if in.Form != nil {
			ins, err := svc.FormInstrument(ctx, orgID, string(*in.Form))
			if err != nil {
				return 0, nil, err
			}
			d.InstrumentID = ins.ID
		}
		overlay(&d.Name, in.Name)
		overlay(&d.OpensAt, in.OpensAt)
		overlay(&d.ClosesAt, in.ClosesAt)
		overlay(&d.AnonymityThreshold, in.AnonymityThreshold)
		edited, err := svc.EditCycle(ctx, orgID, id.String(), assessment.CycleInput{Draft: d, Settings: cs})
		return http.StatusOK, cycleOf(edited), err
	})
}

// ExtendCycle answers POST /api/v1/cycles/:id/extend: the dashboard's
// extend form (assessment.Service.ExtendCycle), its rules and messages.
func (a apiV1) ExtendCycle(c echo.Context, id openapi.CycleID, params openapi.ExtendCycleParams) error {
	body, err := readJSONBody(c)
	if err != nil {
		return err
	}
	var in openapi.CycleExtension
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	return a.s.change(c, params.IdempotencyKey, body, func(svc *assessment.Service, orgID string) (int, any, error) {
		ext, err := svc.ExtendCycle(c.Request().Context(), orgID, id.String(), in.ClosesAt, "")
		return http.StatusOK, cycleOf(ext.Cycle), err
	})
}

// overlay sets *field to the value a PATCH sent, if it sent one: a field
// left out keeps what is stored.
func overlay[T any](field *T, sent *T) {
	if sent != nil {
		*field = *sent
	}
}

// OpenCycle answers POST /api/v1/cycles/:id/open: the dashboard's open,
// which queues the invitations in the same transaction.
func (a apiV1) OpenCycle(c echo.Context, id openapi.CycleID, params openapi.OpenCycleParams) error {
	return a.s.change(c, params.IdempotencyKey, nil, func(svc *assessment.Service, orgID string) (int, any, error) {
		opened, err := svc.OpenCycle(c.Request().Context(), orgID, id.String(), "", a.s.accounts)
		return http.StatusOK, cycleOf(opened.Cycle), err
	})
}

// CloseCycle answers POST /api/v1/cycles/:id/close: no more answers.
func (a apiV1) CloseCycle(c echo.Context, id openapi.CycleID, params openapi.CloseCycleParams) error {
	return a.s.change(c, params.IdempotencyKey, nil, func(svc *assessment.Service, orgID string) (int, any, error) {
		cy, err := svc.CloseCycleEarly(c.Request().Context(), orgID, id.String(), "")
		return http.StatusOK, cycleOf(cy), err
	})
}

// ReleaseCycle answers POST /api/v1/cycles/:id/release: the results to the
// leaders. A cycle with exclusions HR has not seen is refused with the
// dashboard's reason: that review happens on the dashboard.
func (a apiV1) ReleaseCycle(c echo.Context, id openapi.CycleID, params openapi.ReleaseCycleParams) error {
	return a.s.change(c, params.IdempotencyKey, nil, func(svc *assessment.Service, orgID string) (int, any, error) {
		cy, err := svc.ReleaseCycle(c.Request().Context(), orgID, id.String(), "")
		return http.StatusOK, cycleOf(cy), err
	})
}

// change runs a write with the token's service and answers with its
// result as JSON. With an Idempotency-Key it runs once per key: the answer
// is stored in the change's transaction and a retry gets it back
// (Idempotent-Replayed: true) without doing anything.
func (s *Server) change(c echo.Context, key *string, body []byte, do func(svc *assessment.Service, orgID string) (int, any, error)) error {
	svc, orgID := s.asToken(c)
	run := func(svc *assessment.Service) (int, []byte, error) {
		status, v, err := do(svc, orgID)
		if err != nil {
			return 0, nil, err
		}
		out, err := json.Marshal(v)
		return status, out, err
	}
	var status int
	var out []byte
	var err error
	if key == nil {
		status, out, err = run(svc)
	} else {
		var replayed bool
		status, out, replayed, err = svc.Idempotent(c.Request().Context(), orgID, *key, requestHash(c, body), run)
		if replayed {
			c.Response().Header().Set("Idempotent-Replayed", "true")
		}
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(status, echo.MIMEApplicationJSON, out)
}

// requestHash fingerprints a request for its idempotency key: the
// operation, the path and the body.
func requestHash(c echo.Context, body []byte) string {
	h := sha256.New()
	io.WriteString(h, c.Request().Method+" "+c.Request().URL.Path+"\n")
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
