package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// Invitation management for HR: every survey invitation of a cycle with its
// delivery status, failed emails first; resend (a new link, the old one
// revoked) and revoke while the cycle is open; excluding the answers of a
// rater who submitted until the results are released (exclusions.go).

type invitationsView struct {
	page
	Cycle assessment.Cycle
	Open  bool
	// Actions: links can be changed (Open), or answers still excluded
	// (closed, not released).
	Actions bool
	Rows    []invitationLine
	Failed  int
	Notice  string
	Message string
}

type invitationLine struct {
	ID           string
	Leader       string
	Rater        string
	RaterEmail   string
	Relationship string
	State        string // a word, so colour is never needed to read it
	Class        string
	Failure      string
	SentAt       Moment
	FailedAt     Moment
	Live         bool
	// Answers says whether the rater answered, in words ("" before);
	// Excludable offers the exclusion of their answers, Excluded says it
	// was done (no new link then).
	Answers              string
	Excludable, Excluded bool
}

var invitationStates = map[assessment.InvitationState]string{
	assessment.InvitationFailed:  "Email failed",
	assessment.InvitationQueued:  "Queued",
	assessment.InvitationSent:    "Sent",
	assessment.InvitationRevoked: "Revoked",
}

// invitationNotices are the fixed messages after a redirect; the query
// names one, so no text from the URL reaches the page.
var invitationNotices = map[string]string{
	"resent":   "A new link was emailed. The previous link no longer works.",
	"revoked":  "The link was revoked. Resend it to give the rater a new one.",
	"excluded": "The answers were excluded: they count in no figure, and the rater's link no longer works.",
}

// invitationsPage answers GET /cycles/:id/invitations.
func (s *Server) invitationsPage(c echo.Context) error {
	return s.renderInvitations(c, http.StatusOK, invitationNotices[c.QueryParam("notice")], "")
}

func (s *Server) renderInvitations(c echo.Context, status int, notice, message string) error {
	u, _ := currentUser(c)
	cycle, list, err := s.svc.CycleInvitations(c.Request().Context(), u.OrganizationID, c.Param("id"), u.Email)
	if err != nil {
		return err
	}
	v := invitationsView{page: s.pageFor(c), Cycle: cycle, Open: cycle.AcceptsAnswers(s.svc.Now()), Notice: notice, Message: message}
	v.Actions = v.Open || cycle.Status == assessment.StatusClosed
	for _, st := range list {
		inv := st.Invitation
		state := st.State()
		line := invitationLine{ID: inv.ID, Leader: st.Leader.Name, Rater: st.Rater.Name, RaterEmail: st.Rater.Email,
			Relationship: st.Assignment.Relationship.Label(), State: invitationStates[state], Class: string(state),
			Live: inv.RevokedAt == nil, Excluded: st.Excluded, Excludable: st.Submitted && !st.Excluded && st.Assignment.Relationship != assessment.Self}
		switch {
		case st.Excluded:
			line.Answers = "Answers excluded"
		case st.Submitted:
			line.Answers = "Answered"
		}
		if inv.SentAt != nil {
			line.SentAt = Moment(*inv.SentAt)
		}
		if state == assessment.InvitationFailed {
			line.Failure, line.FailedAt = inv.Failure, Moment(*inv.FailedAt)
			v.Failed++
		}
		v.Rows = append(v.Rows, line)
	}
	return s.render.render(c, status, "invitations", v)
}

// resendInvitation answers POST /cycles/:id/invitations/:iid/resend.
func (s *Server) resendInvitation(c echo.Context) error {
	u, _ := currentUser(c)
	_, err := s.svc.ResendInvitation(c.Request().Context(), u.OrganizationID, c.Param("id"), c.Param("iid"), u.ID)
	return s.afterInvitationChange(c, err, "resent")
}

// revokeInvitation answers POST /cycles/:id/invitations/:iid/revoke; a
// rater who submitted goes to the exclusion's confirmation instead.
func (s *Server) revokeInvitation(c echo.Context) error {
	u, _ := currentUser(c)
	err := s.svc.RevokeInvitation(c.Request().Context(), u.OrganizationID, c.Param("id"), c.Param("iid"), u.ID)
	if done, err := revokedSubmitted(c, err); done {
		return err
	}
	return s.afterInvitationChange(c, err, "revoked")
}

// afterInvitationChange redirects back to the list, or shows it with the
// reason a change was refused (the cycle closed, a second click).
func (s *Server) afterInvitationChange(c echo.Context, err error, notice string) error {
	if assessment.ErrorCode(err) == assessment.CodeConflict {
		_, msg, _ := formProblems(err)
		return s.renderInvitations(c, http.StatusConflict, "", msg)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/cycles/"+c.Param("id")+"/invitations?notice="+notice)
}

// notOwnInvitation answers 404 for an invitation of the signed-in admin's
// own raters: an assessed admin must not learn, by resending, revoking or
// excluding, who has answered about them (TRUST.md rule 3).
func (s *Server) notOwnInvitation(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, _ := currentUser(c)
		own, err := s.svc.ViewersOwnInvitation(c.Request().Context(), u.OrganizationID, c.Param("id"), c.Param("iid"), u.Email)
		if err != nil {
			return err
		}
		if own {
			return echo.ErrNotFound
		}
		return next(c)
	}
}
