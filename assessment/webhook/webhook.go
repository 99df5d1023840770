// Package webhook delivers lead360's webhooks: a worker of the job queue
// (registered through outbox.Config.Register, as the outbox itself makes no
// HTTP requests) POSTs each delivery, signed as Standard Webhooks sign
// (docs/webhooks.md). River retries a failed try with its backoff, up to
// assessment.WebhookMaxAttempts; every try is recorded.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/riverqueue/river"

	"github.com/lead360/lead360/assessment"
)

// webhookTimeout bounds one try, connection to last byte: a slow receiver
// holds a worker no longer than this.
const webhookTimeout = 10 * time.Second

// errPrivateTarget is the dialer's refusal of an address inside the
// server's own network.
var errPrivateTarget = errors.New("the address is loopback, link-local or private, which this server does not send to (LEAD360_WEBHOOK_ALLOW_PRIVATE)")

// NewClient is the HTTP client deliveries go out with: a short
// timeout, no redirects (a 3xx is an answer, not a new target) and no proxy
// from the environment. Unless allowPrivate, its dialer refuses private
// addresses (assessment.PrivateAddress) after DNS resolution, on the very
// address it connects to, so a name that resolves to a private address,
// at once or on a second lookup, reaches nothing.
func NewClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		if allowPrivate {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("webhook target %q: %w", address, err)
		}
		if assessment.PrivateAddress(ap.Addr()) {
			return fmt.Errorf("webhook target %s: %w", ap.Addr(), errPrivateTarget)
		}
		return nil
	}}
	transport := &http.Transport{Proxy: nil, DialContext: dialer.DialContext, ForceAttemptHTTP2: true,
		TLSHandshakeTimeout: 5 * time.Second, ResponseHeaderTimeout: webhookTimeout, MaxIdleConnsPerHost: 2,
		IdleConnTimeout: 90 * time.Second}
	return &http.Client{Timeout: webhookTimeout, Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signWebhook is the Webhook-Signature of a delivery: for each key,
// "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)),
// separated by spaces, as Standard Webhooks lists several signatures while
// a secret is rotated.
func signWebhook(keys [][]byte, id string, timestamp int64, body []byte) string {
	sigs := make([]string, len(keys))
	for i, key := range keys {
		mac := hmac.New(sha256.New, key)
		fmt.Fprintf(mac, "%s.%d.", id, timestamp)
		mac.Write(body)
		sigs[i] = "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	}
	return strings.Join(sigs, " ")
}

// Workers adds the delivery worker to a queue's workers: deliveries go
// out through client (NewClient) with the use cases of svc.
func Workers(svc *assessment.Service, client *http.Client, log *slog.Logger) func(*river.Workers) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return func(ws *river.Workers) error {
		return river.AddWorkerSafely(ws, &webhookWorker{svc: svc, client: client, log: log})
	}
}

// webhookWorker POSTs one delivery.
type webhookWorker struct {
	river.WorkerDefaults[assessment.WebhookDeliveryJob]
	svc    *assessment.Service
	client *http.Client
	log    *slog.Logger
}

// Timeout leaves the try time to be recorded after the request gave up.
func (w *webhookWorker) Timeout(*river.Job[assessment.WebhookDeliveryJob]) time.Duration {
	return webhookTimeout + 20*time.Second
}

func (w *webhookWorker) Work(ctx context.Context, job *river.Job[assessment.WebhookDeliveryJob]) error {
	svc := w.svc
	send, err := svc.WebhookSendFor(ctx, job.Args)
	if err != nil {
		return err
	}
	if send.Skip != "" {
		w.log.InfoContext(ctx, "webhook delivery not sent", "delivery", job.Args.DeliveryID, "why", send.Skip)
		return nil
	}
	status, failure := w.post(ctx, send)
	if err := svc.RecordWebhookAttempt(ctx, send.Delivery, job.Attempt, status, failure); err != nil {
		return err
	}
	if assessment.WebhookDelivered(status) {
		return nil
	}
	w.log.WarnContext(ctx, "webhook delivery failed", "delivery", send.Delivery.ID, "attempt", job.Attempt,
		"status", status, "failure", failure)
	if failure == "" {
		failure = "the receiver answered " + strconv.Itoa(status)
	}
	return fmt.Errorf("webhook delivery %s, attempt %d: %s", send.Delivery.ID, job.Attempt, failure)
}

// post sends the delivery once and returns the receiver's status, or why
// there was none.
func (w *webhookWorker) post(ctx context.Context, send assessment.WebhookSend) (int, string) {
	d := send.Delivery
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, send.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return 0, "the address cannot be requested: " + err.Error()
	}
	now := time.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "lead360-webhooks")
	req.Header.Set("Webhook-Id", d.ID)
	req.Header.Set("Webhook-Timestamp", strconv.FormatInt(now, 10))
	req.Header.Set("Webhook-Signature", signWebhook(send.Keys, d.ID, now, d.Payload))
	resp, err := w.client.Do(req)
	if err != nil {
		if errors.Is(err, errPrivateTarget) {
			return 0, errPrivateTarget.Error()
		}
		return 0, err.Error()
	}
	defer resp.Body.Close()
	// Read a little of the answer so the connection can be reused; what
	// the receiver says is not kept.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, ""
}
