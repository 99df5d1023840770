package main

import (
	"bytes"
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/reports"
)

// reportBatchWorker renders a cycle's reports in the background. It lives in
// cmd because it joins the domain (which may not draw PDFs) with reports.
type reportBatchWorker struct {
	river.WorkerDefaults[assessment.ReportBatchJob]
	svc *assessment.Service
}

// Timeout allows a large cycle to finish in one run; a run cut short by a
// restart loses nothing, since every rendered report is already stored.
func (w *reportBatchWorker) Timeout(*river.Job[assessment.ReportBatchJob]) time.Duration {
	return 30 * time.Minute
}

func (w *reportBatchWorker) Work(ctx context.Context, job *river.Job[assessment.ReportBatchJob]) error {
	return w.svc.RunReportBatch(ctx, job.Args.OrganizationID, job.Args.BatchID, renderReportFile)
}

func registerReportWorker(svc *assessment.Service) func(*river.Workers) error {
	return func(ws *river.Workers) error {
		return river.AddWorkerSafely(ws, &reportBatchWorker{svc: svc})
	}
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
