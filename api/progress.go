package api

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
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
	// Totals are the cycle-wide cells under Groups, over all leaders.
	Totals      []progressCell
	LeaderCount int
	Leaders     []leaderProgressView
	// Page of Pages is the page of leaders shown; First and Last number
	// its leaders in the whole list. Prev and Next are links, empty at
	// either end.
	Page, Pages, First, Last int
	Prev, Next               string
	Failed                   []raterStatusView
	// Round is the reminder round this page shows; "remind now" sends it
	// back, so a second click sends nothing.
	Round int
	// Selected is the leader whose raters are listed, if any.
	Selected *selectedLeader
	// Assessed: the admin is a leader of this cycle, and their own raters
	// are left out of the page.
	Assessed bool
	// Daily is the chart of surveys submitted per day.
	Daily *dailyView
}

type leaderProgressView struct {
	Name, Email string
	// Own is the admin's own row: no counts, no link to their raters.
	Own bool
	// Link selects the leader and stays on this page.
	Link  string
	Cells []progressCell
	Rate  string
}

// progressCell is one group's counts; Present is false when there is
// nobody in the group.
type progressCell struct {
	Present                    bool
	Invited, Submitted, Failed int
}

// progressCells lays counts out under the page's group headings.
func progressCells(gs []assessment.GroupCount) []progressCell {
	cells := make([]progressCell, len(assessment.Relationships))
	for _, g := range gs {
		if j := slices.Index(assessment.Relationships, g.Relationship); j >= 0 {
			cells[j] = progressCell{Present: true, Invited: g.Invited, Submitted: g.Submitted, Failed: g.Failed}
		}
	}
	return cells
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

// progressPage answers GET /cycles/:id/progress: the cycle's response
// rate, counts per group and failed emails, counts per leader and group
// for one page of leaders (?page=), and with ?leader= that leader's raters
// one by one (admins only, see above).
func (s *Server) progressPage(c echo.Context) error {
	return s.renderProgress(c, http.StatusOK, "")
}

// pageNumber reads ?page= of a paged list. A number out of range is
// clamped by the service and anything else shows page 1, so an edited or
// stale link never fails.
func pageNumber(raw string) int {
	n, err := strconv.Atoi(raw)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 1
	}
	return n // on ErrRange, Atoi gives the nearest int
}

// progressPath is the address of a page of the progress page with a
// leader selected (or none): every link of the page keeps both.
func progressPath(cycleID string, page int, leader string) string {
	q := url.Values{"page": {strconv.Itoa(page)}}
	if leader != "" {
		q.Set("leader", leader)
	}
	return "/cycles/" + cycleID + "/progress?" + q.Encode()
}

func (s *Server) renderProgress(c echo.Context, status int, message string) error {
	ctx, orgID, id := c.Request().Context(), cycleAdmin(c).OrganizationID, c.Param("id")
	p, err := s.svc.CycleProgress(ctx, orgID, id, assessment.ProgressQuery{
		Page: pageNumber(c.QueryParam("page")), Leader: c.QueryParam("leader"), Viewer: cycleAdmin(c).Email})
	if err != nil {
		return err
	}
	v := progressView{page: s.pageFor(c), Notice: noticeFor(c), Message: message, CycleID: p.Cycle.ID, Name: p.Cycle.Name,
		Status: cycleStatusLabel(p.Cycle.Status), ClosesAt: Moment(p.Cycle.ClosesAt), Open: p.Cycle.Status == assessment.StatusOpen,
		Rate: responseRateText(p.Total), Total: p.Total, Totals: progressCells(p.Groups), LeaderCount: p.LeaderCount,
		Page: p.Page, Pages: p.Pages, First: (p.Page-1)*assessment.ProgressPageSize + 1,
		Last: (p.Page-1)*assessment.ProgressPageSize + len(p.Leaders), Failed: raterStatusViews(p.Failed), Round: p.Settings.ReminderRounds,
		Assessed: p.Own != "", Daily: newDailyView(p.Daily)}
	selected := ""
	if p.Selected != nil {
		selected = p.Selected.Participant.ID
		v.Selected = &selectedLeader{ParticipantID: selected, Name: p.Selected.Leader.Name, Raters: raterStatusViews(p.Selected.Raters)}
	}
	if p.Page > 1 {
		v.Prev = progressPath(p.Cycle.ID, p.Page-1, selected)
	}
	if p.Page < p.Pages {
		v.Next = progressPath(p.Cycle.ID, p.Page+1, selected)
	}
	for _, r := range assessment.Relationships {
		v.Groups = append(v.Groups, r.GroupLabel())
	}
	v.Leaders = make([]leaderProgressView, len(p.Leaders))
	for i, l := range p.Leaders {
		v.Leaders[i] = leaderProgressView{Name: l.Leader.Name, Email: l.Leader.Email, Own: l.Own,
			Link: progressPath(p.Cycle.ID, p.Page, l.Participant.ID) + "#raters", Cells: progressCells(l.Groups), Rate: responseRateText(l.Total)}
	}
	return s.render.render(c, status, "progress", v)
}

// remindForm carries the reminder round the page showed, so a second click
// sends nothing, and the page to return to.
type remindForm struct {
	Round string `form:"round" validate:"required,max=6"`
	From  string `form:"from" validate:"omitempty,oneof=home progress"`
}

// remindNow answers POST /cycles/:id/remind: one reminder email now to
// every rater with a survey still to submit, listing only those surveys.
func (s *Server) remindNow(c echo.Context) error { return s.remind(c, "") }

// remindLeader answers POST /cycles/:id/leaders/:pid/remind: the same for
// the raters of one leader, from the home page's list of leaders short of
// answers or the progress page's leader.
func (s *Server) remindLeader(c echo.Context) error { return s.remind(c, c.Param("pid")) }

// remind sends the reminders of the cycle, or of the leader's raters when
// leader is not empty, and returns to the page the form came from.
func (s *Server) remind(c echo.Context, leader string) error {
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
	ctx, cycleID := c.Request().Context(), c.Param("id")
	var done assessment.Reminded
	back := "/cycles/" + cycleID + "/progress"
	if leader == "" {
		done, err = s.svc.RemindNow(ctx, u.OrganizationID, cycleID, round, u.ID)
	} else {
		done, err = s.svc.RemindLeaderRaters(ctx, u.OrganizationID, cycleID, leader, round, u.ID)
		back += "?leader=" + url.QueryEscape(leader) + "#raters"
	}
	if err != nil {
		_, msg, status, fatal := formOutcome(err)
		if fatal != nil {
			return fatal
		}
		return s.renderProgress(c, status, msg)
	}
	if form.From == "home" {
		back = "/dashboard"
	}
	return redirectNotice(c, back, "reminded", done.Emails)
}
