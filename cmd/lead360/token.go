package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/lead360/lead360/assessment"
)

// `lead360 token`: API tokens for an organisation, as the dashboard's
// /org/tokens page makes them (assessment.Service.CreateAPIToken). The
// secret is printed once, on standard output only; it never reaches the
// log or the audit log.

const tokenUsage = `Usage:
  lead360 token create --org NAME --name NAME --scope read|write
                       make an API token; its secret is printed once
  lead360 token list --org NAME
                       the organisation's tokens with their last use
  lead360 token revoke --org NAME --id ID
                       end a token at once

Every action takes --json, and then prints one JSON document on standard
output instead of text.
`

var tokenActions = map[string]commandAction{
	"create": runTokenCreate,
	"list":   runTokenList,
	"revoke": runTokenRevoke,
}

// runToken is `lead360 token ACTION`.
func runToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return runAction(ctx, "token", tokenUsage, "create, list or revoke", tokenActions, args, getenv, stdout, stderr)
}

// tokenJSON is a token as the token actions print it with --json.
type tokenJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Scope      string     `json:"scope"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	// Token is the secret, printed by create only.
	Token string `json:"token,omitempty"`
}

func tokenOf(t assessment.APIToken) tokenJSON {
	return tokenJSON{ID: t.ID, Name: t.Name, Scope: string(t.Scope), CreatedBy: t.CreatedBy, CreatedAt: t.CreatedAt,
		LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt}
}

func runTokenCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cf := newCommandFlags("token", "create", "Usage:\n  lead360 token create --org NAME --name NAME --scope read|write [--json]\n", getenv, stderr)
	org := cf.String("org", "", "the organisation whose data the token reaches (required)")
	name := cf.String("name", "", "what uses the token, as the audit log names its changes (required)")
	scope := cf.String("scope", "", "read (GET only) or write (required)")
	if err := cf.parse(args, 0, "org", "name", "scope"); err != nil {
		return err
	}
	if _, ok := assessment.ParseTokenScope(*scope); !ok {
		return usagef("token create: --scope is read or write, not %q", *scope)
	}
	return withWorkbench(ctx, cf.cfg, stderr, cf.command, func(wb workbench) error {
		o, err := organizationNamed(ctx, wb, *org)
		if err != nil {
			return err
		}
		t, secret, err := wb.svc.CreateAPIToken(ctx, o.ID, "", assessment.NewAPIToken{Name: *name, Scope: *scope, CreatedBy: operator(cf.command)})
		if err != nil {
			return err
		}
		out := tokenOf(t)
		out.Token = secret
		return printResult(stdout, cf.asJSON, out, func(w io.Writer) {
			fmt.Fprintf(w, "Made the %s token %q (id %s) for %q.\nToken: %s   (shown once; keep it)\n", t.Scope, t.Name, t.ID, o.Name, secret)
		})
	})
}

func runTokenList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cf := newCommandFlags("token", "list", "Usage:\n  lead360 token list --org NAME [--json]\n", getenv, stderr)
	org := cf.String("org", "", "the organisation whose tokens to list (required)")
	if err := cf.parse(args, 0, "org"); err != nil {
		return err
	}
	return withWorkbench(ctx, cf.cfg, stderr, cf.command, func(wb workbench) error {
		o, err := organizationNamed(ctx, wb, *org)
		if err != nil {
			return err
		}
		ts, err := wb.svc.APITokens(ctx, o.ID)
		if err != nil {
			return err
		}
		out := make([]tokenJSON, len(ts))
		for i, t := range ts {
			out[i] = tokenOf(t)
		}
		return printResult(stdout, cf.asJSON, out, func(w io.Writer) { describeTokens(w, o.Name, out) })
	})
}

func describeTokens(w io.Writer, org string, ts []tokenJSON) {
	if len(ts) == 0 {
		fmt.Fprintf(w, "%q has no API tokens: lead360 token create --org %q --name NAME --scope read\n", org, org)
		return
	}
	for _, t := range ts {
		used := "never used"
		if t.LastUsedAt != nil {
			used = "last used " + t.LastUsedAt.Format(time.RFC3339)
		}
		if t.RevokedAt != nil {
			used += ", revoked " + t.RevokedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%s  %-5s  %q  made %s by %s, %s\n", t.ID, t.Scope, t.Name, t.CreatedAt.Format(time.RFC3339), t.CreatedBy, used)
	}
}

func runTokenRevoke(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cf := newCommandFlags("token", "revoke", "Usage:\n  lead360 token revoke --org NAME --id ID [--json]\n", getenv, stderr)
	org := cf.String("org", "", "the organisation of the token (required)")
	id := cf.String("id", "", "the token's id, as token list shows it (required)")
	if err := cf.parse(args, 0, "org", "id"); err != nil {
		return err
	}
	return withWorkbench(ctx, cf.cfg, stderr, cf.command, func(wb workbench) error {
		o, err := organizationNamed(ctx, wb, *org)
		if err != nil {
			return err
		}
		if err := wb.svc.RevokeAPIToken(ctx, o.ID, "", *id); err != nil {
			return err
		}
		return printResult(stdout, cf.asJSON, map[string]string{"id": *id, "revoked": "true"}, func(w io.Writer) {
			fmt.Fprintf(w, "Revoked the token %s of %q.\n", *id, o.Name)
		})
	})
}
