package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/riverqueue/river"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/reports"
)

// The report workers live in cmd because they join the domain (which may
// not draw PDFs) with reports. A batch is one job per leader, worked by
// whichever server process takes it; each stored report names that process.

// reportWorker renders one leader's report of a batch.
type reportWorker struct {
	river.WorkerDefaults[assessment.ReportJob]
	svc *assessment.Service
	by  string
}

func (w *reportWorker) Work(ctx context.Context, job *river.Job[assessment.ReportJob]) error {
	err := w.svc.RenderBatchReport(ctx, job.Args, w.by, renderReportFile)
	if err == nil || job.Attempt < job.MaxAttempts {
		return err
	}
	// The last attempt: record the failure, so the batch still ends and
	// says why, even when the job's own time is up.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if ferr := w.svc.FailBatchReport(rctx, job.Args, w.by, err); ferr != nil {
		return errors.Join(err, ferr)
	}
	return nil
}

// reportBatchWorker renders a whole batch queued, as one job, before
// batches became one job per leader.
type reportBatchWorker struct {
	river.WorkerDefaults[assessment.ReportBatchJob]
	svc *assessment.Service
	by  string
}

// Timeout allows a large cycle to finish in one run; a run cut short by a
// restart loses nothing, since every rendered report is already stored.
func (w *reportBatchWorker) Timeout(*river.Job[assessment.ReportBatchJob]) time.Duration {
	return 30 * time.Minute
}

func (w *reportBatchWorker) Work(ctx context.Context, job *river.Job[assessment.ReportBatchJob]) error {
	return w.svc.RunReportBatch(ctx, job.Args.OrganizationID, job.Args.BatchID, w.by, renderReportFile)
}

// registerReportWorkers adds the report workers; by names this process in
// the reports it stores.
func registerReportWorkers(svc *assessment.Service, by string) func(*river.Workers) error {
	return func(ws *river.Workers) error {
		if err := river.AddWorkerSafely(ws, &reportWorker{svc: svc, by: by}); err != nil {
			return err
		}
		return river.AddWorkerSafely(ws, &reportBatchWorker{svc: svc, by: by})
	}
}

// processName is this process as stored reports name it: host and pid.
func processName() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown-host"
	}
	return fmt.Sprintf("%s:%d", host, os.Getpid())
}

// renderReportFile draws one leader's PDF under the name it has in the zip.
func renderReportFile(in assessment.LeaderReport) (assessment.ReportFile, error) {
	var buf bytes.Buffer
	if err := reports.Leader(&buf, in); err != nil {
		return assessment.ReportFile{}, err
	}
	id := in.Leader.ParticipantID
	return assessment.ReportFile{ParticipantID: id, FileName: zipName(in.LeaderName, id, map[string]bool{}), PDF: buf.Bytes()}, nil
}
