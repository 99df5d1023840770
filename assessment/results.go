package assessment

import (
	"context"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/lead360/lead360/scoring"
)

// Audit actions of results (the audit page names them in words).
const (
	ActionCycleRelease   = "cycle.release"
	ActionCycleReRelease = "cycle.rerelease"
	ActionReportView     = "report.view"
	ActionReportDownload = "report.download"
	ActionResultsExport  = "results.export"
	ActionPlanSave       = "plan.save"
)

// ErrNotReleased is in the chain of every error that refuses results,
// reports or exports of a cycle that is not released (TRUST.md rule 3),
// with a CodeConflict *Error beside it for the message.
var ErrNotReleased = errors.New("results are not released")

// requireReleased refuses results of a cycle until an admin releases it:
// for everyone, admins included.
func requireReleased(c *Cycle) error {
	if c.Status == StatusReleased {
		return nil
	}
	hint := "They appear when the cycle has closed and an admin has released its results."
	if c.Status == StatusClosed {
		hint = "The cycle has closed; they appear when an admin releases its results."
	}
	return errors.Join(ErrNotReleased, Errorf(CodeConflict, "The results of %q are not available yet. %s", c.Name, hint))
}

// Record appends an audit entry for the organisation; actorUserID is empty
// for the system.
func (s *Service) Record(ctx context.Context, orgID, actorUserID, action, subjectType, subjectID, detail string) error {
	e := AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: action, SubjectType: subjectType,
		SubjectID: subjectID, Detail: truncate(detail, 2000), CreatedAt: s.Now()}
	if err := s.store.AddAudit(ctx, &e); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// ReleaseCycle makes a closed cycle's results visible: it scores the cycle
// (a stored version, reused when the data did not change), records each
// leader's focus skill for the organisation view, moves the cycle to
// released and records who released which version, the last three in one
// transaction. Only a closed cycle can be released, and only once HR has
// confirmed what excluded answers change (ConfirmExclusions). Of two releases
// at once (two servers, two tabs), one releases and the other is told the
// results were already released; both share one snapshot (ScoreCycle).
func (s *Service) ReleaseCycle(ctx context.Context, orgID, cycleID, actorUserID string) (Cycle, error) {
	c, err := s.store.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return Cycle{}, fmt.Errorf("release cycle %s: %w", cycleID, err)
	}
	if c.Status != StatusClosed {
		return Cycle{}, notReleasable(&c)
	}
	if err := requireExclusionsSeen(ctx, s.store, c); err != nil {
		return Cycle{}, fmt.Errorf("release cycle %s: %w", cycleID, err)
	}
	excluded, err := excludedCount(ctx, s.store, c)
	if err != nil {
		return Cycle{}, fmt.Errorf("release cycle %s: %w", cycleID, err)
	}
	snap, err := s.scoreCycle(ctx, &c)
	if err != nil {
		return Cycle{}, fmt.Errorf("release cycle %s: %w", cycleID, err)
	}
	err = s.store.InTx(ctx, func(tx Store) error {
		// The compare-and-set on the status is the check: of two releases
		// the second finds the cycle no longer closed, and is told why.
		if err := s.moveCycle(ctx, tx, &c, StatusReleased); err != nil {
			if ErrorCode(err) != CodeConflict {
				return err
			}
			cur, rerr := tx.Cycle(ctx, orgID, cycleID)
			if rerr != nil {
				return rerr
			}
			return notReleasable(&cur)
		}
		// Answers excluded since this release began are in the scored
		// result: start again from them. (An exclusion takes the cycle's
		// row too, so one that commits first is seen here and one that
		// comes later finds the cycle released.)
		if now, err := excludedCount(ctx, tx, c); err != nil {
			return err
		} else if now != excluded {
			return Errorf(CodeConflict, "Answers of %q were excluded while the results were being released. Read what they change, then release again.", c.Name)
		}
		// What leaders will read is the current version: it must be the
		// one this entry names, not one stored since from changed data.
		current, err := tx.LatestSnapshotHeader(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		if current.ID != snap.ID {
			return Errorf(CodeConflict, "The results of %q were scored again while they were being released. Release them again.", c.Name)
		}
		if err := tx.SaveSnapshotFocus(ctx, snap.ID, LeaderFocusOf(&snap.Result)); err != nil {
			return err
		}
		mails, without, err := resultsMailJobs(ctx, tx, c, &snap.Result)
		if err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, mails...); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionCycleRelease,
			SubjectType: "cycle", SubjectID: cycleID, CreatedAt: s.Now(),
			Detail: truncate(fmt.Sprintf("Released %q: %d leaders, version %d (snapshot %s); %d emailed, %d without an account not emailed",
				c.Name, len(snap.Result.Leaders), snap.Version, snap.ID, len(mails), without), 2000)})
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("release cycle %s: %w", cycleID, err)
	}
	s.Log.Info("cycle released", "cycle", cycleID, "snapshot", snap.ID, "version", snap.Version, "actor", actorUserID)
	return c, nil
}

// notReleasable explains why a cycle that is not closed cannot be released.
func notReleasable(c *Cycle) error {
	if c.Status == StatusReleased {
		return Errorf(CodeConflict, "The results of %q have already been released.", c.Name)
	}
	return Errorf(CodeConflict, "cycle %q is %s: only a closed cycle can be released", c.Name, c.Status)
}

// LeaderFocusOf lists each leader's focus skill of a result, with the
// counts and blind spots the results table shows: the rows a release
// records.
func LeaderFocusOf(res *scoring.Result) []LeaderFocus {
	focus := make([]LeaderFocus, len(res.Leaders))
	for i := range res.Leaders {
		l := &res.Leaders[i]
		f := LeaderFocus{ParticipantID: l.ParticipantID, Skill: l.Focus.Skill, Raters: l.MostRaters(), BlindSpots: []string{}, Summarised: true}
		for _, sk := range l.Skills {
			if sk.Gap.Flag == scoring.FlagBlindSpot {
				f.BlindSpots = append(f.BlindSpots, sk.Skill)
			}
		}
		focus[i] = f
	}
	return focus
}

// ReRelease is what ReReleaseCycle did.
type ReRelease struct {
	// Snapshot is the version reports read now.
	Snapshot Snapshot
	// Previous is the version they read before.
	Previous int
	// Created is false when scoring again gave the released result
	// (same data, same engine): nothing was stored or recorded.
	Created bool
}

// ReReleaseCycle scores a released cycle again and, if the result differs
// from the released version (a new engine, a previous cycle released
// since), makes it the version every report reads: the new version, its
// focus skills and an audit entry naming it, who asked (actorUserID, or
// "" with by saying who for an operator) and the version it replaces
// commit together (TRUST.md rule 5). Of two re-releases at once, one
// stores the version and the other is told so.
func (s *Service) ReReleaseCycle(ctx context.Context, orgID, cycleID, actorUserID, by string) (ReRelease, error) {
	c, err := s.store.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return ReRelease{}, fmt.Errorf("re-release cycle %s: %w", cycleID, err)
	}
	if c.Status != StatusReleased {
		return ReRelease{}, Errorf(CodeConflict, "cycle %q is %s: only released results can be re-released (release them first)", c.Name, c.Status)
	}
	snap, err := s.scoreAgainstCurrent(ctx, &c)
	if err != nil {
		return ReRelease{}, fmt.Errorf("re-release cycle %s: %w", cycleID, err)
	}
	if snap.Stored() {
		return ReRelease{Snapshot: snap, Previous: snap.Version}, nil
	}
	out := ReRelease{Snapshot: snap, Previous: snap.Version - 1, Created: true}
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.CreateSnapshot(ctx, &out.Snapshot); err != nil {
			if ErrorCode(err) == CodeConflict {
				return Errorf(CodeConflict, "version %d of %q was stored by someone else at the same moment; nothing was changed by this re-release", snap.Version, c.Name)
			}
			return err
		}
		if err := tx.SaveSnapshotFocus(ctx, out.Snapshot.ID, LeaderFocusOf(&snap.Result)); err != nil {
			return err
		}
		detail := fmt.Sprintf("Re-released %q as version %d (snapshot %s, engine %s), replacing version %d", c.Name, snap.Version,
			out.Snapshot.ID, snap.EngineVersion, out.Previous)
		if by != "" {
			detail += "; by " + by
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionCycleReRelease,
			SubjectType: "cycle", SubjectID: cycleID, CreatedAt: s.Now(), Detail: truncate(detail, 2000)})
	})
	if err != nil {
		return ReRelease{}, fmt.Errorf("re-release cycle %s: %w", cycleID, err)
	}
	s.Log.Info("cycle re-released", "cycle", cycleID, "snapshot", out.Snapshot.ID, "version", snap.Version, "replaces", out.Previous, "actor", actorUserID, "by", by)
	return out, nil
}

// ReleasedCycle loads a cycle of the organisation whose results may be
// shown: another organisation's id is not found, a cycle that is not
// released is ErrNotReleased.
func (s *Service) ReleasedCycle(ctx context.Context, orgID, cycleID string) (Cycle, error) {
	c, err := s.store.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return Cycle{}, fmt.Errorf("results of cycle %s: %w", cycleID, err)
	}
	if err := requireReleased(&c); err != nil {
		return Cycle{}, err
	}
	return c, nil
}

// ExportSource is ReportSource for a released cycle: what the CSV export of
// the whole cycle is drawn from.
func (s *Service) ExportSource(ctx context.Context, orgID, cycleID string) (*ReportSource, error) {
	if _, err := s.ReleasedCycle(ctx, orgID, cycleID); err != nil {
		return nil, err
	}
	return s.ReportSource(ctx, orgID, cycleID)
}

// ParticipantReport assembles one leader's report of a released cycle. It
// reads only that leader of the newest snapshot (with the cohort's
// statistics) and that leader's comments, then goes through
// ReportSource.Leader, so the page, the PDF and the CSV show one
// assembly of one suppression decision.
func (s *Service) ParticipantReport(ctx context.Context, orgID, cycleID, participantID string) (LeaderReport, error) {
	base, err := s.reportBase(ctx, orgID, cycleID)
	if err != nil {
		return LeaderReport{}, err
	}
	return s.leaderReport(ctx, base, participantID)
}

// reportBase is what every leader's report of a released cycle shares: the
// cycle, its instrument and suggestions, and the newest snapshot without
// its leaders. Its cohort statistics grow with the cycle (a row per leader),
// so a job that reports on several leaders decodes them once.
type reportBase struct {
	orgID       string
	cycle       Cycle
	instrument  Instrument
	suggestions Suggestions
	snap        Snapshot
}

// reportBase reads the shared part of a released cycle's reports.
func (s *Service) reportBase(ctx context.Context, orgID, cycleID string) (*reportBase, error) {
	c, err := s.ReleasedCycle(ctx, orgID, cycleID)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*reportBase, error) {
		return nil, fmt.Errorf("reports of cycle %s: %w", cycleID, err)
	}
	b := &reportBase{orgID: orgID, cycle: c}
	if b.instrument, err = s.store.Instrument(ctx, c.InstrumentID); err != nil {
		return fail(err)
	}
	if b.snap, err = s.store.LatestSnapshotHeader(ctx, orgID, cycleID); err != nil {
		return fail(err)
	}
	if b.snap.Result, err = s.store.SnapshotHead(ctx, orgID, b.snap.ID); err != nil {
		return fail(err)
	}
	if b.suggestions, err = SuggestionsFor(&b.instrument); err != nil {
		return fail(err)
	}
	return b, nil
}

// leaderReport reads one leader of the base's cycle and snapshot and
// assembles the leader's report.
func (s *Service) leaderReport(ctx context.Context, b *reportBase, participantID string) (LeaderReport, error) {
	c := b.cycle
	fail := func(err error) (LeaderReport, error) {
		return LeaderReport{}, fmt.Errorf("report of leader %s in cycle %s: %w", participantID, c.ID, err)
	}
	p, err := s.store.Participant(ctx, b.orgID, participantID)
	if err != nil {
		return fail(err)
	}
	if p.CycleID != c.ID {
		return fail(Errorf(CodeNotFound, "leader %s is not in cycle %q", participantID, c.Name))
	}
	leader, err := s.store.SnapshotLeader(ctx, b.orgID, b.snap.ID, participantID)
	if err != nil {
		return fail(err)
	}
	snap := b.snap // the copy gets this leader; the shared statistics are only read
	snap.Result.Leaders = []scoring.Leader{leader}
	person, err := s.store.Person(ctx, b.orgID, p.PersonID)
	if err != nil {
		return fail(err)
	}
	comments, err := s.store.ParticipantComments(ctx, b.orgID, participantID)
	if err != nil {
		return fail(err)
	}
	src := &ReportSource{Cycle: c, Instrument: b.instrument, Snapshot: snap, Comments: comments, Suggestions: b.suggestions,
		Roster: Roster{CycleID: c.ID, CycleName: c.Name, OpensAt: c.OpensAt, ClosesAt: c.ClosesAt, Status: c.Status,
			Leaders: map[string]ParticipantName{participantID: {ParticipantID: participantID, PersonID: person.ID, Name: person.Name, Email: person.Email}}}}
	return src.Leader(participantID)
}

// snapshotFocus is the leaders' focus skills and results table rows of a
// snapshot: recorded at release and re-release, or read from the snapshot
// itself when none were recorded (a version stored after release before
// re-releases recorded them) or recorded before the rows had their counts.
func (s *Service) snapshotFocus(ctx context.Context, orgID, snapshotID string) ([]LeaderFocus, error) {
	focus, err := s.store.SnapshotFocus(ctx, orgID, snapshotID)
	if err != nil || len(focus) > 0 && focus[0].Summarised {
		return focus, err
	}
	res, err := s.store.SnapshotResult(ctx, orgID, snapshotID)
	if err != nil {
		return nil, err
	}
	return LeaderFocusOf(&res), nil
}

// AuditBefore lists up to limit of the organisation's audit entries newest
// first, after the entry before names (the zero cursor: from the newest).
func (s *Service) AuditBefore(ctx context.Context, orgID string, before AuditCursor, limit int) ([]AuditRecord, error) {
	entries, err := s.store.AuditEntriesBefore(ctx, orgID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("audit log of organisation %s: %w", orgID, err)
	}
	return entries, nil
}

// AuditPage lists the organisation's audit entries newest first, page by
// page (page 1 is the newest); more tells whether an older page exists. A
// page past the last shows the last, and one before the first shows the
// first, so an edited or stale link never fails; page is the one shown.
func (s *Service) AuditPage(ctx context.Context, orgID string, page, size int) (entries []AuditRecord, shown int, more bool, err error) {
	// A huge page number must not overflow the offset: no log is that long.
	size = max(size, 1)
	page = min(max(page, 1), math.MaxInt32/size)
	entries, err = s.store.AuditEntries(ctx, orgID, (page-1)*size, size+1)
	if err != nil {
		return nil, 0, false, fmt.Errorf("audit log page %d: %w", page, err)
	}
	if len(entries) == 0 && page > 1 {
		n, err := s.store.AuditCount(ctx, orgID)
		if err != nil {
			return nil, 0, false, fmt.Errorf("audit log size: %w", err)
		}
		return s.AuditPage(ctx, orgID, max(1, (n+size-1)/size), size)
	}
	if len(entries) > size {
		return entries[:size], page, true, nil
	}
	return entries, page, false, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
