package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// A leader's own pages: their cycles, what they may see of who has answered
// while a cycle is open (assessment.Completion: counts per group once a
// day, none for small groups), their results after release and their
// action plan. Every
// lookup starts from the signed-in leader's person (OwnParticipation), so a
// leader never reaches another leader's results, whoever else they are.

type leaderHomeView struct {
	page
	Cycles []leaderCycleView
	// Nominations counts the cycles whose rater list the leader may still
	// propose or change.
	Nominations int
}

type leaderCycleView struct {
	assessment.LeaderCycle
	Released bool
	Open     bool
}

// leaderHome answers GET /me (and /dashboard for a leader): open
// nominations first, then the signed-in leader's cycles, with the focus
// skill and the action plan's state of released ones.
func (s *Server) leaderHome(c echo.Context) error {
	u, _ := currentUser(c)
	cycles, err := s.svc.LeaderCycles(c.Request().Context(), u)
	if err != nil {
		return err
	}
	sheets, err := s.svc.LeaderNominationCycles(c.Request().Context(), u)
	if err != nil {
		return err
	}
	v := leaderHomeView{page: s.pageFor(c)}
	for _, sh := range sheets {
		if sh.Editable() {
			v.Nominations++
		}
	}
	for _, lc := range cycles {
		v.Cycles = append(v.Cycles, leaderCycleView{LeaderCycle: lc, Released: lc.Cycle.Status == assessment.StatusReleased,
			Open: lc.Cycle.Status == assessment.StatusOpen})
	}
	return s.render.render(c, http.StatusOK, "leader_home", v)
}

// ownParticipation is the signed-in leader's participation in the route's
// cycle, or not found.
func (s *Server) ownParticipation(c echo.Context) (assessment.User, assessment.Participant, error) {
	u, _ := currentUser(c)
	p, err := s.svc.OwnParticipation(c.Request().Context(), u, c.Param("id"))
	return u, p, err
}

// leaderResults answers GET /me/cycles/:id: the leader's own report as a
// page, once the cycle is released. Views are audited.
func (s *Server) leaderResults(c echo.Context) error {
	u, p, err := s.ownParticipation(c)
	if err != nil {
		return err
	}
	r, err := s.svc.ParticipantReport(c.Request().Context(), u.OrganizationID, p.CycleID, p.ID)
	if err != nil {
		return s.notReleased(c, err, "/me")
	}
	if err := s.audit(c, assessment.ActionReportView, "participant", p.ID, reportDetail(r)); err != nil {
		return err
	}
	v := newReportView(s.pageFor(c), r, true)
	base := "/me/cycles/" + p.CycleID
	v.Back, v.PDF, v.Plan = "/me", base+"/report.pdf", base+"/plan"
	return s.render.render(c, http.StatusOK, "results_report", v)
}

// leaderPDF answers GET /me/cycles/:id/report.pdf: the leader's own PDF.
func (s *Server) leaderPDF(c echo.Context) error {
	u, p, err := s.ownParticipation(c)
	if err != nil {
		return err
	}
	return s.sendReportPDF(c, u.OrganizationID, p.CycleID, p.ID, "/me")
}

type planForm struct {
	Skill        string `form:"skill" validate:"max=100"`
	Behaviour    string `form:"behaviour" validate:"max=4000"`
	Situation    string `form:"situation" validate:"max=4000"`
	FeedbackFrom string `form:"feedback_from" validate:"max=4000"`
	CheckInDate  string `form:"check_in_date" validate:"max=20"`
}

type planView struct {
	page
	CycleName string
	Action    string
	Back      string
	Form      planForm
	Errors    map[string]string
	Message   string
	Saved     bool
	Skills    []planSkill
	// Behaviours are the development suggestions of the chosen skill (the
	// focus skill at first), offered as examples to pick from: the ideas
	// for the leader's lowest-rated behaviours first, none for a behaviour
	// among their highest-rated.
	Behaviours []assessment.Behaviour
	FocusName  string
}

type planSkill struct {
	Key, Name string
	Focus     bool
}

// planPage answers GET /me/cycles/:id/plan: the action plan form, filled
// with the saved plan, or with the report's focus skill preselected.
func (s *Server) planPage(c echo.Context) error {
	u, p, err := s.ownParticipation(c)
	if err != nil {
		return err
	}
	r, err := s.svc.ParticipantReport(c.Request().Context(), u.OrganizationID, p.CycleID, p.ID)
	if err != nil {
		return s.notReleased(c, err, "/me")
	}
	form := planForm{Skill: r.Leader.Focus.Skill}
	plan, found, err := s.svc.ActionPlanOf(c.Request().Context(), u.OrganizationID, p.ID)
	if err != nil {
		return err
	}
	if found {
		form = planForm{Skill: plan.Skill, Behaviour: plan.Behaviour, Situation: plan.Situation, FeedbackFrom: plan.FeedbackFrom,
			CheckInDate: plan.CheckInDate.Format("2006-01-02")}
	}
	return s.renderPlan(c, http.StatusOK, r, p, form, nil, "", c.QueryParam("saved") == "1")
}

// savePlan answers POST /me/cycles/:id/plan: saved, then back to the form
// with a confirmation; bad input comes back with the input kept.
func (s *Server) savePlan(c echo.Context) error {
	u, p, err := s.ownParticipation(c)
	if err != nil {
		return err
	}
	var form planForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	r, err := s.svc.ParticipantReport(c.Request().Context(), u.OrganizationID, p.CycleID, p.ID)
	if err != nil {
		return s.notReleased(c, err, "/me")
	}
	if problems != nil {
		return s.renderPlan(c, http.StatusUnprocessableEntity, r, p, form, problems, "", false)
	}
	_, err = s.svc.SaveActionPlan(c.Request().Context(), u, p.CycleID, assessment.PlanInput{Skill: form.Skill, Behaviour: form.Behaviour,
		Situation: form.Situation, FeedbackFrom: form.FeedbackFrom, CheckInDate: form.CheckInDate})
	if err != nil {
		fields, msg, ok := formProblems(err)
		if !ok {
			return s.notReleased(c, err, "/me")
		}
		return s.renderPlan(c, http.StatusUnprocessableEntity, r, p, form, fields, msg, false)
	}
	return c.Redirect(http.StatusSeeOther, "/me/cycles/"+p.CycleID+"/plan?saved=1")
}

func (s *Server) renderPlan(c echo.Context, status int, r assessment.LeaderReport, p assessment.Participant, form planForm,
	problems map[string]string, msg string, saved bool) error {
	v := planView{page: s.pageFor(c), CycleName: r.CycleName, Action: "/me/cycles/" + p.CycleID + "/plan",
		Back: "/me/cycles/" + p.CycleID, Form: form, Errors: problems, Message: msg, Saved: saved}
	for _, sk := range r.Instrument.Skills {
		focus := sk.Key == r.Leader.Focus.Skill
		v.Skills = append(v.Skills, planSkill{Key: sk.Key, Name: sk.Name, Focus: focus})
		if focus {
			v.FocusName = sk.Name
		}
	}
	suggestFor := form.Skill
	if suggestFor == "" {
		suggestFor = r.Leader.Focus.Skill
	}
	if sg, ok := r.Suggestions.For(suggestFor); ok {
		for _, idea := range sg.IdeasFor(&r.Leader) {
			v.Behaviours = append(v.Behaviours, idea.Behaviour)
		}
	}
	return s.render.render(c, status, "plan", v)
}
