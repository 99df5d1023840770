package api

import (
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/api/openapi"
	"github.com/lead360/lead360/assessment"
)

// ListAudit answers GET /api/v1/audit: the audit page's entries, worded
// the same (auditLineOf), newest first. The cursor is the last entry's
// time and id, so new entries do not shift the pages.
func (a apiV1) ListAudit(c echo.Context, params openapi.ListAuditParams) error {
	before, err := auditCursorOf(deref(params.Cursor))
	if err != nil {
		return err
	}
	svc, orgID := a.s.asToken(c)
	limit := pageLimit(params.Limit)
	entries, err := svc.AuditBefore(c.Request().Context(), orgID, before, limit+1)
	if err != nil {
		return err
	}
	out := openapi.AuditList{Items: []openapi.AuditEntry{}}
	if len(entries) > limit {
		entries = entries[:limit]
		last := entries[limit-1]
		next := base64.RawURLEncoding.EncodeToString([]byte(last.CreatedAt.UTC().Format(time.RFC3339Nano) + " " + last.ID))
		out.NextCursor = &next
	}
	for _, e := range entries {
		l := auditLineOf(e)
		out.Items = append(out.Items, openapi.AuditEntry{Id: e.ID, Action: e.Action, What: l.What, Who: l.Who, CreatedAt: e.CreatedAt.UTC(),
			SubjectType: optionalString(e.SubjectType), SubjectId: optionalString(e.SubjectID), Detail: optionalString(e.Detail)})
	}
	return reply(c, http.StatusOK, out)
}

// auditCursorOf reads a cursor of ListAudit; "" is the newest entry.
func auditCursorOf(cursor string) (assessment.AuditCursor, error) {
	if cursor == "" {
		return assessment.AuditCursor{}, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return assessment.AuditCursor{}, badCursor()
	}
	at, id, ok := strings.Cut(string(raw), " ")
	t, err := time.Parse(time.RFC3339Nano, at)
	if !ok || err != nil || wellFormedID(id) != nil {
		return assessment.AuditCursor{}, badCursor()
	}
	return assessment.AuditCursor{At: t, ID: id}, nil
}

func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// badCursor answers a cursor no page of the list gave.
func badCursor() error {
	return &requestProblem{Message: "The cursor is not one this list gave: start again without it.",
		Fields: map[string]string{"cursor": "Use the next_cursor of the page before."}}
}
