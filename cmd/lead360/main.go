// Command lead360 runs the lead360 server and its maintenance commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "lead360: "+err.Error())
	}
	os.Exit(exitCode(err))
}

// Exit codes scripts can rely on (the usage text lists them).
const (
	exitOK      = 0 // done, or help asked for with -h
	exitFailure = 1 // the work failed: a refused action, a missing cycle, a database error
	exitUsage   = 2 // the command line is wrong: unknown command or flag, missing or malformed value
)

// usageError is a command line lead360 cannot run as written. main exits 2
// on it, so a script can tell its own mistake from a failure of the work.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// usagef is a usageError with a message.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitCode is main's exit status for run's error.
func exitCode(err error) int {
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	}
	return exitFailure
}

// isHelp reports whether arg asks for help rather than naming an action.
func isHelp(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "-help" || arg == "--help"
}

// parseFlags parses a command's flags. -h has printed the usage and
// returns flag.ErrHelp (exit 0); any other problem, already printed with
// the usage, is a usage error; so is an argument left over when the
// command takes none (maxArgs 0).
func parseFlags(fs *flag.FlagSet, args []string, maxArgs int) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > maxArgs {
		return usagef("%s: unexpected argument %q", strings.TrimPrefix(fs.Name(), "lead360 "), fs.Arg(maxArgs))
	}
	return nil
}

const usage = `lead360 runs 360-degree leadership assessments.

Usage:
  lead360 [serve]     run the web server (the default)
  lead360 migrate     apply database migrations and exit
  lead360 demo        load a demo organisation with a closed and an open cycle
  lead360 admin create --email E --org NAME [--name N]   create a dashboard admin
  lead360 cycle create --org NAME --name NAME --opens DATE --closes DATE
                      create a draft cycle
  lead360 cycle import --cycle ID FILE.csv
                      add leaders and raters from a CSV file, every row or none
  lead360 cycle open|close|release --cycle ID
                      open a draft cycle and queue its invitations; close an
                      open cycle now; release a closed cycle's results
  lead360 cycle list --org NAME
                      an organisation's cycles with response counts per group
  lead360 token create --org NAME --name NAME --scope read|write
                      make an API token (printed once); token list, token revoke
  lead360 webhook create --org NAME --url URL --events EVENT,...
                      add a webhook endpoint (its secret printed once);
                      webhook list, rotate, disable, remove
  lead360 score       score a ratings document (stdin or -f FILE), or a cycle (--cycle ID)
  lead360 report      a released cycle's PDF reports (--participant ID or --all) or CSV (--csv)
  lead360 healthcheck exit 0 when the server on LEAD360_ADDR is ready (for containers)
  lead360 version     print the version

Run "lead360 COMMAND -h" for a command's flags (exit status 0). Every
setting flag can also be set with its LEAD360_* environment variable. The
cycle commands take --json for one JSON document on standard output.
Commands that change data, and every report written, are recorded in the
organisation's audit log with the operator's system user.

Exit status: 0 done; 1 failed (a refused action, an unknown cycle or
organisation, a database error); 2 the command line is wrong (an unknown
command or flag, a missing or malformed value).
`

// run is the whole program behind main, with its inputs made explicit so
// tests can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, args, getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args, getenv, stdout, stderr)
	case "admin":
		return runAdmin(ctx, args, getenv, stdout, stderr)
	case "demo":
		return runDemo(ctx, args, getenv, stdout, stderr)
	case "score":
		return runScore(ctx, args, getenv, stdout, stderr)
	case "report":
		return runReport(ctx, args, getenv, stdout, stderr)
	case "cycle":
		return runCycle(ctx, args, getenv, stdout, stderr)
	case "healthcheck":
		return runHealthcheck(ctx, args, getenv, stdout, stderr)
	case "token":
		return runToken(ctx, args, getenv, stdout, stderr)
	case "webhook":
		return runWebhook(ctx, args, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "lead360", version())
		return nil
	}
	if isHelp(cmd) {
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usagef("unknown command %q", cmd)
}
