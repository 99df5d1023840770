package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/scoring"
)

// stdin is where `lead360 score` reads its input without -f; a variable so
// tests can replace it.
var stdin io.Reader = os.Stdin

const scoreUsage = `Usage:
  lead360 score [-f FILE]     score a JSON document (instrument, ratings, config,
                              previous; docs/scoring.md) from FILE or standard
                              input and write the result as JSON
  lead360 score --cycle ID    score a released cycle from the database and write
                              the result as JSON, as on the dashboard only
                              after release; recorded in the audit log. The
                              result is only printed: its reports keep the
                              released version
  lead360 score --cycle ID --re-release
                              score a released cycle and, if the result
                              differs, make it the version its reports show;
                              recorded in the audit log

Flags:
`

// runScore is `lead360 score`. It is an operator tool: with --cycle it finds
// the cycle in whatever organisation holds it.
func runScore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := cfg.flagSet("score", scoreUsage, getenv, stderr, databaseSettings...)
	file := fs.String("f", "", "read the input document from this file instead of standard input")
	cycleID := fs.String("cycle", "", "score this cycle from the database instead of a document")
	reRelease := fs.Bool("re-release", false, "with --cycle: make a released cycle's new result the version its reports show (audited)")
	indent := fs.Bool("indent", false, "indent the JSON output")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if *file != "" && *cycleID != "" {
		return usagef("score: use either -f FILE or --cycle ID, not both")
	}
	if *reRelease && *cycleID == "" {
		return usagef("score: --re-release needs --cycle ID")
	}
	var result scoring.Result
	if *cycleID != "" {
		if err := cfg.validate(); err != nil {
			return err
		}
		snap, err := scoreCycle(ctx, cfg, *cycleID, *reRelease, stderr)
		if err != nil {
			return err
		}
		result = snap.Result
	} else {
		in, err := readInput(*file)
		if err != nil {
			return err
		}
		if result, err = scoring.Score(in); err != nil {
			return fmt.Errorf("score: %w", err)
		}
	}
	// Result.AppendJSON writes what json.Marshal would, several times
	// faster: a 10,000-leader result is about 690 MB of JSON.
	out, err := result.AppendJSON(nil)
	if err != nil {
		return fmt.Errorf("score: write result: %w", err)
	}
	if *indent {
		var b bytes.Buffer
		if err := json.Indent(&b, out, "", "  "); err != nil {
			return fmt.Errorf("score: write result: %w", err)
		}
		out = b.Bytes()
	}
	if _, err := stdout.Write(append(out, '\n')); err != nil {
		return fmt.Errorf("score: write result: %w", err)
	}
	return nil
}

// scoreCycle scores the cycle in its own organisation, or re-releases it,
// and says on stderr which version the result is and whether anything was
// stored.
func scoreCycle(ctx context.Context, cfg Config, cycleID string, reRelease bool, stderr io.Writer) (assessment.Snapshot, error) {
	command := "score"
	if reRelease {
		command = "score --re-release"
	}
	var snap assessment.Snapshot
	err := withCycle(ctx, cfg, stderr, command, cycleID, func(wb workbench, c assessment.Cycle) error {
		var err error
		if reRelease {
			snap, err = reReleaseCycle(ctx, wb.svc, c, stderr)
			return err
		}
		// Like the dashboard and `report`, nothing of a cycle's results is
		// shown before release.
		if _, err := wb.svc.ReleasedCycle(ctx, c.OrganizationID, c.ID); err != nil {
			return notReleased("score", err, c)
		}
		if snap, err = wb.svc.ScoreCycle(ctx, c.OrganizationID, c.ID); err != nil {
			return err
		}
		detail := fmt.Sprintf("the results of %q as JSON (version %d), from lead360 score", c.Name, snap.Version)
		if err := wb.svc.Record(ctx, c.OrganizationID, "", assessment.ActionResultsExport, "cycle", c.ID, detail); err != nil {
			return err
		}
		if !snap.Stored() {
			fmt.Fprintf(stderr, "%q is released and this result differs from its released version %d, which its reports still show; nothing was stored.\n"+
				"To make this result version %d of every report, run again with --re-release (recorded in the audit log).\n", c.Name, snap.Version-1, snap.Version)
		}
		describeSnapshot(stderr, snap)
		return nil
	})
	return snap, err
}

// reReleaseCycle re-releases a released cycle; the service names the
// operator in the audit entry.
func reReleaseCycle(ctx context.Context, svc *assessment.Service, c assessment.Cycle, stderr io.Writer) (assessment.Snapshot, error) {
	rr, err := svc.ReReleaseCycle(ctx, c.OrganizationID, c.ID, "", "")
	if err != nil {
		return assessment.Snapshot{}, err
	}
	if rr.Created {
		fmt.Fprintf(stderr, "re-released %q: version %d replaces version %d in every report; recorded in the audit log\n", c.Name, rr.Snapshot.Version, rr.Previous)
	} else {
		fmt.Fprintf(stderr, "nothing to re-release: scoring %q again gives its released version %d\n", c.Name, rr.Previous)
	}
	describeSnapshot(stderr, rr.Snapshot)
	return rr.Snapshot, nil
}

// describeSnapshot names what produced a result, for the operator.
func describeSnapshot(w io.Writer, snap assessment.Snapshot) {
	what := "result (not stored)"
	if snap.Stored() {
		what = fmt.Sprintf("snapshot %s, version %d,", snap.ID, snap.Version)
	}
	fmt.Fprintf(w, "%s of cycle %s (engine %s, instrument %s v%d, input sha256 %s)\n",
		what, snap.CycleID, snap.EngineVersion, snap.InstrumentKey, snap.InstrumentVersion, snap.InputHash)
}

// readInput decodes one scoring.Input document. Unknown fields are refused:
// a misspelt key ("rater" for "rater_id") would otherwise be dropped
// silently and change the result.
func readInput(file string) (scoring.Input, error) {
	r, name := stdin, "standard input"
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return scoring.Input{}, fmt.Errorf("score: %w", err)
		}
		defer f.Close()
		r, name = f, file
	}
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<16))
	dec.DisallowUnknownFields()
	var in scoring.Input
	if err := dec.Decode(&in); err != nil {
		return scoring.Input{}, fmt.Errorf("score: read %s: %w", name, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return scoring.Input{}, fmt.Errorf("score: read %s: more than one JSON document", name)
	}
	return in, nil
}
