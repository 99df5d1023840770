package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

// "lead360 admin create" never prompts: it generates and prints a password,
// or takes one from the environment; the admin can then sign in.
func TestAdminCreate(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			vars := engineEnv(t, e)
			ctx := context.Background()
			var out bytes.Buffer
			args := []string{"admin", "create", "--email", "Ana@Example.com", "--org", "Acme", "--name", "Ana"}
			if err := run(ctx, args, env(vars), &out, io.Discard); err != nil {
				t.Fatalf("admin create: %v", err)
			}
			m := regexp.MustCompile(`Password: (\S+)`).FindStringSubmatch(out.String())
			if m == nil || !strings.Contains(out.String(), "ana@example.com") {
				t.Fatalf("output:\n%s", out.String())
			}

			vars["LEAD360_ADMIN_PASSWORD"] = "tulip harbour"
			out.Reset()
			args = []string{"admin", "create", "--email", "bo@example.com", "--org", "Acme"}
			if err := run(ctx, args, env(vars), &out, io.Discard); err != nil || strings.Contains(out.String(), "Password:") {
				t.Fatalf("admin create with a set password: %v\n%s", err, out.String())
			}
			err := run(ctx, args, env(vars), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), "already exists") {
				t.Fatalf("same email again: %v", err)
			}
			vars["LEAD360_ADMIN_PASSWORD"] = "password123"
			args = []string{"admin", "create", "--email", "cy@example.com", "--org", "Acme"}
			if err := run(ctx, args, env(vars), io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "common") {
				t.Fatalf("common password: %v", err)
			}

			st, err := store.Open(ctx, store.Config{DatabaseURL: vars["LEAD360_DATABASE_URL"], DataDir: vars["LEAD360_DATA_DIR"]})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			acc := assessment.NewAccounts(assessment.NewService(st, assessmenttest.Tokens(), nil), "", nil)
			for email, password := range map[string]string{"ana@example.com": m[1], "bo@example.com": "tulip harbour"} {
				if us, err := acc.Authenticate(ctx, email, password); err != nil || len(us) != 1 || !us[0].Has(assessment.RoleAdmin) {
					t.Errorf("sign in as %s: %+v %v", email, us, err)
				}
			}
		})
	}
}

func TestAdminCreateNeedsEmailAndOrganisation(t *testing.T) {
	t.Parallel()
	err := run(context.Background(), []string{"admin", "create", "--org", "Acme"}, env(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--email and --org are required") {
		t.Fatalf("err = %v", err)
	}
	if err := run(context.Background(), []string{"admin", "delete"}, env(nil), io.Discard, io.Discard); err == nil {
		t.Fatal("unknown admin subcommand accepted")
	}
}

// --password-stdin reads the first line; a password never comes from a flag.
func TestAdminPasswordFromStdin(t *testing.T) {
	old := passwordInput
	t.Cleanup(func() { passwordInput = old })
	passwordInput = strings.NewReader("tulip harbour\r\nsecond line\n")
	if got, err := adminPassword(true, env(nil)); err != nil || got != "tulip harbour" {
		t.Fatalf("got %q, %v", got, err)
	}
	passwordInput = strings.NewReader("")
	if _, err := adminPassword(true, env(nil)); err == nil {
		t.Fatal("empty standard input accepted")
	}
	if got, _ := adminPassword(false, env(map[string]string{"LEAD360_ADMIN_PASSWORD": "from env"})); got != "from env" {
		t.Fatalf("environment: %q", got)
	}
}
