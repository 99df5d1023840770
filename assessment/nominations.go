package assessment

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Nominations: when a cycle lets leaders nominate (CycleSettings), each
// leader of the draft cycle proposes their raters per group, within the
// cycle's group limits; an admin reviews them (adds, removes) and approves
// a leader's list, which turns it into rater assignments. A leader only
// ever reaches their own list: it is found from the signed-in person, never
// from an id in the request.

// Nomination is one rater a leader (or an admin) proposes for a leader.
type Nomination struct {
	ID             string
	OrganizationID string
	CycleID        string
	ParticipantID  string
	Name           string
	Email          string
	Relationship   Relationship
	// ByAdmin is true when an admin added it during the review.
	ByAdmin    bool
	ApprovedAt *time.Time
	CreatedAt  time.Time
}

// NominationInput is one row of a nomination form.
type NominationInput struct {
	Name         string
	Email        string
	Relationship string
}

// Empty reports whether the row was left blank.
func (in NominationInput) Empty() bool {
	return strings.TrimSpace(in.Name) == "" && strings.TrimSpace(in.Email) == ""
}

// NominationField is the form field of a row's problem: "name_3".
func NominationField(field string, row int) string { return fmt.Sprintf("%s_%d", field, row) }

// GroupField is the form field of a group's count problem.
func GroupField(rel Relationship) string { return "group_" + string(rel) }

// errNominationsClosed answers a leader whose cycle does not take
// nominations: the same "not found" whether the cycle does not exist, is
// not theirs, or takes none.
func errNominationsClosed() error {
	return Errorf(CodeNotFound, "There are no nominations to make for this cycle.")
}

// NominationSheet is what a leader sees of their own nominations.
type NominationSheet struct {
	Cycle       Cycle
	Settings    CycleSettings
	Participant Participant
	Nominations []Nomination
	// Approved is true once an admin approved the list: it is then locked.
	Approved bool
	// Domains are the organisation's, at which the leader may nominate
	// anyone.
	Domains EmailDomains
}

// Editable reports whether the leader may still change the list.
func (ns NominationSheet) Editable() bool { return ns.Cycle.Status == StatusDraft && !ns.Approved }

// GroupBounds are the minimum and maximum number of nominations of a group:
// the cycle's limit, or 0 to MaxGroupLimit for a group without one.
func GroupBounds(cs CycleSettings, rel Relationship) (lo, hi int) {
	if l, ok := cs.Limit(rel); ok {
		return l.Min, l.Max
	}
	return 0, MaxGroupLimit
}

// LeaderNominations loads the signed-in leader's nominations in a cycle.
func (s *Service) LeaderNominations(ctx context.Context, u User, cycleID string) (NominationSheet, error) {
	sheet, err := s.leaderSheet(ctx, s.store, u, cycleID)
	if err != nil {
		return NominationSheet{}, fmt.Errorf("nominations of %s in cycle %s: %w", u.ID, cycleID, err)
	}
	return sheet, nil
}

func (s *Service) leaderSheet(ctx context.Context, st Store, u User, cycleID string) (NominationSheet, error) {
	if !u.Has(RoleLeader) || u.PersonID == "" {
		return NominationSheet{}, errNominationsClosed()
	}
	var sheet NominationSheet
	var err error
	if sheet.Cycle, err = st.Cycle(ctx, u.OrganizationID, cycleID); err != nil {
		return NominationSheet{}, notFoundAs(err, errNominationsClosed())
	}
	if sheet.Settings, err = st.CycleSettings(ctx, u.OrganizationID, cycleID); err != nil {
		return NominationSheet{}, err
	}
	if !sheet.Settings.LeadersNominate || sheet.Cycle.Status == StatusClosed || sheet.Cycle.Status == StatusReleased {
		return NominationSheet{}, errNominationsClosed()
	}
	if sheet.Participant, err = st.ParticipantOfPerson(ctx, u.OrganizationID, cycleID, u.PersonID); err != nil {
		return NominationSheet{}, notFoundAs(err, errNominationsClosed())
	}
	if sheet.Nominations, err = st.Nominations(ctx, u.OrganizationID, sheet.Participant.ID); err != nil {
		return NominationSheet{}, err
	}
	sheet.Approved = approved(sheet.Nominations)
	if sheet.Domains, err = emailDomains(ctx, st, u.OrganizationID); err != nil {
		return NominationSheet{}, err
	}
	return sheet, nil
}

// approved reports whether a list was approved: an approval approves every
// nomination of the leader, so one approved nomination tells.
func approved(ns []Nomination) bool {
	return slices.ContainsFunc(ns, func(n Nomination) bool { return n.ApprovedAt != nil })
}

func notFoundAs(err, as error) error {
	if ErrorCode(err) == CodeNotFound {
		return as
	}
	return err
}

// LeaderNominationCycles lists the cycles in which the leader can see
// their nominations, newest first.
func (s *Service) LeaderNominationCycles(ctx context.Context, u User) ([]NominationSheet, error) {
	if !u.Has(RoleLeader) || u.PersonID == "" {
		return nil, nil
	}
	cycles, err := s.store.PersonCycles(ctx, u.OrganizationID, u.PersonID)
	if err != nil {
		return nil, fmt.Errorf("nomination cycles of %s: %w", u.ID, err)
	}
	var out []NominationSheet
	for _, pc := range cycles {
		sheet, err := s.leaderSheet(ctx, s.store, u, pc.Cycle.ID)
		switch {
		case ErrorCode(err) == CodeNotFound:
			continue
		case err != nil:
			return nil, fmt.Errorf("nomination cycles of %s: %w", u.ID, err)
		}
		out = append(out, sheet)
	}
	return out, nil
}

// ProposeNominations replaces the signed-in leader's list with rows, which
// must fit the cycle's group limits. Blank rows are ignored. Problems come
// back per row field and per group, all at once.
func (s *Service) ProposeNominations(ctx context.Context, u User, cycleID string, rows []NominationInput) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		sheet, err := s.leaderSheet(ctx, tx, u, cycleID)
		if err != nil {
			return err
		}
		if !sheet.Editable() {
			return Errorf(CodeConflict, "your nominations for %q can no longer be changed: they were approved, or the cycle has opened", sheet.Cycle.Name)
		}
		book, err := newAddressBook(ctx, tx, u.OrganizationID)
		if err != nil {
			return err
		}
		ns, fe, err := s.checkNominations(ctx, book, sheet, rows)
		if err != nil {
			return err
		}
		if err := fe.err("some nominations need a change"); err != nil {
			return err
		}
		return tx.ReplaceNominations(ctx, u.OrganizationID, sheet.Participant.ID, ns)
	})
	if err != nil {
		return fmt.Errorf("propose nominations in cycle %s: %w", cycleID, err)
	}
	return nil
}

// checkNominations validates the rows and the group counts. A leader may
// name people HR can vouch for: someone already in the organisation's
// people, or an address at one of its email domains.
func (s *Service) checkNominations(ctx context.Context, book *addressBook, sheet NominationSheet, rows []NominationInput) ([]Nomination, fieldErrors, error) {
	fe := fieldErrors{}
	type checked struct {
		row int
		n   Nomination
	}
	var valid []checked
	var emails []string
	for i, row := range rows {
		if row.Empty() {
			continue
		}
		n, rowErrs, err := s.nomination(ctx, book, sheet.Participant, row, false)
		if err != nil {
			return nil, nil, err
		}
		for field, msg := range rowErrs {
			fe.add(NominationField(field, i), msg)
		}
		if len(rowErrs) == 0 {
			valid = append(valid, checked{i, n})
			emails = append(emails, n.Email)
		}
	}
	known, err := book.st.PeopleByEmail(ctx, book.orgID, emails)
	if err != nil {
		return nil, nil, err
	}
	var out []Nomination
	seen := map[string]bool{}
	count := map[Relationship]int{}
	for _, c := range valid {
		field := NominationField("email", c.row)
		if _, ok := known[c.n.Email]; !ok && !book.domains.Has(DomainOf(c.n.Email)) {
			fe.add(field, outsideMessage(book.domains, DomainOf(c.n.Email)))
			continue
		}
		if seen[c.n.Email] {
			fe.add(field, "This person is already on your list.")
			continue
		}
		seen[c.n.Email] = true
		count[c.n.Relationship]++
		out = append(out, c.n)
	}
	for _, rel := range NominatedRelationships {
		lo, hi := GroupBounds(sheet.Settings, rel)
		switch n := count[rel]; {
		case n < lo:
			fe.add(GroupField(rel), fmt.Sprintf("Name at least %d (%s: %d so far).", lo, rel.Plural(), n))
		case n > hi:
			fe.add(GroupField(rel), fmt.Sprintf("Name at most %d (%s: %d).", hi, rel.Plural(), n))
		}
	}
	return out, fe, nil
}

// outsideMessage answers a leader who nominates an address HR cannot
// vouch for.
func outsideMessage(d EmailDomains, domain string) string {
	if len(d.Domains) == 0 {
		return fmt.Sprintf("Addresses at %s are not your organisation's. Name someone HR has already added to lead360, or ask HR to add this person first.", domain)
	}
	return fmt.Sprintf("Addresses at %s are not your organisation's (%s). Name a colleague at %s, or ask HR to add this person to lead360 first.", domain, d, d)
}

// nomination validates one row; problems are keyed by the bare field
// name. The leader's own addresses are refused whoever nominates.
func (s *Service) nomination(ctx context.Context, book *addressBook, p Participant, row NominationInput, byAdmin bool) (Nomination, map[string]string, error) {
	errs := map[string]string{}
	if err := ValidateName("name", row.Name); err != nil {
		errs["name"] = fieldMessage(err, "name")
	}
	addr, err := book.parse(row.Email)
	if err != nil {
		errs["email"] = addressField(err)
	} else if own, err := book.leaderOwn(ctx, p.PersonID, addr); err != nil {
		return Nomination{}, nil, err
	} else if own && byAdmin {
		errs["email"] = leaderOwnMessage
	} else if own {
		errs["email"] = "This is one of your own addresses: your self-assessment is already included."
	}
	rel, err := ParseRelationship(row.Relationship)
	if err != nil || !slices.Contains(NominatedRelationships, rel) {
		errs["relationship"] = "Choose manager, peer, direct report or other."
	}
	return Nomination{OrganizationID: p.OrganizationID, CycleID: p.CycleID, ParticipantID: p.ID, Name: strings.TrimSpace(row.Name),
		Email: addr.String(), Relationship: rel, ByAdmin: byAdmin, CreatedAt: s.Now()}, errs, nil
}

// NominationReview is the admin's view of a cycle's nominations.
type NominationReview struct {
	Cycle    Cycle
	Settings CycleSettings
	Leaders  []LeaderNominations
	// Domains are the organisation's, which decide External.
	Domains EmailDomains
}

// LeaderNominations is one leader's list in the review.
type LeaderNominations struct {
	Participant Participant
	Leader      Person
	Nominations []Nomination
	Approved    bool
	// Flags are what to look at twice, by nomination id (reviewFlags).
	Flags map[string]NominationFlags
}

// Pending counts the nominations not approved yet.
func (l LeaderNominations) Pending() int {
	n := 0
	for _, x := range l.Nominations {
		if x.ApprovedAt == nil {
			n++
		}
	}
	return n
}

// Editable reports whether the admin may still change nominations.
func (r NominationReview) Editable() bool { return r.Cycle.Status == StatusDraft }

// NominationReview loads every leader's nominations in the cycle.
func (s *Service) NominationReview(ctx context.Context, orgID, cycleID string) (NominationReview, error) {
	var r NominationReview
	var err error
	if r.Cycle, err = s.store.Cycle(ctx, orgID, cycleID); err != nil {
		return NominationReview{}, fmt.Errorf("nominations of cycle %s: %w", cycleID, err)
	}
	if r.Settings, err = s.store.CycleSettings(ctx, orgID, cycleID); err != nil {
		return NominationReview{}, fmt.Errorf("nominations of cycle %s: %w", cycleID, err)
	}
	parts, err := s.store.Participants(ctx, orgID, cycleID)
	if err != nil {
		return NominationReview{}, fmt.Errorf("nominations of cycle %s: %w", cycleID, err)
	}
	all, err := s.store.CycleNominations(ctx, orgID, cycleID)
	if err != nil {
		return NominationReview{}, fmt.Errorf("nominations of cycle %s: %w", cycleID, err)
	}
	byPart := map[string][]Nomination{}
	for _, n := range all {
		byPart[n.ParticipantID] = append(byPart[n.ParticipantID], n)
	}
	for _, p := range parts {
		leader, err := s.store.Person(ctx, orgID, p.PersonID)
		if err != nil {
			return NominationReview{}, fmt.Errorf("nominations of cycle %s: %w", cycleID, err)
		}
		ns := byPart[p.ID]
		r.Leaders = append(r.Leaders, LeaderNominations{Participant: p, Leader: leader, Nominations: ns, Approved: approved(ns) && pendingNone(ns)})
	}
	slices.SortFunc(r.Leaders, func(a, b LeaderNominations) int { return strings.Compare(a.Leader.Name, b.Leader.Name) })
	if err := s.flagNominations(ctx, orgID, &r, all); err != nil {
		return NominationReview{}, fmt.Errorf("nominations of cycle %s: %w", cycleID, err)
	}
	return r, nil
}

func pendingNone(ns []Nomination) bool {
	return !slices.ContainsFunc(ns, func(n Nomination) bool { return n.ApprovedAt == nil })
}

// reviewTarget loads a leader of a draft cycle for an admin's change.
func (s *Service) reviewTarget(ctx context.Context, tx Store, orgID, cycleID, participantID string) (Participant, error) {
	p, err := participantOf(ctx, tx, orgID, cycleID, participantID)
	if err != nil {
		return Participant{}, err
	}
	if _, err := requireDraft(ctx, tx, orgID, cycleID, "nominations can only be changed"); err != nil {
		return Participant{}, err
	}
	return p, nil
}

// AddNomination lets an admin add a rater to a leader's list; the group
// limits bind leaders, not the admin.
func (s *Service) AddNomination(ctx context.Context, orgID, cycleID, participantID string, row NominationInput, actorUserID string) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		p, err := s.reviewTarget(ctx, tx, orgID, cycleID, participantID)
		if err != nil {
			return err
		}
		book, err := newAddressBook(ctx, tx, orgID)
		if err != nil {
			return err
		}
		n, errs, err := s.nomination(ctx, book, p, row, true)
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			return &Error{Code: CodeInvalid, Message: "the nomination needs a change", Fields: errs}
		}
		if err := tx.AddNomination(ctx, &n); err != nil {
			if ErrorCode(err) == CodeConflict {
				return &Error{Code: CodeConflict, Message: "this person is already nominated for the leader",
					Fields: map[string]string{"email": "This person is already nominated for this leader."}}
			}
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: "nomination.add",
			SubjectType: "nomination", SubjectID: n.ID, Detail: "leader " + p.ID, CreatedAt: s.Now()})
	})
	if err != nil {
		return fmt.Errorf("add nomination in cycle %s: %w", cycleID, err)
	}
	return nil
}

// RemoveNomination lets an admin take a nomination off a list before it
// is approved (an approved one is a rater assignment: remove the rater).
func (s *Service) RemoveNomination(ctx context.Context, orgID, cycleID, nominationID, actorUserID string) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		n, err := tx.Nomination(ctx, orgID, nominationID)
		if err != nil {
			return err
		}
		if n.CycleID != cycleID {
			return Errorf(CodeNotFound, "nomination %s is not in this cycle", nominationID)
		}
		if _, err := requireDraft(ctx, tx, orgID, cycleID, "nominations can only be changed"); err != nil {
			return err
		}
		if n.ApprovedAt != nil {
			return Errorf(CodeConflict, "%s was already approved as a rater: remove the rater from the cycle instead", n.Name)
		}
		if err := tx.DeleteNomination(ctx, orgID, n.ID); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: "nomination.remove",
			SubjectType: "nomination", SubjectID: n.ID, Detail: "leader " + n.ParticipantID, CreatedAt: s.Now()})
	})
	if err != nil {
		return fmt.Errorf("remove nomination %s: %w", nominationID, err)
	}
	return nil
}

// ApproveNominations turns a leader's pending nominations into rater
// assignments (AddRater), all or none. A person who already rates the
// leader counts as approved; approving twice adds nothing.
func (s *Service) ApproveNominations(ctx context.Context, orgID, cycleID, participantID, actorUserID string) (int, error) {
	added := 0
	err := s.store.InTx(ctx, func(tx Store) error {
		p, err := s.reviewTarget(ctx, tx, orgID, cycleID, participantID)
		if err != nil {
			return err
		}
		ns, err := tx.Nominations(ctx, orgID, p.ID)
		if err != nil {
			return err
		}
		now := s.Now()
		inTx := s.within(tx)
		for _, n := range ns {
			if n.ApprovedAt != nil {
				continue
			}
			_, err := inTx.AddRater(ctx, orgID, p.ID, PersonInput{Name: n.Name, Email: n.Email}, n.Relationship)
			switch {
			case err == nil:
				added++
			case ErrorCode(err) == CodeConflict:
				// Already a rater of this leader (added by hand).
			default:
				return fmt.Errorf("approve %s: %w", n.Email, err)
			}
			if err := tx.ApproveNomination(ctx, orgID, n.ID, now); err != nil {
				return err
			}
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: "nomination.approve",
			SubjectType: "participant", SubjectID: p.ID, Detail: fmt.Sprintf("%d raters added", added), CreatedAt: now})
	})
	if err != nil {
		return 0, fmt.Errorf("approve nominations of leader %s: %w", participantID, err)
	}
	return added, nil
}
