package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lead360/lead360/assessment"
)

const cycleImportUsage = `Usage:
  lead360 cycle import --cycle ID [--json] FILE.csv
  lead360 cycle import --cycle ID [--json] - < FILE.csv

Adds leaders and raters to a draft cycle from a CSV file, as the
dashboard's import does: the first line names the columns leader_email,
rater_email, rater_name and relationship (manager, peer, direct report or
other), and leader_name for leaders new to lead360. Every row is imported,
or none: if any row has a problem, each problem is listed with its line and
nothing is saved.
`

// importJSON is what `cycle import --json` prints, imported or not.
type importJSON struct {
	CycleID  string `json:"cycle_id"`
	Imported bool   `json:"imported"`
	Leaders  int    `json:"leaders"` // leaders added to the cycle
	Raters   int    `json:"raters"`  // rater assignments added
	Rows     int    `json:"rows"`    // data rows read
	// Problems and Warnings concern the whole file; Lines are the rows
	// with problems or warnings of their own.
	Problems []string     `json:"problems"`
	Warnings []string     `json:"warnings"`
	Lines    []importLine `json:"lines"`
}

type importLine struct {
	Line     int      `json:"line"`
	Problems []string `json:"problems"`
	Warnings []string `json:"warnings"`
}

// runCycleImport is `lead360 cycle import`: the dashboard's import with its
// checks and its all-or-nothing rule (assessment.Service.ImportRaters).
func runCycleImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cf := newCycleFlags("import", cycleImportUsage, getenv, stderr)
	cycleID := cf.cycleFlag("the draft cycle to add leaders and raters to")
	if err := cf.parse(args, 1, "cycle"); err != nil {
		return err
	}
	if cf.NArg() == 0 {
		return usagef("cycle import: name the CSV file to import (- reads standard input)")
	}
	text, err := readImportFile(cf.Arg(0))
	if err != nil {
		return err
	}
	return cf.onCycle(ctx, stderr, *cycleID, func(wb workbench, c assessment.Cycle) error {
		done, imp, err := wb.svc.ImportRaters(ctx, c.OrganizationID, c.ID, text, "")
		if err != nil && !errors.Is(err, assessment.ErrImportNotReady) {
			return err
		}
		out := importResult(c.ID, done, imp, err == nil)
		if err == nil {
			return printResult(stdout, cf.asJSON, out, func(w io.Writer) {
				fmt.Fprintf(w, "Imported into %q: %s and %s from %s.\n", c.Name, count(done.Leaders, "leader"), count(done.Raters, "rater"), count(len(imp.Rows), "row"))
				for _, warning := range out.Warnings {
					fmt.Fprintln(w, "Warning: "+warning)
				}
			})
		}
		// Refused: the problems go where the result would, for a script,
		// and to stderr, for a person.
		w, asJSON := stderr, cf.asJSON
		if asJSON {
			w = stdout
		}
		if err := printResult(w, asJSON, out, func(w io.Writer) { describeProblems(w, out) }); err != nil {
			return err
		}
		return importRefused(out)
	})
}

// readImportFile reads the named file, or standard input for "-", up to one
// byte past the import limit, for the parser to report a file too big.
func readImportFile(name string) (string, error) {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return "", fmt.Errorf("cycle import: %w", err)
		}
		defer f.Close()
		r = f
	}
	var b strings.Builder
	if _, err := io.Copy(&b, io.LimitReader(r, assessment.MaxImportBytes+1)); err != nil {
		return "", fmt.Errorf("cycle import: read %s: %w", name, err)
	}
	return b.String(), nil
}

// importResult is what an import did, or why it was refused.
func importResult(cycleID string, done assessment.Imported, imp assessment.RaterImport, imported bool) importJSON {
	out := importJSON{CycleID: cycleID, Imported: imported, Leaders: done.Leaders, Raters: done.Raters, Rows: len(imp.Rows),
		Problems: nonNil(imp.Problems), Warnings: nonNil(imp.Warnings), Lines: []importLine{}}
	for _, g := range imp.SmallGroups {
		out.Warnings = append(out.Warnings, "A group too small to show, for "+g.String())
	}
	if !imported && len(imp.Problems) == 0 && len(imp.Rows) == 0 {
		out.Problems = []string{"The file has no rows after its first line."}
	}
	for _, r := range imp.Rows {
		if len(r.Problems)+len(r.Warnings) > 0 {
			out.Lines = append(out.Lines, importLine{Line: r.Line, Problems: nonNil(r.Problems), Warnings: nonNil(r.Warnings)})
		}
	}
	return out
}

// describeProblems lists every problem of a refused import, the file's
// first, then each row's with its line.
func describeProblems(w io.Writer, out importJSON) {
	fmt.Fprintln(w, "Nothing was imported. Fix these problems and import the file again:")
	for _, p := range out.Problems {
		fmt.Fprintln(w, "  the file: "+p)
	}
	for _, l := range out.Lines {
		for _, p := range l.Problems {
			fmt.Fprintf(w, "  line %d: %s\n", l.Line, p)
		}
	}
}

// importRefused is the error of a refused import, counting its problems.
func importRefused(out importJSON) error {
	rows := 0
	for _, l := range out.Lines {
		if len(l.Problems) > 0 {
			rows++
		}
	}
	if rows > 0 {
		return fmt.Errorf("cycle import: nothing was imported: %d of %d rows have problems", rows, out.Rows)
	}
	return errors.New("cycle import: nothing was imported: the file has problems")
}

// nonNil keeps an empty list a list in JSON ([] rather than null).
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
