package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/scoring"
)

// cycleRatingsSQL reads every answer of a cycle's counted responses
// (submitted, not excluded: countedResponseSQL) in one pass. Each join is on a key with an index (participants.cycle_id through
// the (cycle_id, person_id) key, rater_assignments.participant_id, the
// unique responses.assignment_id, the answers primary key), and every table
// is scoped to the organisation. Constant text: no input becomes SQL.
const cycleRatingsSQL = `
SELECT a.participant_id, a.person_id, a.relationship, ans.item_key, ans.value
FROM participants p
JOIN rater_assignments a ON a.participant_id = p.id AND a.organization_id = p.organization_id
JOIN responses r ON r.assignment_id = a.id AND r.organization_id = p.organization_id
JOIN answers ans ON ans.response_id = r.id
WHERE p.cycle_id = ? AND p.organization_id = ? AND ` + countedResponseSQL

// CycleRatings streams the cycle's submitted answers to fn (see
// assessment.ScoreStore). Rows are read as raw bytes and each distinct id
// or key becomes one string, shared by every answer that repeats it.
func (s *Store) CycleRatings(ctx context.Context, orgID, cycleID string, fn func(assessment.CycleRating) error) error {
	if _, inTx := s.db.Statement.ConnPool.(*sql.Tx); s.dialect == Postgres && !inTx {
		return s.cycleRatingsPgx(ctx, orgID, cycleID, fn)
	}
	rows, err := s.db.WithContext(ctx).Raw(cycleRatingsSQL, cycleID, orgID).Rows()
	if err != nil {
		return translate(err, "load ratings of cycle "+cycleID)
	}
	defer rows.Close()
	strs := map[string]string{}
	intern := func(b []byte) string {
		if v, ok := strs[string(b)]; ok {
			return v
		}
		v := string(b)
		strs[v] = v
		return v
	}
	var (
		participant, person, rel, item sql.RawBytes
		value                          sql.NullInt64
	)
	for rows.Next() {
		if err := rows.Scan(&participant, &person, &rel, &item, &value); err != nil {
			return translate(err, "read ratings of cycle "+cycleID)
		}
		r := assessment.CycleRating{
			ParticipantID: intern(participant), PersonID: intern(person),
			Relationship: assessment.Relationship(intern(rel)), ItemKey: intern(item), Value: assessment.NotObserved,
		}
		if value.Valid {
			r.Value = int(value.Int64)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return translate(err, "read ratings of cycle "+cycleID)
	}
	return nil
}

// cycleRatingsPgx is CycleRatings on PostgreSQL through pgx itself: its raw
// row values cost no allocation per column, where database/sql costs about
// eight per row, which for 4.8 million answers is the difference between
// about 1.5 and 4 seconds. Same query, same interning.
func (s *Store) cycleRatingsPgx(ctx context.Context, orgID, cycleID string, fn func(assessment.CycleRating) error) error {
	conn, err := s.sqlDB.Conn(ctx)
	if err != nil {
		return translate(err, "load ratings of cycle "+cycleID)
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		sc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("load ratings of cycle %s: unexpected driver connection %T", cycleID, driverConn)
		}
		rows, err := sc.Conn().Query(ctx, strings.NewReplacer("p.cycle_id = ?", "p.cycle_id = $1", "p.organization_id = ?", "p.organization_id = $2").Replace(cycleRatingsSQL), cycleID, orgID)
		if err != nil {
			return translate(err, "load ratings of cycle "+cycleID)
		}
		defer rows.Close()
		binaryValue := rows.FieldDescriptions()[4].Format == pgx.BinaryFormatCode
		strs := map[string]string{}
		intern := func(b []byte) string {
			if v, ok := strs[string(b)]; ok {
				return v
			}
			v := string(b)
			strs[v] = v
			return v
		}
		for rows.Next() {
			vals := rows.RawValues()
			r := assessment.CycleRating{
				ParticipantID: intern(vals[0]), PersonID: intern(vals[1]),
				Relationship: assessment.Relationship(intern(vals[2])), ItemKey: intern(vals[3]), Value: assessment.NotObserved,
			}
			switch v := vals[4]; {
			case v == nil: // NULL: not observed
			case binaryValue && len(v) == 4:
				r.Value = int(int32(binary.BigEndian.Uint32(v)))
			case binaryValue && len(v) == 8:
				r.Value = int(int64(binary.BigEndian.Uint64(v)))
			default:
				n, err := strconv.Atoi(string(v))
				if err != nil {
					return fmt.Errorf("load ratings of cycle %s: answer value %q: %w", cycleID, v, err)
				}
				r.Value = n
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return translate(err, "read ratings of cycle "+cycleID)
		}
		return nil
	})
}

// CycleComments loads the comments of the cycle's submitted responses with
// their leader and relationship.
func (s *Store) CycleComments(ctx context.Context, orgID, cycleID string) ([]assessment.CycleComment, error) {
	return s.comments(ctx, orgID, "p.cycle_id = ?", cycleID, "load comments of cycle "+cycleID)
}

// ParticipantComments loads one leader's comments from submitted responses
// with their relationship.
func (s *Store) ParticipantComments(ctx context.Context, orgID, participantID string) ([]assessment.CycleComment, error) {
	return s.comments(ctx, orgID, "p.id = ?", participantID, "load comments about leader "+participantID)
}

// comments loads the comments of counted responses with their leader and
// relationship; the rater's identity is never selected. where is one of the constant filters
// above, never user input.
func (s *Store) comments(ctx context.Context, orgID, where string, arg any, op string) ([]assessment.CycleComment, error) {
	var rows []struct {
		ParticipantID string
		Relationship  string
		QuestionKey   string
		Body          string
	}
	err := s.db.WithContext(ctx).Raw(`
SELECT a.participant_id, a.relationship, c.question_key, c.body
FROM participants p
JOIN rater_assignments a ON a.participant_id = p.id AND a.organization_id = p.organization_id
JOIN responses r ON r.assignment_id = a.id AND r.organization_id = p.organization_id
JOIN comments c ON c.response_id = r.id
WHERE p.organization_id = ? AND `+countedResponseSQL+` AND `+where, orgID, arg).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, op)
	}
	out := make([]assessment.CycleComment, len(rows))
	for i, r := range rows {
		out[i] = assessment.CycleComment{ParticipantID: r.ParticipantID, Relationship: assessment.Relationship(r.Relationship),
			QuestionKey: r.QuestionKey, Body: r.Body}
	}
	return out, nil
}

// PreviousParticipations finds, through the person id, the cycle's leaders'
// participations in released cycles of the same organisation that closed
// before this cycle.
func (s *Store) PreviousParticipations(ctx context.Context, orgID, cycleID string) ([]assessment.PreviousParticipation, error) {
	var rows []struct {
		ParticipantID         string
		PreviousCycleID       string
		PreviousParticipantID string
		PreviousClosesAt      time.Time
	}
	err := s.db.WithContext(ctx).Raw(`
SELECT p.id AS participant_id, c2.id AS previous_cycle_id, q.id AS previous_participant_id, c2.closes_at AS previous_closes_at
FROM participants p
JOIN cycles c ON c.id = p.cycle_id AND c.organization_id = p.organization_id
JOIN participants q ON q.person_id = p.person_id AND q.organization_id = p.organization_id AND q.cycle_id <> p.cycle_id
JOIN cycles c2 ON c2.id = q.cycle_id AND c2.organization_id = p.organization_id
WHERE p.cycle_id = ? AND p.organization_id = ? AND c2.status = 'released' AND c2.closes_at < c.closes_at`, cycleID, orgID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "previous participations in cycle "+cycleID)
	}
	out := make([]assessment.PreviousParticipation, len(rows))
	for i, r := range rows {
		out[i] = assessment.PreviousParticipation{ParticipantID: r.ParticipantID, PreviousCycleID: r.PreviousCycleID,
			PreviousParticipantID: r.PreviousParticipantID, PreviousClosesAt: r.PreviousClosesAt.UTC()}
	}
	return out, nil
}

// ParticipantNames lists the cycle's leaders with their names, sorted by
// participant id.
func (s *Store) ParticipantNames(ctx context.Context, orgID, cycleID string) ([]assessment.ParticipantName, error) {
	var rows []struct {
		ParticipantID string
		PersonID      string
		Name          string
		Email         string
		Department    string
		ManagerEmail  string
		Location      string
	}
	err := s.db.WithContext(ctx).Raw(`
SELECT p.id AS participant_id, pe.id AS person_id, pe.name, pe.email, pe.department, pe.manager_email, pe.location
FROM participants p
JOIN people pe ON pe.id = p.person_id AND pe.organization_id = p.organization_id
WHERE p.cycle_id = ? AND p.organization_id = ?`, cycleID, orgID).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "names of the leaders of cycle "+cycleID)
	}
	out := make([]assessment.ParticipantName, len(rows))
	for i, r := range rows {
		out[i] = assessment.ParticipantName{ParticipantID: r.ParticipantID, PersonID: r.PersonID, Name: r.Name, Email: r.Email,
			Placement: assessment.Placement{Department: r.Department, ManagerEmail: r.ManagerEmail, Location: r.Location}}
	}
	slices.SortFunc(out, func(a, b assessment.ParticipantName) int { return strings.Compare(a.ParticipantID, b.ParticipantID) })
	return out, nil
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

// createSnapshotPgx is CreateSnapshot on PostgreSQL through pgx itself: the
// leaders go in with COPY, encoded a batch at a time as COPY asks for them.
// Multi-row INSERTs of hundreds of MB of JSON cost gigabytes of allocation
// in parameter encoding; COPY streams each value once.
func (s *Store) createSnapshotPgx(ctx context.Context, row scoreSnapshotRow, leaders []scoring.Leader, lz4 bool) error {
	conn, err := s.sqlDB.Conn(ctx)
	if err != nil {
		return translate(err, "save snapshot of cycle "+row.CycleID)
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		sc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("save snapshot of cycle %s: unexpected driver connection %T", row.CycleID, driverConn)
		}
		tx, err := sc.Conn().Begin(ctx)
		if err != nil {
			return translate(err, "save snapshot of cycle "+row.CycleID)
		}
		// After Commit, Rollback is a no-op; before it, the error that got
		// us here is the one to report.
		defer func() { _ = tx.Rollback(ctx) }()
		if lz4 {
			if _, err := tx.Exec(ctx, "SET LOCAL default_toast_compression = 'lz4'"); err != nil {
				return translate(err, "choose snapshot compression")
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO score_snapshots
(id, organization_id, cycle_id, engine_version, instrument_key, instrument_version, input_hash, result, created_at, version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			row.ID, row.OrganizationID, row.CycleID, row.EngineVersion, row.InstrumentKey, row.InstrumentVersion,
			row.InputHash, row.Result, row.CreatedAt, row.Version)
		if err != nil {
			return translate(err, "save snapshot of cycle "+row.CycleID)
		}
		src := &leaderRows{snapshotID: row.ID, leaders: leaders}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"score_snapshot_leaders"}, []string{"snapshot_id", "participant_id", "result"}, src); err != nil {
			if src.err != nil {
				return fmt.Errorf("encode snapshot of cycle %s: %w", row.CycleID, src.err)
			}
			return translate(err, "save snapshot leaders of cycle "+row.CycleID)
		}
		if err := tx.Commit(ctx); err != nil {
			return translate(err, "save snapshot of cycle "+row.CycleID)
		}
		return nil
	})
}

// leaderRows feeds COPY: it encodes snapshotBatch leaders at a time (on
// every core) when COPY has consumed the previous batch.
type leaderRows struct {
	snapshotID string
	leaders    []scoring.Leader
	batch      []scoreSnapshotLeaderRow
	next, i    int
	err        error
}

func (r *leaderRows) Next() bool {
	if r.i >= len(r.batch) {
		if r.next >= len(r.leaders) || r.err != nil {
			return false
		}
		part := r.leaders[r.next:min(r.next+snapshotBatch, len(r.leaders))]
		if cap(r.batch) < len(part) {
			r.batch = make([]scoreSnapshotLeaderRow, snapshotBatch)
		}
		r.batch = r.batch[:len(part)]
		if r.err = encodeLeaders(r.snapshotID, part, r.batch); r.err != nil {
			return false
		}
		r.next += len(part)
		r.i = 0
	}
	r.i++
	return true
}

func (r *leaderRows) Values() ([]any, error) {
	row := &r.batch[r.i-1]
	return []any{row.SnapshotID, row.ParticipantID, row.Result}, nil
}

func (r *leaderRows) Err() error { return r.err }

// toastLZ4 reports whether this PostgreSQL can compress large values with
// lz4 (version 14 or later, built with lz4).
func (s *Store) toastLZ4(ctx context.Context) bool {
	var n int64
	err := s.db.WithContext(ctx).Raw(`SELECT count(*) FROM pg_settings
WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`).Scan(&n).Error
	return err == nil && n > 0
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

// CycleAnyOrganization loads a cycle by id in any organisation, for the
// operator CLI only (see assessment.ScoreStore).
func (s *Store) CycleAnyOrganization(ctx context.Context, id string) (assessment.Cycle, error) {
	var row cycleRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return assessment.Cycle{}, translate(err, "cycle "+id)
	}
	return row.domain()
}
