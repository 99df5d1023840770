package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/user"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/store"
)

// workbench is what a command that works on the database holds: its
// settings, the store, and the service over it, which names the operator in
// every audit entry it records (assessment.Service.ByOperator).
type workbench struct {
	command string // as the audit log names it, e.g. "cycle close"
	cfg     Config
	st      *store.Store
	svc     *assessment.Service
}

// withWorkbench opens the configured database and the service for command
// (as the audit log names it, e.g. "cycle close"), runs fn, and closes the
// database.
func withWorkbench(ctx context.Context, cfg Config, stderr io.Writer, command string, fn func(wb workbench) error) error {
	log := cfg.logger(stderr)
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := newService(cfg, st, log)
	if err != nil {
		return err
	}
	return fn(workbench{command: command, cfg: cfg, st: st, svc: svc.ByOperator(operator(command))})
}

// withCycle is withWorkbench with the cycle whose id the command was
// given, found in whatever organisation holds it: the command line is an
// operator's tool, with no organisation of its own.
func withCycle(ctx context.Context, cfg Config, stderr io.Writer, command, cycleID string, fn func(wb workbench, c assessment.Cycle) error) error {
	return withWorkbench(ctx, cfg, stderr, command, func(wb workbench) error {
		c, err := wb.st.CycleAnyOrganization(ctx, cycleID)
		if err != nil {
			return fmt.Errorf("%s --cycle %s: %w", command, cycleID, err)
		}
		return fn(wb, c)
	})
}

// operator says who ran a command, for the audit log: the command line has
// no dashboard account, so the system user and host, and the command.
func operator(command string) string {
	who := "an operator"
	if u, err := user.Current(); err == nil && u.Username != "" {
		who = "operator " + u.Username
	}
	if host, err := os.Hostname(); err == nil && host != "" {
		who += " on " + host
	}
	return who + ", from the command line (lead360 " + command + ")"
}
