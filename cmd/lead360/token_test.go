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

// `lead360 token create` prints a working token once, `token list` shows it
// without its secret, `token revoke` ends it; the audit log names the
// operator for both changes, and the log never holds the secret.
func TestTokenCommands(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			vars := engineEnv(t, e)
			vars["LEAD360_LOG_LEVEL"] = "debug"
			_, svc, org := organization(t, vars, "Acme")
			var out, logs bytes.Buffer
			if err := run(ctx, []string{"token", "create", "--org", "Acme", "--name", "HRIS sync", "--scope", "write"}, env(vars), &out, &logs); err != nil {
				t.Fatalf("token create: %v\n%s", err, logs.String())
			}
			secret := regexp.MustCompile(`Token: (l360_\S+)`).FindStringSubmatch(out.String())
			if secret == nil {
				t.Fatalf("token create said %q", out.String())
			}
			tok, err := svc.AuthenticateAPIToken(ctx, secret[1])
			if err != nil || tok.Name != "HRIS sync" || tok.Scope != assessment.ScopeWrite || tok.OrganizationID != org.ID {
				t.Fatalf("the printed token: %+v, %v", tok, err)
			}

			out.Reset()
			if err := run(ctx, []string{"token", "list", "--org", "Acme", "--json"}, env(vars), &out, &logs); err != nil {
				t.Fatalf("token list: %v", err)
			}
			var listed []tokenJSON
			if err := json.Unmarshal(out.Bytes(), &listed); err != nil || len(listed) != 1 || listed[0].ID != tok.ID || listed[0].Token != "" || listed[0].LastUsedAt == nil {
				t.Fatalf("token list: %s (%v)", out.String(), err)
			}
			if err := run(ctx, []string{"token", "revoke", "--org", "Acme", "--id", tok.ID}, env(vars), io.Discard, &logs); err != nil {
				t.Fatalf("token revoke: %v", err)
			}
			if _, err := svc.AuthenticateAPIToken(ctx, secret[1]); err == nil {
				t.Error("a revoked token still opens")
			}
			err = run(ctx, []string{"token", "create", "--org", "Acme", "--name", "x", "--scope", "admin"}, env(vars), io.Discard, io.Discard)
			if exitCode(err) != exitUsage {
				t.Errorf("--scope admin: %v, want a usage error", err)
			}
			entries, _, _, err := svc.AuditPage(ctx, org.ID, 1, 10)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, a := range entries {
				if strings.HasPrefix(a.Action, "token.") && strings.Contains(a.ActorLabel, "from the command line (lead360 token ") {
					actions = append(actions, a.Action)
				}
			}
			if strings.Join(actions, " ") != "token.revoke token.create" {
				t.Errorf("audit entries naming the operator: %v", actions)
			}
			if strings.Contains(logs.String(), secret[1][5:]) {
				t.Error("the log holds the token's secret")
			}
		})
	}
}
