package api

import (
	"net/http"
	"strconv"
	"strings"

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
	Confirm string
	// SmallGroups warns, on the confirmation before opening, about leaders
	// invited with a group too small to show.
	SmallGroups   []assessment.SmallGroups
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
		ExtendForm: cycleExtendForm{TZ: "UTC"}, SmallGroups: o.SmallGroups()}
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
		u := cycleAdmin(c)
		_, err = s.svc.AddCycleLeader(c.Request().Context(), u.OrganizationID, c.Param("id"),
			assessment.PersonInput{Name: form.Name, Email: form.Email}, u.ID)
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
		var rel assessment.Relationship
		if rel, problems = raterRelationship(form.Relationship); problems == nil {
			u := cycleAdmin(c)
			_, err = s.svc.AddCycleRater(c.Request().Context(), u.OrganizationID, c.Param("id"), c.Param("pid"),
				assessment.PersonInput{Name: form.Name, Email: form.Email}, rel, u.ID)
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

// raterRelationship reads the relationship of a rater added by hand: any
// but the self-assessment, which comes with the leader. The cycle page and
// the API word its problem alike.
func raterRelationship(text string) (assessment.Relationship, map[string]string) {
	rel, err := assessment.ParseRelationship(text)
	if err != nil || rel == assessment.Self {
		return "", map[string]string{"relationship": "Choose manager, peer, direct report or other."}
	}
	return rel, nil
}

// cycleRemoveLeader answers POST /cycles/:id/participants/:pid/remove.
func (s *Server) cycleRemoveLeader(c echo.Context) error {
	u := cycleAdmin(c)
	if err := s.svc.RemoveCycleLeader(c.Request().Context(), u.OrganizationID, c.Param("id"), c.Param("pid"), u.ID); err != nil {
		return err
	}
	return redirectNotice(c, "/cycles/"+c.Param("id"), "removed")
}

// cycleRemoveRater answers POST /cycles/:id/participants/:pid/raters/:aid/remove.
func (s *Server) cycleRemoveRater(c echo.Context) error {
	u := cycleAdmin(c)
	err := s.svc.RemoveCycleRater(c.Request().Context(), u.OrganizationID, c.Param("id"), c.Param("pid"), c.Param("aid"), u.ID)
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
// cycle, which creates the invitations and queues one email per rater, and
// invites its leaders to the dashboard (the route needs a signed-in admin,
// so the server has its accounts).
func (s *Server) cycleOpen(c echo.Context) error {
	if ok, err := s.confirmed(c, "open"); !ok {
		return err
	}
	opened, err := s.svc.OpenCycle(c.Request().Context(), cycleAdmin(c).OrganizationID, c.Param("id"), cycleAdmin(c).ID, s.accounts)
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
