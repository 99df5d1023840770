package assessment

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// Report batches render every leader's report of a released cycle in the
// background, one job per leader (per few leaders in a large cycle), so
// every server process that shares the database takes a share. The batch
// and its jobs are recorded in one transaction. Each leader ends in exactly
// one stored outcome, a report or a failure, written insert-once: a job
// that runs again after a crash or a rescue finds the outcomes it stored
// and neither renders nor counts them twice. The batch is finished when
// every leader has an outcome.

// BatchStatus is where a report batch is.
type BatchStatus string

const (
	BatchQueued BatchStatus = "queued"
	BatchDone   BatchStatus = "done"
	BatchFailed BatchStatus = "failed"
)

// QueueReports is the queue of report jobs: apart from the email queue, so
// a thousand reports never hold up a survey link, and with as many workers
// as the process has processors, since drawing a PDF is CPU work.
const QueueReports = "reports"

// reportAttempts is how often a report job is tried when the database or
// the process fails under it (River's backoff: about six minutes in all);
// a report that cannot be drawn fails at once, as it would again.
const reportAttempts = 5

// ReportBatch is one background rendering of a cycle's reports.
type ReportBatch struct {
	ID             string
	OrganizationID string
	CycleID        string
	Status         BatchStatus
	Total          int
	// Rendered and Failed count the leaders whose job has ended; the batch
	// is finished when they add up to Total.
	Rendered   int
	Failed     int
	Failure    string
	CreatedAt  time.Time
	FinishedAt *time.Time
}

// ReportFile is one rendered report of a batch.
type ReportFile struct {
	ParticipantID string
	FileName      string
	PDF           []byte
	// RenderedBy names the process that drew it (host name and process id).
	RenderedBy string
}

// ReportFailure is a leader's report that could not be drawn.
type ReportFailure struct {
	ParticipantID string
	Failure       string
	FailedBy      string
}

// ReportJob renders the reports of one leader of a batch, or of a few.
type ReportJob struct {
	OrganizationID string   `json:"organization_id"`
	BatchID        string   `json:"batch_id"`
	ParticipantIDs []string `json:"participant_ids"`
}

// Kind names the job for the queue.
func (ReportJob) Kind() string { return "report_batch_leaders" }

// leadersPerJob is how many leaders one job renders: one each in a cycle of
// up to a hundred, so every worker takes a share; then a fiftieth of the
// cycle, at most twenty. Every job decodes the cohort's statistics, which
// grow with the cycle (about 75 ms at 1,000 leaders, against 3 ms for the
// rest of a leader's data), and shares them among its leaders.
func leadersPerJob(total int) int { return min(20, max(1, total/50)) }

// ReportBatchJob renders a whole batch in one job. Batches are no longer
// queued this way; the job stays for batches queued before the upgrade.
type ReportBatchJob struct {
	OrganizationID string `json:"organization_id"`
	BatchID        string `json:"batch_id"`
}

// Kind names the job for the queue.
func (ReportBatchJob) Kind() string { return "report_batch" }

// ReportBatchStore is the persistence of report batches.
type ReportBatchStore interface {
	CreateReportBatch(ctx context.Context, b *ReportBatch) error
	// ReportBatch loads a batch with the number of reports rendered and
	// failed so far.
	ReportBatch(ctx context.Context, orgID, id string) (ReportBatch, error)
	// RenderedParticipants lists the participants whose report the batch
	// already holds.
	RenderedParticipants(ctx context.Context, orgID, batchID string) (map[string]bool, error)
	// ReportSettled tells whether the batch holds a report or a failure for
	// the participant.
	ReportSettled(ctx context.Context, orgID, batchID, participantID string) (bool, error)
	// SaveReportFile stores one rendered report; storing it again is a no-op,
	// because a retried job may render a report twice.
	SaveReportFile(ctx context.Context, orgID, batchID string, f ReportFile) error
	// SaveReportFailure records a report that could not be drawn, once.
	SaveReportFailure(ctx context.Context, orgID, batchID string, f ReportFailure) error
	// ReportFailures lists the batch's failures in participant order.
	ReportFailures(ctx context.Context, orgID, batchID string) ([]ReportFailure, error)
	// FinishReportBatch ends a queued batch; a finished one stays as it is.
	FinishReportBatch(ctx context.Context, orgID, id string, status BatchStatus, failure string, at time.Time) error
	// ReportFiles calls fn with each rendered report in file-name order.
	ReportFiles(ctx context.Context, orgID, batchID string, fn func(ReportFile) error) error
}

// QueueReportBatch records a batch for a released cycle and one job per
// leader, in one transaction. Before release there are no reports
// (ErrNotReleased), for the command line as for the dashboard. A cycle
// without leaders gives a batch that is finished at once.
func (s *Service) QueueReportBatch(ctx context.Context, orgID, cycleID string) (ReportBatch, error) {
	src, err := s.ExportSource(ctx, orgID, cycleID)
	if err != nil {
		return ReportBatch{}, err
	}
	ids := src.Participants()
	b := ReportBatch{OrganizationID: orgID, CycleID: cycleID, Status: BatchQueued, Total: len(ids), CreatedAt: s.Now()}
	if len(ids) == 0 {
		b.Status, b.FinishedAt = BatchDone, &b.CreatedAt
	}
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.CreateReportBatch(ctx, &b); err != nil {
			return err
		}
		per := leadersPerJob(len(ids))
		jobs := make([]Job, 0, (len(ids)+per-1)/per)
		for lo := 0; lo < len(ids); lo += per {
			part := ids[lo:min(lo+per, len(ids))]
			jobs = append(jobs, Job{Args: ReportJob{OrganizationID: orgID, BatchID: b.ID, ParticipantIDs: part},
				Queue: QueueReports, MaxAttempts: reportAttempts})
		}
		return tx.Enqueue(ctx, jobs...)
	})
	if err != nil {
		return ReportBatch{}, fmt.Errorf("queue reports of cycle %s: %w", cycleID, err)
	}
	return b, nil
}

// RenderFunc turns one leader's report into a file. The caller supplies it
// because the domain does not draw PDFs.
type RenderFunc func(LeaderReport) (ReportFile, error)

// RenderBatchReport is a report job: it renders each of its leaders'
// reports that the batch holds no outcome for, stores each as soon as it
// is drawn under the name of the process that drew it (by), and finishes
// the batch when the last outcome is in. A job run twice stores and counts
// each report once. An error is one worth retrying, such as a lost
// connection; a report that cannot be drawn is recorded as failed instead.
func (s *Service) RenderBatchReport(ctx context.Context, job ReportJob, by string, render RenderFunc) error {
	b, err := s.store.ReportBatch(ctx, job.OrganizationID, job.BatchID)
	if ErrorCode(err) == CodeNotFound {
		return nil // the cycle, and its batches with it, were deleted
	}
	if err != nil {
		return fmt.Errorf("report batch %s: %w", job.BatchID, err)
	}
	if b.Status != BatchQueued {
		return nil
	}
	var base *reportBase
	for _, id := range job.ParticipantIDs {
		if err := ctx.Err(); err != nil {
			return err
		}
		settled, err := s.store.ReportSettled(ctx, b.OrganizationID, b.ID, id)
		if err != nil {
			return fmt.Errorf("report batch %s: %w", b.ID, err)
		}
		if settled {
			continue
		}
		if base == nil {
			if base, err = s.reportBase(ctx, b.OrganizationID, b.CycleID); err != nil {
				if ErrorCode(err) == "" {
					return fmt.Errorf("report batch %s: %w", b.ID, err)
				}
				// The cycle cannot be reported, and would not be on a retry.
				return s.failJob(ctx, b, job, by, err)
			}
		}
		if err := s.renderBatchReport(ctx, b, base, id, by, render); err != nil {
			return err
		}
	}
	return s.finishIfSettled(ctx, b.OrganizationID, b.ID)
}

// renderBatchReport renders and stores one leader's report of the batch.
func (s *Service) renderBatchReport(ctx context.Context, b ReportBatch, base *reportBase, id, by string, render RenderFunc) error {
	in, err := s.leaderReport(ctx, base, id)
	if err != nil {
		if ErrorCode(err) == "" {
			return fmt.Errorf("report batch %s: %w", b.ID, err)
		}
		// The leader cannot be reported, and would not be on a retry.
		return s.saveFailure(ctx, b, ReportFailure{ParticipantID: id, Failure: err.Error(), FailedBy: by}, err)
	}
	f, err := render(in)
	if err != nil {
		// Drawing the same data fails the same way again.
		return s.saveFailure(ctx, b, ReportFailure{ParticipantID: id, Failure: in.LeaderName + ": " + err.Error(), FailedBy: by}, err)
	}
	f.ParticipantID, f.RenderedBy = id, by
	if err := s.store.SaveReportFile(ctx, b.OrganizationID, b.ID, f); err != nil {
		return fmt.Errorf("report batch %s: %w", b.ID, err)
	}
	return nil
}

// FailBatchReport records that a job's reports could not be made after its
// last attempt (those it has not stored), so the batch still finishes, as
// failed.
func (s *Service) FailBatchReport(ctx context.Context, job ReportJob, by string, cause error) error {
	b, err := s.store.ReportBatch(ctx, job.OrganizationID, job.BatchID)
	if err != nil {
		return fmt.Errorf("report batch %s: %w", job.BatchID, err)
	}
	return s.failJob(ctx, b, job, by, cause)
}

// failJob records the cause as the failure of each of the job's leaders
// without an outcome, and finishes the batch if they were the last.
func (s *Service) failJob(ctx context.Context, b ReportBatch, job ReportJob, by string, cause error) error {
	for _, id := range job.ParticipantIDs {
		settled, err := s.store.ReportSettled(ctx, b.OrganizationID, b.ID, id)
		if err != nil {
			return fmt.Errorf("report batch %s: %w", b.ID, err)
		}
		if settled {
			continue
		}
		if err := s.saveFailure(ctx, b, ReportFailure{ParticipantID: id, Failure: cause.Error(), FailedBy: by}, cause); err != nil {
			return err
		}
	}
	return s.finishIfSettled(ctx, b.OrganizationID, b.ID)
}

// saveFailure records a leader's failed report for HR, leader's name
// included; the log gets the ids and the cause, no name.
func (s *Service) saveFailure(ctx context.Context, b ReportBatch, f ReportFailure, cause error) error {
	s.Log.ErrorContext(ctx, "report failed", "batch", b.ID, "participant", f.ParticipantID, "err", cause)
	if err := s.store.SaveReportFailure(ctx, b.OrganizationID, b.ID, f); err != nil {
		return fmt.Errorf("record failed report of %s in batch %s: %w", f.ParticipantID, b.ID, err)
	}
	return nil
}

// finishIfSettled ends the batch once every leader has an outcome: done, or
// failed when any report failed. Each outcome is committed before this
// count, so the job that stores the last one sees them all; two jobs that
// both see them finish the batch once, as a finished batch stays as it is.
func (s *Service) finishIfSettled(ctx context.Context, orgID, batchID string) error {
	b, err := s.store.ReportBatch(ctx, orgID, batchID)
	if err != nil {
		return fmt.Errorf("report batch %s: %w", batchID, err)
	}
	if b.Status != BatchQueued || b.Rendered+b.Failed < b.Total {
		return nil
	}
	status, failure := BatchDone, ""
	if b.Failed > 0 {
		failures, err := s.store.ReportFailures(ctx, orgID, batchID)
		if err != nil {
			return fmt.Errorf("report batch %s: %w", batchID, err)
		}
		status, failure = BatchFailed, failureSummary(b, failures)
	}
	if err := s.store.FinishReportBatch(ctx, orgID, batchID, status, failure, s.Now()); err != nil {
		return fmt.Errorf("finish report batch %s: %w", batchID, err)
	}
	return nil
}

// failureSummary says how many reports failed, and why for the first few.
func failureSummary(b ReportBatch, failures []ReportFailure) string {
	const shown = 3
	why := make([]string, 0, shown)
	for _, f := range failures[:min(len(failures), shown)] {
		why = append(why, f.Failure)
	}
	msg := fmt.Sprintf("%d of %d reports could not be prepared: %s", b.Failed, b.Total, strings.Join(why, "; "))
	if len(failures) > shown {
		msg += fmt.Sprintf("; and %d more", len(failures)-shown)
	}
	return msg
}

// RunReportBatch renders, in this process, every report the batch has no
// outcome for yet, and finishes it. It works the whole-batch jobs queued
// before a batch became one job per leader; running it again is safe.
func (s *Service) RunReportBatch(ctx context.Context, orgID, batchID, by string, render RenderFunc) error {
	b, err := s.store.ReportBatch(ctx, orgID, batchID)
	if err != nil {
		return fmt.Errorf("report batch %s: %w", batchID, err)
	}
	if b.Status != BatchQueued {
		return nil
	}
	src, err := s.ExportSource(ctx, orgID, b.CycleID)
	if err != nil {
		if ErrorCode(err) == "" {
			return fmt.Errorf("report batch %s: %w", batchID, err)
		}
		return s.failBatch(ctx, b, err)
	}
	job := ReportJob{OrganizationID: orgID, BatchID: batchID, ParticipantIDs: src.Participants()}
	return s.RenderBatchReport(ctx, job, by, render)
}

// failBatch records why a batch cannot finish at all, and ends its job.
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
