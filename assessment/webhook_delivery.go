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
	return s.recordDeliveries(ctx, tx, endpoints, WebhookPayload{Type: ev, Timestamp: s.Now().UTC(), Data: data}, "")
}

// InvitationFailedData is the data of invitation.failed: which invitation
// of which cycle, and where HR acts on it. Never the rater's name, address
// or relationship, nor the mail server's answer, which often quotes the
// address.
type InvitationFailedData struct {
	OrganizationID string    `json:"organization_id"`
	CycleID        string    `json:"cycle_id"`
	CycleName      string    `json:"cycle_name"`
	InvitationID   string    `json:"invitation_id"`
	FailedAt       time.Time `json:"failed_at"`
	// DashboardURL is the cycle's progress page, which lists the failed
	// invitations to the admins who may see them, with a resend.
	DashboardURL string `json:"dashboard_url"`
}

// announceFailedInvitations records, in tx, one invitation.failed delivery
// per invitation of m and subscribed endpoint. The job of an email can
// record its failure twice; the once key keeps it to one delivery.
func (s *Service) announceFailedInvitations(ctx context.Context, tx Store, m SurveyMail, at time.Time) error {
	endpoints, err := subscribedEndpoints(ctx, tx, m.Job.OrganizationID, EventInvitationFailed)
	if err != nil || len(endpoints) == 0 {
		return err
	}
	for _, id := range m.InvitationIDs() {
		data := InvitationFailedData{OrganizationID: m.Job.OrganizationID, CycleID: m.Cycle.ID, CycleName: m.Cycle.Name,
			InvitationID: id, FailedAt: at.UTC(), DashboardURL: s.BaseURL + "/cycles/" + m.Cycle.ID + "/progress"}
		p := WebhookPayload{Type: EventInvitationFailed, Timestamp: at.UTC(), Data: data}
		if err := s.recordDeliveries(ctx, tx, endpoints, p, string(EventInvitationFailed)+":"+id); err != nil {
			return err
		}
	}
	return nil
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

// ResponseRateThresholds are the response rates, in percent of the
// cycle's live invitations, that response_rate.reached announces.
var ResponseRateThresholds = []int{50, 75, 100}

// ResponseRateData is the data of response_rate.reached: cycle-wide counts
// only, never per leader or group, so a delivery that follows one
// submission closely says nothing about whose it was.
type ResponseRateData struct {
	OrganizationID string    `json:"organization_id"`
	CycleID        string    `json:"cycle_id"`
	Name           string    `json:"name"`
	Threshold      int       `json:"threshold_percent"`
	Invited        int       `json:"invited"`
	Submitted      int       `json:"submitted"`
	ReachedAt      time.Time `json:"reached_at"`
}

// announceResponseRate records, in tx, response_rate.reached for every
// threshold the cycle's rate has reached, once per endpoint, threshold and
// cycle. It runs on the submission path: when no live endpoint of the
// organisation subscribes, its whole cost is the one read of the
// organisation's endpoints (docs/webhooks.md).
func (s *Service) announceResponseRate(ctx context.Context, tx Store, c *Cycle) error {
	endpoints, err := subscribedEndpoints(ctx, tx, c.OrganizationID, EventResponseRateReached)
	if err != nil || len(endpoints) == 0 {
		return err
	}
	if err := tx.LockCycleCounts(ctx, c.OrganizationID, c.ID); err != nil {
		return err
	}
	groups, err := tx.GroupTotals(ctx, c.OrganizationID, c.ID)
	if err != nil {
		return err
	}
	var total GroupCount
	for _, g := range groups {
		total = total.plus(g)
	}
	now := s.Now().UTC()
	for _, threshold := range ResponseRateThresholds {
		if total.Invited == 0 || total.Submitted*100 < threshold*total.Invited {
			break
		}
		data := ResponseRateData{OrganizationID: c.OrganizationID, CycleID: c.ID, Name: c.Name, Threshold: threshold,
			Invited: total.Invited, Submitted: total.Submitted, ReachedAt: now}
		onceKey := fmt.Sprintf("%s:%s:%d", EventResponseRateReached, c.ID, threshold)
		if err := s.recordDeliveries(ctx, tx, endpoints, WebhookPayload{Type: EventResponseRateReached, Timestamp: now, Data: data}, onceKey); err != nil {
			return err
		}
	}
	return nil
}

// recordDeliveries stores one delivery of the payload per endpoint and
// enqueues its job, in tx: both exist if and only if the change commits.
// With a onceKey, an endpoint that has a delivery under that key already
// gets no other.
func (s *Service) recordDeliveries(ctx context.Context, tx Store, endpoints []WebhookEndpoint, p WebhookPayload, onceKey string) error {
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("webhook payload of %s: %w", p.Type, err)
	}
	var jobs []Job
	for _, e := range endpoints {
		d := WebhookDelivery{OrganizationID: e.OrganizationID, EndpointID: e.ID, Event: p.Type, Payload: body, OnceKey: onceKey, CreatedAt: s.Now()}
		created, err := tx.CreateWebhookDelivery(ctx, &d)
		if err != nil {
			return err
		}
		if created {
			jobs = append(jobs, Job{Args: WebhookDeliveryJob{OrganizationID: d.OrganizationID, DeliveryID: d.ID}, MaxAttempts: WebhookMaxAttempts})
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	return tx.Enqueue(ctx, jobs...)
}

// WebhookSend is what the queue needs to POST a delivery.
type WebhookSend struct {
	Delivery WebhookDelivery
	URL      string
	// Keys are the HMAC keys to sign with, the current secret's first
	// and, within the grace of a rotation, the previous one's: the bytes
	// each secret's base64 stands for.
	Keys [][]byte
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
	sealed := []string{e.SealedSecret}
	if e.PreviousSealedSecret != "" && e.PreviousSecretUntil != nil && s.Now().Before(*e.PreviousSecretUntil) {
		sealed = append(sealed, e.PreviousSealedSecret)
	}
	for _, sec := range sealed {
		key, err := s.webhookKeyOf(e, sec)
		if err != nil {
			return WebhookSend{}, err
		}
		out.Keys = append(out.Keys, key)
	}
	out.URL = e.URL
	return out, nil
}

// webhookKeyOf unseals one of the endpoint's secrets into its HMAC key.
func (s *Service) webhookKeyOf(e WebhookEndpoint, sealed string) ([]byte, error) {
	secret, err := s.tokens.unseal(sealed, webhookSecretAD(e.OrganizationID))
	if err != nil {
		return nil, fmt.Errorf("secret of webhook %s: %w", e.ID, err)
	}
	key, err := WebhookKey(string(secret))
	if err != nil {
		return nil, fmt.Errorf("secret of webhook %s: %w", e.ID, err)
	}
	return key, nil
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
