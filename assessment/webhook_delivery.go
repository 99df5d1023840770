package assessment

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// WebhookMaxAttempts is how often a delivery is tried before it is given
// up: with River's backoff (attempt^4 seconds) the last try comes about
// four hours after the first (1^4 + ... + 9^4 s), long enough for most
// receivers' outages.
const WebhookMaxAttempts = 10

// WebhookDeliveryJob POSTs one delivery. It holds ids only: the payload
// and the endpoint are read when it runs, so a disabled or removed
// endpoint receives nothing more.
type WebhookDeliveryJob struct {
	OrganizationID string `json:"organization_id"`
	DeliveryID     string `json:"delivery_id"`
}

// Kind names the job for the queue.
func (WebhookDeliveryJob) Kind() string { return "webhook_delivery" }

// cycleEventOf is the webhook event of a cycle entering its status.
var cycleEventOf = map[CycleStatus]WebhookEvent{
	StatusOpen: EventCycleOpened, StatusClosed: EventCycleClosed, StatusReleased: EventCycleReleased,
}

// WebhookPayload is the JSON body of every delivery, in the Standard
// Webhooks shape: type, timestamp, data.
type WebhookPayload struct {
	Type      WebhookEvent `json:"type"`
	Timestamp time.Time    `json:"timestamp"`
	Data      any          `json:"data"`
}

// CycleEventData is the data of a cycle event: ids, names, dates and
// counts, never who was asked or what anyone answered.
type CycleEventData struct {
	OrganizationID string    `json:"organization_id"`
	CycleID        string    `json:"cycle_id"`
	Name           string    `json:"name"`
	Status         string    `json:"status"`
	OpensAt        time.Time `json:"opens_at"`
	ClosesAt       time.Time `json:"closes_at"`
	Leaders        int       `json:"leaders"`
}

// announceCycle records, in tx, the webhook deliveries of c entering its
// status, one per endpoint that subscribes to the event.
func (s *Service) announceCycle(ctx context.Context, tx Store, c *Cycle) error {
	ev, ok := cycleEventOf[c.Status]
	if !ok {
		return nil
	}
	endpoints, err := subscribedEndpoints(ctx, tx, c.OrganizationID, ev)
	if err != nil || len(endpoints) == 0 {
		return err
	}
	parts, err := tx.Participants(ctx, c.OrganizationID, c.ID)
	if err != nil {
		return err
	}
	data := CycleEventData{OrganizationID: c.OrganizationID, CycleID: c.ID, Name: c.Name, Status: string(c.Status),
		OpensAt: c.OpensAt.UTC(), ClosesAt: c.ClosesAt.UTC(), Leaders: len(parts)}
	return s.recordDeliveries(ctx, tx, endpoints, WebhookPayload{Type: ev, Timestamp: s.Now().UTC(), Data: data})
}

// subscribedEndpoints are the organisation's live endpoints that want ev.
func subscribedEndpoints(ctx context.Context, tx Store, orgID string, ev WebhookEvent) ([]WebhookEndpoint, error) {
	all, err := tx.WebhookEndpoints(ctx, orgID)
	if err != nil {
		return nil, err
	}
	var out []WebhookEndpoint
	for _, e := range all {
		if e.Subscribes(ev) {
			out = append(out, e)
		}
	}
	return out, nil
}

// recordDeliveries stores one delivery of the payload per endpoint and
// enqueues its job, in tx: both exist if and only if the change commits.
func (s *Service) recordDeliveries(ctx context.Context, tx Store, endpoints []WebhookEndpoint, p WebhookPayload) error {
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("webhook payload of %s: %w", p.Type, err)
	}
	jobs := make([]Job, len(endpoints))
	for i, e := range endpoints {
		d := WebhookDelivery{OrganizationID: e.OrganizationID, EndpointID: e.ID, Event: p.Type, Payload: body, CreatedAt: s.Now()}
		if err := tx.CreateWebhookDelivery(ctx, &d); err != nil {
			return err
		}
		jobs[i] = Job{Args: WebhookDeliveryJob{OrganizationID: d.OrganizationID, DeliveryID: d.ID}, MaxAttempts: WebhookMaxAttempts}
	}
	return tx.Enqueue(ctx, jobs...)
}

// WebhookSend is what the queue needs to POST a delivery.
type WebhookSend struct {
	Delivery WebhookDelivery
	URL      string
	// Key is the HMAC key: the bytes the secret's base64 stands for.
	Key []byte
	// Skip says why nothing is to be sent (delivered already, endpoint
	// disabled or removed); empty when the delivery is due.
	Skip string
}

// WebhookSendFor reads the delivery of a job and its endpoint's key.
func (s *Service) WebhookSendFor(ctx context.Context, job WebhookDeliveryJob) (WebhookSend, error) {
	d, err := s.store.WebhookDelivery(ctx, job.OrganizationID, job.DeliveryID)
	if ErrorCode(err) == CodeNotFound {
		return WebhookSend{Skip: "the endpoint was removed"}, nil
	}
	if err != nil {
		return WebhookSend{}, fmt.Errorf("webhook delivery %s: %w", job.DeliveryID, err)
	}
	out := WebhookSend{Delivery: d}
	if d.DeliveredAt != nil {
		out.Skip = "delivered already"
		return out, nil
	}
	e, err := s.store.WebhookEndpoint(ctx, d.OrganizationID, d.EndpointID)
	switch {
	case ErrorCode(err) == CodeNotFound:
		out.Skip = "the endpoint was removed"
		return out, nil
	case err != nil:
		return WebhookSend{}, fmt.Errorf("endpoint of webhook delivery %s: %w", d.ID, err)
	case e.DisabledAt != nil:
		out.Skip = "the endpoint is disabled"
		return out, nil
	}
	secret, err := s.tokens.unseal(e.SealedSecret, webhookSecretAD(e.OrganizationID))
	if err != nil {
		return WebhookSend{}, fmt.Errorf("secret of webhook %s: %w", e.ID, err)
	}
	if out.Key, err = WebhookKey(string(secret)); err != nil {
		return WebhookSend{}, fmt.Errorf("secret of webhook %s: %w", e.ID, err)
	}
	out.URL = e.URL
	return out, nil
}

// WebhookKey is the HMAC key of a signing secret as lead360 shows it.
func WebhookKey(secret string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, WebhookSecretPrefix))
	if err != nil {
		return nil, fmt.Errorf("signing secret is not %s followed by base64: %w", WebhookSecretPrefix, err)
	}
	return key, nil
}

// RecordWebhookAttempt records one try of a delivery; a 2xx status marks
// it delivered.
func (s *Service) RecordWebhookAttempt(ctx context.Context, d WebhookDelivery, attempt, status int, failure string) error {
	a := WebhookAttempt{DeliveryID: d.ID, Attempt: attempt, AttemptedAt: s.Now(), StatusCode: status, Failure: truncate(failure, 500)}
	if err := s.store.AddWebhookAttempt(ctx, d.OrganizationID, a, WebhookDelivered(status)); err != nil {
		return fmt.Errorf("record attempt %d of webhook delivery %s: %w", attempt, d.ID, err)
	}
	return nil
}

// WebhookDelivered reports whether a receiver's status acknowledges a
// delivery.
func WebhookDelivered(status int) bool { return status >= 200 && status < 300 }
