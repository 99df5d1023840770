package assessment

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Cycle administration from the dashboard: settings beyond the dates,
// editing drafts, the roster, progress, reminders on demand, extending and
// closing early. Each exported method is one use case in one transaction.

// DefaultRaterCap is how many survey requests one person gets in a cycle
// before an import warns: past about eight, people answer carelessly or not
// at all.
const DefaultRaterCap = 8

// MaxRaterCap bounds the cap an admin may set.
const MaxRaterCap = 100

// MaxGroupLimit bounds a nomination group's maximum.
const MaxGroupLimit = 50

// ManualReminderBase is the first reminder index of reminders sent outside
// the schedule ("remind now", an extension's reminders). Scheduled ones use
// 0 to MaxReminders-1; each manual round takes the next index from here, so
// the one-reminder-per-rater claim of a round never collides with another.
const ManualReminderBase = 100

// CycleSettings are the admin's choices about a cycle beyond its own fields.
type CycleSettings struct {
	CycleID        string
	OrganizationID string
	// LeadersNominate lets leaders propose their own raters, within
	// GroupLimits (the nomination flow reads both).
	LeadersNominate bool
	GroupLimits     []GroupLimit
	// RaterCap is how many requests one person should get in the cycle;
	// more is a warning, never a refusal.
	RaterCap int
	// ReminderRounds counts reminder rounds sent outside the schedule.
	ReminderRounds int
}

// GroupLimit bounds how many raters of one relationship a leader nominates.
type GroupLimit struct {
	Relationship Relationship
	Min, Max     int
}

// NominatedRelationships are the groups a leader may nominate: everyone
// but themself.
var NominatedRelationships = []Relationship{Manager, Peer, DirectReport, Other}

// DefaultCycleSettings are the settings of a cycle that has none stored.
func DefaultCycleSettings(orgID, cycleID string) CycleSettings {
	return CycleSettings{CycleID: cycleID, OrganizationID: orgID, RaterCap: DefaultRaterCap}
}

// Limit returns the group's limit, if it has one.
func (cs *CycleSettings) Limit(rel Relationship) (GroupLimit, bool) {
	for _, l := range cs.GroupLimits {
		if l.Relationship == rel {
			return l, true
		}
	}
	return GroupLimit{}, false
}

// LimitField is the form field of a group limit's problem.
func LimitField(rel Relationship) string { return "limit_" + string(rel) }

// Validate checks the settings; problems are keyed by form field.
func (cs *CycleSettings) Validate() error {
	f := fieldErrors{}
	if cs.RaterCap < 1 || cs.RaterCap > MaxRaterCap {
		f.add("rater_cap", fmt.Sprintf("Enter a number from 1 to %d.", MaxRaterCap))
	}
	seen := map[Relationship]bool{}
	for _, l := range cs.GroupLimits {
		field := LimitField(l.Relationship)
		switch {
		case !slices.Contains(NominatedRelationships, l.Relationship):
			f.add("limits", fmt.Sprintf("%q is not a group leaders nominate.", l.Relationship))
		case seen[l.Relationship]:
			f.add(field, "Give each group one limit.")
		case l.Min < 0 || l.Max < 1 || l.Max > MaxGroupLimit:
			f.add(field, fmt.Sprintf("Use a minimum from 0 and a maximum from 1 to %d.", MaxGroupLimit))
		case l.Min > l.Max:
			f.add(field, "The minimum cannot be more than the maximum.")
		}
		seen[l.Relationship] = true
	}
	return f.err("the cycle settings are not valid")
}

// CycleInput is what an admin fills in to create or edit a cycle.
type CycleInput struct {
	Draft    CycleDraft
	Settings CycleSettings
}

// validateCycleInput checks the cycle and its settings together, so a form
// shows every problem at once.
func validateCycleInput(c *Cycle, cs *CycleSettings) error {
	merged := fieldErrors{}
	for _, err := range []error{c.Validate(), cs.Validate()} {
		if de, ok := err.(*Error); ok {
			for k, v := range de.Fields {
				merged.add(k, v)
			}
		}
	}
	return merged.err("the cycle is not valid")
}

// within is the service running on a transaction's store, so one use case
// can reuse another inside its own transaction (GORM nests it as a
// savepoint).
func (s *Service) within(tx Store) *Service {
	c := *s
	c.store = tx
	return &c
}

// CreateCycleWithSettings creates a draft cycle and its settings in one
// transaction.
func (s *Service) CreateCycleWithSettings(ctx context.Context, in CycleInput) (Cycle, error) {
	c := draftCycle(in.Draft)
	cs := in.Settings
	if err := validateCycleInput(&c, &cs); err != nil {
		return Cycle{}, err
	}
	var out Cycle
	err := s.store.InTx(ctx, func(tx Store) error {
		if err := checkInstrument(ctx, tx, c.OrganizationID, c.InstrumentID); err != nil {
			return err
		}
		var err error
		if out, err = s.within(tx).CreateCycle(ctx, in.Draft); err != nil {
			return err
		}
		cs.CycleID, cs.OrganizationID, cs.ReminderRounds = out.ID, out.OrganizationID, 0
		return tx.SaveCycleSettings(ctx, &cs, s.Now())
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("create cycle with settings: %w", err)
	}
	return out, nil
}

// checkInstrument refuses an instrument the organisation may not use:
// instruments are looked up by id in any organisation.
func checkInstrument(ctx context.Context, tx Store, orgID, id string) error {
	ins, err := tx.Instruments(ctx, orgID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ins, func(in Instrument) bool { return in.ID == id }) {
		return fieldError("instrument", "Choose one of the listed instruments.")
	}
	return nil
}

// draftCycle is the cycle a draft describes, with the defaults CreateCycle
// applies, for validation before anything is stored.
func draftCycle(d CycleDraft) Cycle {
	c := Cycle{OrganizationID: d.OrganizationID, InstrumentID: d.InstrumentID, Name: strings.TrimSpace(d.Name),
		OpensAt: d.OpensAt.UTC(), ClosesAt: d.ClosesAt.UTC(), AnonymityThreshold: d.AnonymityThreshold,
		ReminderDays: d.ReminderDays, Status: StatusDraft}
	if c.AnonymityThreshold == 0 {
		c.AnonymityThreshold = MinAnonymityThreshold
	}
	if c.ReminderDays == nil {
		c.ReminderDays = DefaultReminderDays
	}
	return c
}

// EditCycle changes a draft cycle and its settings. Once a cycle is open its
// dates move only through ExtendCycle and CloseCycleEarly, and its
// threshold never: raters were told it.
func (s *Service) EditCycle(ctx context.Context, orgID, cycleID string, in CycleInput) (Cycle, error) {
	in.Draft.OrganizationID = orgID
	next := draftCycle(in.Draft)
	cs := in.Settings
	if err := validateCycleInput(&next, &cs); err != nil {
		return Cycle{}, err
	}
	var out Cycle
	err := s.store.InTx(ctx, func(tx Store) error {
		cur, err := tx.Cycle(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		if cur.Status != StatusDraft {
			return Errorf(CodeConflict, "cycle %q is %s: only a draft can be edited", cur.Name, cur.Status)
		}
		if err := checkInstrument(ctx, tx, orgID, next.InstrumentID); err != nil {
			return err
		}
		old, err := tx.CycleSettings(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		next.ID, next.CreatedAt, next.UpdatedAt = cur.ID, cur.CreatedAt, s.Now()
		if err := tx.UpdateDraftCycle(ctx, &next); err != nil {
			return err
		}
		cs.CycleID, cs.OrganizationID, cs.ReminderRounds = cycleID, orgID, old.ReminderRounds
		out = next
		return tx.SaveCycleSettings(ctx, &cs, s.Now())
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("edit cycle %s: %w", cycleID, err)
	}
	return out, nil
}

// CycleSummaries lists the organisation's cycles for the dashboard. The
// response rate of an open cycle that assesses the viewer (an admin's
// email) moves when one of their raters submits, so those are marked
// Assessed and their counts left out.
func (s *Service) CycleSummaries(ctx context.Context, orgID, viewer string) ([]CycleSummary, error) {
	out, err := s.store.CycleSummaries(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("list cycles: %w", err)
	}
	mine, err := s.viewerParticipations(ctx, orgID, viewer)
	if err != nil {
		return nil, fmt.Errorf("list cycles: %w", err)
	}
	for i, sum := range out {
		if _, assessed := mine[sum.Cycle.ID]; assessed && sum.Cycle.Status == StatusOpen {
			out[i] = CycleSummary{Cycle: sum.Cycle, Leaders: sum.Leaders, Assessed: true}
		}
	}
	return out, nil
}

// Instruments lists the instruments a new cycle may use.
func (s *Service) Instruments(ctx context.Context, orgID string) ([]Instrument, error) {
	out, err := s.store.Instruments(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("list instruments: %w", err)
	}
	return out, nil
}

// CycleOverview is a cycle with its settings, questionnaire and roster.
type CycleOverview struct {
	Cycle      Cycle
	Settings   CycleSettings
	Instrument Instrument
	Leaders    []RosterLeader
}

// CycleOverview loads a cycle of the organisation with everything its
// admin page shows.
func (s *Service) CycleOverview(ctx context.Context, orgID, cycleID string) (CycleOverview, error) {
	var o CycleOverview
	var err error
	if o.Cycle, err = s.store.Cycle(ctx, orgID, cycleID); err != nil {
		return CycleOverview{}, fmt.Errorf("cycle overview %s: %w", cycleID, err)
	}
	if o.Settings, err = s.store.CycleSettings(ctx, orgID, cycleID); err != nil {
		return CycleOverview{}, fmt.Errorf("cycle overview %s: %w", cycleID, err)
	}
	if o.Instrument, err = s.store.Instrument(ctx, o.Cycle.InstrumentID); err != nil {
		return CycleOverview{}, fmt.Errorf("cycle overview %s: %w", cycleID, err)
	}
	if o.Leaders, err = s.store.CycleRoster(ctx, orgID, cycleID); err != nil {
		return CycleOverview{}, fmt.Errorf("cycle overview %s: %w", cycleID, err)
	}
	return o, nil
}

// CycleWithSettings loads a cycle and its settings (the edit form).
func (s *Service) CycleWithSettings(ctx context.Context, orgID, cycleID string) (Cycle, CycleSettings, error) {
	c, err := s.store.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return Cycle{}, CycleSettings{}, fmt.Errorf("cycle %s: %w", cycleID, err)
	}
	cs, err := s.store.CycleSettings(ctx, orgID, cycleID)
	if err != nil {
		return Cycle{}, CycleSettings{}, fmt.Errorf("settings of cycle %s: %w", cycleID, err)
	}
	return c, cs, nil
}

// participantOf loads a participant and checks it belongs to the cycle the
// page addresses: an id from another cycle is not found there.
func participantOf(ctx context.Context, st Store, orgID, cycleID, participantID string) (Participant, error) {
	p, err := st.Participant(ctx, orgID, participantID)
	if err != nil {
		return Participant{}, err
	}
	if p.CycleID != cycleID {
		return Participant{}, Errorf(CodeNotFound, "leader %s is not in this cycle", participantID)
	}
	return p, nil
}

// AddCycleLeader adds a leader to a draft cycle (AddParticipant), named
// by the cycle the page addresses.
func (s *Service) AddCycleLeader(ctx context.Context, orgID, cycleID string, leader PersonInput) (Participant, error) {
	// The status is checked first, so a conflict from AddParticipant is
	// the person already leading in the cycle.
	if err := requireDraft(ctx, s.store, orgID, cycleID, "leaders can only be added"); err != nil {
		return Participant{}, fmt.Errorf("add leader: %w", err)
	}
	p, err := s.AddParticipant(ctx, orgID, cycleID, leader)
	if ErrorCode(err) == CodeConflict {
		return Participant{}, &Error{Code: CodeConflict, Message: "this person is already a leader in the cycle",
			Fields: map[string]string{"email": "This person is already a leader in this cycle."}}
	}
	return p, err
}

// AddCycleRater asks a person to rate a leader of the cycle (AddRater).
func (s *Service) AddCycleRater(ctx context.Context, orgID, cycleID, participantID string, rater PersonInput, rel Relationship) (Assignment, error) {
	if _, err := participantOf(ctx, s.store, orgID, cycleID, participantID); err != nil {
		return Assignment{}, fmt.Errorf("add rater: %w", err)
	}
	if err := requireDraft(ctx, s.store, orgID, cycleID, "raters can only be added"); err != nil {
		return Assignment{}, fmt.Errorf("add rater: %w", err)
	}
	a, err := s.AddRater(ctx, orgID, participantID, rater, rel)
	if ErrorCode(err) == CodeConflict {
		return Assignment{}, &Error{Code: CodeConflict, Message: "this person already rates the leader",
			Fields: map[string]string{"email": "This person already rates this leader."}}
	}
	return a, err
}

// RemoveCycleRater takes a rater away from a leader while the cycle is a
// draft. The self-assessment goes only with the leader.
func (s *Service) RemoveCycleRater(ctx context.Context, orgID, cycleID, participantID, assignmentID string) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		if err := requireDraft(ctx, tx, orgID, cycleID, "raters can only be removed"); err != nil {
			return err
		}
		if _, err := participantOf(ctx, tx, orgID, cycleID, participantID); err != nil {
			return err
		}
		a, err := tx.Assignment(ctx, orgID, assignmentID)
		if err != nil {
			return err
		}
		if a.ParticipantID != participantID {
			return Errorf(CodeNotFound, "rater %s does not rate this leader", assignmentID)
		}
		if a.Relationship == Self {
			return Errorf(CodeConflict, "the self-assessment goes with the leader: remove the leader instead")
		}
		return tx.RemoveAssignment(ctx, orgID, participantID, assignmentID)
	})
	if err != nil {
		return fmt.Errorf("remove rater %s: %w", assignmentID, err)
	}
	return nil
}

// RemoveCycleLeader takes a leader, and everyone asked to rate them, out of
// a draft cycle.
func (s *Service) RemoveCycleLeader(ctx context.Context, orgID, cycleID, participantID string) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		if err := requireDraft(ctx, tx, orgID, cycleID, "leaders can only be removed"); err != nil {
			return err
		}
		if _, err := participantOf(ctx, tx, orgID, cycleID, participantID); err != nil {
			return err
		}
		return tx.RemoveParticipant(ctx, orgID, cycleID, participantID)
	})
	if err != nil {
		return fmt.Errorf("remove leader %s: %w", participantID, err)
	}
	return nil
}

func requireDraft(ctx context.Context, tx Store, orgID, cycleID, what string) error {
	c, err := tx.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return err
	}
	if c.Status != StatusDraft {
		return Errorf(CodeConflict, "cycle %q is %s: %s while it is a draft", c.Name, c.Status, what)
	}
	return nil
}

// ProgressPageSize is how many leaders one page of a cycle's progress
// lists: enough to scan, few enough to stay fast in a cycle of thousands.
const ProgressPageSize = 50

// ProgressQuery says which part of a cycle's progress to load.
type ProgressQuery struct {
	// Page is 1-based; one outside the cycle's pages gives the nearest.
	Page int
	// Leader is a participant whose raters to list one by one, or "".
	Leader string
	// Viewer is the signed-in admin's email. An admin who is also assessed
	// in the cycle must not watch their own raters answer (TRUST.md rule 3),
	// so their own participation is left out (Progress.Own).
	Viewer string
}

// Progress is how far a cycle's raters are: cycle-wide counts, and per
// leader and group for one page of leaders. It holds counts only; HR's
// per-rater view is Selected and Failed.
type Progress struct {
	Cycle    Cycle
	Settings CycleSettings
	// Leaders are the page's leaders, in the order of CycleLeaders.
	Leaders []LeaderProgress
	// Page is the page shown, from 1 to Pages (1 when there are no leaders).
	Page, Pages int
	// LeaderCount, Groups (per relationship, in report order) and Total
	// cover all of the cycle's leaders, not only the page's.
	LeaderCount int
	Groups      []GroupCount
	Total       GroupCount
	// Failed are the raters whose email bounced or failed for good: the
	// people HR must act on first.
	Failed []RaterStatus
	// Selected is the leader of ProgressQuery.Leader, on the page or not.
	Selected *LeaderRaters
	// Own is the viewer's own participation when they are assessed in the
	// cycle: it is left out of Groups, Total and Failed, its row has no
	// counts and its raters are never Selected.
	Own string
}

// LeaderProgress is one leader's counts, per group in report order; Own
// marks the viewer's own row, which has none.
type LeaderProgress struct {
	Participant Participant
	Leader      Person
	Groups      []GroupCount
	Total       GroupCount
	Own         bool
}

// LeaderRaters is one leader with each rater's status. Only HR may see
// it: a leader sees counts per group, never who has answered (TRUST.md
// rule 3).
type LeaderRaters struct {
	Participant Participant
	Leader      Person
	Raters      []RaterStatus
}

// CycleProgress counts a cycle's invitations and submissions per group,
// over the whole cycle and per leader for one page of leaders, with a fixed
// number of queries whatever the number of leaders or the page.
func (s *Service) CycleProgress(ctx context.Context, orgID, cycleID string, q ProgressQuery) (Progress, error) {
	var p Progress
	var err error
	wrap := func(err error) error { return fmt.Errorf("progress of cycle %s: %w", cycleID, err) }
	if p.Cycle, err = s.store.Cycle(ctx, orgID, cycleID); err != nil {
		return Progress{}, wrap(err)
	}
	if p.Settings, err = s.store.CycleSettings(ctx, orgID, cycleID); err != nil {
		return Progress{}, wrap(err)
	}
	if p.LeaderCount, err = s.store.LeaderCount(ctx, orgID, cycleID); err != nil {
		return Progress{}, wrap(err)
	}
	p.Pages = max(1, (p.LeaderCount+ProgressPageSize-1)/ProgressPageSize)
	p.Page = min(max(q.Page, 1), p.Pages)
	leaders, err := s.store.LeaderPage(ctx, orgID, cycleID, (p.Page-1)*ProgressPageSize, ProgressPageSize)
	if err != nil {
		return Progress{}, wrap(err)
	}
	ids := make([]string, len(leaders))
	for i, l := range leaders {
		ids[i] = l.Participant.ID
	}
	counts, err := s.store.GroupProgress(ctx, orgID, cycleID, ids)
	if err != nil {
		return Progress{}, wrap(err)
	}
	if p.Groups, err = s.store.GroupTotals(ctx, orgID, cycleID); err != nil {
		return Progress{}, wrap(err)
	}
	if p.Failed, err = s.store.FailedRaters(ctx, orgID, cycleID); err != nil {
		return Progress{}, wrap(err)
	}
	if q.Leader != "" {
		if p.Selected, err = s.leaderRaters(ctx, orgID, cycleID, q.Leader); err != nil {
			return Progress{}, wrap(err)
		}
	}
	byLeader := make(map[string][]GroupCount, len(leaders))
	for _, g := range counts {
		byLeader[g.ParticipantID] = append(byLeader[g.ParticipantID], g)
	}
	p.Leaders = make([]LeaderProgress, len(leaders))
	for i, l := range leaders {
		lp := LeaderProgress{Participant: l.Participant, Leader: l.Leader, Groups: inReportOrder(byLeader[l.Participant.ID])}
		for _, g := range lp.Groups {
			lp.Total = lp.Total.plus(g)
		}
		p.Leaders[i] = lp
	}
	p.Groups = inReportOrder(p.Groups)
	for _, g := range p.Groups {
		p.Total = p.Total.plus(g)
	}
	if err := s.leaveOutViewer(ctx, &p, q.Viewer); err != nil {
		return Progress{}, wrap(err)
	}
	return p, nil
}

// viewerParticipations maps each cycle of the organisation that assesses
// the admin with this email to their participation. An admin assessed in a
// cycle must not watch their own raters answer (TRUST.md rule 3), so the
// progress pages leave these out.
func (s *Service) viewerParticipations(ctx context.Context, orgID, viewer string) (map[string]string, error) {
	email, err := NormalizeEmail(viewer)
	if err != nil {
		return nil, nil // no viewer: nothing to leave out
	}
	people, err := s.store.PeopleByEmail(ctx, orgID, []string{email})
	if err != nil || people[email].ID == "" {
		return nil, err
	}
	pcs, err := s.store.PersonCycles(ctx, orgID, people[email].ID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(pcs))
	for _, pc := range pcs {
		out[pc.Cycle.ID] = pc.ParticipantID
	}
	return out, nil
}

// leaveOutViewer takes the viewer's own participation, if they are assessed
// in the cycle, out of the progress: from the cycle-wide counts and failed
// emails, from their row and from the raters listed.
func (s *Service) leaveOutViewer(ctx context.Context, p *Progress, viewer string) error {
	mine, err := s.viewerParticipations(ctx, p.Cycle.OrganizationID, viewer)
	own := mine[p.Cycle.ID]
	if err != nil || own == "" {
		return err
	}
	counts, err := s.store.GroupProgress(ctx, p.Cycle.OrganizationID, p.Cycle.ID, []string{own})
	if err != nil {
		return err
	}
	p.Own, p.Total = own, GroupCount{}
	groups := p.Groups[:0]
	for _, g := range p.Groups {
		for _, mine := range counts {
			if mine.Relationship == g.Relationship {
				g.Assigned, g.Invited, g.Submitted, g.Failed = g.Assigned-mine.Assigned, g.Invited-mine.Invited, g.Submitted-mine.Submitted, g.Failed-mine.Failed
			}
		}
		if g.Assigned > 0 {
			groups = append(groups, g)
			p.Total = p.Total.plus(g)
		}
	}
	p.Groups = groups
	p.Failed = slices.DeleteFunc(p.Failed, func(r RaterStatus) bool { return r.ParticipantID == own })
	for i, l := range p.Leaders {
		if l.Participant.ID == own {
			p.Leaders[i] = LeaderProgress{Participant: l.Participant, Leader: l.Leader, Own: true}
		}
	}
	if p.Selected != nil && p.Selected.Participant.ID == own {
		p.Selected = nil
	}
	return nil
}

// inReportOrder sorts groups by relationship as reports list them.
func inReportOrder(gs []GroupCount) []GroupCount {
	order := func(r Relationship) int { return slices.Index(Relationships, r) }
	slices.SortFunc(gs, func(a, b GroupCount) int { return order(a.Relationship) - order(b.Relationship) })
	return gs
}

func (g GroupCount) plus(o GroupCount) GroupCount {
	g.Assigned += o.Assigned
	g.Invited += o.Invited
	g.Submitted += o.Submitted
	g.Failed += o.Failed
	return g
}

// ResponseRate is submitted over invited in percent, rounded down so 99.6%
// never reads as done; ok is false before anyone is invited.
func (g GroupCount) ResponseRate() (pct int, ok bool) {
	if g.Invited == 0 {
		return 0, false
	}
	return g.Submitted * 100 / g.Invited, true
}

// leaderRaters loads one leader of the cycle with their raters' statuses;
// a participant of another cycle is not found.
func (s *Service) leaderRaters(ctx context.Context, orgID, cycleID, participantID string) (*LeaderRaters, error) {
	p, err := participantOf(ctx, s.store, orgID, cycleID, participantID)
	if err != nil {
		return nil, fmt.Errorf("rater status: %w", err)
	}
	leader, err := s.store.Person(ctx, orgID, p.PersonID)
	if err != nil {
		return nil, fmt.Errorf("rater status of leader %s: %w", participantID, err)
	}
	raters, err := s.store.RaterStatuses(ctx, orgID, participantID)
	if err != nil {
		return nil, fmt.Errorf("rater status of leader %s: %w", participantID, err)
	}
	return &LeaderRaters{Participant: p, Leader: leader, Raters: raters}, nil
}

// requireAnswering loads a cycle that still accepts answers.
func (s *Service) requireAnswering(ctx context.Context, tx Store, orgID, cycleID, what string) (Cycle, error) {
	c, err := tx.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return Cycle{}, err
	}
	if !c.AcceptsAnswers(s.Now()) {
		return Cycle{}, Errorf(CodeConflict, "cycle %q is not open for answers: %s only while it is open", c.Name, what)
	}
	return c, nil
}

// Reminded says what "remind now" did.
type Reminded struct {
	Emails int // one per rater with a survey still to submit
	Round  int // the settings' reminder rounds after this one
}

// RemindNow sends one reminder email, at once, to every rater who has a
// survey of the cycle still to submit; the email lists only those surveys
// (SurveyMailFor). round is the reminder round the admin's page showed: a
// second click, or a second tab, finds it moved and sends nothing.
func (s *Service) RemindNow(ctx context.Context, orgID, cycleID string, round int, actorUserID string) (Reminded, error) {
	var out Reminded
	err := s.store.InTx(ctx, func(tx Store) error {
		c, err := s.requireAnswering(ctx, tx, orgID, cycleID, "reminders are sent")
		if err != nil {
			return err
		}
		cs, err := tx.CycleSettings(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		if cs.ReminderRounds != round {
			return Errorf(CodeConflict, "a reminder was sent from another page a moment ago; nothing more was sent")
		}
		people, err := tx.PendingRaters(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		if len(people) == 0 {
			return Errorf(CodeConflict, "every rater of cycle %q has submitted: there is nobody to remind", c.Name)
		}
		now := s.Now()
		if err := tx.AdvanceReminderRounds(ctx, orgID, cycleID, round, round+1, now); err != nil {
			return err
		}
		jobs := make([]Job, len(people))
		for i, person := range people {
			jobs[i] = Job{Args: SurveyMailJob{Mail: MailReminder, OrganizationID: orgID, CycleID: cycleID,
				PersonID: person, Reminder: ManualReminderBase + round}}
		}
		out = Reminded{Emails: len(people), Round: round + 1}
		if err := tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: "cycle.remind",
			SubjectType: "cycle", SubjectID: cycleID, Detail: fmt.Sprintf("%d reminder emails", len(people)), CreatedAt: now}); err != nil {
			return err
		}
		return tx.Enqueue(ctx, jobs...)
	})
	if err != nil {
		return Reminded{}, fmt.Errorf("remind raters of cycle %s: %w", cycleID, err)
	}
	return out, nil
}

// Extended says what an extension did.
type Extended struct {
	Cycle     Cycle
	Reminders int // reminder emails scheduled before the new close date
}

// ExtendCycle moves an open cycle's close date later. Reminders already
// scheduled stay where they are (their emails show the new date, which is
// read when they are sent); the schedule's "days before closing" reminders
// are scheduled again before the new date for the raters who still have
// surveys to submit, as new reminder rounds, so people who were waiting for
// the last call get one.
func (s *Service) ExtendCycle(ctx context.Context, orgID, cycleID string, closesAt time.Time, actorUserID string) (Extended, error) {
	closesAt = closesAt.UTC()
	var out Extended
	err := s.store.InTx(ctx, func(tx Store) error {
		c, err := s.requireAnswering(ctx, tx, orgID, cycleID, "the close date can be extended")
		if err != nil {
			return err
		}
		now := s.Now()
		switch {
		case closesAt.IsZero():
			return fieldError("closes_at", "Enter the new close date.")
		case !closesAt.After(c.ClosesAt):
			return fieldError("closes_at", "Choose a date after the current close date, "+c.ClosesAt.Format("2 January 2006 15:04 UTC")+".")
		case !closesAt.After(now):
			return fieldError("closes_at", "Choose a date in the future.")
		}
		if err := tx.MoveCycleDeadline(ctx, orgID, cycleID, closesAt, now); err != nil {
			return err
		}
		old := c.ClosesAt
		c.ClosesAt, c.UpdatedAt = closesAt, now
		cs, err := tx.CycleSettings(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		var times []time.Time
		for _, d := range c.ReminderDays {
			if at := closesAt.AddDate(0, 0, d); d < 0 && at.After(now) && at.After(c.OpensAt) {
				times = append(times, at)
			}
		}
		people, err := tx.PendingRaters(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		var jobs []Job
		round := cs.ReminderRounds
		if len(people) > 0 && len(times) > 0 {
			for i, at := range times {
				for _, person := range people {
					jobs = append(jobs, Job{At: at, Args: SurveyMailJob{Mail: MailReminder, OrganizationID: orgID,
						CycleID: cycleID, PersonID: person, Reminder: ManualReminderBase + round + i}})
				}
			}
			if err := tx.AdvanceReminderRounds(ctx, orgID, cycleID, round, round+len(times), now); err != nil {
				return err
			}
		}
		out = Extended{Cycle: c, Reminders: len(jobs)}
		if err := tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: "cycle.extend",
			SubjectType: "cycle", SubjectID: cycleID, CreatedAt: now,
			Detail: fmt.Sprintf("close date %s -> %s", old.Format(time.RFC3339), closesAt.Format(time.RFC3339))}); err != nil {
			return err
		}
		return tx.Enqueue(ctx, jobs...)
	})
	if err != nil {
		return Extended{}, fmt.Errorf("extend cycle %s: %w", cycleID, err)
	}
	return out, nil
}

func fieldError(field, msg string) error {
	return &Error{Code: CodeInvalid, Message: msg, Fields: map[string]string{field: msg}}
}

// ActionCycleDelete is the audit action of a deleted draft.
const ActionCycleDelete = "cycle.delete"

// DeleteDraftCycle deletes a cycle that was never opened, with its leaders
// and raters (nobody was invited, so nothing else refers to them); the
// audit log keeps its name. An opened cycle is never deleted: its answers
// and results are records.
func (s *Service) DeleteDraftCycle(ctx context.Context, orgID, cycleID, actorUserID string) (Cycle, error) {
	var c Cycle
	err := s.store.InTx(ctx, func(tx Store) error {
		var err error
		if c, err = tx.Cycle(ctx, orgID, cycleID); err != nil {
			return err
		}
		if c.Status != StatusDraft {
			return Errorf(CodeConflict, "cycle %q has been opened, so it cannot be deleted: its answers and results are kept", c.Name)
		}
		if err := tx.DeleteDraftCycle(ctx, orgID, cycleID); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionCycleDelete,
			SubjectType: "cycle", SubjectID: cycleID, Detail: truncate(c.Name, 200), CreatedAt: s.Now()})
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("delete cycle %s: %w", cycleID, err)
	}
	return c, nil
}

// CloseCycleEarly closes an open cycle now. Its close date becomes now, so
// every page and report says when answering really ended; surveys stop
// accepting answers at once and pending reminders send nothing (they read
// the cycle when they run).
func (s *Service) CloseCycleEarly(ctx context.Context, orgID, cycleID string, actorUserID string) (Cycle, error) {
	var c Cycle
	err := s.store.InTx(ctx, func(tx Store) error {
		var err error
		if c, err = tx.Cycle(ctx, orgID, cycleID); err != nil {
			return err
		}
		now := s.Now()
		// A cycle opened before its planned date opens when it was opened
		// (OpenCycle), so an early close always finds its opening in the
		// past; a close date must come after the opening.
		if c.Status == StatusOpen && now.Before(c.ClosesAt) && now.After(c.OpensAt) {
			if err := tx.MoveCycleDeadline(ctx, orgID, cycleID, now, now); err != nil {
				return err
			}
			c.ClosesAt = now
		}
		if err := s.moveCycle(ctx, tx, &c, StatusClosed); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: "cycle.close_early",
			SubjectType: "cycle", SubjectID: cycleID, CreatedAt: now})
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("close cycle %s early: %w", cycleID, err)
	}
	return c, nil
}
