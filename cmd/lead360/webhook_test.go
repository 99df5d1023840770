package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
)

var printedSecret = regexp.MustCompile(`Signing secret: (whsec_\S+)`)

// runWebhookCLI runs `lead360 webhook ARGS...` and returns what it printed.
func runWebhookCLI(t *testing.T, vars map[string]string, logs io.Writer, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), append([]string{"webhook"}, args...), env(vars), &out, logs); err != nil {
		t.Fatalf("webhook %s: %v", strings.Join(args, " "), err)
	}
	return out.String()
}

// secretIn is the signing secret a create or rotate printed, as a key.
func secretIn(t *testing.T, out string) (string, []byte) {
	t.Helper()
	m := printedSecret.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no signing secret printed: %q", out)
	}
	key, err := assessment.WebhookKey(m[1])
	if err != nil || len(key) != 32 {
		t.Fatalf("the printed secret %q is not a 256-bit key: %v", m[1], err)
	}
	return m[1], key
}

// `lead360 webhook create` prints the secret once, `list` shows the
// endpoint without it, `rotate` prints a new one and keeps the old one
// signing, `disable` and `remove` end it; a private address is refused
// unless allowed; the audit log names the operator for every change and
// the log never holds a secret.
func TestWebhookCommands(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			vars := engineEnv(t, e)
			vars["LEAD360_LOG_LEVEL"] = "debug"
			_, svc, org := organization(t, vars, "Acme")
			var logs bytes.Buffer

			err := run(ctx, []string{"webhook", "create", "--org", "Acme", "--url", "https://10.0.0.7/hooks", "--events", "cycle.closed"}, env(vars), io.Discard, &logs)
			if exitCode(err) != exitFailure || !strings.Contains(err.Error(), "Use a public address") {
				t.Fatalf("a private address: %v, want refused with its reason", err)
			}
			err = run(ctx, []string{"webhook", "create", "--org", "Acme", "--url", "https://hooks.example.com/x"}, env(vars), io.Discard, io.Discard)
			if exitCode(err) != exitUsage {
				t.Errorf("create without --events: %v, want a usage error", err)
			}

			vars["LEAD360_WEBHOOK_ALLOW_PRIVATE"] = "true"
			created, key := secretIn(t, runWebhookCLI(t, vars, &logs, "create", "--org", "Acme", "--url", "https://10.0.0.7/hooks",
				"--events", "cycle.closed,invitation.failed"))
			var listed []webhookJSON
			if err := json.Unmarshal([]byte(runWebhookCLI(t, vars, &logs, "list", "--org", "Acme", "--json")), &listed); err != nil ||
				len(listed) != 1 || listed[0].Secret != "" || strings.Join(listed[0].Events, " ") != "cycle.closed invitation.failed" {
				t.Fatalf("webhook list: %+v (%v)", listed, err)
			}
			id := listed[0].ID
			rotated, newKey := secretIn(t, runWebhookCLI(t, vars, &logs, "rotate", "--org", "Acme", "--id", id))
			if bytes.Equal(key, newKey) {
				t.Fatal("rotate printed the same secret")
			}
			runWebhookCLI(t, vars, &logs, "disable", "--org", "Acme", "--id", id)
			hooks, err := svc.Webhooks(ctx, org.ID)
			if err != nil || len(hooks) != 1 || hooks[0].DisabledAt == nil || hooks[0].PreviousSecretUntil == nil {
				t.Fatalf("after rotate and disable: %+v, %v", hooks, err)
			}
			runWebhookCLI(t, vars, &logs, "remove", "--org", "Acme", "--id", id)
			if hooks, err := svc.Webhooks(ctx, org.ID); err != nil || len(hooks) != 0 {
				t.Fatalf("after remove: %+v, %v", hooks, err)
			}

			entries, _, _, err := svc.AuditPage(ctx, org.ID, 1, 10)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, a := range entries {
				if strings.HasPrefix(a.Action, "webhook.") && strings.Contains(a.ActorLabel, "from the command line (lead360 webhook ") {
					actions = append(actions, a.Action)
				}
			}
			if strings.Join(actions, " ") != "webhook.delete webhook.disable webhook.rotate webhook.create" {
				t.Errorf("audit entries naming the operator: %v", actions)
			}
			for _, secret := range []string{created, rotated} {
				if strings.Contains(logs.String(), secret[6:]) {
					t.Error("the log holds a signing secret")
				}
			}
		})
	}
}
