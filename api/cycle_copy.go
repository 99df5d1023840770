package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// Copying a cycle (assessment.CopyCycle): the admin gives the copy a name
// and new dates; everything else comes from the cycle copied.

// cycleCopyForm is the copy form: the create form's name and dates, read
// and checked the same way (parseCycleDates, then the domain).
type cycleCopyForm struct {
	Name     string `form:"name" validate:"required,max=200" label:"a name for the copy"`
	OpensAt  string `form:"opens_at" validate:"required,max=40" label:"when the copy opens"`
	ClosesAt string `form:"closes_at" validate:"required,max=40" label:"when the copy closes"`
	TZ       string `form:"tz" validate:"max=64"`
}

// cycleCopyView is the view model of GET /cycles/:id/copy. Its form
// fields are those the "cycle-name" and "cycle-dates" partials read.
type cycleCopyView struct {
	page
	Source        assessment.Cycle
	Settings      assessment.CycleSettings
	Questionnaire string
	Reminders     string
	// Leaders and Raters count what the copy gets; Raters leaves out
	// self-assessments.
	Leaders, Raters    int
	Form               cycleCopyForm
	Errors             map[string]string
	Message            string
	Fresh              bool
	OpensUTC, CloseUTC string
	ZoneLabel          string
}

// renderCycleCopy renders the copy page of the cycle in the path; without
// fill, the form offers "<name> (copy)", opening in the next hour and
// lasting as long as the cycle copied.
func (s *Server) renderCycleCopy(c echo.Context, status int, fill func(v *cycleCopyView)) error {
	o, err := s.svc.CycleOverview(c.Request().Context(), cycleAdmin(c).OrganizationID, c.Param("id"))
	if err != nil {
		return err
	}
	v := cycleCopyView{page: s.pageFor(c), Source: o.Cycle, Settings: o.Settings, Questionnaire: instrumentLabel(&o.Instrument),
		Reminders: reminderSchedule(o.Cycle.ReminderDays), Leaders: len(o.Leaders)}
	for _, l := range o.Leaders {
		for _, r := range l.Raters {
			if r.Assignment.Relationship != assessment.Self {
				v.Raters++
			}
		}
	}
	if fill != nil {
		fill(&v)
	} else {
		opens := s.svc.Now().Truncate(time.Hour).Add(time.Hour)
		closes := opens.Add(o.Cycle.ClosesAt.Sub(o.Cycle.OpensAt))
		v.Form = cycleCopyForm{Name: assessment.CopyName(o.Cycle.Name), OpensAt: inputValue(opens), ClosesAt: inputValue(closes), TZ: "UTC"}
		v.Fresh, v.OpensUTC, v.CloseUTC = true, utcAttr(opens), utcAttr(closes)
	}
	v.ZoneLabel = zoneLabel(v.Form.TZ)
	return s.render.render(c, status, "cycle_copy", v)
}

// cycleCopyPage answers GET /cycles/:id/copy, for a cycle of any status.
func (s *Server) cycleCopyPage(c echo.Context) error {
	return s.renderCycleCopy(c, http.StatusOK, nil)
}

// cycleCopy answers POST /cycles/:id/copy: it makes the copy and goes to
// its page, or shows the form again with what the admin typed.
func (s *Server) cycleCopy(c echo.Context) error {
	u := cycleAdmin(c)
	var form cycleCopyForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	parsed := map[string]string{}
	in := assessment.CycleCopy{Name: form.Name, ActorUserID: u.ID}
	in.OpensAt, in.ClosesAt = parseCycleDates(form.OpensAt, form.ClosesAt, form.TZ, parsed)
	problems = mergeProblems(problems, parsed)
	status, msg := http.StatusUnprocessableEntity, ""
	if problems == nil {
		var copied assessment.Copied
		copied, err = s.svc.CopyCycle(c.Request().Context(), u.OrganizationID, c.Param("id"), in)
		if err == nil {
			return redirectNotice(c, "/cycles/"+copied.Cycle.ID, "copied", copied.Leaders, copied.Raters)
		}
		var fatal error
		if problems, msg, status, fatal = formOutcome(err); fatal != nil {
			return fatal
		}
	}
	return s.renderCycleCopy(c, status, func(v *cycleCopyView) {
		v.Form, v.Errors, v.Message = form, problems, msg
	})
}
