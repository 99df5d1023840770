// Command loadtest measures the rater path of lead360: it starts one or more
// replicas of the real server on one database, opens a cycle of N raters,
// and drives M concurrent clients through the survey as raters on phones do
// (open the link, autosave half the answers, submit all 40), then prints the
// throughput and p50/p95/p99 latency of each kind of request.
//
//	go run ./cmd/loadtest -db postgres://postgres@127.0.0.1:5432/lead360_load?sslmode=disable -replicas 3 -raters 1000 -clients 32
//
// With -submit-only every survey is first opened and autosaved, untimed,
// and then only the submits are timed: the figure to set beside pgbench
// running the same transaction (submit.pgbench).
//
// It only ever talks to the servers it started, on 127.0.0.1, and stops at
// -raters submissions or after -duration, whichever comes first. Without
// -db it runs one replica on a fresh embedded SQLite database.
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
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "loadtest: "+err.Error())
		os.Exit(1)
	}
}

// options bound a run: every size has a ceiling, so a typo cannot start a
// run that does not end.
type options struct {
	bin, db                   string
	replicas, raters, clients int
	duration                  time.Duration
	submitOnly                bool
}

const (
	maxReplicas = 8
	maxRaters   = 5000 // one import's limit
	maxClients  = 256
	maxDuration = 10 * time.Minute
)

func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.bin, "bin", "", "lead360 binary to run; empty builds ./cmd/lead360")
	fs.StringVar(&o.db, "db", "", "PostgreSQL URL of a database the test may fill; empty runs one replica on SQLite")
	fs.IntVar(&o.replicas, "replicas", 1, fmt.Sprintf("server processes on the database (1-%d; more than 1 needs -db)", maxReplicas))
	fs.IntVar(&o.raters, "raters", 1000, fmt.Sprintf("surveys in the cycle, each answered once (a multiple of 10, at most %d)", maxRaters))
	fs.IntVar(&o.clients, "clients", 32, fmt.Sprintf("concurrent clients (1-%d)", maxClients))
	fs.DurationVar(&o.duration, "duration", 2*time.Minute, fmt.Sprintf("longest time under load (at most %s)", maxDuration))
	fs.BoolVar(&o.submitOnly, "submit-only", false, "open and autosave every survey first, untimed, then time the submits alone")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	switch {
	case fs.NArg() > 0:
		return options{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.replicas < 1 || o.replicas > maxReplicas:
		return options{}, fmt.Errorf("-replicas must be 1 to %d", maxReplicas)
	case o.replicas > 1 && o.db == "":
		return options{}, errors.New("-replicas above 1 needs -db: replicas share a PostgreSQL database")
	case o.raters < 10 || o.raters > maxRaters || o.raters%10 != 0:
		return options{}, fmt.Errorf("-raters must be a multiple of 10 from 10 to %d (leaders with themselves and nine peers)", maxRaters)
	case o.clients < 1 || o.clients > maxClients:
		return options{}, fmt.Errorf("-clients must be 1 to %d", maxClients)
	case o.duration <= 0 || o.duration > maxDuration:
		return options{}, fmt.Errorf("-duration must be above 0 and at most %s", maxDuration)
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, stderr)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "lead360-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if o.bin == "" {
		if o.bin, err = buildServer(ctx, dir); err != nil {
			return err
		}
	}
	cl, err := startCluster(ctx, o, dir, stderr)
	if err != nil {
		return err
	}
	defer cl.stop()
	fmt.Fprintf(stderr, "%d surveys open on %d replica(s); %d clients for at most %s\n", len(cl.tokens), len(cl.bases), o.clients, o.duration)
	res, err := drive(ctx, cl, o)
	if err != nil {
		return err
	}
	res.print(stdout, o, len(cl.bases))
	if res.failed() {
		return errors.New("some requests failed; see the table")
	}
	return nil
}
