package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/lead360/lead360/assessment"
)

// Webhooks (webhook_endpoints, webhook_deliveries, webhook_attempts,
// migrations/00022): organisation tables, read through inOrg; an attempt
// is reached through its delivery, which is checked first.

type webhookEndpointRow struct {
	ID             string
	OrganizationID string
	URL            string
	Events         string
	SealedSecret   string
	// PreviousSealedSecret and PreviousSecretUntil: migrations/00024.
	PreviousSealedSecret string
	PreviousSecretUntil  *time.Time
	CreatedBy            string
	CreatedAt            time.Time
	DisabledAt           *time.Time
}

func (webhookEndpointRow) TableName() string { return "webhook_endpoints" }

type webhookDeliveryRow struct {
	ID             string
	OrganizationID string
	EndpointID     string
	Event          string
	Payload        string
	// OnceKey is NULL for events that cannot repeat (migrations/00023).
	OnceKey     *string
	CreatedAt   time.Time
	DeliveredAt *time.Time
}

func (webhookDeliveryRow) TableName() string { return "webhook_deliveries" }

type webhookAttemptRow struct {
	DeliveryID  string `gorm:"primaryKey"`
	Attempt     int    `gorm:"primaryKey;autoIncrement:false"`
	AttemptedAt time.Time
	StatusCode  int
	Failure     string
}

func (webhookAttemptRow) TableName() string { return "webhook_attempts" }

func init() {
	rowStructs = append(rowStructs, webhookEndpointRow{}, webhookDeliveryRow{}, webhookAttemptRow{})
}

func (r webhookEndpointRow) endpoint() assessment.WebhookEndpoint {
	var events []assessment.WebhookEvent
	for _, name := range strings.Fields(r.Events) {
		events = append(events, assessment.WebhookEvent(name))
	}
	return assessment.WebhookEndpoint{ID: r.ID, OrganizationID: r.OrganizationID, URL: r.URL, Events: events,
		SealedSecret: r.SealedSecret, PreviousSealedSecret: r.PreviousSealedSecret, PreviousSecretUntil: utcPtr(r.PreviousSecretUntil), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), DisabledAt: utcPtr(r.DisabledAt)}
}

func (r webhookDeliveryRow) delivery() assessment.WebhookDelivery {
	return assessment.WebhookDelivery{ID: r.ID, OrganizationID: r.OrganizationID, EndpointID: r.EndpointID,
		Event: assessment.WebhookEvent(r.Event), Payload: []byte(r.Payload), OnceKey: deref(r.OnceKey), CreatedAt: r.CreatedAt.UTC(), DeliveredAt: utcPtr(r.DeliveredAt)}
}

// CreateWebhookEndpoint inserts an endpoint.
func (s *Store) CreateWebhookEndpoint(ctx context.Context, e *assessment.WebhookEndpoint) error {
	ensureID(&e.ID)
	stamp(&e.CreatedAt)
	names := make([]string, len(e.Events))
	for i, ev := range e.Events {
		names[i] = string(ev)
	}
	row := webhookEndpointRow{ID: e.ID, OrganizationID: e.OrganizationID, URL: e.URL, Events: strings.Join(names, " "),
		SealedSecret: e.SealedSecret, CreatedBy: e.CreatedBy, CreatedAt: utc(e.CreatedAt)}
	return translate(s.db.WithContext(ctx).Create(&row).Error, "webhook "+e.URL)
}

// WebhookEndpoints lists the organisation's endpoints, newest first.
func (s *Store) WebhookEndpoints(ctx context.Context, orgID string) ([]assessment.WebhookEndpoint, error) {
	var rows []webhookEndpointRow
	if err := s.inOrg(ctx, orgID).Order("created_at DESC").Order("id DESC").Find(&rows).Error; err != nil {
		return nil, translate(err, "webhooks")
	}
	out := make([]assessment.WebhookEndpoint, len(rows))
	for i, r := range rows {
		out[i] = r.endpoint()
	}
	return out, nil
}

// WebhookEndpoint reads one of the organisation's endpoints.
func (s *Store) WebhookEndpoint(ctx context.Context, orgID, id string) (assessment.WebhookEndpoint, error) {
	var row webhookEndpointRow
	if err := s.inOrg(ctx, orgID).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.WebhookEndpoint{}, translate(err, "webhook")
	}
	return row.endpoint(), nil
}

// DisableWebhookEndpoint stamps a live endpoint disabled, once.
func (s *Store) DisableWebhookEndpoint(ctx context.Context, orgID, id string, at time.Time) error {
	res := s.inOrg(ctx, orgID).Model(&webhookEndpointRow{}).Where("id = ? AND disabled_at IS NULL", id).Update("disabled_at", utc(at))
	if res.Error != nil {
		return translate(res.Error, "disable webhook "+id)
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeGone, "The endpoint was already disabled.")
	}
	return nil
}

// RotateWebhookSecret moves a live endpoint's secret to its previous one
// and stores the new one, in one statement: both engines read the
// right-hand sides from the row as it was.
func (s *Store) RotateWebhookSecret(ctx context.Context, orgID, id, sealed string, previousUntil time.Time) error {
	res := s.inOrg(ctx, orgID).Model(&webhookEndpointRow{}).Where("id = ? AND disabled_at IS NULL", id).
		Updates(map[string]any{"previous_sealed_secret": gorm.Expr("sealed_secret"), "sealed_secret": sealed,
			"previous_secret_until": utc(previousUntil)})
	if res.Error != nil {
		return translate(res.Error, "rotate the secret of webhook "+id)
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeGone, "The endpoint is disabled: it signs nothing more.")
	}
	return nil
}

// DeleteWebhookEndpoint removes the endpoint; its deliveries and their
// attempts go with it (ON DELETE CASCADE).
func (s *Store) DeleteWebhookEndpoint(ctx context.Context, orgID, id string) error {
	res := s.inOrg(ctx, orgID).Where("id = ?", id).Delete(&webhookEndpointRow{})
	if res.Error != nil {
		return translate(res.Error, "remove webhook "+id)
	}
	if res.RowsAffected == 0 {
		return assessment.Errorf(assessment.CodeNotFound, "There is no such endpoint.")
	}
	return nil
}

// CreateWebhookDelivery inserts a delivery. One whose OnceKey the endpoint
// already has is not inserted (the unique index decides, so two
// transactions at once cannot both insert) and reports false.
func (s *Store) CreateWebhookDelivery(ctx context.Context, d *assessment.WebhookDelivery) (bool, error) {
	ensureID(&d.ID)
	stamp(&d.CreatedAt)
	row := webhookDeliveryRow{ID: d.ID, OrganizationID: d.OrganizationID, EndpointID: d.EndpointID, Event: string(d.Event),
		Payload: string(d.Payload), CreatedAt: utc(d.CreatedAt)}
	q := s.db.WithContext(ctx)
	if d.OnceKey != "" {
		row.OnceKey = &d.OnceKey
		q = q.Clauses(clause.OnConflict{DoNothing: true})
	}
	res := q.Create(&row)
	if res.Error != nil {
		return false, translate(res.Error, "webhook delivery of "+string(d.Event))
	}
	return res.RowsAffected == 1, nil
}

// WebhookDelivery reads one of the organisation's deliveries, without its
// attempts.
func (s *Store) WebhookDelivery(ctx context.Context, orgID, id string) (assessment.WebhookDelivery, error) {
	var row webhookDeliveryRow
	if err := s.inOrg(ctx, orgID).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.WebhookDelivery{}, translate(err, "webhook delivery")
	}
	return row.delivery(), nil
}

// RecentWebhookDeliveries lists an endpoint's latest n deliveries, newest
// first, each with its attempts, oldest first.
func (s *Store) RecentWebhookDeliveries(ctx context.Context, orgID, endpointID string, n int) ([]assessment.WebhookDelivery, error) {
	var rows []webhookDeliveryRow
	err := s.inOrg(ctx, orgID).Where("endpoint_id = ?", endpointID).Order("created_at DESC").Order("id DESC").Limit(n).Find(&rows).Error
	if err != nil {
		return nil, translate(err, "webhook deliveries")
	}
	out := make([]assessment.WebhookDelivery, len(rows))
	ids := make([]string, len(rows))
	at := make(map[string]int, len(rows))
	for i, r := range rows {
		out[i], ids[i], at[r.ID] = r.delivery(), r.ID, i
	}
	if len(ids) == 0 {
		return out, nil
	}
	var attempts []webhookAttemptRow
	if err := s.db.WithContext(ctx).Where("delivery_id IN ?", ids).Order("attempt").Find(&attempts).Error; err != nil {
		return nil, translate(err, "webhook attempts")
	}
	for _, a := range attempts {
		d := &out[at[a.DeliveryID]]
		d.Attempts = append(d.Attempts, assessment.WebhookAttempt{DeliveryID: a.DeliveryID, Attempt: a.Attempt,
			AttemptedAt: a.AttemptedAt.UTC(), StatusCode: a.StatusCode, Failure: a.Failure})
	}
	return out, nil
}

// AddWebhookAttempt records a try of the organisation's delivery, and
// stamps it delivered when the try succeeded. A try recorded twice (River
// ran the same attempt again after a crash) keeps the first record.
func (s *Store) AddWebhookAttempt(ctx context.Context, orgID string, a assessment.WebhookAttempt, delivered bool) error {
	return s.InTx(ctx, func(tx assessment.Store) error {
		t := tx.(*Store)
		if _, err := t.WebhookDelivery(ctx, orgID, a.DeliveryID); err != nil {
			return err
		}
		row := webhookAttemptRow{DeliveryID: a.DeliveryID, Attempt: a.Attempt, AttemptedAt: utc(a.AttemptedAt), StatusCode: a.StatusCode, Failure: a.Failure}
		if err := t.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return translate(err, "webhook attempt")
		}
		if !delivered {
			return nil
		}
		err := t.inOrg(ctx, orgID).Model(&webhookDeliveryRow{}).Where("id = ? AND delivered_at IS NULL", a.DeliveryID).
			Update("delivered_at", utc(a.AttemptedAt)).Error
		return translate(err, "stamp webhook delivery "+a.DeliveryID+" delivered")
	})
}

// LockCycleCounts locks the cycle's row until the transaction ends (FOR
// UPDATE on PostgreSQL; SQLite's immediate transactions already run one
// writer at a time). Under PostgreSQL's read committed, a transaction that
// waited for the lock counts with a fresh snapshot that holds the
// submission of the one it waited for.
func (s *Store) LockCycleCounts(ctx context.Context, orgID, cycleID string) error {
	var row cycleRow
	err := s.inOrg(ctx, orgID).Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Select("id").
		Where("id = ?", cycleID).Take(&row).Error
	return translate(err, "lock cycle "+cycleID)
}
