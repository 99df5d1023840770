package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/lead360/lead360/assessment"
)

// `lead360 cycle`: the dashboard's cycle steps for HR teams that script
// their work. Each action is thin: it parses its flags, calls one use case
// of the service (the same one the dashboard calls, with the same rules),
// and prints the result as text or, with --json, as one JSON document.
// Every change leaves an audit entry naming the operator.

const cycleUsage = `Usage:
  lead360 cycle create --org NAME --name NAME --opens DATE --closes DATE [--form short|full] [--threshold N]
                       create a draft cycle in an organisation
  lead360 cycle import --cycle ID FILE.csv
                       add leaders and raters from a CSV file (- reads standard
                       input): every row, or none if any row has a problem
  lead360 cycle open --cycle ID
                       open a draft cycle: invite its raters and leaders
  lead360 cycle close --cycle ID
                       close an open cycle now: no more answers
  lead360 cycle release --cycle ID
                       release a closed cycle's results to its leaders
  lead360 cycle list --org NAME
                       an organisation's cycles with response counts per group

Every action takes --json, and then prints one JSON object (an array for
list) on standard output instead of text. Run "lead360 cycle ACTION -h" for
an action's flags.

Exit status: 0 done (or help shown), 1 the action failed or was refused,
2 the command line is wrong (unknown action or flag, missing or malformed
value).
`

// cycleActions are the actions of `lead360 cycle`.
var cycleActions = map[string]commandAction{
	"create":  runCycleCreate,
	"import":  runCycleImport,
	"open":    runCycleOpen,
	"close":   runCycleClose,
	"release": runCycleRelease,
	"list":    runCycleList,
}

// runCycle is `lead360 cycle ACTION`, an operator tool: an action on a
// cycle finds it in whatever organisation holds it.
func runCycle(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return runAction(ctx, "cycle", cycleUsage, "create, import, open, close, release or list", cycleActions, args, getenv, stdout, stderr)
}

// cycleFlags is the flag set of one cycle action: the settings it uses,
// --json, and its own flags.
type cycleFlags struct {
	*flag.FlagSet
	action string
	// command is the whole command, as errors name it: "cycle open".
	command string
	cfg     Config
	asJSON  bool
}

// newCycleFlags makes the action's flag set with the database settings and
// the extra settings it names.
func newCycleFlags(action, usage string, getenv func(string) string, stderr io.Writer, settings ...string) *cycleFlags {
	return newCommandFlags("cycle", action, usage, getenv, stderr, settings...)
}

// newCommandFlags is newCycleFlags for an action of another command
// ("token create"), which reads its flags the same way.
func newCommandFlags(command, action, usage string, getenv func(string) string, stderr io.Writer, settings ...string) *cycleFlags {
	cf := &cycleFlags{action: action, command: command + " " + action}
	cf.FlagSet = cf.cfg.flagSet(cf.command, usage+"\nFlags:\n", getenv, stderr, append(settings, databaseSettings...)...)
	cf.BoolVar(&cf.asJSON, "json", false, "print one JSON document on standard output instead of text")
	return cf
}

// parse reads args, which may hold up to maxArgs arguments after the
// flags, checks that every flag in required has a value, and validates
// the settings.
func (cf *cycleFlags) parse(args []string, maxArgs int, required ...string) error {
	if err := parseFlags(cf.FlagSet, args, maxArgs); err != nil {
		return err
	}
	for _, name := range required {
		if cf.Lookup(name).Value.String() == "" {
			return usagef("%s: --%s is required (see lead360 %s -h)", cf.command, name, cf.command)
		}
	}
	return cf.cfg.validate()
}

// printResult writes an action's result: v as one JSON document with
// --json, otherwise the text that human writes.
func printResult(w io.Writer, asJSON bool, v any, human func(w io.Writer)) error {
	if !asJSON {
		human(w)
		return nil
	}
	if err := json.NewEncoder(w).Encode(v); err != nil {
		return fmt.Errorf("write the result: %w", err)
	}
	return nil
}

// cycleJSON is a cycle as every cycle action prints it with --json; the
// names are stable for scripts.
type cycleJSON struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	OrganizationID string    `json:"organization_id"`
	Status         string    `json:"status"`
	OpensAt        time.Time `json:"opens_at"`
	ClosesAt       time.Time `json:"closes_at"`
}

func cycleOf(c assessment.Cycle) cycleJSON {
	return cycleJSON{ID: c.ID, Name: c.Name, OrganizationID: c.OrganizationID, Status: string(c.Status),
		OpensAt: c.OpensAt.UTC(), ClosesAt: c.ClosesAt.UTC()}
}

// moment is how a cycle action writes a time for people.
func moment(t time.Time) string {
	return t.UTC().Format("2 January 2006 15:04 UTC")
}

// count says how many, as people say it: "1 leader", "2 leaders".
func count(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}
