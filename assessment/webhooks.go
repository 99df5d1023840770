package assessment

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Webhooks (issue #15, item 3): an admin registers an endpoint of another
// system and the events it wants. Each event becomes one delivery per
// subscribed endpoint, recorded with the change that causes it
// (webhook_delivery.go); the queue POSTs it, signed with the endpoint's
// secret (docs/webhooks.md).

// WebhookEvent names what happened.
type WebhookEvent string

const (
	EventCycleOpened   WebhookEvent = "cycle.opened"
	EventCycleClosed   WebhookEvent = "cycle.closed"
	EventCycleReleased WebhookEvent = "cycle.released"
	// EventInvitationFailed: an invitation's email finally failed.
	EventInvitationFailed WebhookEvent = "invitation.failed"
	// EventResponseRateReached: a cycle's response rate reached one of
	// ResponseRateThresholds.
	EventResponseRateReached WebhookEvent = "response_rate.reached"
)

// WebhookEvents are the events an endpoint can subscribe to, in the order
// the dashboard lists them.
var WebhookEvents = []WebhookEvent{EventCycleOpened, EventCycleClosed, EventCycleReleased, EventInvitationFailed,
	EventResponseRateReached}

// Audit actions of the webhook changes.
const (
	ActionWebhookCreate  = "webhook.create"
	ActionWebhookDisable = "webhook.disable"
	ActionWebhookDelete  = "webhook.delete"
	ActionWebhookRotate  = "webhook.rotate"
)

// WebhookSecretGrace is how long a rotated-out secret still signs
// deliveries, beside the new one: a day for the receiver's owners to
// deploy the new secret.
const WebhookSecretGrace = 24 * time.Hour

// WebhookSecretPrefix starts every signing secret, as in the Standard
// Webhooks scheme: the rest is the base64 of the HMAC key.
const WebhookSecretPrefix = "whsec_"

// webhookSecretBytes is the HMAC key's size: 256 bits.
const webhookSecretBytes = 32

// WebhookEndpoint is a registered receiver, without its secret in clear.
type WebhookEndpoint struct {
	ID             string
	OrganizationID string
	URL            string
	Events         []WebhookEvent
	// SealedSecret is the signing secret sealed with the server's key.
	SealedSecret string
	// PreviousSealedSecret is the secret the last rotation replaced, which
	// signs too until PreviousSecretUntil; empty when never rotated.
	PreviousSealedSecret string
	PreviousSecretUntil  *time.Time
	CreatedBy            string
	CreatedAt            time.Time
	DisabledAt           *time.Time
}

// Subscribes reports whether the endpoint is live and wants the event.
func (e WebhookEndpoint) Subscribes(ev WebhookEvent) bool {
	return e.DisabledAt == nil && slices.Contains(e.Events, ev)
}

// WebhookDelivery is one event for one endpoint, with its tries.
type WebhookDelivery struct {
	ID             string
	OrganizationID string
	EndpointID     string
	Event          WebhookEvent
	// Payload is the JSON body, fixed when the event happened.
	Payload []byte
	// OnceKey, when set, names the event's occasion: the endpoint gets
	// one delivery per key, however often the occasion is recorded.
	OnceKey     string
	CreatedAt   time.Time
	DeliveredAt *time.Time
	// Attempts are the tries, oldest first; only lists fill them in.
	Attempts []WebhookAttempt
}

// WebhookAttempt is one try of a delivery: the receiver's status code, or
// Failure when there was no answer.
type WebhookAttempt struct {
	DeliveryID  string
	Attempt     int
	AttemptedAt time.Time
	StatusCode  int
	Failure     string
}

// WebhookStore is the persistence of endpoints and deliveries. Every
// method is scoped to the organisation.
type WebhookStore interface {
	CreateWebhookEndpoint(ctx context.Context, e *WebhookEndpoint) error
	// WebhookEndpoints lists the organisation's endpoints, newest first,
	// disabled ones included.
	WebhookEndpoints(ctx context.Context, orgID string) ([]WebhookEndpoint, error)
	WebhookEndpoint(ctx context.Context, orgID, id string) (WebhookEndpoint, error)
	// DisableWebhookEndpoint stamps a live endpoint disabled.
	DisableWebhookEndpoint(ctx context.Context, orgID, id string, at time.Time) error
	// LockCycleCounts makes the cycle's submissions counted one after
	// the other until tx ends (the cycle row locked on PostgreSQL; SQLite
	// runs one writer at a time already), so two last submissions at once
	// cannot both count without the other.
	LockCycleCounts(ctx context.Context, orgID, cycleID string) error
	// RotateWebhookSecret makes sealed a live endpoint's secret, and the
	// one it replaces its previous secret until the given time.
	RotateWebhookSecret(ctx context.Context, orgID, id, sealed string, previousUntil time.Time) error
	// DeleteWebhookEndpoint removes the endpoint with its deliveries.
	DeleteWebhookEndpoint(ctx context.Context, orgID, id string) error
	// CreateWebhookDelivery stores a delivery, or reports false and
	// stores nothing when the endpoint has one with the same OnceKey.
	CreateWebhookDelivery(ctx context.Context, d *WebhookDelivery) (bool, error)
	WebhookDelivery(ctx context.Context, orgID, id string) (WebhookDelivery, error)
	// RecentWebhookDeliveries lists an endpoint's latest n deliveries,
	// newest first, with their attempts.
	RecentWebhookDeliveries(ctx context.Context, orgID, endpointID string, n int) ([]WebhookDelivery, error)
	// AddWebhookAttempt records a try, and stamps the delivery delivered
	// when the try succeeded.
	AddWebhookAttempt(ctx context.Context, orgID string, a WebhookAttempt, delivered bool) error
}

// NewWebhook is what an admin types to register an endpoint.
type NewWebhook struct {
	URL       string
	Events    []string
	CreatedBy string
}

// CheckNewWebhook reads a registration, or explains next to its fields
// ("url", "events") what is wrong. allowPrivate is the server's
// LEAD360_WEBHOOK_ALLOW_PRIVATE.
func CheckNewWebhook(in NewWebhook, allowPrivate bool) (string, []WebhookEvent, error) {
	fe := fieldErrors{}
	u, msg := checkWebhookURL(strings.TrimSpace(in.URL), allowPrivate)
	if msg != "" {
		fe.add("url", msg)
	}
	var events []WebhookEvent
	for _, name := range in.Events {
		ev := WebhookEvent(strings.TrimSpace(name))
		if !slices.Contains(WebhookEvents, ev) {
			fe.add("events", "Choose events from the list.")
			continue
		}
		if !slices.Contains(events, ev) {
			events = append(events, ev)
		}
	}
	if len(in.Events) == 0 {
		fe.add("events", "Choose at least one event.")
	}
	return u, events, fe.err("the endpoint was not added")
}

// checkWebhookURL returns the URL to store, or a message for the field.
// This is the first guard against requests into the server's own network;
// the second, which DNS cannot fool, is the delivery's dialer
// (PrivateAddress on the address it connects to).
func checkWebhookURL(raw string, allowPrivate bool) (string, string) {
	if raw == "" {
		return "", "Enter the address that receives the events, like https://hr.example.com/hooks/lead360."
	}
	if len(raw) > 2000 {
		return "", "Use an address of at most 2,000 characters."
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", "Enter a full address that starts with https://."
	}
	if u.User != nil {
		return "", "Leave the user name and password out of the address; every request is signed instead."
	}
	host := strings.ToLower(u.Hostname())
	ip, err := netip.ParseAddr(host)
	isIP := err == nil
	loopback := host == "localhost" || strings.HasSuffix(host, ".localhost") || (isIP && ip.Unmap().IsLoopback())
	switch {
	case u.Scheme == "http" && allowPrivate && loopback:
	case u.Scheme != "https":
		return "", "Use an https:// address: events must not cross the network in clear."
	}
	if !allowPrivate && (loopback || isIP && PrivateAddress(ip)) {
		return "", "Use a public address: this server does not send events to its own machine or private network."
	}
	u.Fragment = ""
	return u.String(), ""
}

// webhookLookupTimeout bounds the DNS lookup of a registration: a name
// server that does not answer must not hold the admin's form.
const webhookLookupTimeout = 3 * time.Second

// LookupNetIP resolves a host name to its addresses; net.Resolver's
// LookupNetIP is one, and tests give names of their own.
type LookupNetIP func(ctx context.Context, host string) ([]netip.Addr, error)

// SystemLookup resolves with the system's resolver, as deliveries will.
func SystemLookup(ctx context.Context, host string) ([]netip.Addr, error) {
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}

// checkWebhookHost resolves the name of a checked address and returns a
// message for the field when no address is found, or when one of them is
// private and the server does not allow private targets. An address that
// is an IP was checked by checkWebhookURL. The delivery's dialer checks
// again on every try: what a name resolves to can change.
func (s *Service) checkWebhookHost(ctx context.Context, rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "Enter a full address that starts with https://."
	}
	host := u.Hostname()
	if _, err := netip.ParseAddr(host); err == nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, webhookLookupTimeout)
	defer cancel()
	addrs, err := s.LookupHost(ctx, host)
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound, err == nil && len(addrs) == 0:
		return fmt.Sprintf("No address was found for %s: check the spelling, and that the name is published in DNS.", host)
	case err != nil:
		return fmt.Sprintf("The name %s could not be looked up just now (%s): try again in a moment.", host, lookupFailure(ctx, err))
	}
	if s.AllowPrivateWebhooks {
		return ""
	}
	for _, a := range addrs {
		if PrivateAddress(a) {
			return fmt.Sprintf("%s resolves to %s, an address inside a private network, which this server does not send events to. Use a public address.", host, a.Unmap())
		}
	}
	return ""
}

// lookupFailure says briefly why a lookup failed, without the resolver's
// internals.
func lookupFailure(ctx context.Context, err error) string {
	if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
		return "no answer within " + webhookLookupTimeout.String()
	}
	return "the name server failed"
}

// PrivateAddress reports whether ip is one a webhook must not reach unless
// the server allows private targets: loopback, link-local (cloud metadata
// services live there), private, shared (carrier-grade NAT), multicast or
// unspecified.
func PrivateAddress(ip netip.Addr) bool {
	ip = ip.Unmap()
	return !ip.IsValid() || ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsPrivate() || ip.IsUnspecified() ||
		sharedAddressSpace.Contains(ip)
}

// sharedAddressSpace is RFC 6598's carrier-grade NAT range, private in all
// but name.
var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

// webhookSecretAD binds a sealed secret to its organisation.
func webhookSecretAD(orgID string) []byte { return []byte("lead360 webhook secret\x00" + orgID) }

func newWebhookSecret(random io.Reader) (string, error) {
	b := make([]byte, webhookSecretBytes)
	if _, err := io.ReadFull(random, b); err != nil {
		return "", fmt.Errorf("webhook secret: %w", err)
	}
	return WebhookSecretPrefix + base64.StdEncoding.EncodeToString(b), nil
}

// newSealedWebhookSecret makes a signing secret for an endpoint of the
// organisation: the secret to show once, and its sealed form to store.
func (s *Service) newSealedWebhookSecret(orgID string) (string, string, error) {
	secret, err := newWebhookSecret(s.tokens.rand)
	if err != nil {
		return "", "", err
	}
	sealed, err := s.tokens.seal([]byte(secret), webhookSecretAD(orgID))
	if err != nil {
		return "", "", fmt.Errorf("webhook secret: %w", err)
	}
	return secret, sealed, nil
}

// CreateWebhook registers an endpoint of the organisation and returns it
// with its signing secret, which the caller shows once.
func (s *Service) CreateWebhook(ctx context.Context, orgID, actorUserID string, in NewWebhook) (WebhookEndpoint, string, error) {
	u, events, err := CheckNewWebhook(in, s.AllowPrivateWebhooks)
	if err != nil {
		return WebhookEndpoint{}, "", err
	}
	if msg := s.checkWebhookHost(ctx, u); msg != "" {
		return WebhookEndpoint{}, "", fieldErrors{"url": msg}.err("the endpoint was not added")
	}
	secret, sealed, err := s.newSealedWebhookSecret(orgID)
	if err != nil {
		return WebhookEndpoint{}, "", err
	}
	e := WebhookEndpoint{OrganizationID: orgID, URL: u, Events: events, SealedSecret: sealed,
		CreatedBy: truncate(in.CreatedBy, 320), CreatedAt: s.Now()}
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.CreateWebhookEndpoint(ctx, &e); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionWebhookCreate,
			SubjectType: "webhook", SubjectID: e.ID, Detail: truncate(fmt.Sprintf("%s for %s", u, joinEvents(events)), 2000), CreatedAt: e.CreatedAt})
	})
	if err != nil {
		return WebhookEndpoint{}, "", fmt.Errorf("create webhook in organisation %s: %w", orgID, err)
	}
	return e, secret, nil
}

func joinEvents(events []WebhookEvent) string {
	names := make([]string, len(events))
	for i, ev := range events {
		names[i] = string(ev)
	}
	return strings.Join(names, ", ")
}

// WebhookWithLog is an endpoint with its latest deliveries, for the list.
type WebhookWithLog struct {
	WebhookEndpoint
	Deliveries []WebhookDelivery
}

// webhookLogLength is how many deliveries the list shows per endpoint.
const webhookLogLength = 10

// Webhooks lists the organisation's endpoints, newest first, each with its
// latest deliveries and their attempts.
func (s *Service) Webhooks(ctx context.Context, orgID string) ([]WebhookWithLog, error) {
	es, err := s.store.WebhookEndpoints(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("webhooks of organisation %s: %w", orgID, err)
	}
	out := make([]WebhookWithLog, len(es))
	for i, e := range es {
		ds, err := s.store.RecentWebhookDeliveries(ctx, orgID, e.ID, webhookLogLength)
		if err != nil {
			return nil, fmt.Errorf("deliveries of webhook %s: %w", e.ID, err)
		}
		out[i] = WebhookWithLog{WebhookEndpoint: e, Deliveries: ds}
	}
	return out, nil
}

// Webhook reads one of the organisation's endpoints.
func (s *Service) Webhook(ctx context.Context, orgID, id string) (WebhookEndpoint, error) {
	e, err := s.store.WebhookEndpoint(ctx, orgID, id)
	if err != nil {
		return WebhookEndpoint{}, fmt.Errorf("webhook %s: %w", id, err)
	}
	return e, nil
}

// DisableWebhook stops the endpoint's deliveries, those waiting for a retry
// included; its log stays.
func (s *Service) DisableWebhook(ctx context.Context, orgID, actorUserID, id string) error {
	return s.changeWebhook(ctx, orgID, actorUserID, id, ActionWebhookDisable, func(tx Store, now time.Time) error {
		return tx.DisableWebhookEndpoint(ctx, orgID, id, now)
	})
}

// RotateWebhookSecret gives a live endpoint a new signing secret and
// returns it, for the caller to show once. The old one keeps signing
// beside it for WebhookSecretGrace; rotating again within that time ends
// the older secret's grace at once.
func (s *Service) RotateWebhookSecret(ctx context.Context, orgID, actorUserID, id string) (string, error) {
	secret, sealed, err := s.newSealedWebhookSecret(orgID)
	if err != nil {
		return "", err
	}
	err = s.changeWebhook(ctx, orgID, actorUserID, id, ActionWebhookRotate, func(tx Store, now time.Time) error {
		return tx.RotateWebhookSecret(ctx, orgID, id, sealed, now.Add(WebhookSecretGrace))
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// DeleteWebhook removes the endpoint and its log.
func (s *Service) DeleteWebhook(ctx context.Context, orgID, actorUserID, id string) error {
	return s.changeWebhook(ctx, orgID, actorUserID, id, ActionWebhookDelete, func(tx Store, _ time.Time) error {
		return tx.DeleteWebhookEndpoint(ctx, orgID, id)
	})
}

// changeWebhook applies change to the organisation's endpoint id and
// records action in the audit log, with the endpoint's address.
func (s *Service) changeWebhook(ctx context.Context, orgID, actorUserID, id, action string, change func(Store, time.Time) error) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		e, err := tx.WebhookEndpoint(ctx, orgID, id)
		if err != nil {
			return err
		}
		now := s.Now()
		if err := change(tx, now); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: action,
			SubjectType: "webhook", SubjectID: id, Detail: truncate(e.URL, 2000), CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("%s %s: %w", action, id, err)
	}
	return nil
}
