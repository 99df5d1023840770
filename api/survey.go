package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// Survey pages live under /s/<token>. The token is a capability for one
// invitation: every page looks it up, and an unknown, revoked or closed one
// gets the same plain page.

// surveyPage answers GET and HEAD /s/:token: one step of the survey, with
// the saved answers; without ?step, the step where the rater stopped. It
// only reads; mail scanners open links before people do.
func (s *Server) surveyPage(c echo.Context) error {
	token := c.Param("token")
	sv, err := s.svc.Survey(c.Request().Context(), token)
	if err != nil {
		return err
	}
	step, _ := strconv.Atoi(c.QueryParam("step"))
	v := newSurveyView(&sv, token, step, formFromResponse(sv.Response), nil)
	if c.QueryParam("saved") == "1" {
		v.Notice = "Your answers so far are saved. To go on later, open the link in your email again, on any device: the survey opens where you stopped."
	}
	return s.render.render(c, http.StatusOK, "survey", v)
}

// surveySave answers POST /s/:token: a step's Next, Back, "Save and finish
// later" and, on the review step, Submit. Each saves the step. A rejected
// form comes back with everything typed still in place and the messages
// first on the page and next to the fields; a success redirects (303) so
// reloading repeats nothing.
func (s *Server) surveySave(c echo.Context) error {
	form, problems, err := bindSurveyForm(c)
	if err != nil {
		return err
	}
	token := c.Param("token")
	if problems == nil {
		_, err = s.svc.SaveSurvey(c.Request().Context(), token, form.input())
		if err == nil {
			return c.Redirect(http.StatusSeeOther, surveyNext(token, form))
		}
	}
	return s.rerenderSurvey(c, token, form, problems, err)
}

// surveyNext is where a saved form goes: the next or previous step, the same
// step with a "saved" notice, or the thank-you page after submitting.
func surveyNext(token string, f surveyForm) string {
	link := "/s/" + token
	switch {
	case f.Action == "submit":
		return link + "/done"
	case f.Step == 0:
		return link + "?saved=1"
	case f.Action == "next":
		return fmt.Sprintf("%s?step=%d", link, f.Step+1)
	case f.Action == "back":
		return fmt.Sprintf("%s?step=%d", link, max(1, f.Step-1))
	}
	return fmt.Sprintf("%s?step=%d&saved=1", link, f.Step)
}

// rerenderSurvey shows the step again with the rater's input after a
// rejected save: 422 with per-field messages, or 409 when another window
// saved first (then with the stored version, so saving again is the rater's
// explicit choice, never a silent overwrite). Other errors pass through. A
// rejected Submit shows the review step, whose messages link to each
// missing answer.
func (s *Server) rerenderSurvey(c echo.Context, token string, form surveyForm, problems map[string]string, err error) error {
	status, message := http.StatusUnprocessableEntity, ""
	if err != nil {
		var de *assessment.Error
		if !errors.As(err, &de) || (de.Code != assessment.CodeInvalid && de.Code != assessment.CodeConflict) {
			return err
		}
		problems = de.Fields
		status = statusOf(de.Code)
		if de.Code == assessment.CodeConflict || len(de.Fields) == 0 {
			message = de.Message
		}
	}
	sv, serr := s.svc.Survey(c.Request().Context(), token)
	if serr != nil {
		return serr
	}
	if status == http.StatusConflict {
		form.Version = sv.Response.Version
	}
	v := newSurveyView(&sv, token, form.Step, form, problems)
	if message == "" {
		message = problemCount(v)
	}
	v.Error = message
	return s.render.render(c, status, "survey", v)
}

// problemCount heads the list of problems: how many, and what they are.
func problemCount(v surveyView) string {
	unanswered := 0
	for _, p := range v.Problems {
		if p.Unanswered {
			unanswered++
		}
	}
	switch {
	case len(v.Problems) == 0:
		return "Your answers could not be saved."
	case unanswered == len(v.Problems) && unanswered == 1:
		return "1 statement still needs an answer before you can submit."
	case unanswered == len(v.Problems):
		return fmt.Sprintf("%d statements still need an answer before you can submit.", unanswered)
	case len(v.Problems) == 1:
		return "1 answer needs your attention."
	}
	return fmt.Sprintf("%d answers need your attention.", len(v.Problems))
}

// autosaveResult is the JSON answer of a successful autosave.
type autosaveResult struct {
	Version int       `json:"version"`
	SavedAt time.Time `json:"saved_at"`
}

// surveyAutosave answers POST /s/:token/autosave, which the survey script
// sends every few seconds while the rater types. It saves like "Save draft"
// and answers JSON: the new version, or the error (409 when another window
// saved first; the script then stops and tells the rater).
func (s *Server) surveyAutosave(c echo.Context) error {
	form, problems, err := bindSurveyForm(c)
	if err != nil {
		return err
	}
	if problems != nil {
		return &assessment.Error{Code: assessment.CodeInvalid, Message: "Some answers cannot be saved.", Fields: problems}
	}
	form.Action = "save"
	sv, err := s.svc.SaveSurvey(c.Request().Context(), c.Param("token"), form.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, autosaveResult{Version: sv.Response.Version, SavedAt: sv.Response.UpdatedAt})
}

// surveyDone answers GET and HEAD /s/:token/done: the page after submitting.
func (s *Server) surveyDone(c echo.Context) error {
	token := c.Param("token")
	sv, err := s.svc.Survey(c.Request().Context(), token)
	if err != nil {
		return err
	}
	return s.render.render(c, http.StatusOK, "survey_done", newSurveyView(&sv, token, 0, formFromResponse(sv.Response), nil))
}

// bindSurveyForm parses the posted form; only a body that is not a form at
// all is an error, anything else comes back as per-field problems.
func bindSurveyForm(c echo.Context) (surveyForm, map[string]string, error) {
	values, err := c.FormParams()
	if err != nil {
		return surveyForm{}, nil, echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	f, problems := decodeSurveyForm(values)
	return f, problems, nil
}

// formFromResponse fills the form from saved answers.
func formFromResponse(r assessment.Response) surveyForm {
	f := surveyForm{Version: r.Version, Answers: map[string]string{}, Comments: map[string]string{}}
	for _, a := range r.Answers {
		if a.Value == assessment.NotObserved {
			f.Answers[a.ItemKey] = notObserved
		} else {
			f.Answers[a.ItemKey] = strconv.Itoa(a.Value)
		}
	}
	for _, cm := range r.Comments {
		f.Comments[cm.QuestionKey] = cm.Body
	}
	return f
}

// surveyHeaders keeps survey pages out of caches and history sharing: the
// URL is a capability. (CSP, nosniff and Referrer-Policy come from
// securityHeaders for every page; they are repeated here so survey pages
// keep them whatever happens to the global set.)
func surveyHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Cache-Control", "no-store")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Robots-Tag", "noindex, nofollow")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		return next(c)
	}
}

// Default limit of dead survey links per client address: a person who
// mistypes or reopens an old link a few times is never held up; a token
// guesser gets one try in ten seconds.
const (
	defaultDeadLinkBurst = 20
	defaultDeadLinkEvery = 10 * time.Second
)

// surveyLimit refuses (429) a client address that has tried too many
// survey links that open nothing: unknown, revoked or closed, all answered
// by the same "cannot be used" page (CodeNotFound). Only those lookups
// count. A whole office behind one address (NAT) opening and autosaving
// valid links spends nothing, where a limit on every request refused raters
// within minutes of a reminder email.
func (s *Server) surveyLimit() echo.MiddlewareFunc {
	burst, every := s.deps.DeadLinkBurst, s.deps.DeadLinkEvery
	if burst <= 0 {
		burst = defaultDeadLinkBurst
	}
	if every <= 0 {
		every = defaultDeadLinkEvery
	}
	dead := throttle{s.svc, assessment.Limit{Name: "survey_link_address", Burst: burst, Every: every}}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ctx, key := c.Request().Context(), clientKey(c.RealIP())
			ok, wait, err := dead.allowed(ctx, key)
			if err != nil {
				return err
			}
			if !ok {
				retryAfter(c.Response().Header(), wait)
				return echo.NewHTTPError(http.StatusTooManyRequests, "Too many survey links from your address could not be opened. Please wait a minute, then open the link from your email again.")
			}
			err = next(c)
			if assessment.ErrorCode(err) == assessment.CodeNotFound {
				if ferr := dead.fail(ctx, key); ferr != nil {
					return ferr
				}
			}
			return err
		}
	}
}
