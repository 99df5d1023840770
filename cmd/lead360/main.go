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
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "lead360: "+err.Error())
		}
		os.Exit(1)
	}
}

const usage = `lead360 runs 360-degree leadership assessments.

Usage:
  lead360 [serve]     run the web server (the default)
  lead360 migrate     apply database migrations and exit
  lead360 demo        load a demo organisation with a closed cycle
  lead360 admin create --email E --org NAME [--name N]   create a dashboard admin
  lead360 score       score a ratings document (stdin or -f FILE), or a cycle (--cycle ID)
  lead360 report      a closed cycle's PDF reports (--participant ID or --all) or CSV (--csv)
  lead360 cycle open  open a cycle (--cycle ID) and queue its invitations
  lead360 version     print the version

Run "lead360 COMMAND -h" for a command's flags. Every flag can also be set
with its LEAD360_* environment variable.
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
	case "version":
		fmt.Fprintln(stdout, "lead360", version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
