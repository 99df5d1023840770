package assessment

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Importing raters from a CSV file: a pure parser and validator
// (ParseRaterCSV, then Check against the cycle as it is), a preview that
// lists every row's problems before anything is saved, and an import that
// saves every row in one transaction or nothing.

// Import limits: a file HR exports from a spreadsheet is far smaller; these
// keep one request from holding the database for long.
const (
	MaxImportBytes = 1 << 20
	MaxImportRows  = 5000
)

// ImportColumns are the columns a rater CSV must have, in any order;
// leader_name is optional (needed only for leaders new to the organisation).
var ImportColumns = []string{"leader_email", "rater_email", "rater_name", "relationship"}

// placementColumns are the optional columns of where the row's leader sits
// in the organisation, with the words a problem uses for them.
var placementColumns = []struct{ column, field, words string }{
	{"leader_department", "department", "department"},
	{"leader_manager_email", "manager_email", "manager's email"},
	{"leader_location", "location", "location"},
}

// ImportRow is one data row of a rater CSV with its problems.
type ImportRow struct {
	Line        int // the line of the file it starts on, header = 1
	LeaderEmail string
	LeaderName  string
	RaterEmail  string
	RaterName   string
	// RelationshipText is what the file says; Relationship is set when it
	// is a known relationship.
	RelationshipText string
	Relationship     Relationship
	// Placement is where the leader sits, from the optional leader_*
	// columns; empty fields leave what is stored.
	Placement Placement
	// Problems stop the import; Warnings do not.
	Problems []string
	Warnings []string
	// NewLeader marks the first row of a leader who is not in the cycle
	// yet: the import adds them.
	NewLeader bool

	leaderValid, raterValid bool
	leaderAddr, raterAddr   Address
	// ratesSelf: the row names the leader as their own rater, word for
	// word (Check finds the other ways).
	ratesSelf bool
}

// RaterImport is a parsed and checked rater CSV.
type RaterImport struct {
	Rows []ImportRow
	// Problems concern the whole file (no header, too big); Warnings too
	// (the per-rater cap).
	Problems []string
	Warnings []string
	// SmallGroups are the file's leaders whose raters, once imported,
	// leave a group of their report pooled or out (planSmallGroups).
	SmallGroups []SmallGroups
}

// OK reports whether nothing stops the import.
func (imp RaterImport) OK() bool {
	if len(imp.Problems) > 0 || len(imp.Rows) == 0 {
		return false
	}
	for _, r := range imp.Rows {
		if len(r.Problems) > 0 {
			return false
		}
	}
	return true
}

// ProblemRows counts the rows with problems.
func (imp RaterImport) ProblemRows() int {
	n := 0
	for _, r := range imp.Rows {
		if len(r.Problems) > 0 {
			n++
		}
	}
	return n
}

// NewLeaders counts the leaders the import adds to the cycle.
func (imp RaterImport) NewLeaders() int {
	n := 0
	for _, r := range imp.Rows {
		if r.NewLeader {
			n++
		}
	}
	return n
}

// isSelfRow is a row that only names a leader: the self-assessment comes
// with the leader, so such a row adds the leader and nothing else.
func (r *ImportRow) isSelfRow() bool { return r.Relationship == Self }

// ImportContext is what the cycle already holds, for Check.
type ImportContext struct {
	Cycle    Cycle
	Settings CycleSettings
	Leaders  []RosterLeader
	// Known are the organisation's people the file names, by email.
	Known map[string]Person
	// LeaderAddresses are the addresses of the file's leaders who are
	// known, by leader email: their own and their accounts'.
	LeaderAddresses map[string][]Address
}

// Check finds the problems that depend on the cycle: the cycle must be a
// draft, a rater must not already rate the leader, a leader new to the
// organisation needs a name, and a person asked more than the cycle's cap
// gets a warning.
func (imp *RaterImport) Check(ic ImportContext) {
	imp.markPlacementConflicts()
	if ic.Cycle.Status != StatusDraft {
		imp.Problems = append(imp.Problems, fmt.Sprintf("Cycle %q is %s: raters can only be imported while it is a draft.", ic.Cycle.Name, ic.Cycle.Status))
	}
	type pair = [2]string
	assigned := map[pair]Relationship{}
	inCycle := map[string]bool{}
	requests := map[string]int{}
	for _, l := range ic.Leaders {
		inCycle[l.Leader.Email] = true
		for _, r := range l.Raters {
			assigned[pair{l.Leader.Email, r.Person.Email}] = r.Assignment.Relationship
			requests[r.Person.Email]++
		}
	}
	added := map[string]bool{}
	for i := range imp.Rows {
		r := &imp.Rows[i]
		if !r.leaderValid || r.Relationship == "" {
			continue
		}
		if !inCycle[r.LeaderEmail] && !added[r.LeaderEmail] {
			added[r.LeaderEmail] = true
			r.NewLeader = true
			requests[r.LeaderEmail]++ // their self-assessment
			if _, known := ic.Known[r.LeaderEmail]; !known && r.LeaderName == "" {
				r.Problems = append(r.Problems, fmt.Sprintf("%s is new to lead360: add a leader_name column with their name.", r.LeaderEmail))
			}
		}
		if r.isSelfRow() || !r.raterValid {
			continue
		}
		if !r.ratesSelf && r.leaderOwn(ic.LeaderAddresses[r.LeaderEmail]) {
			r.Problems = append(r.Problems, fmt.Sprintf("%s is an address of the leader %s, who cannot rate themself; their self-assessment is added automatically.", r.RaterEmail, r.LeaderEmail))
			continue
		}
		if rel, ok := assigned[pair{r.LeaderEmail, r.RaterEmail}]; ok {
			r.Problems = append(r.Problems, fmt.Sprintf("%s already rates this leader (as %s).", r.RaterEmail, strings.ToLower(rel.Label())))
			continue
		}
		requests[r.RaterEmail]++
	}
	limit := ic.Settings.RaterCap
	if limit <= 0 {
		limit = DefaultRaterCap
	}
	var over []string
	warned := map[string]bool{}
	for i := range imp.Rows {
		r := &imp.Rows[i]
		if r.isSelfRow() || !r.raterValid || requests[r.RaterEmail] <= limit {
			continue
		}
		r.Warnings = append(r.Warnings, fmt.Sprintf("%s would get %d survey requests in this cycle, more than the cap of %d.", r.RaterEmail, requests[r.RaterEmail], limit))
		if !warned[r.RaterEmail] {
			warned[r.RaterEmail] = true
			over = append(over, fmt.Sprintf("%s (%d)", r.RaterEmail, requests[r.RaterEmail]))
		}
	}
	if len(over) > 0 {
		slices.Sort(over)
		imp.Warnings = append(imp.Warnings, fmt.Sprintf("%d people would get more than %d survey requests in this cycle: %s. "+
			"People asked too often answer carelessly or not at all; consider asking someone else. You can still import.",
			len(over), limit, strings.Join(over, ", ")))
	}
	imp.SmallGroups = planSmallGroups(ic.Cycle.AnonymityThreshold, imp.invitedAfter(ic))
}

// invitedAfter counts the raters of each leader the file names as they
// would be once its good rows are imported: those already in the cycle and
// the new ones.
func (imp *RaterImport) invitedAfter(ic ImportContext) []invitedGroups {
	byEmail := map[string]*invitedGroups{}
	for _, l := range ic.Leaders {
		g := &invitedGroups{leader: l.Leader, counts: map[Relationship]int{}}
		for _, r := range l.Raters {
			g.counts[r.Assignment.Relationship]++
		}
		byEmail[l.Leader.Email] = g
	}
	var named []*invitedGroups
	seen := map[*invitedGroups]bool{}
	for i := range imp.Rows {
		r := &imp.Rows[i]
		if !r.leaderValid {
			continue
		}
		g, ok := byEmail[r.LeaderEmail]
		if !ok {
			leader, known := ic.Known[r.LeaderEmail]
			if !known {
				leader = Person{Name: r.LeaderName, Email: r.LeaderEmail}
			}
			g = &invitedGroups{leader: leader, counts: map[Relationship]int{Self: 1}}
			byEmail[r.LeaderEmail] = g
		}
		if !seen[g] {
			seen[g] = true
			named = append(named, g)
		}
		if r.raterValid && !r.isSelfRow() && r.Relationship != "" && len(r.Problems) == 0 {
			g.counts[r.Relationship]++
		}
	}
	out := make([]invitedGroups, len(named))
	for i, g := range named {
		out[i] = *g
	}
	return out
}

// leaderOwn reports whether the row's rater is the leader under another
// address: tagged, look-alike (SameMailbox), or one of others.
func (r *ImportRow) leaderOwn(others []Address) bool {
	return SameMailbox(r.raterAddr, r.leaderAddr) ||
		slices.ContainsFunc(others, func(a Address) bool { return SameMailbox(r.raterAddr, a) })
}

// importEmails lists the distinct addresses a file names.
func (imp *RaterImport) importEmails() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range imp.Rows {
		for _, e := range []string{r.LeaderEmail, r.RaterEmail} {
			if strings.Contains(e, "@") && !seen[e] {
				seen[e] = true
				out = append(out, e)
			}
		}
	}
	return out
}

// PreviewImport parses and checks a rater CSV against the cycle without
// saving anything.
func (s *Service) PreviewImport(ctx context.Context, orgID, cycleID, csvText string) (RaterImport, error) {
	imp := ParseRaterCSV(strings.NewReader(csvText))
	book, err := newAddressBook(ctx, s.store, orgID)
	if err == nil {
		err = s.checkImport(ctx, s.store, book, cycleID, &imp)
	}
	if err != nil {
		return RaterImport{}, fmt.Errorf("preview import into cycle %s: %w", cycleID, err)
	}
	return imp, nil
}

func (s *Service) checkImport(ctx context.Context, st Store, book *addressBook, cycleID string, imp *RaterImport) error {
	orgID := book.orgID
	imp.applyDomains(book.domains)
	var ic ImportContext
	var err error
	if ic.Cycle, err = st.Cycle(ctx, orgID, cycleID); err != nil {
		return err
	}
	if ic.Settings, err = st.CycleSettings(ctx, orgID, cycleID); err != nil {
		return err
	}
	if ic.Leaders, err = st.CycleRoster(ctx, orgID, cycleID); err != nil {
		return err
	}
	if ic.Known, err = st.PeopleByEmail(ctx, orgID, imp.importEmails()); err != nil {
		return err
	}
	if ic.LeaderAddresses, err = leaderAddresses(ctx, st, orgID, imp, ic.Known); err != nil {
		return err
	}
	imp.Check(ic)
	return nil
}

// leaderAddresses loads every address of the file's known leaders, in one
// query.
func leaderAddresses(ctx context.Context, st Store, orgID string, imp *RaterImport, known map[string]Person) (map[string][]Address, error) {
	var ids []string
	emailOf := map[string]string{}
	for _, r := range imp.Rows {
		if p, ok := known[r.LeaderEmail]; ok && emailOf[p.ID] == "" {
			ids = append(ids, p.ID)
			emailOf[p.ID] = r.LeaderEmail
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	byPerson, err := st.PersonAddresses(ctx, orgID, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]Address, len(ids))
	for id, raws := range byPerson {
		for _, raw := range raws {
			if a, err := ParseAddress(raw); err == nil {
				out[emailOf[id]] = append(out[emailOf[id]], a)
			}
		}
	}
	return out, nil
}

// Imported says what an import saved.
type Imported struct {
	Leaders int // leaders added to the cycle
	Raters  int // rater assignments added
}

// ErrImportNotReady is the error of an import with problems: nothing was
// saved, and the preview that comes with it says why.
var ErrImportNotReady = &Error{Code: CodeInvalid, Message: "The file has problems, so nothing was imported. Fix the rows below and upload it again."}

// ImportRaters checks the CSV again and saves every row in one
// transaction: all rows or none. With problems it saves nothing and returns
// the checked import with ErrImportNotReady.
func (s *Service) ImportRaters(ctx context.Context, orgID, cycleID, csvText, actorUserID string) (Imported, RaterImport, error) {
	return s.importRaters(ctx, orgID, cycleID, ParseRaterCSV(strings.NewReader(csvText)), actorUserID)
}

// ImportRaterRows is ImportRaters for rows that come as data (the API's
// bulk import) rather than a file: each row is checked as a CSV row is, its
// Line its place in the list from 1, and the import is all rows or none.
func (s *Service) ImportRaterRows(ctx context.Context, orgID, cycleID string, rows []ImportRow, actorUserID string) (Imported, RaterImport, error) {
	var imp RaterImport
	if len(rows) > MaxImportRows {
		imp.Problems = append(imp.Problems, fmt.Sprintf("The import has more than %d rows. Split it.", MaxImportRows))
	}
	for i, r := range rows[:min(len(rows), MaxImportRows)] {
		row := ImportRow{Line: i + 1, LeaderEmail: r.LeaderEmail, LeaderName: r.LeaderName, RaterEmail: r.RaterEmail, RaterName: r.RaterName,
			RelationshipText: r.RelationshipText, Placement: r.Placement}
		row.check()
		imp.Rows = append(imp.Rows, row)
	}
	imp.markDuplicates()
	return s.importRaters(ctx, orgID, cycleID, imp, actorUserID)
}

func (s *Service) importRaters(ctx context.Context, orgID, cycleID string, imp RaterImport, actorUserID string) (Imported, RaterImport, error) {
	var out Imported
	err := s.store.InTx(ctx, func(tx Store) error {
		book, err := newAddressBook(ctx, tx, orgID)
		if err != nil {
			return err
		}
		if err := s.checkImport(ctx, tx, book, cycleID, &imp); err != nil {
			return err
		}
		if !imp.OK() {
			return ErrImportNotReady
		}
		participants := map[string]string{} // leader email -> participant id
		persons := map[string]string{}      // leader email -> person id
		leaders, err := tx.CycleLeaders(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		for _, l := range leaders {
			participants[l.Leader.Email] = l.Participant.ID
			persons[l.Leader.Email] = l.Leader.ID
		}
		for _, r := range imp.Rows {
			if r.NewLeader {
				name := r.LeaderName
				if name == "" {
					name = r.LeaderEmail // known person: SavePerson keeps the stored name
				}
				p, err := s.addParticipant(ctx, tx, book, cycleID, PersonInput{Name: name, Email: r.LeaderEmail})
				if err != nil {
					return fmt.Errorf("line %d: %w", r.Line, err)
				}
				participants[r.LeaderEmail], persons[r.LeaderEmail] = p.ID, p.PersonID
				out.Leaders++
			}
			if r.isSelfRow() {
				continue
			}
			if _, err := s.addRater(ctx, tx, book, participants[r.LeaderEmail], PersonInput{Name: r.RaterName, Email: r.RaterEmail}, r.Relationship); err != nil {
				return fmt.Errorf("line %d: %w", r.Line, err)
			}
			out.Raters++
		}
		if err := placeLeaders(ctx, tx, orgID, persons, imp.leaderPlacements()); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: "cycle.import",
			SubjectType: "cycle", SubjectID: cycleID, CreatedAt: s.Now(),
			Detail: fmt.Sprintf("%d leaders and %d raters from %d rows", out.Leaders, out.Raters, len(imp.Rows))})
	})
	if err != nil {
		if err == ErrImportNotReady {
			return Imported{}, imp, err
		}
		return Imported{}, imp, fmt.Errorf("import raters into cycle %s: %w", cycleID, err)
	}
	return out, imp, nil
}

// placeLeaders stores where the import says its leaders sit; a field the
// file leaves empty keeps what was stored.
func placeLeaders(ctx context.Context, tx Store, orgID string, persons map[string]string, given map[string]Placement) error {
	emails := slices.Sorted(maps.Keys(given))
	for _, email := range emails {
		person, err := tx.Person(ctx, orgID, persons[email])
		if err != nil {
			return err
		}
		if err := tx.SetPlacement(ctx, orgID, person.ID, person.Placement.Over(given[email])); err != nil {
			return err
		}
	}
	return nil
}
