package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lead360/lead360/assessment"
)

// `lead360 webhook`: an organisation's webhook endpoints, as the
// dashboard's /org/webhooks page manages them (assessment/webhooks.go).
// The signing secret, from create and rotate, is printed once, on standard
// output only; it never reaches the log or the audit log.

const webhookUsage = `Usage:
  lead360 webhook create --org NAME --url URL --events EVENT,...
                       add an endpoint; its signing secret is printed once
  lead360 webhook list --org NAME
                       the organisation's endpoints
  lead360 webhook rotate --org NAME --id ID
                       a new signing secret, printed once; the old one signs
                       too for 24 hours
  lead360 webhook disable --org NAME --id ID
                       send the endpoint nothing more, retries included
  lead360 webhook remove --org NAME --id ID
                       remove the endpoint with its deliveries

Events: cycle.opened, cycle.closed, cycle.released, invitation.failed,
response_rate.reached. Every action takes --json, and then prints one JSON
document on standard output instead of text.
`

// webhookActions are the actions of `lead360 webhook`.
var webhookActions = map[string]commandAction{
	"create":  runWebhookCreate,
	"list":    runWebhookList,
	"rotate":  runWebhookRotate,
	"disable": webhookChange("disable", "Disabled", (*assessment.Service).DisableWebhook),
	"remove":  webhookChange("remove", "Removed", (*assessment.Service).DeleteWebhook),
}

// runWebhook is `lead360 webhook ACTION`.
func runWebhook(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return runAction(ctx, "webhook", webhookUsage, "create, list, rotate, disable or remove", webhookActions, args, getenv, stdout, stderr)
}

// webhookJSON is an endpoint as the webhook actions print it with --json.
type webhookJSON struct {
	ID                  string     `json:"id"`
	URL                 string     `json:"url"`
	Events              []string   `json:"events"`
	CreatedBy           string     `json:"created_by"`
	CreatedAt           time.Time  `json:"created_at"`
	DisabledAt          *time.Time `json:"disabled_at"`
	PreviousSecretUntil *time.Time `json:"previous_secret_until,omitempty"`
	// Secret is the signing secret, printed by create and rotate only.
	Secret string `json:"secret,omitempty"`
}

func webhookOf(e assessment.WebhookEndpoint) webhookJSON {
	events := make([]string, len(e.Events))
	for i, ev := range e.Events {
		events[i] = string(ev)
	}
	return webhookJSON{ID: e.ID, URL: e.URL, Events: events, CreatedBy: e.CreatedBy, CreatedAt: e.CreatedAt,
		DisabledAt: e.DisabledAt, PreviousSecretUntil: e.PreviousSecretUntil}
}

func runWebhookCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cf := newCommandFlags("webhook", "create", "Usage:\n  lead360 webhook create --org NAME --url URL --events EVENT,... [--json]\n",
		getenv, stderr, "webhook-allow-private")
	org := cf.String("org", "", "the organisation whose events the endpoint receives (required)")
	address := cf.String("url", "", "the https:// address that receives the events (required)")
	events := cf.String("events", "", "the events, separated by commas (required)")
	if err := cf.parse(args, 0, "org", "url", "events"); err != nil {
		return err
	}
	return withWorkbench(ctx, cf.cfg, stderr, cf.command, func(wb workbench) error {
		o, err := organizationNamed(ctx, wb, *org)
		if err != nil {
			return err
		}
		e, secret, err := wb.svc.CreateWebhook(ctx, o.ID, "", assessment.NewWebhook{URL: *address,
			Events: strings.Split(*events, ","), CreatedBy: operator(cf.command)})
		if err != nil {
			return fmt.Errorf("%s: %w", cf.command, err)
		}
		out := webhookOf(e)
		out.Secret = secret
		return printResult(stdout, cf.asJSON, out, func(w io.Writer) {
			fmt.Fprintf(w, "Added the endpoint %s (id %s) of %q for %s.\nSigning secret: %s   (shown once; keep it)\n",
				e.URL, e.ID, o.Name, strings.Join(out.Events, ", "), secret)
		})
	})
}

func runWebhookList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cf := newCommandFlags("webhook", "list", "Usage:\n  lead360 webhook list --org NAME [--json]\n", getenv, stderr)
	org := cf.String("org", "", "the organisation whose endpoints to list (required)")
	if err := cf.parse(args, 0, "org"); err != nil {
		return err
	}
	return withWorkbench(ctx, cf.cfg, stderr, cf.command, func(wb workbench) error {
		o, err := organizationNamed(ctx, wb, *org)
		if err != nil {
			return err
		}
		hooks, err := wb.svc.Webhooks(ctx, o.ID)
		if err != nil {
			return err
		}
		out := make([]webhookJSON, len(hooks))
		for i, h := range hooks {
			out[i] = webhookOf(h.WebhookEndpoint)
		}
		return printResult(stdout, cf.asJSON, out, func(w io.Writer) { describeWebhooks(w, o.Name, out) })
	})
}

func describeWebhooks(w io.Writer, org string, hooks []webhookJSON) {
	if len(hooks) == 0 {
		fmt.Fprintf(w, "%q has no webhook endpoints: lead360 webhook create --org %q --url URL --events cycle.closed\n", org, org)
		return
	}
	for _, h := range hooks {
		state := "live"
		if h.DisabledAt != nil {
			state = "disabled " + h.DisabledAt.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%s  %s  %s  made %s by %s, %s\n", h.ID, h.URL, strings.Join(h.Events, ","),
			h.CreatedAt.Format(time.RFC3339), h.CreatedBy, state)
	}
}

// webhookFlags parses the flags of an action on one endpoint.
func webhookFlags(action string, args []string, getenv func(string) string, stderr io.Writer) (*cycleFlags, *string, *string, error) {
	cf := newCommandFlags("webhook", action, "Usage:\n  lead360 webhook "+action+" --org NAME --id ID [--json]\n", getenv, stderr)
	org := cf.String("org", "", "the organisation of the endpoint (required)")
	id := cf.String("id", "", "the endpoint's id, as webhook list shows it (required)")
	return cf, org, id, cf.parse(args, 0, "org", "id")
}

func runWebhookRotate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cf, org, id, err := webhookFlags("rotate", args, getenv, stderr)
	if err != nil {
		return err
	}
	return withWorkbench(ctx, cf.cfg, stderr, cf.command, func(wb workbench) error {
		o, err := organizationNamed(ctx, wb, *org)
		if err != nil {
			return err
		}
		secret, err := wb.svc.RotateWebhookSecret(ctx, o.ID, "", *id)
		if err != nil {
			return fmt.Errorf("%s: %w", cf.command, err)
		}
		grace := fmt.Sprintf("%.0f hours", assessment.WebhookSecretGrace.Hours())
		return printResult(stdout, cf.asJSON, map[string]string{"id": *id, "secret": secret, "previous_secret_signs_for": grace}, func(w io.Writer) {
			fmt.Fprintf(w, "Rotated the signing secret of the endpoint %s of %q; the old one signs too for %s.\nSigning secret: %s   (shown once; keep it)\n",
				*id, o.Name, grace, secret)
		})
	})
}

// webhookChange is the action that applies change to one endpoint and
// says it did with done ("Disabled").
func webhookChange(action, done string, change func(*assessment.Service, context.Context, string, string, string) error) commandAction {
	return func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
		cf, org, id, err := webhookFlags(action, args, getenv, stderr)
		if err != nil {
			return err
		}
		return withWorkbench(ctx, cf.cfg, stderr, cf.command, func(wb workbench) error {
			o, err := organizationNamed(ctx, wb, *org)
			if err != nil {
				return err
			}
			if err := change(wb.svc, ctx, o.ID, "", *id); err != nil {
				return fmt.Errorf("%s: %w", cf.command, err)
			}
			return printResult(stdout, cf.asJSON, map[string]string{"id": *id, action: "true"}, func(w io.Writer) {
				fmt.Fprintf(w, "%s the endpoint %s of %q.\n", done, *id, o.Name)
			})
		})
	}
}
