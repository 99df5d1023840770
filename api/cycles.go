package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// Cycle administration for HR admins (requireAdmin on every route). Every
// lookup is scoped by the admin's organisation, so another organisation's
// cycle id answers 404. Handlers bind a form, call one use case and render
// or redirect (303); a form with problems is rendered again with the input
// kept and each message next to its field.

// cycleAdmin is the signed-in admin; requireAdmin guarantees one.
func cycleAdmin(c echo.Context) assessment.User {
	u, _ := currentUser(c)
	return u
}

// formOutcome sorts a use case's error for a form: nil, problems to show next
// to the fields (with the status to answer), or an error for the error page.
func formOutcome(err error) (fields map[string]string, message string, status int, fatal error) {
	if err == nil {
		return nil, "", http.StatusOK, nil
	}
	f, msg, ok := formProblems(err)
	if !ok {
		return nil, "", 0, err
	}
	if len(f) == 0 {
		f = nil
	}
	return f, msg, statusOf(assessment.ErrorCode(err)), nil
}

// mergeProblems adds b's problems to a's, keeping a's message for a field.
func mergeProblems(a, b map[string]string) map[string]string {
	if len(b) == 0 {
		return a
	}
	if a == nil {
		a = map[string]string{}
	}
	for k, v := range b {
		if _, ok := a[k]; !ok {
			a[k] = v
		}
	}
	return a
}

// redirectNotice is the redirect after a successful POST, with a fixed notice.
func redirectNotice(c echo.Context, path, notice string, counts ...int) error {
	if notice != "" {
		q := url.Values{"notice": {notice}}
		for i, n := range counts {
			q.Set("n"+strconv.Itoa(i), strconv.Itoa(n))
		}
		path += "?" + q.Encode()
	}
	return c.Redirect(http.StatusSeeOther, path)
}

// cycleNotices are the messages a page shows after a redirect; the query
// names one (and may give counts), so no text from the URL reaches a page.
var cycleNotices = map[string]string{
	"created":  "The cycle is created. Add leaders and their raters, then open it.",
	"saved":    "Your changes are saved.",
	"leader":   "The leader is added, with their self-assessment.",
	"rater":    "The rater is added.",
	"removed":  "Removed.",
	"imported": "Imported %d new leaders and %d raters.",
	"opened":   "The cycle is open: %d invitation emails are on their way.",
	"reminded": "Reminders are on their way to %d people who have a survey to submit.",
	"extended": "The close date is moved. %d reminder emails are scheduled before it.",
	"closed":   "The cycle is closed. Nobody can answer any more; results can now be prepared.",
	"deleted":  "The draft is deleted, with its leaders and raters.",
}

// noticeFor is the notice a redirect named, with its counts.
func noticeFor(c echo.Context) string {
	msg, ok := cycleNotices[c.QueryParam("notice")]
	if !ok {
		return ""
	}
	n := strings.Count(msg, "%d")
	for i := range n {
		v, err := strconv.Atoi(c.QueryParam("n" + strconv.Itoa(i)))
		if err != nil || v < 0 {
			v = 0
		}
		msg = strings.Replace(msg, "%d", strconv.Itoa(v), 1)
	}
	return msg
}

// cycleListView is the view model of GET /cycles.
type cycleListView struct {
	page
	Notice string
	Cycles []cycleLine
}

type cycleLine struct {
	ID       string
	Name     string
	Status   string
	OpensAt  Moment
	ClosesAt Moment
	Leaders  int
	Rate     string
}

// responseRateText is a response rate as people read it, or a dash before anyone
// is invited.
func responseRateText(g assessment.GroupCount) string {
	pct, ok := g.ResponseRate()
	if !ok {
		return "—"
	}
	return strconv.Itoa(pct) + "% (" + strconv.Itoa(g.Submitted) + " of " + strconv.Itoa(g.Invited) + ")"
}

// cyclesList answers GET /cycles.
func (s *Server) cyclesList(c echo.Context) error {
	u := cycleAdmin(c)
	sums, err := s.svc.CycleSummaries(c.Request().Context(), u.OrganizationID, u.Email)
	if err != nil {
		return err
	}
	view := cycleListView{page: s.pageFor(c), Notice: noticeFor(c)}
	for _, sum := range sums {
		line := cycleLine{ID: sum.Cycle.ID, Name: sum.Cycle.Name, Status: cycleStatusLabel(sum.Cycle.Status),
			OpensAt: Moment(sum.Cycle.OpensAt), ClosesAt: Moment(sum.Cycle.ClosesAt), Leaders: sum.Leaders,
			Rate: responseRateText(assessment.GroupCount{Invited: sum.Invited, Submitted: sum.Submitted})}
		if sum.Assessed {
			line.Rate = "not shown: you are assessed in this cycle"
		}
		view.Cycles = append(view.Cycles, line)
	}
	return s.render.render(c, http.StatusOK, "cycles", view)
}

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
	var msg string
	if in.Draft.OpensAt, msg = parseLocalTime(f.OpensAt, f.TZ); msg != "" {
		p["opens_at"] = msg
	}
	if in.Draft.ClosesAt, msg = parseLocalTime(f.ClosesAt, f.TZ); msg != "" {
		p["closes_at"] = msg
	}
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

// cycleView is the view model of GET /cycles/:id.
type cycleView struct {
	page
	// Reminders is the reminder schedule in words.
	Reminders string
	Notice    string
	Message   string // a problem with an action, at the top
	Cycle     assessment.Cycle
	Status    string
	OpensAt   Moment
	ClosesAt  Moment
	Settings  assessment.CycleSettings
	// Form names the questionnaire, with its size and time.
	Form    string
	Leaders []cycleLeaderView
	Draft   bool
	Open    bool
	Closed  bool

	LeaderForm   cycleLeaderForm
	LeaderErrors map[string]string
	// RaterFor is the leader whose add-rater form was sent back.
	RaterFor    string
	RaterForm   cycleRaterForm
	RaterErrors map[string]string
	ExtendForm  cycleExtendForm
	ExtendErrs  map[string]string
	// Confirm asks before an action that cannot be undone: "open" or
	// "close".
	Confirm       string
	Invitations   int
	Relationships []cycleRelOption
}

type cycleLeaderView struct {
	ParticipantID string
	Name, Email   string
	Groups        []cycleRaterGroup
	Raters        int
}

type cycleRaterGroup struct {
	Label  string
	Raters []cycleRaterView
}

type cycleRaterView struct {
	AssignmentID string
	Name, Email  string
	Self         bool
}

type cycleRelOption struct{ Value, Label string }

type cycleLeaderForm struct {
	Name  string `form:"name" validate:"required,max=200" label:"the leader's name"`
	Email string `form:"email" validate:"required,email,max=320" label:"the leader's email address"`
}

type cycleRaterForm struct {
	Name         string `form:"name" validate:"required,max=200" label:"the rater's name"`
	Email        string `form:"email" validate:"required,email,max=320" label:"the rater's email address"`
	Relationship string `form:"relationship" validate:"required" label:"how they know the leader"`
}

type cycleExtendForm struct {
	ClosesAt string `form:"closes_at" validate:"required,max=40" label:"the new close date"`
	TZ       string `form:"tz" validate:"max=64"`
}

// renderCycle renders the cycle page; fill adds what a failed form sends
// back.
func (s *Server) renderCycle(c echo.Context, status int, fill func(v *cycleView)) error {
	o, err := s.svc.CycleOverview(c.Request().Context(), cycleAdmin(c).OrganizationID, c.Param("id"))
	if err != nil {
		return err
	}
	v := cycleView{page: s.pageFor(c), Reminders: reminderSchedule(o.Cycle.ReminderDays), Form: instrumentLabel(&o.Instrument), Notice: noticeFor(c), Cycle: o.Cycle, Status: cycleStatusLabel(o.Cycle.Status),
		OpensAt: Moment(o.Cycle.OpensAt), ClosesAt: Moment(o.Cycle.ClosesAt), Settings: o.Settings,
		Draft: o.Cycle.Status == assessment.StatusDraft, Open: o.Cycle.Status == assessment.StatusOpen,
		Closed:     o.Cycle.Status == assessment.StatusClosed || o.Cycle.Status == assessment.StatusReleased,
		ExtendForm: cycleExtendForm{TZ: "UTC"}}
	for _, r := range assessment.NominatedRelationships {
		v.Relationships = append(v.Relationships, cycleRelOption{Value: string(r), Label: r.Label()})
	}
	for _, l := range o.Leaders {
		lv := cycleLeaderView{ParticipantID: l.Participant.ID, Name: l.Leader.Name, Email: l.Leader.Email}
		for _, r := range l.Raters {
			label := r.Assignment.Relationship.GroupLabel()
			if n := len(lv.Groups); n == 0 || lv.Groups[n-1].Label != label {
				lv.Groups = append(lv.Groups, cycleRaterGroup{Label: label})
			}
			g := &lv.Groups[len(lv.Groups)-1]
			g.Raters = append(g.Raters, cycleRaterView{AssignmentID: r.Assignment.ID, Name: r.Person.Name, Email: r.Person.Email,
				Self: r.Assignment.Relationship == assessment.Self})
			v.Invitations++
		}
		lv.Raters = len(l.Raters)
		v.Leaders = append(v.Leaders, lv)
	}
	if fill != nil {
		fill(&v)
	}
	return s.render.render(c, status, "cycle", v)
}

// reminderSchedule says when reminders go out, as people say it: "3 days
// after opening, 2 days before closing, 1 day before closing". A day
// count is stored signed (negative: before closing); the sign is for the
// form, not for readers.
func reminderSchedule(days []int) string {
	if len(days) == 0 {
		return "None"
	}
	parts := make([]string, len(days))
	for i, d := range days {
		n, when := d, "after opening"
		if d < 0 {
			n, when = -d, "before closing"
		}
		unit := "days"
		if n == 1 {
			unit = "day"
		}
		parts[i] = strconv.Itoa(n) + " " + unit + " " + when
	}
	return strings.Join(parts, ", ")
}

// cyclePage answers GET /cycles/:id: status, dates, leaders with their
// raters by group, and the actions the status allows.
func (s *Server) cyclePage(c echo.Context) error {
	return s.renderCycle(c, http.StatusOK, nil)
}

// cycleAddLeader answers POST /cycles/:id/participants.
func (s *Server) cycleAddLeader(c echo.Context) error {
	var form cycleLeaderForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	if problems == nil {
		_, err = s.svc.AddCycleLeader(c.Request().Context(), cycleAdmin(c).OrganizationID, c.Param("id"),
			assessment.PersonInput{Name: form.Name, Email: form.Email})
		if err == nil {
			return redirectNotice(c, "/cycles/"+c.Param("id"), "leader")
		}
	}
	return s.cycleFormFailed(c, problems, err, func(v *cycleView, fields map[string]string, msg string) {
		v.LeaderForm, v.LeaderErrors, v.Message = form, fields, msg
	})
}

// cycleFormFailed re-renders the cycle page with a form's problems, from
// binding (problems) or from the use case (err).
func (s *Server) cycleFormFailed(c echo.Context, problems map[string]string, err error,
	fill func(v *cycleView, fields map[string]string, msg string)) error {
	status, msg := http.StatusUnprocessableEntity, ""
	if problems == nil {
		var fields map[string]string
		var fatal error
		fields, msg, status, fatal = formOutcome(err)
		if fatal != nil {
			return fatal
		}
		problems = fields
	}
	if problems == nil && msg != "" {
		problems = map[string]string{}
	}
	return s.renderCycle(c, status, func(v *cycleView) { fill(v, problems, msg) })
}

// cycleAddRater answers POST /cycles/:id/participants/:pid/raters.
func (s *Server) cycleAddRater(c echo.Context) error {
	var form cycleRaterForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	if problems == nil {
		rel, perr := assessment.ParseRelationship(form.Relationship)
		if perr != nil || rel == assessment.Self {
			problems = map[string]string{"relationship": "Choose manager, peer, direct report or other."}
		} else {
			_, err = s.svc.AddCycleRater(c.Request().Context(), cycleAdmin(c).OrganizationID, c.Param("id"), c.Param("pid"),
				assessment.PersonInput{Name: form.Name, Email: form.Email}, rel)
			if err == nil {
				return redirectNotice(c, "/cycles/"+c.Param("id")+"#leader-"+c.Param("pid"), "rater")
			}
			if assessment.ErrorCode(err) == assessment.CodeNotFound {
				return err
			}
		}
	}
	return s.cycleFormFailed(c, problems, err, func(v *cycleView, fields map[string]string, msg string) {
		v.RaterFor, v.RaterForm, v.RaterErrors, v.Message = c.Param("pid"), form, fields, msg
	})
}

// cycleRemoveLeader answers POST /cycles/:id/participants/:pid/remove.
func (s *Server) cycleRemoveLeader(c echo.Context) error {
	if err := s.svc.RemoveCycleLeader(c.Request().Context(), cycleAdmin(c).OrganizationID, c.Param("id"), c.Param("pid")); err != nil {
		return err
	}
	return redirectNotice(c, "/cycles/"+c.Param("id"), "removed")
}

// cycleRemoveRater answers POST /cycles/:id/participants/:pid/raters/:aid/remove.
func (s *Server) cycleRemoveRater(c echo.Context) error {
	err := s.svc.RemoveCycleRater(c.Request().Context(), cycleAdmin(c).OrganizationID, c.Param("id"), c.Param("pid"), c.Param("aid"))
	if err != nil {
		return err
	}
	return redirectNotice(c, "/cycles/"+c.Param("id"), "removed")
}

// cycleConfirmForm is the second step of an action that cannot be undone.
type cycleConfirmForm struct {
	Confirm bool `form:"confirm"`
}

// confirmed reports whether the admin confirmed; without confirmation the
// cycle page asks first.
func (s *Server) confirmed(c echo.Context, action string) (bool, error) {
	var form cycleConfirmForm
	if _, err := bindForm(c, &form); err != nil {
		return false, err
	}
	if form.Confirm {
		return true, nil
	}
	return false, s.renderCycle(c, http.StatusOK, func(v *cycleView) { v.Confirm = action })
}

// cycleOpen answers POST /cycles/:id/open: after confirmation, it opens the
// cycle, which creates the invitations and queues one email per rater.
func (s *Server) cycleOpen(c echo.Context) error {
	if ok, err := s.confirmed(c, "open"); !ok {
		return err
	}
	opened, err := s.svc.OpenCycle(c.Request().Context(), cycleAdmin(c).OrganizationID, c.Param("id"))
	if err != nil {
		return s.actionFailed(c, err)
	}
	return redirectNotice(c, "/cycles/"+c.Param("id")+"/progress", "opened", opened.Emails)
}

// actionFailed shows a refused action's reason on the cycle page (a
// conflict such as "already open"); other errors go to the error page.
func (s *Server) actionFailed(c echo.Context, err error) error {
	_, msg, status, fatal := formOutcome(err)
	if fatal != nil {
		return fatal
	}
	return s.renderCycle(c, status, func(v *cycleView) { v.Message = msg })
}

// cycleClose answers POST /cycles/:id/close: after confirmation, it closes
// an open cycle now.
func (s *Server) cycleClose(c echo.Context) error {
	if ok, err := s.confirmed(c, "close"); !ok {
		return err
	}
	u := cycleAdmin(c)
	if _, err := s.svc.CloseCycleEarly(c.Request().Context(), u.OrganizationID, c.Param("id"), u.ID); err != nil {
		return s.actionFailed(c, err)
	}
	return redirectNotice(c, "/cycles/"+c.Param("id"), "closed")
}

// cycleDelete answers POST /cycles/:id/delete: after confirmation, it
// deletes a draft cycle and goes back to the list.
func (s *Server) cycleDelete(c echo.Context) error {
	if ok, err := s.confirmed(c, "delete"); !ok {
		return err
	}
	u := cycleAdmin(c)
	if _, err := s.svc.DeleteDraftCycle(c.Request().Context(), u.OrganizationID, c.Param("id"), u.ID); err != nil {
		return s.actionFailed(c, err)
	}
	return redirectNotice(c, "/cycles", "deleted")
}

// cycleExtend answers POST /cycles/:id/extend.
func (s *Server) cycleExtend(c echo.Context) error {
	u := cycleAdmin(c)
	var form cycleExtendForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	if problems == nil {
		closes, msg := parseLocalTime(form.ClosesAt, form.TZ)
		if msg != "" {
			problems = map[string]string{"closes_at": msg}
		} else {
			var ext assessment.Extended
			ext, err = s.svc.ExtendCycle(c.Request().Context(), u.OrganizationID, c.Param("id"), closes, u.ID)
			if err == nil {
				return redirectNotice(c, "/cycles/"+c.Param("id"), "extended", ext.Reminders)
			}
		}
	}
	return s.cycleFormFailed(c, problems, err, func(v *cycleView, fields map[string]string, msg string) {
		v.ExtendForm, v.ExtendErrs, v.Message = form, fields, msg
	})
}
