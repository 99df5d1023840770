package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
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

// writeBatchZip writes a finished batch's reports into a zip, in file-name
// order and with the batch's time, so the same batch gives the same bytes.
func writeBatchZip(ctx context.Context, w io.Writer, svc *assessment.Service, orgID, batchID string) error {
	b, err := svc.ReportBatch(ctx, orgID, batchID)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	err = svc.ReportBatchFiles(ctx, orgID, batchID, func(f assessment.ReportFile) error {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.FileName, Method: zip.Deflate, Modified: b.CreatedAt})
		if err != nil {
			return err
		}
		_, err = fw.Write(f.PDF)
		return err
	})
	if err != nil {
		return fmt.Errorf("reports of batch %s: %w", batchID, err)
	}
	return zw.Close()
}
