package main

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
	"golang.org/x/text/unicode/norm"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/reports"
)

const reportUsage = `Usage:
  lead360 report --cycle ID --participant ID -o report.pdf
                              one leader's PDF report
  lead360 report --cycle ID --all -o reports.zip
                              every leader's report in one zip file
  lead360 report --cycle ID --queue
                              render every leader's report in the background
                              (the running server does it; a restart resumes)
  lead360 report --cycle ID --batch BATCH [--wait] -o reports.zip
                              the reports of a finished background batch;
                              --wait follows the batch until it ends (a
                              progress bar on a terminal, else a line per
                              change) and fails if any report failed
  lead360 report --cycle ID --csv -o results.csv
                              the cycle's results as CSV (one row per
                              leader x skill x group; hidden cells empty)

The cycle's results must be released (lead360 cycle release), as on the
dashboard. Reports show its released score snapshot. -o - writes to
standard output. Every file written is recorded in the audit log of the
cycle's organisation.

Flags:
`

// reportFlags are the flags of `lead360 report`: the cycle and exactly one
// thing to write.
type reportFlags struct {
	cycleID, participant, batch, out string
	all, asCSV, queue, wait          bool
}

// parseReportFlags reads and checks the flags of `lead360 report`.
func parseReportFlags(cfg *Config, args []string, getenv func(string) string, stderr io.Writer) (reportFlags, error) {
	var f reportFlags
	fs := cfg.flagSet("report", reportUsage, getenv, stderr, databaseSettings...)
	fs.StringVar(&f.cycleID, "cycle", "", "the released cycle to report on (required)")
	fs.StringVar(&f.participant, "participant", "", "the leader (participant id) whose report to write")
	fs.BoolVar(&f.all, "all", false, "write every leader's report into one zip file")
	fs.BoolVar(&f.asCSV, "csv", false, "write the cycle's results as CSV")
	fs.BoolVar(&f.queue, "queue", false, "queue a background batch of every leader's report; the running server renders it")
	fs.StringVar(&f.batch, "batch", "", "write the reports of a finished background batch into one zip file")
	fs.BoolVar(&f.wait, "wait", false, "with --batch: wait until the batch ends, showing its progress on standard error")
	fs.StringVar(&f.out, "o", "", "output file (required, except with --queue); - for standard output")
	if err := parseFlags(fs, args, 0); err != nil {
		return f, err
	}
	modes := 0
	for _, on := range []bool{f.participant != "", f.all, f.asCSV, f.queue, f.batch != ""} {
		if on {
			modes++
		}
	}
	switch {
	case f.cycleID == "":
		return f, usagef("report: --cycle is required")
	case modes != 1:
		return f, usagef("report: use exactly one of --participant ID, --all, --csv, --queue or --batch ID")
	case f.out == "" && !f.queue:
		return f, usagef("report: -o FILE is required (- for standard output)")
	case f.wait && f.batch == "":
		return f, usagef("report: --wait goes with --batch ID")
	}
	return f, cfg.validate()
}

// runReport is `lead360 report`. Like `score --cycle` it is an operator
// tool: it finds the cycle in whatever organisation holds it. Like the
// dashboard, it shows only released results, and every file it writes
// leaves an audit entry in the cycle's organisation.
func runReport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg Config
	f, err := parseReportFlags(&cfg, args, getenv, stderr)
	if err != nil {
		return err
	}
	return withCycle(ctx, cfg, stderr, "report", f.cycleID, func(wb workbench, c assessment.Cycle) error {
		return notReleased("report", reportCycle(ctx, wb, c, f, stdout, stderr), c)
	})
}

// reportCycle writes or queues what the flags ask for.
func reportCycle(ctx context.Context, wb workbench, c assessment.Cycle, f reportFlags, stdout, stderr io.Writer) error {
	if f.queue {
		b, err := wb.svc.QueueReportBatch(ctx, c.OrganizationID, c.ID)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		fmt.Fprintf(stdout, "Queued batch %s: %d reports. The running server renders them; then\n  lead360 report --cycle %s --batch %s --wait -o reports.zip\n", b.ID, b.Total, c.ID, b.ID)
		return nil
	}
	if f.wait {
		// A failed batch is refused below, with the reasons it failed.
		if err := waitForBatch(ctx, wb.svc, c.OrganizationID, f.batch, progressTo(stderr, true)); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	file, err := reportOutput(ctx, wb.svc, c, f, stderr)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return writeOutput(f.out, stdout, file.write, func() error {
		return wb.svc.Record(ctx, c.OrganizationID, "", file.action, file.subjectType, file.subjectID, file.detail)
	})
}

// notReleased says in one line why command has nothing of a cycle to show
// yet, with the command that releases a closed one; other errors pass
// unchanged.
func notReleased(command string, err error, c assessment.Cycle) error {
	var de *assessment.Error
	if !errors.Is(err, assessment.ErrNotReleased) || !errors.As(err, &de) {
		return err
	}
	msg := de.Message
	if c.Status == assessment.StatusClosed {
		msg += " Release them with: lead360 cycle release --cycle " + c.ID
	}
	return errors.New(command + ": " + msg)
}

// reportFile is a file `lead360 report` writes, and the audit entry that
// records it, with the dashboard's action names and wording.
type reportFile struct {
	write                                  func(io.Writer) error
	action, subjectType, subjectID, detail string
}

// reportOutput reads what the flags ask for; each read refuses a cycle
// whose results are not released (assessment.ErrNotReleased).
func reportOutput(ctx context.Context, svc *assessment.Service, c assessment.Cycle, f reportFlags, stderr io.Writer) (reportFile, error) {
	switch {
	case f.batch != "":
		return reportFile{write: func(w io.Writer) error { return svc.WriteReportBatchZip(ctx, w, c.OrganizationID, f.batch) },
			action: assessment.ActionReportDownload, subjectType: "cycle", subjectID: c.ID,
			detail: fmt.Sprintf("the reports of %q in one zip file (batch %s)", c.Name, f.batch)}, nil
	case f.participant != "":
		r, err := svc.ParticipantReport(ctx, c.OrganizationID, c.ID, f.participant)
		if err != nil {
			return reportFile{}, err
		}
		return reportFile{write: func(w io.Writer) error { return reports.Leader(w, r) },
			action: assessment.ActionReportDownload, subjectType: "participant", subjectID: f.participant,
			detail: fmt.Sprintf("%s, %s", r.LeaderName, r.CycleName)}, nil
	}
	src, err := svc.ExportSource(ctx, c.OrganizationID, c.ID)
	if err != nil {
		return reportFile{}, err
	}
	if f.asCSV {
		return reportFile{write: func(w io.Writer) error { return writeCSV(w, src) },
			action: assessment.ActionResultsExport, subjectType: "cycle", subjectID: c.ID,
			detail: fmt.Sprintf("CSV of %q, %d leaders", c.Name, len(src.Roster.Leaders))}, nil
	}
	return reportFile{write: func(w io.Writer) error { return writeZip(ctx, w, src, progressTo(stderr, false)) },
		action: assessment.ActionReportDownload, subjectType: "cycle", subjectID: c.ID,
		detail: fmt.Sprintf("all %d reports of %q in one zip file", len(src.Participants()), c.Name)}, nil
}

// writeOutput writes to path through a temporary file renamed into place at
// the end, so a failed or interrupted run never leaves half a PDF under the
// real name; "-" writes to stdout. record runs once the content is written
// and, for a file, before it takes its name: no file without its audit
// entry.
func writeOutput(path string, stdout io.Writer, write func(io.Writer) error, record func() error) error {
	if path == "-" {
		if err := write(stdout); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		return record()
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer os.Remove(f.Name()) // fails harmlessly after the rename
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("report: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := record(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

func writeCSV(w io.Writer, src *assessment.ReportSource) error {
	names := make(map[string]string, len(src.Roster.Leaders))
	for id, p := range src.Roster.Leaders {
		names[id] = p.Name
	}
	return reports.WriteCSV(w, reports.CSVRows(src.Cycle.Name, names, src.Snapshot.Result))
}

// writeZip renders every leader's report on GOMAXPROCS workers and writes
// them into the zip in participant order, so the archive is the same
// whatever the scheduling. Entries carry the cycle's close time, not the
// time of the run, for the same reason.
//
// It stays whole (84 lines): the order of its defers (cancel the feeder,
// then wait for the workers) and the window between rendering and writing
// are easier to check when they are read in one place.
func writeZip(ctx context.Context, w io.Writer, src *assessment.ReportSource, progress func(done, failed, total int)) error {
	ids := src.Participants()
	// Each report allocates about 20 MB of short-lived font and layout data
	// while the snapshot stays live; without a limit the heap grows to twice
	// the live data between collections. A soft limit keeps a batch of a
	// thousand reports near 250 MB. GOMEMLIMIT, when set, wins.
	if debug.SetMemoryLimit(-1) == math.MaxInt64 {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(batchMemoryLimit))
	}
	type rendered struct {
		pdf []byte
		err error
	}
	results := make([]chan rendered, len(ids))
	for i := range results {
		results[i] = make(chan rendered, 1)
	}
	// Deferred in this order so that an early return first cancels the
	// feeder, then waits for the workers to finish the report in hand.
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	// window bounds how far rendering runs ahead of writing, so a slow
	// output never holds a thousand PDFs in memory.
	window := make(chan struct{}, 4*workers)
	jobs := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				in, err := src.Leader(ids[i])
				var buf bytes.Buffer
				if err == nil {
					err = reports.Leader(&buf, in)
				}
				results[i] <- rendered{buf.Bytes(), err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range ids {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()

	zw := zip.NewWriter(w)
	used := map[string]bool{}
	for i, id := range ids {
		var r rendered
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if r.err != nil {
			return fmt.Errorf("report of %s: %w", id, r.err)
		}
		name := zipName(src.Roster.Leaders[id].Name, id, used)
		// PDFs are already compressed: storing them is faster and hardly larger.
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: src.Cycle.ClosesAt.UTC()})
		if err != nil {
			return err
		}
		if _, err := fw.Write(r.pdf); err != nil {
			return err
		}
		<-window
		progress(i+1, 0, len(ids))
	}
	return zw.Close()
}

// batchMemoryLimit is the soft memory limit of `report --all`.
const batchMemoryLimit = 250 << 20

// zipName is a portable file name for a leader's report: the name folded to
// lower-case ASCII letters and digits joined by hyphens, then the
// participant id, which keeps two people of the same name apart.
func zipName(name, id string, used map[string]bool) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(asciiFold.Replace(name)) {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToLower(r))
			dash = false
		case unicode.Is(unicode.Mn, r):
			// accents dropped: "Ngô" -> "ngo"
		default:
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	base := b.String()
	if base != "" {
		base += "-"
	}
	name = base + safeID(id) + ".pdf"
	for n := 2; used[name]; n++ {
		name = fmt.Sprintf("%s%s-%d.pdf", base, safeID(id), n)
	}
	used[name] = true
	return name
}

// asciiFold spells the letters that do not decompose into a base letter
// and an accent ("Łukasiewicz", "Yılmaz").
var asciiFold = strings.NewReplacer("Ł", "L", "ł", "l", "ı", "i", "Ø", "O", "ø", "o", "ß", "ss", "Đ", "D", "đ", "d", "Æ", "AE", "æ", "ae", "Œ", "OE", "œ", "oe", "Þ", "Th", "þ", "th")

func safeID(id string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-') {
			return r
		}
		return '_'
	}, id)
}

// waitEvery is how often `report --wait` reads the batch's progress.
const waitEvery = 500 * time.Millisecond

// waitForBatch follows a batch until it is done or failed, showing its
// progress at each reading. The server processes render it; interrupting
// the wait (Ctrl-C) leaves them at it.
func waitForBatch(ctx context.Context, svc *assessment.Service, orgID, batchID string, show func(done, failed, total int)) error {
	tick := time.NewTicker(waitEvery)
	defer tick.Stop()
	for {
		b, err := svc.ReportBatch(ctx, orgID, batchID)
		if err != nil {
			return err
		}
		show(b.Rendered, b.Failed, b.Total)
		if b.Status != assessment.BatchQueued {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// progressTo shows how many reports are done: a progress bar drawn on w
// when w is a terminal; elsewhere, with lines, a plain line at each change
// ("37 of 120 reports", then ", 2 failed"), and else nothing, so logs and
// pipes get no carriage returns.
func progressTo(w io.Writer, lines bool) func(done, failed, total int) {
	if f, ok := w.(*os.File); ok && isTerminal(f) {
		return progressBar(f)
	}
	if !lines {
		return func(int, int, int) {}
	}
	lastDone, lastFailed := -1, -1
	return func(done, failed, total int) {
		if done == lastDone && failed == lastFailed {
			return
		}
		lastDone, lastFailed = done, failed
		if failed > 0 {
			fmt.Fprintf(w, "%d of %d reports, %d failed\n", done, total, failed)
			return
		}
		fmt.Fprintf(w, "%d of %d reports\n", done, total)
	}
}

// progressBar draws the reports done (and failed) of the total on a
// terminal, made at the first call, when the total is known.
func progressBar(f *os.File) func(done, failed, total int) {
	var bar *progressbar.ProgressBar
	return func(done, failed, total int) {
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(f), progressbar.OptionSetWidth(30),
				progressbar.OptionSetDescription("reports"), progressbar.OptionShowCount(), progressbar.OptionSetElapsedTime(true),
				progressbar.OptionSetPredictTime(true), progressbar.OptionOnCompletion(func() { fmt.Fprintln(f) }))
		}
		if failed > 0 {
			bar.Describe(fmt.Sprintf("reports (%d failed)", failed))
		}
		_ = bar.Set(done + failed)
	}
}

// isTerminal reports whether f is a terminal; /dev/null, a character
// device too, is not.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
