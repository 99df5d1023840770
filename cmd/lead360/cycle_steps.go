package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lead360/lead360/assessment"
)

// The steps of a cycle's life after it is set up: open, close, release.
// Each calls the dashboard's use case; the service records its audit entry
// (open's is recorded here: the dashboard records none yet).

// cycleFlag adds --cycle ID to the action's flags.
func (cf *cycleFlags) cycleFlag(help string) *string {
	return cf.String("cycle", "", help+" (required)")
}

// onCycle runs fn on the cycle the action was given, with the workbench.
func (cf *cycleFlags) onCycle(ctx context.Context, stderr io.Writer, cycleID string, fn func(wb workbench, c assessment.Cycle) error) error {
	return withCycle(ctx, cf.cfg, stderr, "cycle "+cf.action, cycleID, fn)
}

// openedJSON is what `cycle open --json` prints.
type openedJSON struct {
	cycleJSON
	Invitations int `json:"invitations"`
	Emails      int `json:"emails"`
	Reminders   int `json:"reminders"`
}

// runCycleOpen is `lead360 cycle open`: invitations for every rater (self
// included), one email per rater queued for the server to send, and the
// leaders' dashboard invitations, in one transaction.
func runCycleOpen(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cf := newCycleFlags("open", `Usage:
  lead360 cycle open --cycle ID [--json]

Opens a draft cycle: creates an invitation for every rater (self included)
and queues one email per rater and the leaders' dashboard invitations; the
running server sends them, with links under --base-url.
`, getenv, stderr, "base-url")
	cycleID := cf.cycleFlag("the draft cycle to open")
	if err := cf.parse(args, 0, "cycle"); err != nil {
		return err
	}
	return cf.onCycle(ctx, stderr, *cycleID, func(wb workbench, c assessment.Cycle) error {
		opened, err := wb.svc.OpenCycle(ctx, c.OrganizationID, c.ID, "", newAccounts(wb.cfg, wb.svc))
		if err != nil {
			return err
		}
		out := openedJSON{cycleJSON: cycleOf(opened.Cycle), Invitations: opened.Invitations, Emails: opened.Emails, Reminders: opened.Reminders}
		return printResult(stdout, cf.asJSON, out, func(w io.Writer) {
			fmt.Fprintf(w, "Opened %q: %d invitations in %d emails queued, %d reminders scheduled; it closes %s.\n",
				opened.Cycle.Name, opened.Invitations, opened.Emails, opened.Reminders, moment(opened.Cycle.ClosesAt))
		})
	})
}

// runCycleClose is `lead360 cycle close`: the dashboard's "close now".
func runCycleClose(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cf := newCycleFlags("close", `Usage:
  lead360 cycle close --cycle ID [--json]

Closes an open cycle now: its close date becomes now and its surveys accept
no more answers. Its results stay hidden until it is released.
`, getenv, stderr)
	cycleID := cf.cycleFlag("the open cycle to close")
	if err := cf.parse(args, 0, "cycle"); err != nil {
		return err
	}
	return cf.onCycle(ctx, stderr, *cycleID, func(wb workbench, c assessment.Cycle) error {
		closed, err := wb.svc.CloseCycleEarly(ctx, c.OrganizationID, c.ID, "")
		if err != nil {
			return err
		}
		return printResult(stdout, cf.asJSON, cycleOf(closed), func(w io.Writer) {
			fmt.Fprintf(w, "Closed %q at %s: its surveys accept no more answers.\nRelease its results with: lead360 cycle release --cycle %s\n",
				closed.Name, moment(closed.ClosesAt), closed.ID)
		})
	})
}

// runCycleRelease is `lead360 cycle release`: the dashboard's release,
// including its confirmation of what excluded answers change.
func runCycleRelease(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cf := newCycleFlags("release", `Usage:
  lead360 cycle release --cycle ID [--confirm-exclusions CODE] [--json]

Releases a closed cycle's results: it scores the cycle and lets its leaders
and admins read the reports. When excluded answers push a group below the
anonymity threshold, the release is refused with the list of what they
change and a code; run it again with --confirm-exclusions CODE once you
have read the list.
`, getenv, stderr)
	cycleID := cf.cycleFlag("the closed cycle whose results to release")
	confirm := cf.String("confirm-exclusions", "", "confirm you have read what excluded answers change: the code a refused release printed")
	if err := cf.parse(args, 0, "cycle"); err != nil {
		return err
	}
	return cf.onCycle(ctx, stderr, *cycleID, func(wb workbench, c assessment.Cycle) error {
		if *confirm != "" {
			if err := wb.svc.ConfirmExclusions(ctx, c.OrganizationID, c.ID, *confirm, ""); err != nil {
				if assessment.ErrorCode(err) != assessment.CodeConflict {
					return err
				}
				return exclusionsUnconfirmed(ctx, wb.svc, c, "that code does not match what excluded answers change now")
			}
		}
		released, err := wb.svc.ReleaseCycle(ctx, c.OrganizationID, c.ID, "")
		if errors.Is(err, assessment.ErrExclusionsNotSeen) {
			return exclusionsUnconfirmed(ctx, wb.svc, c, "excluded answers change what some leaders' reports show")
		}
		if err != nil {
			return err
		}
		return printResult(stdout, cf.asJSON, cycleOf(released), func(w io.Writer) {
			fmt.Fprintf(w, "Released the results of %q: its leaders can read their reports, and lead360 report --cycle %s can write them.\n",
				released.Name, released.ID)
		})
	})
}

// exclusionsUnconfirmed refuses a release with what excluded answers
// change, as the dashboard lists it, and the command that confirms it.
func exclusionsUnconfirmed(ctx context.Context, svc *assessment.Service, c assessment.Cycle, why string) error {
	rc, err := svc.ReleaseCheck(ctx, c.OrganizationID, c.ID)
	if err != nil {
		return err
	}
	if len(rc.Consequences) == 0 {
		return errors.New("cycle release: nothing was released: no excluded answers need confirming now; run it again without --confirm-exclusions")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "cycle release: nothing was released: %s:\n", why)
	for _, x := range rc.Consequences {
		fmt.Fprintf(&b, "  %s\n", x)
	}
	fmt.Fprintf(&b, "Once you have read this, release with: lead360 cycle release --cycle %s --confirm-exclusions %s", c.ID, rc.Digest)
	return errors.New(b.String())
}
