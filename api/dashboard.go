package api

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

type dashboardView struct {
	page
	Home   *adminHomeView
	Notice string
}

type adminHomeView struct {
	Open     []openCycleView
	Closed   []assessment.Cycle
	Released []assessment.Cycle
	Drafts   []assessment.Cycle
	Empty    bool
}

// openCycleView is one open cycle's card: when it closes, its response
// rate overall and per group, and what needs attention.
type openCycleView struct {
	ID, Name string
	ClosesAt Moment
	DaysLeft string
	Rate     string
	Groups   []groupRateView
	// Risks are the leaders short of answers: first those with a group
	// that will not reach the threshold at the cycle's pace (every short
	// group while the pace is unknown), then those on their way.
	Risks     []riskList
	PaceKnown bool
	PaceShare string // "17%" of the surveys waiting submitted per day; "" for none
	Round     int    // the reminder round, for the "remind" buttons
	BelowK    int    // leaders with a group invited below the threshold
	Failed    int    // invitations whose email failed
	Own       bool   // the viewer is assessed in it: their raters left out
	Threshold int
}

type groupRateView struct {
	Label, Rate string
}

// dashboard answers GET /dashboard, the landing page after sign-in: for an
// admin, every cycle that needs attention and its next step; for a leader,
// their home (leaderHome).
func (s *Server) dashboard(c echo.Context) error {
	u, _ := currentUser(c)
	switch currentRole(c) {
	case assessment.RoleLeader:
		return s.leaderHome(c)
	case "":
		return chooseRoleFirst(c)
	}
	home, err := s.svc.AdminHome(c.Request().Context(), u.OrganizationID, u.Email)
	if err != nil {
		return err
	}
	v := dashboardView{page: s.pageFor(c), Notice: noticeFor(c), Home: newAdminHomeView(home)}
	return s.render.render(c, http.StatusOK, "dashboard", v)
}

// riskList is one list of leaders short of answers, behind their pace or
// not: the homeRisks furthest behind of Total, More not shown.
type riskList struct {
	Behind      bool
	Leaders     []leaderRiskView
	Total, More int
}

// homeRisks is how many leaders each list shows: enough to act on at
// once; a cycle of a thousand leaders lists the rest on its progress page.
const homeRisks = 10

// leaderRiskView is a leader with a group short of answers: "peers 2 of 4".
type leaderRiskView struct {
	ParticipantID, Name, Short string
}

func newAdminHomeView(h assessment.AdminHome) *adminHomeView {
	v := &adminHomeView{Closed: h.Closed, Released: h.Released, Drafts: h.Drafts,
		Empty: len(h.Open)+len(h.Closed)+len(h.Released)+len(h.Drafts) == 0}
	for _, o := range h.Open {
		ov := openCycleView{ID: o.Cycle.ID, Name: o.Cycle.Name, ClosesAt: Moment(o.Cycle.ClosesAt), Rate: responseRateText(o.Total), Round: o.ReminderRound,
			BelowK: o.InvitedBelowThreshold, Failed: o.Failed, Own: o.Own,
			Threshold: max(o.Cycle.AnonymityThreshold, assessment.MinAnonymityThreshold)}
		switch o.DaysLeft {
		case 0:
			ov.DaysLeft = "closes today"
		case 1:
			ov.DaysLeft = "1 day left"
		default:
			ov.DaysLeft = strconv.Itoa(o.DaysLeft) + " days left"
		}
		for _, g := range o.Groups {
			ov.Groups = append(ov.Groups, groupRateView{Label: g.Relationship.GroupLabel(), Rate: responseRateText(g)})
		}
		ov.PaceKnown = o.Pace.Known
		ov.PaceShare = paceShareText(o.Pace.DailyShare())
		ov.Risks = riskLists(o.AtRisk, ov.Threshold)
		v.Open = append(v.Open, ov)
	}
	return v
}

// outlookText says where a group short of answers stands and, once the
// cycle has a pace, where it is heading: "peers 1 of 3, about 2 by the
// close date". The expected count is rounded down, so it agrees with
// whether the group is behind.
func outlookText(g assessment.GroupOutlook, k int) string {
	now := g.Relationship.Plural() + " " + strconv.Itoa(g.Submitted) + " of " + strconv.Itoa(g.Invited)
	switch {
	case g.Reachable < k:
		return now + ": " + strconv.Itoa(g.Failed) + " email" + plural(g.Failed) + " failed, so at most " + strconv.Itoa(g.Reachable) + " can answer"
	case !g.PaceKnown:
		return now
	}
	return now + ", about " + strconv.Itoa(int(g.Expected)) + " by the close date"
}

// paceShareText is the daily share of waiting surveys submitted, in whole
// percent, never rounded to a misleading "0%" while some do come in.
func paceShareText(share float64) string {
	switch {
	case share <= 0:
		return ""
	case share < 0.01:
		return "less than 1%"
	}
	return strconv.Itoa(int(100*share)) + "%"
}

// riskLists splits the leaders short of answers into those behind the
// cycle's pace and those on their way, each furthest behind first, each
// cut to homeRisks.
func riskLists(risks []assessment.LeaderRisk, k int) []riskList {
	risks = slices.Clone(risks)
	slices.SortStableFunc(risks, func(a, b assessment.LeaderRisk) int { return cmp.Compare(b.Shortfall(k), a.Shortfall(k)) })
	behind, onPace := riskList{Behind: true}, riskList{}
	for _, r := range risks {
		l := &onPace
		if r.Behind(k) {
			l = &behind
		}
		if l.Total++; len(l.Leaders) == homeRisks {
			l.More++
			continue
		}
		short := make([]string, len(r.Short))
		for i, g := range r.Short {
			short[i] = outlookText(g, k)
		}
		l.Leaders = append(l.Leaders, leaderRiskView{ParticipantID: r.ParticipantID, Name: r.Name, Short: strings.Join(short, "; ")})
	}
	var out []riskList
	for _, l := range []riskList{behind, onPace} {
		if l.Total > 0 {
			out = append(out, l)
		}
	}
	return out
}
