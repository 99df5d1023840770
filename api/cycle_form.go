package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// The cycle form: create a cycle, or edit a draft.

// cycleForm is the create and edit form. Limits are per nominated group:
// limit_<relationship>_min and _max.
type cycleForm struct {
	Name       string `form:"name" validate:"required,max=200" label:"a name for the cycle"`
	Instrument string `form:"instrument" validate:"required" label:"an instrument"`
	OpensAt    string `form:"opens_at" validate:"required,max=40" label:"when the cycle opens"`
	ClosesAt   string `form:"closes_at" validate:"required,max=40" label:"when the cycle closes"`
	TZ         string `form:"tz" validate:"max=64"`
	Threshold  string `form:"anonymity_threshold" validate:"required,max=3" label:"the anonymity threshold"`
	Reminders  string `form:"reminders" validate:"max=40"`
	RaterCap   string `form:"rater_cap" validate:"required,max=3" label:"the most requests per rater"`
	Nominate   bool   `form:"leaders_nominate"`

	ManagerMin string `form:"limit_manager_min" validate:"max=3"`
	ManagerMax string `form:"limit_manager_max" validate:"max=3"`
	PeerMin    string `form:"limit_peer_min" validate:"max=3"`
	PeerMax    string `form:"limit_peer_max" validate:"max=3"`
	DirectMin  string `form:"limit_direct_report_min" validate:"max=3"`
	DirectMax  string `form:"limit_direct_report_max" validate:"max=3"`
	OtherMin   string `form:"limit_other_min" validate:"max=3"`
	OtherMax   string `form:"limit_other_max" validate:"max=3"`
}

// limits pairs each nominated group with its two form values.
func (f *cycleForm) limits() []struct {
	rel      assessment.Relationship
	min, max *string
} {
	return []struct {
		rel      assessment.Relationship
		min, max *string
	}{
		{assessment.Manager, &f.ManagerMin, &f.ManagerMax},
		{assessment.Peer, &f.PeerMin, &f.PeerMax},
		{assessment.DirectReport, &f.DirectMin, &f.DirectMax},
		{assessment.Other, &f.OtherMin, &f.OtherMax},
	}
}

// input turns the form into the use case's input, with the problems of
// values that are not even numbers or dates.
func (f *cycleForm) input(orgID string) (assessment.CycleInput, map[string]string) {
	p := map[string]string{}
	in := assessment.CycleInput{Draft: assessment.CycleDraft{OrganizationID: orgID, InstrumentID: f.Instrument, Name: f.Name}}
	in.Draft.OpensAt, in.Draft.ClosesAt = parseCycleDates(f.OpensAt, f.ClosesAt, f.TZ, p)
	number := func(field, v string, into *int) {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			p[field] = "Enter a whole number."
			return
		}
		*into = n
	}
	number("anonymity_threshold", f.Threshold, &in.Draft.AnonymityThreshold)
	if in.Draft.AnonymityThreshold == 0 && p["anonymity_threshold"] == "" {
		in.Draft.AnonymityThreshold = -1 // 0 would mean "the default"; the form asked for a number
	}
	number("rater_cap", f.RaterCap, &in.Settings.RaterCap)
	in.Draft.ReminderDays = []int{}
	for part := range strings.FieldsFuncSeq(f.Reminders, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		d, err := strconv.Atoi(part)
		if err != nil {
			p["reminders"] = "List whole numbers of days separated by commas, like 3, -2, -1."
			break
		}
		in.Draft.ReminderDays = append(in.Draft.ReminderDays, d)
	}
	in.Settings.LeadersNominate = f.Nominate
	if f.Nominate {
		for _, l := range f.limits() {
			lo, hi := strings.TrimSpace(*l.min), strings.TrimSpace(*l.max)
			if lo == "" && hi == "" {
				continue
			}
			gl := assessment.GroupLimit{Relationship: l.rel}
			var err1, err2 error
			if lo != "" {
				gl.Min, err1 = strconv.Atoi(lo)
			}
			gl.Max, err2 = strconv.Atoi(hi)
			if err1 != nil || err2 != nil {
				p[assessment.LimitField(l.rel)] = "Enter whole numbers; the maximum is needed."
				continue
			}
			in.Settings.GroupLimits = append(in.Settings.GroupLimits, gl)
		}
	}
	if len(p) == 0 {
		p = nil
	}
	return in, p
}

// parseCycleDates reads a cycle form's opening and closing dates in the
// form's zone, adding a problem for each field that is not a date: the
// create, edit and copy forms read them the same way.
func parseCycleDates(opens, closes, zone string, problems map[string]string) (opensAt, closesAt time.Time) {
	var msg string
	if opensAt, msg = parseLocalTime(opens, zone); msg != "" {
		problems["opens_at"] = msg
	}
	if closesAt, msg = parseLocalTime(closes, zone); msg != "" {
		problems["closes_at"] = msg
	}
	return opensAt, closesAt
}

// formOf fills the form from a stored cycle.
func formOf(cy assessment.Cycle, cs assessment.CycleSettings) cycleForm {
	days := make([]string, len(cy.ReminderDays))
	for i, d := range cy.ReminderDays {
		days[i] = strconv.Itoa(d)
	}
	f := cycleForm{Name: cy.Name, Instrument: cy.InstrumentID, OpensAt: inputValue(cy.OpensAt), ClosesAt: inputValue(cy.ClosesAt),
		TZ: "UTC", Threshold: strconv.Itoa(cy.AnonymityThreshold), Reminders: strings.Join(days, ", "),
		RaterCap: strconv.Itoa(cs.RaterCap), Nominate: cs.LeadersNominate}
	for _, l := range f.limits() {
		if gl, ok := cs.Limit(l.rel); ok {
			*l.min, *l.max = strconv.Itoa(gl.Min), strconv.Itoa(gl.Max)
		}
	}
	return f
}

// cycleFormView is the view model of the create and edit pages.
type cycleFormView struct {
	page
	Editing     bool
	CycleID     string
	Form        cycleForm
	Errors      map[string]string
	Message     string
	Instruments []instrumentOption
	Limits      []cycleLimitView
	ZoneLabel   string
	// Fresh forms show stored UTC values; time.js moves them into the
	// browser's zone. A form sent back keeps what the admin typed.
	Fresh              bool
	OpensUTC, CloseUTC string
	MinThreshold       int
	DefaultCap         int
}

type instrumentOption struct {
	ID, Label string
}

type cycleLimitView struct {
	Key, Label, Min, Max, Error string
}

// instrumentLabel names a questionnaire for an admin: its name, how many
// behaviours it asks and how long raters need.
func instrumentLabel(in *assessment.Instrument) string {
	return fmt.Sprintf("%s: %d behaviours, about %d minutes (version %d)", in.Name, in.ItemCount(), assessment.EstimatedMinutes(in), in.Version)
}

func (s *Server) renderCycleForm(c echo.Context, status int, view cycleFormView) error {
	ins, err := s.svc.Instruments(c.Request().Context(), cycleAdmin(c).OrganizationID)
	if err != nil {
		return err
	}
	for _, in := range ins {
		view.Instruments = append(view.Instruments, instrumentOption{ID: in.ID, Label: instrumentLabel(&in)})
	}
	if in, ok := assessment.DefaultInstrument(ins); ok && view.Form.Instrument == "" {
		view.Form.Instrument = in.ID
	}
	for _, l := range view.Form.limits() {
		view.Limits = append(view.Limits, cycleLimitView{Key: string(l.rel), Label: l.rel.Label(), Min: *l.min, Max: *l.max,
			Error: view.Errors[assessment.LimitField(l.rel)]})
	}
	view.page = s.pageFor(c)
	view.ZoneLabel = zoneLabel(view.Form.TZ)
	view.MinThreshold, view.DefaultCap = assessment.MinAnonymityThreshold, assessment.DefaultRaterCap
	return s.render.render(c, status, "cycle_form", view)
}

// cycleNewPage answers GET /cycles/new: a form with the usual choices
// filled in (opens now, closes in three weeks).
func (s *Server) cycleNewPage(c echo.Context) error {
	now := s.svc.Now().Truncate(time.Hour).Add(time.Hour)
	cy := assessment.Cycle{OpensAt: now, ClosesAt: now.AddDate(0, 0, 21), AnonymityThreshold: assessment.MinAnonymityThreshold,
		ReminderDays: assessment.DefaultReminderDays}
	view := cycleFormView{Form: formOf(cy, assessment.DefaultCycleSettings("", "")), Fresh: true,
		OpensUTC: utcAttr(cy.OpensAt), CloseUTC: utcAttr(cy.ClosesAt)}
	return s.renderCycleForm(c, http.StatusOK, view)
}

// cycleCreate answers POST /cycles/new.
func (s *Server) cycleCreate(c echo.Context) error {
	return s.saveCycle(c, "")
}

// cycleEditPage answers GET /cycles/:id/edit, for drafts only.
func (s *Server) cycleEditPage(c echo.Context) error {
	cy, cs, err := s.svc.CycleWithSettings(c.Request().Context(), cycleAdmin(c).OrganizationID, c.Param("id"))
	if err != nil {
		return err
	}
	if cy.Status != assessment.StatusDraft {
		return assessment.Errorf(assessment.CodeConflict, "Cycle %q is %s: only a draft can be edited. Use the cycle page to extend or close it.", cy.Name, cy.Status)
	}
	view := cycleFormView{Editing: true, CycleID: cy.ID, Form: formOf(cy, cs), Fresh: true,
		OpensUTC: utcAttr(cy.OpensAt), CloseUTC: utcAttr(cy.ClosesAt)}
	return s.renderCycleForm(c, http.StatusOK, view)
}

// cycleEdit answers POST /cycles/:id/edit.
func (s *Server) cycleEdit(c echo.Context) error {
	return s.saveCycle(c, c.Param("id"))
}

// saveCycle creates (id empty) or edits a cycle from the posted form.
func (s *Server) saveCycle(c echo.Context, id string) error {
	u := cycleAdmin(c)
	var form cycleForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	in, parsed := form.input(u.OrganizationID)
	problems = mergeProblems(problems, parsed)
	view := cycleFormView{Editing: id != "", CycleID: id, Form: form, Errors: problems}
	if problems != nil {
		return s.renderCycleForm(c, http.StatusUnprocessableEntity, view)
	}
	var cy assessment.Cycle
	in.ActorUserID = u.ID
	if id == "" {
		cy, err = s.svc.CreateCycleWithSettings(c.Request().Context(), in)
	} else {
		cy, err = s.svc.EditCycle(c.Request().Context(), u.OrganizationID, id, in)
	}
	fields, msg, status, fatal := formOutcome(err)
	switch {
	case fatal != nil:
		return fatal
	case err != nil:
		view.Errors, view.Message = fields, msg
		return s.renderCycleForm(c, status, view)
	case id == "":
		return redirectNotice(c, "/cycles/"+cy.ID, "created")
	}
	return redirectNotice(c, "/cycles/"+cy.ID, "saved")
}
