package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/lead360/lead360/assessment"
)

const cycleListUsage = `Usage:
  lead360 cycle list --org NAME [--json]

Lists an organisation's cycles, newest first as on the dashboard, with
their status, dates and response counts per group of raters. It never says
who has answered.
`

// listedJSON is one cycle of `cycle list --json`.
type listedJSON struct {
	cycleJSON
	Organization string `json:"organization"`
	Leaders      int    `json:"leaders"`
	groupJSON
	Groups []groupJSON `json:"groups"`
}

// groupJSON counts one group's raters, or (in listedJSON) the cycle's:
// assigned, invited and submitted. Counts only, never who.
type groupJSON struct {
	Relationship string `json:"relationship,omitempty"`
	Raters       int    `json:"raters"`
	Invited      int    `json:"invited"`
	Submitted    int    `json:"submitted"`
}

func groupOf(g assessment.GroupCount) groupJSON {
	return groupJSON{Relationship: string(g.Relationship), Raters: g.Assigned, Invited: g.Invited, Submitted: g.Submitted}
}

// runCycleList is `lead360 cycle list`: the dashboard's cycles list
// (assessment.Service.CycleSummaries) with each cycle's progress per group
// (assessment.Service.CycleProgress), of which it prints only counts.
func runCycleList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cf := newCycleFlags("list", cycleListUsage, getenv, stderr)
	org := cf.String("org", "", "the organisation whose cycles to list (required)")
	if err := cf.parse(args, 0, "org"); err != nil {
		return err
	}
	return withWorkbench(ctx, cf.cfg, stderr, "cycle list", func(wb workbench) error {
		o, err := organizationNamed(ctx, wb, *org)
		if err != nil {
			return err
		}
		sums, err := wb.svc.CycleSummaries(ctx, o.ID, "")
		if err != nil {
			return err
		}
		out := make([]listedJSON, 0, len(sums))
		for _, sum := range sums {
			p, err := wb.svc.CycleProgress(ctx, o.ID, sum.Cycle.ID, assessment.ProgressQuery{})
			if err != nil {
				return err
			}
			l := listedJSON{cycleJSON: cycleOf(sum.Cycle), Organization: o.Name, Leaders: p.LeaderCount, groupJSON: groupOf(p.Total), Groups: []groupJSON{}}
			for _, g := range p.Groups {
				l.Groups = append(l.Groups, groupOf(g))
			}
			out = append(out, l)
		}
		return printResult(stdout, cf.asJSON, out, func(w io.Writer) { describeCycles(w, o.Name, out) })
	})
}

// describeCycles writes the list for people: a line per cycle, and one
// with its counts per group.
func describeCycles(w io.Writer, org string, cycles []listedJSON) {
	if len(cycles) == 0 {
		fmt.Fprintf(w, "%q has no cycles yet: lead360 cycle create --org %q ...\n", org, org)
		return
	}
	for _, c := range cycles {
		fmt.Fprintf(w, "%s  %s  %s to %s  id %s\n", c.Name, c.Status, moment(c.OpensAt), moment(c.ClosesAt), c.ID)
		if c.Invited == 0 {
			fmt.Fprintf(w, "  %s, %s, nobody invited yet\n", count(c.Leaders, "leader"), count(c.Raters, "rater"))
			continue
		}
		groups := make([]string, len(c.Groups))
		for i, g := range c.Groups {
			groups[i] = fmt.Sprintf("%s %d of %d", assessment.Relationship(g.Relationship).GroupLabel(), g.Submitted, g.Invited)
		}
		fmt.Fprintf(w, "  %s; %d of %d invited have answered: %s\n", count(c.Leaders, "leader"), c.Submitted, c.Invited, strings.Join(groups, ", "))
	}
}
