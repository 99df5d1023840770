package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// The admin progress page. Confidentiality choice (TRUST.md rule 3):
// leaders see counts per group only, never who has answered; their pages
// are built elsewhere and never from RaterStatuses. HR needs to know whom
// to chase and whose email bounced, so this admin-only page also lists,
// per leader on request (?leader=) and for failed emails cycle-wide, each
// rater's invitation status: invited, email failed, submitted. It shows
// status only, never answers, and exists only behind requireAdmin.

// progressView is the view model of GET /cycles/:id/progress.
type progressView struct {
	page
	Notice   string
	Message  string
	CycleID  string
	Name     string
	Status   string
	ClosesAt Moment
	Open     bool
	Rate     string
	Total    assessment.GroupCount
	Groups   []string // column headings, in report order
	Leaders  []leaderProgressView
	Failed   []raterStatusView
	// Round is the reminder round this page shows; "remind now" sends it
	// back, so a second click sends nothing.
	Round int
	// Selected is the leader whose raters are listed, if any.
	Selected *selectedLeader
}

type leaderProgressView struct {
	ParticipantID string
	Name, Email   string
	Cells         []progressCell
	Rate          string
}

// progressCell is one group's counts; Present is false when the leader has
// nobody in the group.
type progressCell struct {
	Present                    bool
	Invited, Submitted, Failed int
}

type selectedLeader struct {
	ParticipantID string
	Name          string
	Raters        []raterStatusView
}

type raterStatusView struct {
	Leader       string
	Name, Email  string
	Relationship string
	Status       string
	Failure      string
	SentAt       Moment
}

// raterStatusText says where one rater is, in words (never colour alone).
func raterStatusText(r assessment.RaterStatus) string {
	switch {
	case r.Submitted:
		return "Submitted"
	case !r.Invited:
		return "Not invited yet"
	case r.FailedAt != nil:
		return "Email failed"
	case r.SentAt != nil:
		return "Invited, not submitted"
	}
	return "Invitation queued"
}

func raterStatusViews(rs []assessment.RaterStatus) []raterStatusView {
	out := make([]raterStatusView, len(rs))
	for i, r := range rs {
		out[i] = raterStatusView{Leader: r.Leader.Name, Name: r.Rater.Name, Email: r.Rater.Email,
			Relationship: r.Assignment.Relationship.Label(), Status: raterStatusText(r), Failure: r.Failure}
		if r.SentAt != nil {
			out[i].SentAt = Moment(*r.SentAt)
		}
	}
	return out
}

// progressPage answers GET /cycles/:id/progress: counts per leader and
// group, the cycle's response rate, failed emails, and with ?leader= that
// leader's raters one by one (admins only, see above).
func (s *Server) progressPage(c echo.Context) error {
	return s.renderProgress(c, http.StatusOK, "")
}

func (s *Server) renderProgress(c echo.Context, status int, message string) error {
	ctx, orgID, id := c.Request().Context(), cycleAdmin(c).OrganizationID, c.Param("id")
	p, err := s.svc.CycleProgress(ctx, orgID, id)
	if err != nil {
		return err
	}
	v := progressView{page: s.pageFor(c), Notice: noticeFor(c), Message: message, CycleID: p.Cycle.ID, Name: p.Cycle.Name,
		Status: cycleStatusLabel(p.Cycle.Status), ClosesAt: Moment(p.Cycle.ClosesAt), Open: p.Cycle.Status == assessment.StatusOpen,
		Rate: responseRateText(p.Total), Total: p.Total, Failed: raterStatusViews(p.Failed), Round: p.Settings.ReminderRounds}
	for _, r := range assessment.Relationships {
		v.Groups = append(v.Groups, cycleGroupLabel(r))
	}
	v.Leaders = make([]leaderProgressView, len(p.Leaders))
	for i, l := range p.Leaders {
		lv := leaderProgressView{ParticipantID: l.Participant.ID, Name: l.Leader.Name, Email: l.Leader.Email,
			Cells: make([]progressCell, len(assessment.Relationships)), Rate: responseRateText(l.Total)}
		for _, g := range l.Groups {
			for j, r := range assessment.Relationships {
				if r == g.Relationship {
					lv.Cells[j] = progressCell{Present: true, Invited: g.Invited, Submitted: g.Submitted, Failed: g.Failed}
				}
			}
		}
		v.Leaders[i] = lv
		if l.Participant.ID == c.QueryParam("leader") {
			rs, err := s.svc.LeaderRaterStatuses(ctx, orgID, id, l.Participant.ID)
			if err != nil {
				return err
			}
			v.Selected = &selectedLeader{ParticipantID: l.Participant.ID, Name: l.Leader.Name, Raters: raterStatusViews(rs)}
		}
	}
	return s.render.render(c, status, "progress", v)
}

// remindForm carries the reminder round the page showed.
type remindForm struct {
	Round string `form:"round" validate:"required,max=6"`
}

// remindNow answers POST /cycles/:id/remind: one reminder email now to
// every rater with a survey still to submit, listing only those surveys.
func (s *Server) remindNow(c echo.Context) error {
	u := cycleAdmin(c)
	var form remindForm
	problems, err := bindForm(c, &form)
	if err != nil {
		return err
	}
	round, cerr := strconv.Atoi(form.Round)
	if problems != nil || cerr != nil {
		return s.renderProgress(c, http.StatusUnprocessableEntity, "The form was damaged. Reload the page and try again.")
	}
	done, err := s.svc.RemindNow(c.Request().Context(), u.OrganizationID, c.Param("id"), round, u.ID)
	if err != nil {
		_, msg, status, fatal := formOutcome(err)
		if fatal != nil {
			return fatal
		}
		return s.renderProgress(c, status, msg)
	}
	return redirectNotice(c, "/cycles/"+c.Param("id")+"/progress", "reminded", done.Emails)
}
