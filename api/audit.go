package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
)

// auditPageSize is how many entries one page of the audit log shows.
const auditPageSize = 50

// auditActions name the audit log's actions in words; an action without a
// name here is shown as recorded.
var auditActions = map[string]string{
	assessment.ActionCycleCreate:     "Created a cycle",
	assessment.ActionCycleEdit:       "Edited a draft cycle",
	assessment.ActionCycleOpen:       "Opened a cycle",
	assessment.ActionCycleRelease:    "Released results",
	assessment.ActionCycleDelete:     "Deleted a draft cycle",
	assessment.ActionCycleCopy:       "Copied a cycle's leaders and raters",
	assessment.ActionLeaderAdd:       "Added a leader to a draft cycle",
	assessment.ActionLeaderRemove:    "Removed a leader from a draft cycle",
	assessment.ActionRaterAdd:        "Asked a rater in a draft cycle",
	assessment.ActionRaterRemove:     "Removed a rater from a draft cycle",
	assessment.ActionPersonCreate:    "Added a person",
	assessment.ActionPersonUpdate:    "Changed a person's name or placement",
	assessment.ActionCycleReRelease:  "Re-released results as a new version",
	assessment.ActionReportView:      "Viewed a report",
	assessment.ActionReportDownload:  "Downloaded a report (PDF)",
	assessment.ActionResultsExport:   "Exported results",
	assessment.ActionPlanSave:        "Saved an action plan",
	"admin.create":                   "Created an admin",
	"admin.invite":                   "Invited an admin",
	"admin.remove":                   "Removed an admin",
	"password.change":                "Changed a password",
	"password.reset":                 "Reset a password",
	"password.invite":                "Set a first password from an invitation",
	assessment.ActionEmailDomains:    "Set the organisation's email domains",
	assessment.ActionResponseExclude: "Excluded a rater's answers",
	assessment.ActionExclusionsSeen:  "Confirmed what excluded answers change",

	// Issue #14's emails.
	assessment.ActionOrgContact:        "Set the organisation's contact for questions",
	assessment.ActionNominationsInvite: "Asked leaders to nominate their raters",

	// Issue #15's API tokens.
	assessment.ActionTokenCreate: "Made an API token",
	assessment.ActionTokenRevoke: "Revoked an API token",

	// Issue #15's webhooks.
	assessment.ActionWebhookCreate:  "Added a webhook endpoint",
	assessment.ActionWebhookDisable: "Disabled a webhook endpoint",
	assessment.ActionWebhookDelete:  "Removed a webhook endpoint",
	assessment.ActionWebhookRotate:  "Rotated a webhook endpoint's signing secret",

	// Recorded by name where they happen (TestEveryAuditActionHasWords).
	"cycle.import":       "Imported leaders and raters",
	"cycle.remind":       "Sent reminders",
	"cycle.extend":       "Moved a cycle's close date",
	"cycle.close_early":  "Closed a cycle early",
	"invitation.resend":  "Sent a new survey link",
	"invitation.revoke":  "Revoked a survey link",
	"leader.invite":      "Invited a leader to the dashboard",
	"nomination.add":     "Nominated a rater",
	"nomination.remove":  "Removed a nominated rater",
	"nomination.approve": "Approved a leader's nominated raters",
	"email.failed":       "An account email could not be delivered",
}

type auditView struct {
	page
	Entries    []auditLine
	Page       int
	Prev, Next string
}

type auditLine struct {
	assessment.AuditRecord
	What string
	Who  string
}

// auditPage answers GET /audit: the organisation's audit log, newest first,
// 50 entries a page (?page=2 for older ones; a page out of range shows the
// nearest one).
func (s *Server) auditPage(c echo.Context) error {
	u, _ := currentUser(c)
	entries, page, more, err := s.svc.AuditPage(c.Request().Context(), u.OrganizationID, pageNumber(c.QueryParam("page")), auditPageSize)
	if err != nil {
		return err
	}
	v := auditView{page: s.pageFor(c), Page: page}
	for _, e := range entries {
		v.Entries = append(v.Entries, auditLineOf(e))
	}
	if page > 1 {
		v.Prev = "/audit?page=" + strconv.Itoa(page-1)
	}
	if more {
		v.Next = "/audit?page=" + strconv.Itoa(page+1)
	}
	return s.render.render(c, http.StatusOK, "audit", v)
}

// auditLineOf says in words what an entry records and who acted, for the
// audit page and the API alike: an account by its name, an API token or an
// operator at the command line by its label (assessment.Service.ByOperator),
// and the system when neither acted.
func auditLineOf(e assessment.AuditRecord) auditLine {
	line := auditLine{AuditRecord: e, What: auditActions[e.Action], Who: e.ActorName}
	if line.What == "" {
		line.What = e.Action
	}
	switch {
	case line.Who == "" && e.ActorEmail != "":
		line.Who = e.ActorEmail
	case e.ActorUserID == "" && e.ActorLabel != "":
		line.Who = e.ActorLabel
	case e.ActorUserID == "":
		line.Who = "System"
	case line.Who == "":
		line.Who = "A deleted account"
	}
	return line
}
