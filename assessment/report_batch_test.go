package assessment_test

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/assessmenttest"
	"github.com/lead360/lead360/assessment/store"
)

// A batch is one job per leader, recorded with the batch. Whoever works the
// jobs, in whatever order, twice, or two processes at once, each leader's
// report is drawn and stored once, progress counts each leader once, and the
// batch ends when the last leader has an outcome: done, or failed with the
// reason when a report could not be drawn.
func TestReportBatchJobs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		leaders int
		// runs is how often each job is worked; processes how many work
		// the jobs at once, each taking every job.
		runs, processes int
		fail            bool // the second leader's report cannot be drawn
		perJob          int  // leaders in each job; zero is one
		want            assessment.BatchStatus
	}{
		{name: "each job once", leaders: 4, runs: 1, processes: 1, want: assessment.BatchDone},
		{name: "each job twice", leaders: 3, runs: 2, processes: 1, want: assessment.BatchDone},
		{name: "two processes take every job", leaders: 4, runs: 1, processes: 2, want: assessment.BatchDone},
		{name: "a report fails", leaders: 3, runs: 2, processes: 1, fail: true, want: assessment.BatchFailed},
		// 120 leaders: two a job.
		{name: "jobs of two leaders, two processes", leaders: 120, perJob: 2, runs: 1, processes: 2, want: assessment.BatchDone},
	}
	for _, e := range assessmenttest.Engines(t) {
		for _, tc := range cases {
			t.Run(string(e.Name)+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				f := assessmenttest.NewFixture(t, e)
				ctx := context.Background()
				cy := f.ReleasedCohort(t, assessmenttest.Cohort{Leaders: tc.leaders})
				b, err := f.Service.QueueReportBatch(ctx, f.Org.ID, cy.ID)
				if err != nil {
					t.Fatal(err)
				}
				jobs := reportJobs(t, f, b)
				leaders := map[string]bool{}
				for _, j := range jobs {
					if len(j.ParticipantIDs) != max(1, tc.perJob) {
						t.Fatalf("a job of %d leaders, want %d", len(j.ParticipantIDs), max(1, tc.perJob))
					}
					for _, id := range j.ParticipantIDs {
						leaders[id] = true
					}
				}
				if len(leaders) != tc.leaders {
					t.Fatalf("jobs for %d leaders, want %d", len(leaders), tc.leaders)
				}
				failing := ""
				if tc.fail {
					failing = jobs[1].ParticipantIDs[0]
				}
				r := &countingRenderer{fail: failing}
				workJobs(t, f.Service, jobs, tc.runs, tc.processes, r)

				got, err := f.Service.ReportBatch(ctx, f.Org.ID, b.ID)
				if err != nil {
					t.Fatal(err)
				}
				wantFailed := 0
				if tc.fail {
					wantFailed = 1
				}
				if got.Status != tc.want || got.Rendered != tc.leaders-wantFailed || got.Failed != wantFailed || got.FinishedAt == nil {
					t.Fatalf("batch after its jobs: %+v, want %s with %d rendered, %d failed", got, tc.want, tc.leaders-wantFailed, wantFailed)
				}
				// One process draws each leader once however often its jobs
				// run. Processes working one job at the same moment may both
				// draw it (River runs a job twice at once only when it rescues
				// one stuck past its timeout); the store keeps one.
				for id, n := range r.calls() {
					if n < 1 || n > tc.processes {
						t.Errorf("leader %s drawn %d times by %d processes", id, n, tc.processes)
					}
				}
				if n := len(r.calls()); n != tc.leaders {
					t.Errorf("%d leaders drawn, want %d", n, tc.leaders)
				}
				checkBatchOutcome(t, f, got, failing, tc.processes)
			})
		}
	}
}

// A batch counts its progress as the leaders' jobs end, one at a time, and
// stays queued until the last.
func TestReportBatchProgress(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			cy := f.ReleasedCohort(t, assessmenttest.Cohort{Leaders: 3})
			b, err := f.Service.QueueReportBatch(ctx, f.Org.ID, cy.ID)
			if err != nil {
				t.Fatal(err)
			}
			if b.Total != 3 || b.Status != assessment.BatchQueued {
				t.Fatalf("queued batch: %+v", b)
			}
			jobs := reportJobs(t, f, b)
			r := &countingRenderer{fail: jobs[0].ParticipantIDs[0]}
			for i, job := range jobs {
				if err := f.Service.RenderBatchReport(ctx, job, "p1", r.render); err != nil {
					t.Fatal(err)
				}
				got, err := f.Service.ReportBatch(ctx, f.Org.ID, b.ID)
				if err != nil {
					t.Fatal(err)
				}
				wantStatus := assessment.BatchQueued
				if i == len(jobs)-1 {
					wantStatus = assessment.BatchFailed
				}
				// The first leader's report fails, the others are drawn.
				if got.Failed != 1 || got.Rendered != i || got.Status != wantStatus {
					t.Errorf("after job %d: %d rendered, %d failed, %s; want %d, 1, %s", i+1, got.Rendered, got.Failed, got.Status, i, wantStatus)
				}
			}
		})
	}
}

// A leader's job that failed for a reason worth retrying (a lost
// connection) is recorded as failed on its last attempt, so the batch still
// ends, and a later run of the same job does not draw it.
func TestReportBatchLastAttemptFails(t *testing.T) {
	t.Parallel()
	for _, e := range assessmenttest.Engines(t) {
		t.Run(string(e.Name), func(t *testing.T) {
			t.Parallel()
			f := assessmenttest.NewFixture(t, e)
			ctx := context.Background()
			cy := f.ReleasedCohort(t, assessmenttest.Cohort{Leaders: 2})
			b, err := f.Service.QueueReportBatch(ctx, f.Org.ID, cy.ID)
			if err != nil {
				t.Fatal(err)
			}
			jobs := reportJobs(t, f, b)
			if err := f.Service.FailBatchReport(ctx, jobs[0], "p1", errors.New("connection refused")); err != nil {
				t.Fatal(err)
			}
			r := &countingRenderer{}
			workJobs(t, f.Service, jobs, 1, 1, r)
			got, err := f.Service.ReportBatch(ctx, f.Org.ID, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != assessment.BatchFailed || got.Rendered != 1 || got.Failed != 1 ||
				got.Failure != "1 of 2 reports could not be prepared: connection refused" {
				t.Errorf("batch: %+v", got)
			}
			if calls := r.calls(); calls[jobs[0].ParticipantIDs[0]] != 0 || calls[jobs[1].ParticipantIDs[0]] != 1 {
				t.Errorf("drawn: %v", calls)
			}
		})
	}
}

// reportJobs takes the batch's jobs from the queue's table, one per leader
// or a few of the batch, each in the reports queue with five attempts.
func reportJobs(t *testing.T, f *assessmenttest.Fixture, b assessment.ReportBatch) []assessment.ReportJob {
	t.Helper()
	var queue string
	var attempts, n int
	row := f.Store.(*store.Store).DB().QueryRow("SELECT MIN(queue), MIN(max_attempts), COUNT(*) FROM river_job WHERE kind = 'report_batch_leaders' GROUP BY queue, max_attempts")
	if err := row.Scan(&queue, &attempts, &n); err != nil || queue != assessment.QueueReports || attempts != 5 || n == 0 {
		t.Fatalf("report jobs: %d in queue %q with %d attempts (%v), want some in %q with 5", n, queue, attempts, err, assessment.QueueReports)
	}
	var jobs []assessment.ReportJob
	for _, j := range f.JobTable().Take(t) {
		rj, ok := j.Args.(assessment.ReportJob)
		if !ok || rj.BatchID != b.ID || rj.OrganizationID != b.OrganizationID {
			t.Fatalf("unexpected job %#v", j.Args)
		}
		jobs = append(jobs, rj)
	}
	return jobs
}

// workJobs works every job runs times in each of processes goroutines,
// each named p1, p2... as a process would be.
func workJobs(t *testing.T, svc *assessment.Service, jobs []assessment.ReportJob, runs, processes int, r *countingRenderer) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, processes*runs*len(jobs))
	for p := range processes {
		wg.Go(func() {
			by := "p" + string(rune('1'+p))
			for range runs {
				for _, job := range jobs {
					errs <- svc.RenderBatchReport(context.Background(), job, by, r.render)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("work a report job: %v", err)
		}
	}
}

// checkBatchOutcome reads the stored reports back: one per leader that did
// not fail, each named for a process that worked the jobs, and a failed
// batch refuses the zip and says why.
func checkBatchOutcome(t *testing.T, f *assessmenttest.Fixture, b assessment.ReportBatch, failing string, processes int) {
	t.Helper()
	ctx := context.Background()
	var ids []string
	err := f.Store.ReportFiles(ctx, f.Org.ID, b.ID, func(rf assessment.ReportFile) error {
		ids = append(ids, rf.ParticipantID)
		if rf.RenderedBy < "p1" || rf.RenderedBy > "p"+string(rune('0'+processes)) {
			t.Errorf("report of %s rendered by %q", rf.ParticipantID, rf.RenderedBy)
		}
		if !bytes.HasPrefix(rf.PDF, []byte("%PDF-")) {
			t.Errorf("report of %s is not the rendered file", rf.ParticipantID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(ids, failing) || len(ids) != b.Rendered {
		t.Errorf("stored reports %v, failing leader %q", ids, failing)
	}
	var zip bytes.Buffer
	err = f.Service.WriteReportBatchZip(ctx, &zip, f.Org.ID, b.ID)
	if failing == "" {
		if err != nil {
			t.Errorf("zip of a done batch: %v", err)
		}
		return
	}
	if assessment.ErrorCode(err) != assessment.CodeConflict || !strings.Contains(err.Error(), "1 of 3 reports could not be prepared: Leader") ||
		!strings.Contains(err.Error(), "no ink") {
		t.Errorf("zip of a failed batch: %v", err)
	}
	if !strings.Contains(b.Failure, "1 of 3 reports could not be prepared") {
		t.Errorf("failure = %q", b.Failure)
	}
}

// countingRenderer draws a fake PDF and counts the leaders it draws; it
// cannot draw the leader fail names.
type countingRenderer struct {
	fail string
	mu   sync.Mutex
	n    map[string]int
}

func (r *countingRenderer) render(in assessment.LeaderReport) (assessment.ReportFile, error) {
	id := in.Leader.ParticipantID
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == nil {
		r.n = map[string]int{}
	}
	r.n[id]++
	if id == r.fail {
		return assessment.ReportFile{}, errors.New("no ink")
	}
	return assessment.ReportFile{FileName: id + ".pdf", PDF: []byte("%PDF-" + id)}, nil
}

func (r *countingRenderer) calls() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.n)
}
