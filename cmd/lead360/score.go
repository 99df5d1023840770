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
  lead360 score --cycle ID    score a closed cycle from the database, store the
                              result as a new snapshot (or reuse an identical
                              one) and write its result as JSON

Flags:
`

// runScore is `lead360 score`. It is an operator tool: with --cycle it finds
// the cycle in whatever organisation holds it.
func runScore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := cfg.flagSet("score", scoreUsage, getenv, stderr)
	file := fs.String("f", "", "read the input document from this file instead of standard input")
	cycleID := fs.String("cycle", "", "score this cycle from the database instead of a document")
	indent := fs.Bool("indent", false, "indent the JSON output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("score: unexpected argument %q", fs.Arg(0))
	}
	if *file != "" && *cycleID != "" {
		return errors.New("score: use either -f FILE or --cycle ID, not both")
	}
	var result scoring.Result
	if *cycleID != "" {
		if err := cfg.validate(); err != nil {
			return err
		}
		snap, err := scoreCycle(ctx, cfg, *cycleID, stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "snapshot %s of cycle %s (engine %s, instrument %s v%d, input sha256 %s)\n",
			snap.ID, snap.CycleID, snap.EngineVersion, snap.InstrumentKey, snap.InstrumentVersion, snap.InputHash)
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

// scoreCycle scores the cycle in its own organisation.
func scoreCycle(ctx context.Context, cfg Config, cycleID string, stderr io.Writer) (assessment.Snapshot, error) {
	log := cfg.logger(stderr)
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return assessment.Snapshot{}, err
	}
	defer st.Close()
	c, err := st.CycleAnyOrganization(ctx, cycleID)
	if err != nil {
		return assessment.Snapshot{}, fmt.Errorf("score --cycle %s: %w", cycleID, err)
	}
	return assessment.NewService(st, log).ScoreCycle(ctx, c.OrganizationID, c.ID)
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
