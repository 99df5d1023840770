package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"github.com/lead360/lead360/assessment"
)

// Report batches (report_batches, report_files and report_failures,
// migrations/00008 and 00021): a cycle's reports rendered in the background,
// one stored outcome per leader (a PDF, or why it could not be drawn), each
// inserted once, read back in file-name order.

type reportBatchRow struct {
	ID             string
	OrganizationID string
	CycleID        string
	Status         string
	Total          int
	Failure        string
	CreatedAt      time.Time
	FinishedAt     *time.Time
}

func (reportBatchRow) TableName() string { return "report_batches" }

type reportFileRow struct {
	BatchID       string `gorm:"primaryKey"`
	ParticipantID string `gorm:"primaryKey"`
	FileName      string
	PDF           string `gorm:"column:pdf"`
	RenderedBy    string
}

func (reportFileRow) TableName() string { return "report_files" }

type reportFailureRow struct {
	BatchID       string `gorm:"primaryKey"`
	ParticipantID string `gorm:"primaryKey"`
	Failure       string
	FailedBy      string
}

func (reportFailureRow) TableName() string { return "report_failures" }

func init() {
	rowStructs = append(rowStructs, reportBatchRow{}, reportFileRow{}, reportFailureRow{})
}

// CreateReportBatch records a new batch.
func (s *Store) CreateReportBatch(ctx context.Context, b *assessment.ReportBatch) error {
	ensureID(&b.ID)
	stamp(&b.CreatedAt)
	row := reportBatchRow{ID: b.ID, OrganizationID: b.OrganizationID, CycleID: b.CycleID, Status: string(b.Status),
		Total: b.Total, Failure: b.Failure, CreatedAt: utc(b.CreatedAt), FinishedAt: utcPtr(b.FinishedAt)}
	return translate(s.db.WithContext(ctx).Create(&row).Error, "create report batch")
}

// ReportBatch loads a batch of the organisation with its progress.
func (s *Store) ReportBatch(ctx context.Context, orgID, id string) (assessment.ReportBatch, error) {
	var row reportBatchRow
	if err := s.inOrg(ctx, orgID).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.ReportBatch{}, translate(err, "report batch "+id)
	}
	var rendered, failed int64
	if err := s.db.WithContext(ctx).Model(&reportFileRow{}).Where("batch_id = ?", id).Count(&rendered).Error; err != nil {
		return assessment.ReportBatch{}, translate(err, "count reports of batch "+id)
	}
	if err := s.db.WithContext(ctx).Model(&reportFailureRow{}).Where("batch_id = ?", id).Count(&failed).Error; err != nil {
		return assessment.ReportBatch{}, translate(err, "count failed reports of batch "+id)
	}
	return assessment.ReportBatch{ID: row.ID, OrganizationID: row.OrganizationID, CycleID: row.CycleID,
		Status: assessment.BatchStatus(row.Status), Total: row.Total, Rendered: int(rendered), Failed: int(failed),
		Failure: row.Failure, CreatedAt: row.CreatedAt.UTC(), FinishedAt: utcPtr(row.FinishedAt)}, nil
}

// batchInOrg checks that the batch belongs to the organisation: report_files
// has no organisation column, so its queries go through the batch.
func (s *Store) batchInOrg(ctx context.Context, orgID, batchID string) error {
	var n int64
	if err := s.inOrg(ctx, orgID).Model(&reportBatchRow{}).Where("id = ?", batchID).Count(&n).Error; err != nil {
		return translate(err, "report batch "+batchID)
	}
	if n == 0 {
		return assessment.Errorf(assessment.CodeNotFound, "report batch %s: not found", batchID)
	}
	return nil
}

// RenderedParticipants lists the participants the batch holds a report for.
func (s *Store) RenderedParticipants(ctx context.Context, orgID, batchID string) (map[string]bool, error) {
	if err := s.batchInOrg(ctx, orgID, batchID); err != nil {
		return nil, err
	}
	var ids []string
	if err := s.db.WithContext(ctx).Model(&reportFileRow{}).Where("batch_id = ?", batchID).Pluck("participant_id", &ids).Error; err != nil {
		return nil, translate(err, "reports of batch "+batchID)
	}
	done := make(map[string]bool, len(ids))
	for _, id := range ids {
		done[id] = true
	}
	return done, nil
}

// SaveReportFile stores a rendered report once; a second save of the same
// participant keeps the first.
func (s *Store) SaveReportFile(ctx context.Context, orgID, batchID string, f assessment.ReportFile) error {
	if err := s.batchInOrg(ctx, orgID, batchID); err != nil {
		return err
	}
	row := reportFileRow{BatchID: batchID, ParticipantID: f.ParticipantID, FileName: f.FileName,
		PDF: base64.StdEncoding.EncodeToString(f.PDF), RenderedBy: f.RenderedBy}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
	return translate(err, fmt.Sprintf("save report of %s in batch %s", f.ParticipantID, batchID))
}

// SaveReportFailure records once that a participant's report could not be
// drawn; a second record of the same participant keeps the first.
func (s *Store) SaveReportFailure(ctx context.Context, orgID, batchID string, f assessment.ReportFailure) error {
	if err := s.batchInOrg(ctx, orgID, batchID); err != nil {
		return err
	}
	row := reportFailureRow{BatchID: batchID, ParticipantID: f.ParticipantID, Failure: f.Failure, FailedBy: f.FailedBy}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
	return translate(err, fmt.Sprintf("record failed report of %s in batch %s", f.ParticipantID, batchID))
}

// ReportSettled tells whether the batch holds a report or a failure of the
// participant: a leader's job that finds one has nothing left to do.
func (s *Store) ReportSettled(ctx context.Context, orgID, batchID, participantID string) (bool, error) {
	if err := s.batchInOrg(ctx, orgID, batchID); err != nil {
		return false, err
	}
	for _, m := range []any{&reportFileRow{}, &reportFailureRow{}} {
		var n int64
		err := s.db.WithContext(ctx).Model(m).Where("batch_id = ? AND participant_id = ?", batchID, participantID).Count(&n).Error
		if err != nil {
			return false, translate(err, "report of "+participantID+" in batch "+batchID)
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}

// ReportFailures lists the batch's failed reports in participant order.
func (s *Store) ReportFailures(ctx context.Context, orgID, batchID string) ([]assessment.ReportFailure, error) {
	if err := s.batchInOrg(ctx, orgID, batchID); err != nil {
		return nil, err
	}
	var rows []reportFailureRow
	if err := s.db.WithContext(ctx).Where("batch_id = ?", batchID).Order("participant_id").Find(&rows).Error; err != nil {
		return nil, translate(err, "failed reports of batch "+batchID)
	}
	out := make([]assessment.ReportFailure, len(rows))
	for i, r := range rows {
		out[i] = assessment.ReportFailure{ParticipantID: r.ParticipantID, Failure: r.Failure, FailedBy: r.FailedBy}
	}
	return out, nil
}

// FinishReportBatch records the end of a queued batch. A batch already
// finished keeps its end: two last jobs finishing together end it once.
func (s *Store) FinishReportBatch(ctx context.Context, orgID, id string, status assessment.BatchStatus, failure string, at time.Time) error {
	res := s.inOrg(ctx, orgID).Model(&reportBatchRow{}).Where("id = ? AND status = ?", id, string(assessment.BatchQueued)).
		Updates(map[string]any{"status": string(status), "failure": failure, "finished_at": utc(at)})
	if res.Error != nil {
		return translate(res.Error, "finish report batch "+id)
	}
	if res.RowsAffected == 0 {
		return s.batchInOrg(ctx, orgID, id)
	}
	return nil
}

// ReportFiles streams the batch's reports in file-name order, one row at a
// time, so a batch of a thousand PDFs is never held in memory at once.
func (s *Store) ReportFiles(ctx context.Context, orgID, batchID string, fn func(assessment.ReportFile) error) error {
	if err := s.batchInOrg(ctx, orgID, batchID); err != nil {
		return err
	}
	rows, err := s.db.WithContext(ctx).Model(&reportFileRow{}).Where("batch_id = ?", batchID).Order("file_name").Rows()
	if err != nil {
		return translate(err, "reports of batch "+batchID)
	}
	defer rows.Close()
	for rows.Next() {
		var row reportFileRow
		if err := s.db.ScanRows(rows, &row); err != nil {
			return fmt.Errorf("read report of batch %s: %w", batchID, err)
		}
		pdf, err := base64.StdEncoding.DecodeString(row.PDF)
		if err != nil {
			return fmt.Errorf("decode report %s of batch %s: %w", row.FileName, batchID, err)
		}
		if err := fn(assessment.ReportFile{ParticipantID: row.ParticipantID, FileName: row.FileName, PDF: pdf, RenderedBy: row.RenderedBy}); err != nil {
			return err
		}
	}
	return rows.Err()
}
