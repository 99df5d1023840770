package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/scoring"
)

// Score snapshots (score_snapshots and score_snapshot_leaders, migrations/00003,
// 00010; score_snapshot_focus, 00006, 00014): a cycle's scored result stored
// as numbered versions, its head apart from its leaders, and the leaders'
// focus skills recorded at release. CreateSnapshot has a PostgreSQL fast
// path, createSnapshotPgx in postgres.go.

type scoreSnapshotRow struct {
	ID                string
	OrganizationID    string
	CycleID           string
	EngineVersion     string
	InstrumentKey     string
	InstrumentVersion int
	InputHash         string
	Result            string
	CreatedAt         time.Time
	Version           int
}

func (scoreSnapshotRow) TableName() string { return "score_snapshots" }

type scoreSnapshotLeaderRow struct {
	SnapshotID    string `gorm:"primaryKey"`
	ParticipantID string `gorm:"primaryKey"`
	Result        string
}

func (scoreSnapshotLeaderRow) TableName() string { return "score_snapshot_leaders" }

type snapshotFocusRow struct {
	SnapshotID    string `gorm:"primaryKey"`
	ParticipantID string `gorm:"primaryKey"`
	Skill         string
	Raters        *string // JSON {"peer": 3, ...}; NULL before migration 00014
	BlindSpots    *string // JSON ["coaching", ...]
}

func (snapshotFocusRow) TableName() string { return "score_snapshot_focus" }

func init() {
	rowStructs = append(rowStructs, scoreSnapshotRow{}, scoreSnapshotLeaderRow{}, snapshotFocusRow{})
}

// snapshotBatch is how many leaders are encoded and inserted at a time: big
// enough for few round trips, small enough that only a slice of a large
// result's JSON is in memory at once.
const snapshotBatch = 256

// CreateSnapshot inserts the snapshot and its leaders in one transaction.
// Its version must be new for the cycle: the unique key on (cycle_id,
// version) answers a CodeConflict when another process stored that version
// first (see assessment.ScoreStore).
func (s *Store) CreateSnapshot(ctx context.Context, snap *assessment.Snapshot) error {
	if snap.Version < 1 {
		return fmt.Errorf("save snapshot of cycle %s: version %d: versions start at 1", snap.CycleID, snap.Version)
	}
	ensureID(&snap.ID)
	stamp(&snap.CreatedAt)
	head := snap.Result
	head.Leaders = []scoring.Leader{}
	result, err := json.Marshal(head)
	if err != nil {
		return fmt.Errorf("encode snapshot of cycle %s: %w", snap.CycleID, err)
	}
	row := scoreSnapshotRow{ID: snap.ID, OrganizationID: snap.OrganizationID, CycleID: snap.CycleID,
		EngineVersion: snap.EngineVersion, InstrumentKey: snap.InstrumentKey, InstrumentVersion: snap.InstrumentVersion,
		InputHash: snap.InputHash, Result: string(result), CreatedAt: utc(snap.CreatedAt), Version: snap.Version}
	leaders := snap.Result.Leaders
	lz4 := s.dialect == Postgres && s.toastLZ4(ctx)
	if _, inTx := s.db.Statement.ConnPool.(*sql.Tx); s.dialect == Postgres && !inTx {
		return s.createSnapshotPgx(ctx, row, leaders, lz4)
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if lz4 {
			// A large result is hundreds of MB of JSON; PostgreSQL's default
			// pglz compression of it costs several seconds, lz4 a fraction.
			if err := tx.Exec("SET LOCAL default_toast_compression = 'lz4'").Error; err != nil {
				return translate(err, "choose snapshot compression")
			}
		}
		if err := tx.Create(&row).Error; err != nil {
			return translate(err, "save snapshot of cycle "+snap.CycleID)
		}
		batch := make([]scoreSnapshotLeaderRow, 0, snapshotBatch)
		for lo := 0; lo < len(leaders); lo += snapshotBatch {
			part := leaders[lo:min(lo+snapshotBatch, len(leaders))]
			batch = batch[:len(part)]
			if err := encodeLeaders(snap.ID, part, batch); err != nil {
				return fmt.Errorf("encode snapshot of cycle %s: %w", snap.CycleID, err)
			}
			if err := tx.Create(&batch).Error; err != nil {
				return translate(err, "save snapshot leaders of cycle "+snap.CycleID)
			}
		}
		return nil
	})
}

// encodeLeaders fills rows with the JSON of leaders, on every core: JSON
// encoding is most of the cost of storing a large result.
func encodeLeaders(snapshotID string, leaders []scoring.Leader, rows []scoreSnapshotLeaderRow) error {
	workers := min(runtime.GOMAXPROCS(0), len(leaders))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var buf []byte
			for i := w; i < len(leaders); i += workers {
				// AppendJSON writes what json.Marshal would, several times faster.
				b, err := leaders[i].AppendJSON(buf[:0])
				if err != nil {
					errs[w] = fmt.Errorf("leader %s: %w", leaders[i].ParticipantID, err)
					return
				}
				buf = b
				rows[i] = scoreSnapshotLeaderRow{SnapshotID: snapshotID, ParticipantID: leaders[i].ParticipantID, Result: string(b)}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// LatestSnapshotHeader returns the cycle's current snapshot, its highest
// version, without its result.
func (s *Store) LatestSnapshotHeader(ctx context.Context, orgID, cycleID string) (assessment.Snapshot, error) {
	var row scoreSnapshotRow
	err := s.inOrg(ctx, orgID).Omit("result").Where("cycle_id = ?", cycleID).Order("version DESC").Take(&row).Error
	if err != nil {
		return assessment.Snapshot{}, translate(err, "snapshot of cycle "+cycleID)
	}
	return assessment.Snapshot{ID: row.ID, OrganizationID: row.OrganizationID, CycleID: row.CycleID,
		EngineVersion: row.EngineVersion, InstrumentKey: row.InstrumentKey, InstrumentVersion: row.InstrumentVersion,
		InputHash: row.InputHash, CreatedAt: row.CreatedAt.UTC(), Version: row.Version}, nil
}

// SnapshotHead loads a snapshot's result without its leaders: one row, the
// cohort statistics included, however many leaders the cycle has.
func (s *Store) SnapshotHead(ctx context.Context, orgID, snapshotID string) (scoring.Result, error) {
	var row scoreSnapshotRow
	if err := s.inOrg(ctx, orgID).Select("result").Where("id = ?", snapshotID).Take(&row).Error; err != nil {
		return scoring.Result{}, translate(err, "snapshot "+snapshotID)
	}
	var res scoring.Result
	if err := json.Unmarshal([]byte(row.Result), &res); err != nil {
		return scoring.Result{}, fmt.Errorf("decode snapshot %s: %w", snapshotID, err)
	}
	res.Leaders = nil
	return res, nil
}

// SnapshotResult loads a snapshot's result with every leader, sorted by
// participant id as the engine returned them (sorted here, bytewise, because
// a database collation may order ids differently).
func (s *Store) SnapshotResult(ctx context.Context, orgID, snapshotID string) (scoring.Result, error) {
	var row scoreSnapshotRow
	if err := s.inOrg(ctx, orgID).Select("result").Where("id = ?", snapshotID).Take(&row).Error; err != nil {
		return scoring.Result{}, translate(err, "snapshot "+snapshotID)
	}
	var res scoring.Result
	if err := json.Unmarshal([]byte(row.Result), &res); err != nil {
		return scoring.Result{}, fmt.Errorf("decode snapshot %s: %w", snapshotID, err)
	}
	rows, err := s.db.WithContext(ctx).Model(&scoreSnapshotLeaderRow{}).Select("result").Where("snapshot_id = ?", snapshotID).Rows()
	if err != nil {
		return scoring.Result{}, translate(err, "leaders of snapshot "+snapshotID)
	}
	defer rows.Close()
	res.Leaders = []scoring.Leader{}
	var raw sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&raw); err != nil {
			return scoring.Result{}, translate(err, "leaders of snapshot "+snapshotID)
		}
		var l scoring.Leader
		if err := json.Unmarshal(raw, &l); err != nil {
			return scoring.Result{}, fmt.Errorf("decode a leader of snapshot %s: %w", snapshotID, err)
		}
		res.Leaders = append(res.Leaders, l)
	}
	if err := rows.Err(); err != nil {
		return scoring.Result{}, translate(err, "leaders of snapshot "+snapshotID)
	}
	slices.SortFunc(res.Leaders, func(a, b scoring.Leader) int { return strings.Compare(a.ParticipantID, b.ParticipantID) })
	return res, nil
}

// SnapshotLeader loads one leader of a snapshot of the organisation.
func (s *Store) SnapshotLeader(ctx context.Context, orgID, snapshotID, participantID string) (scoring.Leader, error) {
	var row scoreSnapshotLeaderRow
	// The join on score_snapshots scopes the lookup to the organisation.
	err := s.db.WithContext(ctx).Table("score_snapshot_leaders AS l").Select("l.result").
		Joins("JOIN score_snapshots s ON s.id = l.snapshot_id").
		Where("l.snapshot_id = ? AND l.participant_id = ? AND s.organization_id = ?", snapshotID, participantID, orgID).
		Take(&row).Error
	if err != nil {
		return scoring.Leader{}, translate(err, fmt.Sprintf("leader %s in snapshot %s", participantID, snapshotID))
	}
	var l scoring.Leader
	if err := json.Unmarshal([]byte(row.Result), &l); err != nil {
		return scoring.Leader{}, fmt.Errorf("decode leader %s of snapshot %s: %w", participantID, snapshotID, err)
	}
	return l, nil
}

// focusBatch keeps each insert's parameters well under SQLite's limit.
const focusBatch = 500

// SaveSnapshotFocus records the leaders' focus skills of a snapshot; a
// second release of the same snapshot keeps the first rows.
func (s *Store) SaveSnapshotFocus(ctx context.Context, snapshotID string, focus []assessment.LeaderFocus) error {
	for lo := 0; lo < len(focus); lo += focusBatch {
		part := focus[lo:min(lo+focusBatch, len(focus))]
		rows := make([]snapshotFocusRow, len(part))
		for i, f := range part {
			rows[i] = snapshotFocusRow{SnapshotID: snapshotID, ParticipantID: f.ParticipantID, Skill: f.Skill}
			if f.Summarised {
				raters, err := json.Marshal(f.Raters)
				if err != nil {
					return fmt.Errorf("save focus skills of snapshot %s: %w", snapshotID, err)
				}
				blind, err := json.Marshal(f.BlindSpots)
				if err != nil {
					return fmt.Errorf("save focus skills of snapshot %s: %w", snapshotID, err)
				}
				rows[i].Raters, rows[i].BlindSpots = new(string(raters)), new(string(blind))
			}
		}
		if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error; err != nil {
			return translate(err, "save focus skills of snapshot "+snapshotID)
		}
	}
	return nil
}

// SnapshotFocus loads the recorded focus skills of a snapshot of the
// organisation (the subquery scopes the snapshot through inOrg).
func (s *Store) SnapshotFocus(ctx context.Context, orgID, snapshotID string) ([]assessment.LeaderFocus, error) {
	own := s.inOrg(ctx, orgID).Model(&scoreSnapshotRow{}).Select("id").Where("id = ?", snapshotID)
	var rows []snapshotFocusRow
	if err := s.db.WithContext(ctx).Where("snapshot_id IN (?)", own).Find(&rows).Error; err != nil {
		return nil, translate(err, "focus skills of snapshot "+snapshotID)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	out := make([]assessment.LeaderFocus, len(rows))
	for i, r := range rows {
		f := assessment.LeaderFocus{ParticipantID: r.ParticipantID, Skill: r.Skill}
		if r.Raters != nil && r.BlindSpots != nil {
			f.Summarised = true
			if err := json.Unmarshal([]byte(*r.Raters), &f.Raters); err != nil {
				return nil, fmt.Errorf("rater counts of snapshot %s: %w", snapshotID, err)
			}
			if err := json.Unmarshal([]byte(*r.BlindSpots), &f.BlindSpots); err != nil {
				return nil, fmt.Errorf("blind spots of snapshot %s: %w", snapshotID, err)
			}
		}
		out[i] = f
	}
	return out, nil
}
