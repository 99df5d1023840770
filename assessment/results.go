package assessment

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
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
	snap, err := s.ScoreCycle(ctx, orgID, cycleID)
	if err != nil {
		return Cycle{}, fmt.Errorf("release cycle %s: %w", cycleID, err)
	}
	err = s.store.InTx(ctx, func(tx Store) error {
		cur, err := tx.Cycle(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		if cur.Status != StatusClosed {
			return notReleasable(&cur)
		}
		if err := s.moveCycle(ctx, tx, &cur, StatusReleased); err != nil {
			if ErrorCode(err) == CodeConflict {
				return Errorf(CodeConflict, "The results of %q have already been released.", cur.Name)
			}
			return err
		}
		c = cur
		// Answers excluded since this release began are in the scored
		// result: start again from them. (An exclusion takes the cycle's
		// row too, so one that commits first is seen here and one that
		// comes later finds the cycle released.)
		if now, err := excludedCount(ctx, tx, cur); err != nil {
			return err
		} else if now != excluded {
			return Errorf(CodeConflict, "Answers of %q were excluded while the results were being released. Read what they change, then release again.", cur.Name)
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
		if err := tx.SaveSnapshotFocus(ctx, snap.ID, focusOf(&snap.Result)); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionCycleRelease,
			SubjectType: "cycle", SubjectID: cycleID, CreatedAt: s.Now(),
			Detail: truncate(fmt.Sprintf("Released %q: %d leaders, version %d (snapshot %s)", c.Name, len(snap.Result.Leaders), snap.Version, snap.ID), 2000)})
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

// focusOf lists each leader's focus skill of a result.
func focusOf(res *scoring.Result) []LeaderFocus {
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
		if err := tx.SaveSnapshotFocus(ctx, out.Snapshot.ID, focusOf(&snap.Result)); err != nil {
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
	c, err := s.ReleasedCycle(ctx, orgID, cycleID)
	if err != nil {
		return LeaderReport{}, err
	}
	fail := func(err error) (LeaderReport, error) {
		return LeaderReport{}, fmt.Errorf("report of leader %s in cycle %s: %w", participantID, cycleID, err)
	}
	p, err := s.store.Participant(ctx, orgID, participantID)
	if err != nil {
		return fail(err)
	}
	if p.CycleID != c.ID {
		return fail(Errorf(CodeNotFound, "leader %s is not in cycle %q", participantID, c.Name))
	}
	in, err := s.store.Instrument(ctx, c.InstrumentID)
	if err != nil {
		return fail(err)
	}
	snap, err := s.store.LatestSnapshotHeader(ctx, orgID, cycleID)
	if err != nil {
		return fail(err)
	}
	if snap.Result, err = s.store.SnapshotHead(ctx, orgID, snap.ID); err != nil {
		return fail(err)
	}
	leader, err := s.store.SnapshotLeader(ctx, orgID, snap.ID, participantID)
	if err != nil {
		return fail(err)
	}
	snap.Result.Leaders = []scoring.Leader{leader}
	person, err := s.store.Person(ctx, orgID, p.PersonID)
	if err != nil {
		return fail(err)
	}
	comments, err := s.store.ParticipantComments(ctx, orgID, participantID)
	if err != nil {
		return fail(err)
	}
	src := &ReportSource{Cycle: c, Instrument: in, Snapshot: snap, Comments: comments,
		Roster: Roster{CycleID: c.ID, CycleName: c.Name, OpensAt: c.OpensAt, ClosesAt: c.ClosesAt, Status: c.Status,
			Leaders: map[string]ParticipantName{participantID: {ParticipantID: participantID, PersonID: person.ID, Name: person.Name, Email: person.Email}}}}
	if src.Suggestions, err = SuggestionsFor(&in); err != nil {
		return fail(err)
	}
	return src.Leader(participantID)
}

// OwnParticipation finds the signed-in leader's participation in a cycle of
// their organisation. A cycle that does not assess them is not found,
// whatever else they are (a manager, a rater): a leader only ever reaches
// their own results.
func (s *Service) OwnParticipation(ctx context.Context, u User, cycleID string) (Participant, error) {
	if u.Role != RoleLeader || u.PersonID == "" {
		return Participant{}, Errorf(CodeNotFound, "you are not assessed in this cycle")
	}
	p, err := s.store.ParticipantOfPerson(ctx, u.OrganizationID, cycleID, u.PersonID)
	if err != nil {
		return Participant{}, fmt.Errorf("participation of %s in cycle %s: %w", u.ID, cycleID, err)
	}
	return p, nil
}

// LeaderCycle is one cycle on a leader's own page: its status, and while it
// is open what they may know of who has answered (Completion).
type LeaderCycle struct {
	Cycle         Cycle
	ParticipantID string
	Completion    *Completion // open cycles only
	// FocusName is the focus skill of a released cycle's report ("" when
	// the report suggests none), and PlanStarted whether the leader saved
	// an action plan for it: released cycles only.
	FocusName   string
	PlanStarted bool
}

// Completion is what a leader sees of the answers about them while their
// cycle is open. It must never let them watch a known person submit
// (TRUST.md rule 3), so:
//
//   - counts are those of the start of the day (00:00 UTC): they change at
//     most once a day, together for everyone who submitted the day before,
//     never at the moment one person submits;
//   - a group with fewer invited than the cycle's threshold shows no count
//     at all, its invited number included: a group of one or two is people,
//     and its count would be their progress (a manager too);
//   - no total across groups is given, since it minus the shown groups
//     would be the hidden ones' count.
//
// The leader's own self-assessment is theirs: its status is live.
type Completion struct {
	// AsOf is 00:00 UTC of the current day: counts are of the answers
	// submitted before it.
	AsOf      time.Time
	Threshold int
	// SelfSubmitted is whether the leader has submitted their own survey.
	SelfSubmitted bool
	// Groups are the colleagues' groups that have raters, in report order.
	Groups []GroupCompletion
}

// GroupCompletion is one group of colleagues on a leader's page. When
// Shown is false (fewer than the threshold invited), Invited and Answered
// are zero: the numbers never reach a page.
type GroupCompletion struct {
	Relationship Relationship
	Shown        bool
	Invited      int
	Answered     int // submitted before Completion.AsOf
}

// Plural names the group's people: "peers", "direct reports".
func (g GroupCompletion) Plural() string { return g.Relationship.Plural() }

// LeaderCycles lists the cycles that assess the signed-in leader, newest
// first, with the completion they may see of open ones.
func (s *Service) LeaderCycles(ctx context.Context, u User) ([]LeaderCycle, error) {
	if u.Role != RoleLeader || u.PersonID == "" {
		return nil, nil
	}
	pcs, err := s.store.PersonCycles(ctx, u.OrganizationID, u.PersonID)
	if err != nil {
		return nil, fmt.Errorf("cycles of %s: %w", u.ID, err)
	}
	startOfDay := s.Now().UTC().Truncate(24 * time.Hour)
	out := make([]LeaderCycle, len(pcs))
	for i, pc := range pcs {
		out[i] = LeaderCycle{Cycle: pc.Cycle, ParticipantID: pc.ParticipantID}
		if pc.Cycle.Status == StatusReleased {
			if err := s.followUpOf(ctx, u.OrganizationID, &out[i]); err != nil {
				return nil, err
			}
		}
		if pc.Cycle.Status != StatusOpen {
			continue
		}
		groups, err := s.store.ParticipantProgress(ctx, u.OrganizationID, pc.ParticipantID, startOfDay)
		if err != nil {
			return nil, fmt.Errorf("progress of %s: %w", pc.ParticipantID, err)
		}
		out[i].Completion = completionOf(groups, pc.Cycle.AnonymityThreshold, startOfDay)
	}
	return out, nil
}

// followUpOf fills in a released cycle's focus skill, as recorded at
// release, and whether the leader started an action plan.
func (s *Service) followUpOf(ctx context.Context, orgID string, lc *LeaderCycle) error {
	head, err := s.store.LatestSnapshotHeader(ctx, orgID, lc.Cycle.ID)
	if err != nil {
		return fmt.Errorf("focus of %s: %w", lc.ParticipantID, err)
	}
	focus, err := s.snapshotFocus(ctx, orgID, head.ID)
	if err != nil {
		return fmt.Errorf("focus of %s: %w", lc.ParticipantID, err)
	}
	in, err := s.store.Instrument(ctx, lc.Cycle.InstrumentID)
	if err != nil {
		return fmt.Errorf("focus of %s: %w", lc.ParticipantID, err)
	}
	for _, f := range focus {
		if f.ParticipantID != lc.ParticipantID || f.Skill == "" {
			continue
		}
		lc.FocusName = f.Skill
		for _, sk := range in.Skills {
			if sk.Key == f.Skill {
				lc.FocusName = sk.Name
			}
		}
	}
	_, lc.PlanStarted, err = s.ActionPlanOf(ctx, orgID, lc.ParticipantID)
	return err
}

// completionOf applies Completion's rules to a leader's counts.
func completionOf(groups []GroupProgress, threshold int, asOf time.Time) *Completion {
	c := &Completion{AsOf: asOf, Threshold: threshold}
	for _, g := range groups {
		switch {
		case g.Relationship == Self:
			c.SelfSubmitted = g.Submitted > 0
		case g.Invited >= threshold:
			c.Groups = append(c.Groups, GroupCompletion{Relationship: g.Relationship, Shown: true, Invited: g.Invited, Answered: g.SubmittedBefore})
		default:
			c.Groups = append(c.Groups, GroupCompletion{Relationship: g.Relationship})
		}
	}
	return c
}

// PlanInput is what a leader types into the action plan form.
type PlanInput struct {
	Skill        string
	Behaviour    string
	Situation    string
	FeedbackFrom string
	CheckInDate  string // YYYY-MM-DD
}

// Field limits of the action plan.
const (
	MaxPlanText  = 1000
	maxPlanAhead = 366 * 24 * time.Hour
)

// ActionPlanOf loads the participant's plan; found is false before the
// first save.
func (s *Service) ActionPlanOf(ctx context.Context, orgID, participantID string) (plan ActionPlan, found bool, err error) {
	plan, err = s.store.ActionPlan(ctx, orgID, participantID)
	switch {
	case err == nil:
		return plan, true, nil
	case ErrorCode(err) == CodeNotFound:
		return ActionPlan{}, false, nil
	}
	return ActionPlan{}, false, fmt.Errorf("action plan of %s: %w", participantID, err)
}

// SaveActionPlan validates and stores the signed-in leader's action plan
// for their participation in a released cycle; the skill must be one of
// the instrument's, and the check-in date between today and a year ahead.
func (s *Service) SaveActionPlan(ctx context.Context, u User, cycleID string, in PlanInput) (ActionPlan, error) {
	p, err := s.OwnParticipation(ctx, u, cycleID)
	if err != nil {
		return ActionPlan{}, err
	}
	c, err := s.ReleasedCycle(ctx, u.OrganizationID, cycleID)
	if err != nil {
		return ActionPlan{}, err
	}
	instrument, err := s.store.Instrument(ctx, c.InstrumentID)
	if err != nil {
		return ActionPlan{}, fmt.Errorf("action plan: %w", err)
	}
	plan := ActionPlan{OrganizationID: u.OrganizationID, ParticipantID: p.ID, Skill: strings.TrimSpace(in.Skill),
		Behaviour: strings.TrimSpace(in.Behaviour), Situation: strings.TrimSpace(in.Situation),
		FeedbackFrom: strings.TrimSpace(in.FeedbackFrom), UpdatedAt: s.Now()}
	f := fieldErrors{}
	if !slices.ContainsFunc(instrument.Skills, func(sk Skill) bool { return sk.Key == plan.Skill }) {
		f.add("skill", "Choose the skill you will work on.")
	}
	for field, v := range map[string]string{"behaviour": plan.Behaviour, "situation": plan.Situation, "feedback_from": plan.FeedbackFrom} {
		switch {
		case v == "":
			f.add(field, map[string]string{"behaviour": "Enter the behaviour you will practise.",
				"situation":     "Enter the next situation where you will practise it.",
				"feedback_from": "Enter who you will ask for feedback."}[field])
		case utf8.RuneCountInString(v) > MaxPlanText:
			f.add(field, fmt.Sprintf("Use at most %d characters.", MaxPlanText))
		}
	}
	today := s.Now().UTC().Truncate(24 * time.Hour)
	date, derr := time.Parse(time.DateOnly, strings.TrimSpace(in.CheckInDate))
	switch {
	case strings.TrimSpace(in.CheckInDate) == "":
		f.add("check_in_date", "Enter the date you will check your progress.")
	case derr != nil:
		f.add("check_in_date", "Enter a date like 2026-05-04.")
	case date.Before(today):
		f.add("check_in_date", "Choose today or a later date.")
	case date.After(today.Add(maxPlanAhead)):
		f.add("check_in_date", "Choose a date within a year.")
	}
	if err := f.err("the action plan is not complete"); err != nil {
		return ActionPlan{}, err
	}
	plan.CheckInDate = date
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.SaveActionPlan(ctx, &plan); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: u.OrganizationID, ActorUserID: u.ID, Action: ActionPlanSave,
			SubjectType: "participant", SubjectID: p.ID, CreatedAt: s.Now(), Detail: truncate("Action plan for "+c.Name, 2000)})
	})
	if err != nil {
		return ActionPlan{}, fmt.Errorf("save action plan of %s: %w", p.ID, err)
	}
	return plan, nil
}

// OrgView is what L&D plans training from: one released cycle's heatmap of
// all-others means (suppressed cells not available, exactly as in each
// report), the self-other agreement categories per skill and how often
// each skill is a leader's focus.
type OrgView struct {
	// Released are the organisation's released cycles, newest first; Cycle
	// is the one shown.
	Released []Cycle
	Cycle    Cycle
	Skills   []Skill // instrument order, without items
	Rows     []HeatmapLeader
	// Columns are the organisation's row: per skill (OrgView.Skills order)
	// the mean, spread and range of the leaders' shown means.
	Columns    []scoring.HeatmapColumn
	Agreement  []AgreementCounts
	Focus      []FocusCount // most common first
	NoFocus    int
	Threshold  int
	LeaderN    int
	CohortSize int // leaders needed for agreement categories
}

// HeatmapLeader is one row of the heatmap: the leader's all-others mean per
// skill, in OrgView.Skills order.
type HeatmapLeader struct {
	ParticipantID string
	Name          string
	Others        []scoring.Number
}

// AgreementCounts is how many leaders fall in each self-other agreement
// category for one skill; Available is false when the cohort allowed no
// categories.
type AgreementCounts struct {
	Skill           string
	Available       bool
	Over, In, Under int
	Uncategorised   int
}

// FocusCount is how many leaders have a skill as their focus.
type FocusCount struct {
	Skill string
	Count int
}

// OrganizationView builds the organisation view of a released cycle
// (cycleID, or the newest released one when empty). With nothing released
// it returns an empty view. Every figure comes from the cycle's newest
// snapshot, as the reports do: nothing is recomputed here.
func (s *Service) OrganizationView(ctx context.Context, orgID, cycleID string) (OrgView, error) {
	released, err := s.store.ReleasedCycles(ctx, orgID)
	if err != nil {
		return OrgView{}, fmt.Errorf("organisation view: %w", err)
	}
	v := OrgView{Released: released}
	if len(released) == 0 {
		if cycleID != "" {
			return OrgView{}, Errorf(CodeNotFound, "no released cycle %s", cycleID)
		}
		return v, nil
	}
	i := 0
	if cycleID != "" {
		if i = slices.IndexFunc(released, func(c Cycle) bool { return c.ID == cycleID }); i < 0 {
			return OrgView{}, Errorf(CodeNotFound, "no released cycle %s", cycleID)
		}
	}
	v.Cycle = released[i]
	fail := func(err error) (OrgView, error) {
		return OrgView{}, fmt.Errorf("organisation view of cycle %s: %w", v.Cycle.ID, err)
	}
	in, err := s.store.Instrument(ctx, v.Cycle.InstrumentID)
	if err != nil {
		return fail(err)
	}
	for _, sk := range in.Skills {
		v.Skills = append(v.Skills, Skill{Key: sk.Key, Name: sk.Name, Description: sk.Description})
	}
	head, err := s.store.LatestSnapshotHeader(ctx, orgID, v.Cycle.ID)
	if err != nil {
		return fail(err)
	}
	res, err := s.store.SnapshotHead(ctx, orgID, head.ID)
	if err != nil {
		return fail(err)
	}
	names, err := s.store.ParticipantNames(ctx, orgID, v.Cycle.ID)
	if err != nil {
		return fail(err)
	}
	nameOf := make(map[string]string, len(names))
	for _, n := range names {
		nameOf[n.ParticipantID] = n.Name
	}
	v.Threshold, v.LeaderN, v.CohortSize = res.Settings.KMin, res.Cohort.Leaders, res.Settings.CohortMinLeaders
	// The heatmap's columns follow the instrument; a skill the snapshot
	// lacks stays not available.
	col := make([]int, len(v.Skills))
	for j, sk := range v.Skills {
		col[j] = slices.Index(res.Cohort.Heatmap.Skills, sk.Key)
	}
	v.Rows = make([]HeatmapLeader, len(res.Cohort.Heatmap.Rows))
	for r, row := range res.Cohort.Heatmap.Rows {
		cells := make([]scoring.Number, len(v.Skills))
		for j, c := range col {
			cells[j] = scoring.Number{Reason: scoring.ReasonNoRatings}
			if c >= 0 && c < len(row.Others) {
				cells[j] = row.Others[c]
			}
		}
		v.Rows[r] = HeatmapLeader{ParticipantID: row.ParticipantID, Name: cmp.Or(nameOf[row.ParticipantID], row.ParticipantID), Others: cells}
	}
	slices.SortFunc(v.Rows, func(a, b HeatmapLeader) int {
		return compareNames(a.Name, a.ParticipantID, b.Name, b.ParticipantID)
	})
	columns := res.Cohort.Heatmap.Columns()
	for j, sk := range v.Skills {
		c := scoring.HeatmapColumn{Skill: sk.Key, Mean: scoring.Number{Reason: scoring.ReasonNoRatings}}
		if col[j] >= 0 {
			c = columns[col[j]]
		}
		v.Columns = append(v.Columns, c)
	}
	for _, sk := range v.Skills {
		ac := AgreementCounts{Skill: sk.Key}
		for _, cs := range res.Cohort.Skills {
			if cs.Skill != sk.Key || !cs.SelfOther.Upper.Available() || !cs.SelfOther.Lower.Available() {
				continue
			}
			ac.Available = true
			for _, row := range cs.SelfOther.Leaders {
				switch {
				case row.FourGroup == "over_estimator":
					ac.Over++
				case row.FourGroup == "under_estimator":
					ac.Under++
				case strings.HasPrefix(row.FourGroup, "in_agreement"):
					ac.In++
				default:
					ac.Uncategorised++
				}
			}
		}
		v.Agreement = append(v.Agreement, ac)
	}
	focus, err := s.snapshotFocus(ctx, orgID, head.ID)
	if err != nil {
		return fail(err)
	}
	counts := map[string]int{}
	for _, f := range focus {
		if f.Skill == "" {
			v.NoFocus++
			continue
		}
		counts[f.Skill]++
	}
	for _, sk := range v.Skills {
		if n := counts[sk.Key]; n > 0 {
			v.Focus = append(v.Focus, FocusCount{Skill: sk.Key, Count: n})
		}
	}
	slices.SortStableFunc(v.Focus, func(a, b FocusCount) int { return cmp.Compare(b.Count, a.Count) })
	return v, nil
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
	return focusOf(&res), nil
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
