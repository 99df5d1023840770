package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lead360/lead360/assessment"
)

// passwordInput is where --password-stdin reads; tests replace it.
var passwordInput io.Reader = os.Stdin

const adminUsage = `Usage:
  lead360 admin create --email EMAIL --org NAME [--name NAME] [--password-stdin]

Creates a dashboard admin in the organisation NAME, creating the organisation
if it does not exist. It never prompts: the password is read from
LEAD360_ADMIN_PASSWORD, or from the first line of standard input with
--password-stdin, or else generated and printed once.
`

// forwardFlag accepts one of the server's settings on the admin command line
// and hands it on to parseConfig, so both read settings the same way.
type forwardFlag struct {
	name string
	args *[]string
}

func (f forwardFlag) String() string { return "" }

func (f forwardFlag) Set(v string) error {
	*f.args = append(*f.args, "-"+f.name+"="+v)
	return nil
}

// runAdmin runs "lead360 admin create".
func runAdmin(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprint(stdout, adminUsage)
		return nil
	}
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(stderr, adminUsage)
		return usagef(`admin: the only subcommand is "create"`)
	}
	fs := flag.NewFlagSet("lead360 admin create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, adminUsage, "\nFlags:\n"); fs.PrintDefaults() }
	var in assessment.AdminInput
	var passwordStdin bool
	fs.StringVar(&in.Email, "email", "", "the admin's email address, used to sign in (required)")
	fs.StringVar(&in.Organization, "org", "", "the organisation's name, created if new (required)")
	fs.StringVar(&in.Name, "name", "", "the admin's name, shown in the dashboard")
	fs.BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	var forwarded []string
	for _, s := range (&Config{}).settings() {
		fs.Var(forwardFlag{name: s.flag, args: &forwarded}, s.flag, s.help+" ("+s.env+")")
	}
	if err := parseFlags(fs, args[1:], 0); err != nil {
		return err
	}
	if in.Email == "" || in.Organization == "" {
		fs.Usage()
		return usagef("admin create: --email and --org are required")
	}
	password, err := adminPassword(passwordStdin, getenv)
	if err != nil {
		return err
	}
	in.Password = password
	cfg, err := parseConfig("admin create", forwarded, getenv, stderr)
	if err != nil {
		return err
	}
	return withWorkbench(ctx, cfg, stderr, "admin create", func(wb workbench) error {
		u, generated, err := assessment.NewAccounts(wb.svc, cfg.BaseURL, nil).CreateAdmin(ctx, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Created admin %s in %q. Sign in at %s/login\n", u.Email, strings.TrimSpace(in.Organization), cfg.BaseURL)
		if generated != "" {
			fmt.Fprintf(stdout, "Password: %s   (shown once; keep it)\n", generated)
		}
		return nil
	})
}

// adminPassword is the password to set, or "" to generate one. A password
// never comes from a flag: flags show in the process list and shell history.
func adminPassword(fromStdin bool, getenv func(string) string) (string, error) {
	if !fromStdin {
		return getenv("LEAD360_ADMIN_PASSWORD"), nil
	}
	line, err := bufio.NewReader(passwordInput).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("admin create: read the password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("admin create: --password-stdin: standard input has no password")
	}
	return line, nil
}
