package store

import (
	"context"
	"time"

	"github.com/lead360/lead360/assessment"
)

// The audit log (audit_log, migrations/00004, 00011, 00025): what people did (the
// changes they made, the reports they opened), read a page at a time, newest
// first, with the actors' names. It is an organisation table: reads go
// through inOrg.

type auditRow struct {
	ID             string
	OrganizationID string
	ActorUserID    *string
	ActorLabel     string
	Action         string
	SubjectType    string
	SubjectID      string
	Detail         string
	CreatedAt      time.Time
}

func (auditRow) TableName() string { return "audit_log" }

func init() { rowStructs = append(rowStructs, auditRow{}) }

// AddAudit appends an audit entry.
func (s *Store) AddAudit(ctx context.Context, e *assessment.AuditEntry) error {
	ensureID(&e.ID)
	stamp(&e.CreatedAt)
	row := auditRow{ID: e.ID, OrganizationID: e.OrganizationID, ActorUserID: optional(e.ActorUserID), ActorLabel: e.ActorLabel,
		Action: e.Action, SubjectType: e.SubjectType, SubjectID: e.SubjectID, Detail: e.Detail, CreatedAt: utc(e.CreatedAt)}
	return translate(s.db.WithContext(ctx).Create(&row).Error, "audit "+e.Action)
}

// AuditEntries lists a page of the organisation's audit log newest first,
// then names the actors with one more query.
func (s *Store) AuditEntries(ctx context.Context, orgID string, offset, limit int) ([]assessment.AuditRecord, error) {
	var rows []auditRow
	err := s.inOrg(ctx, orgID).Order("created_at DESC").Order("id DESC").Offset(offset).Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(err, "audit log")
	}
	return s.auditRecords(ctx, orgID, rows)
}

// AuditEntriesBefore lists up to limit of the organisation's audit entries
// newest first, starting after the entry at (before.At, before.ID); a zero
// before starts with the newest. Unlike an offset, the place holds while
// new entries arrive.
func (s *Store) AuditEntriesBefore(ctx context.Context, orgID string, before assessment.AuditCursor, limit int) ([]assessment.AuditRecord, error) {
	q := s.inOrg(ctx, orgID)
	if !before.At.IsZero() {
		at := utc(before.At)
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", at, at, before.ID)
	}
	var rows []auditRow
	if err := q.Order("created_at DESC").Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "audit log")
	}
	return s.auditRecords(ctx, orgID, rows)
}

// auditRecords names the actors of rows with one more query.
func (s *Store) auditRecords(ctx context.Context, orgID string, rows []auditRow) ([]assessment.AuditRecord, error) {
	var actorIDs []string
	for _, r := range rows {
		if r.ActorUserID != nil {
			actorIDs = append(actorIDs, *r.ActorUserID)
		}
	}
	actors := map[string]userRow{}
	if len(actorIDs) > 0 {
		var users []userRow
		if err := s.inOrg(ctx, orgID).Where("id IN ?", actorIDs).Find(&users).Error; err != nil {
			return nil, translate(err, "audit log actors")
		}
		for _, u := range users {
			actors[u.ID] = u
		}
	}
	out := make([]assessment.AuditRecord, len(rows))
	for i, r := range rows {
		rec := assessment.AuditRecord{AuditEntry: assessment.AuditEntry{ID: r.ID, OrganizationID: r.OrganizationID,
			ActorUserID: deref(r.ActorUserID), ActorLabel: r.ActorLabel, Action: r.Action, SubjectType: r.SubjectType, SubjectID: r.SubjectID,
			Detail: r.Detail, CreatedAt: r.CreatedAt.UTC()}}
		if u, ok := actors[rec.ActorUserID]; ok {
			rec.ActorName, rec.ActorEmail = u.Name, u.Email
		}
		out[i] = rec
	}
	return out, nil
}

// AuditCount counts the organisation's audit entries.
func (s *Store) AuditCount(ctx context.Context, orgID string) (int, error) {
	var n int64
	if err := s.inOrg(ctx, orgID).Model(&auditRow{}).Count(&n).Error; err != nil {
		return 0, translate(err, "count audit log")
	}
	return int(n), nil
}
