package assessment

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"time"
)

// Report batches render every leader's report of a closed cycle in the
// background. The batch and its job are recorded in one transaction, and each
// rendered report is stored as soon as it exists, so a server restart only
// delays a batch: the job runs again and renders the leaders still missing.

// BatchStatus is where a report batch is.
type BatchStatus string

const (
	BatchQueued BatchStatus = "queued"
	BatchDone   BatchStatus = "done"
	BatchFailed BatchStatus = "failed"
)

// ReportBatch is one background rendering of a cycle's reports.
type ReportBatch struct {
	ID             string
	OrganizationID string
	CycleID        string
	Status         BatchStatus
	Total          int
	Rendered       int
	Failure        string
	CreatedAt      time.Time
	FinishedAt     *time.Time
}

// ReportFile is one rendered report of a batch.
type ReportFile struct {
	ParticipantID string
	FileName      string
	PDF           []byte
}

// ReportBatchJob is the background job that renders a batch.
type ReportBatchJob struct {
	OrganizationID string `json:"organization_id"`
	BatchID        string `json:"batch_id"`
}

// Kind names the job for the queue.
func (ReportBatchJob) Kind() string { return "report_batch" }

// ReportBatchStore is the persistence of report batches.
type ReportBatchStore interface {
	CreateReportBatch(ctx context.Context, b *ReportBatch) error
	// ReportBatch loads a batch with the number of reports rendered so far.
	ReportBatch(ctx context.Context, orgID, id string) (ReportBatch, error)
	// RenderedParticipants lists the participants whose report the batch
	// already holds.
	RenderedParticipants(ctx context.Context, orgID, batchID string) (map[string]bool, error)
	// SaveReportFile stores one rendered report; storing it again is a no-op,
	// because a retried job may render a report twice.
	SaveReportFile(ctx context.Context, orgID, batchID string, f ReportFile) error
	FinishReportBatch(ctx context.Context, orgID, id string, status BatchStatus, failure string, at time.Time) error
	// ReportFiles calls fn with each rendered report in file-name order.
	ReportFiles(ctx context.Context, orgID, batchID string, fn func(ReportFile) error) error
}

// QueueReportBatch records a batch for a released cycle and queues the job
// that renders it, in one transaction. Before release there are no reports
// (ErrNotReleased), for the command line as for the dashboard.
func (s *Service) QueueReportBatch(ctx context.Context, orgID, cycleID string) (ReportBatch, error) {
	src, err := s.ExportSource(ctx, orgID, cycleID)
	if err != nil {
		return ReportBatch{}, err
	}
	b := ReportBatch{OrganizationID: orgID, CycleID: cycleID, Status: BatchQueued,
		Total: len(src.Participants()), CreatedAt: s.Now()}
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.CreateReportBatch(ctx, &b); err != nil {
			return err
		}
		return tx.Enqueue(ctx, Job{Args: ReportBatchJob{OrganizationID: orgID, BatchID: b.ID}})
	})
	if err != nil {
		return ReportBatch{}, fmt.Errorf("queue reports of cycle %s: %w", cycleID, err)
	}
	return b, nil
}

// RenderFunc turns one leader's report into a file. The caller supplies it
// because the domain does not draw PDFs.
type RenderFunc func(LeaderReport) (ReportFile, error)

// RunReportBatch renders the reports the batch does not hold yet and marks it
// done. Running it again after a crash, or after it finished, is safe.
func (s *Service) RunReportBatch(ctx context.Context, orgID, batchID string, render RenderFunc) error {
	b, err := s.store.ReportBatch(ctx, orgID, batchID)
	if err != nil {
		return fmt.Errorf("report batch %s: %w", batchID, err)
	}
	if b.Status != BatchQueued {
		return nil
	}
	src, err := s.ReportSource(ctx, orgID, b.CycleID)
	if err != nil {
		return s.failOrRetry(ctx, b, err)
	}
	done, err := s.store.RenderedParticipants(ctx, orgID, batchID)
	if err != nil {
		return fmt.Errorf("report batch %s: %w", batchID, err)
	}
	for _, id := range src.Participants() {
		if done[id] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		in, err := src.Leader(id)
		if err != nil {
			return s.failOrRetry(ctx, b, err)
		}
		f, err := render(in)
		if err != nil {
			// Rendering the same data fails the same way again.
			return s.failBatch(ctx, b, err)
		}
		f.ParticipantID = id
		if err := s.store.SaveReportFile(ctx, orgID, batchID, f); err != nil {
			return fmt.Errorf("report batch %s: %w", batchID, err)
		}
	}
	return s.store.FinishReportBatch(ctx, orgID, batchID, BatchDone, "", s.Now())
}

// failOrRetry ends the batch on a domain error (the cycle or its data cannot
// be reported, and would not be on a retry) and hands anything else, such as
// a lost database connection, back to the queue to retry.
func (s *Service) failOrRetry(ctx context.Context, b ReportBatch, err error) error {
	if ErrorCode(err) == "" {
		return fmt.Errorf("report batch %s: %w", b.ID, err)
	}
	return s.failBatch(ctx, b, err)
}

// failBatch records why a batch cannot finish, and ends its job.
func (s *Service) failBatch(ctx context.Context, b ReportBatch, cause error) error {
	if err := s.store.FinishReportBatch(ctx, b.OrganizationID, b.ID, BatchFailed, cause.Error(), s.Now()); err != nil {
		return fmt.Errorf("record failure of report batch %s: %w (cause: %v)", b.ID, err, cause)
	}
	s.Log.ErrorContext(ctx, "report batch failed", "batch", b.ID, "err", cause)
	return nil
}

// ReportBatch returns a batch and its progress.
func (s *Service) ReportBatch(ctx context.Context, orgID, batchID string) (ReportBatch, error) {
	return s.store.ReportBatch(ctx, orgID, batchID)
}

// WriteReportBatchZip writes the reports of a finished batch of a released
// cycle into one zip file, in file-name order, each dated when the batch
// was queued: the same batch gives the same bytes. The dashboard and
// `lead360 report --batch` both download a batch through it.
func (s *Service) WriteReportBatchZip(ctx context.Context, w io.Writer, orgID, batchID string) error {
	b, err := s.store.ReportBatch(ctx, orgID, batchID)
	if err != nil {
		return err
	}
	if _, err := s.ReleasedCycle(ctx, orgID, b.CycleID); err != nil {
		return err
	}
	switch b.Status {
	case BatchFailed:
		return Errorf(CodeConflict, "report batch %s failed: %s", batchID, b.Failure)
	case BatchQueued:
		return Errorf(CodeConflict, "report batch %s is not finished yet: %d of %d reports rendered", batchID, b.Rendered, b.Total)
	}
	zw := zip.NewWriter(w)
	err = s.store.ReportFiles(ctx, orgID, batchID, func(f ReportFile) error {
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
