package main

import (
	"context"
	"fmt"
	"io"

	"github.com/lead360/lead360/assessment"
)

const cycleUsage = `Usage:
  lead360 cycle open --cycle ID   open a draft cycle: create an invitation for
                                  every rater (self included) and queue one
                                  email per rater; the server sends them

Flags:
`

// runCycle is `lead360 cycle`, an operator tool: it finds the cycle in
// whatever organisation holds it.
func runCycle(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "open" {
		fmt.Fprint(stderr, cycleUsage)
		if len(args) == 0 {
			return usagef("cycle: name an action (open)")
		}
		return usagef("cycle: unknown action %q", args[0])
	}
	var cfg Config
	fs := cfg.flagSet("cycle open", cycleUsage, getenv, stderr, append([]string{"base-url"}, databaseSettings...)...)
	cycleID := fs.String("cycle", "", "id of the cycle to open")
	if err := parseFlags(fs, args[1:], 0); err != nil {
		return err
	}
	if *cycleID == "" {
		return usagef("cycle open: --cycle ID is required")
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	return withCycle(ctx, cfg, stderr, "cycle open", *cycleID, func(wb workbench, c assessment.Cycle) error {
		opened, err := wb.svc.OpenCycle(ctx, c.OrganizationID, c.ID, newAccounts(wb.cfg, wb.svc))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Opened %q: %d invitations in %d emails queued, %d reminders scheduled; it closes %s.\n",
			opened.Cycle.Name, opened.Invitations, opened.Emails, opened.Reminders, opened.Cycle.ClosesAt.Format("2 January 2006 15:04 UTC"))
		return nil
	})
}
