package assessment

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
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

// ParseRaterCSV reads a rater CSV and checks what can be checked without the
// database: the header, the size limits, each row's addresses and
// relationship, a leader rating themself, and duplicates within the file.
// It never fails: whatever is wrong becomes a problem to show, with its line.
func ParseRaterCSV(r io.Reader) RaterImport {
	data, problem := readImportFile(r)
	if problem != "" {
		return RaterImport{Problems: []string{problem}}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = false
	cols, problems := readImportHeader(cr)
	if len(problems) > 0 {
		return RaterImport{Problems: problems}
	}
	imp := cols.readRows(cr)
	imp.markDuplicates()
	return imp
}

// readImportFile reads an uploaded file as UTF-8 text without a BOM, or
// says why it cannot be imported.
func readImportFile(r io.Reader) (data []byte, problem string) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	switch {
	case err != nil:
		return nil, "The file could not be read."
	case len(data) > MaxImportBytes:
		return nil, fmt.Sprintf("The file is larger than %d MB. Split it into smaller files and import them one after the other.", MaxImportBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // spreadsheets add a BOM to UTF-8
	switch {
	case !utf8.Valid(data):
		return nil, "The file is not UTF-8 text. Save it from your spreadsheet as \"CSV UTF-8\" and try again."
	case len(bytes.TrimSpace(data)) == 0:
		return nil, "The file is empty. The first line names the columns: " + strings.Join(ImportColumns, ", ") + "."
	}
	return data, ""
}

// importColumns is where each named column of an import sits.
type importColumns struct {
	index map[string]int
	// width is the number of columns the first line names; needed is how
	// many a row must have to reach every required column (a row may end
	// early when only optional columns are left, as some tools write it).
	width, needed int
}

// readImportHeader reads the first line: every required column named once.
func readImportHeader(cr *csv.Reader) (importColumns, []string) {
	header, err := cr.Read()
	if err != nil {
		return importColumns{}, []string{"The first line could not be read as CSV: " + csvProblem(err)}
	}
	var problems []string
	cols := importColumns{index: map[string]int{}, width: len(header)}
	for i, h := range header {
		name := strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(h, "_", " ")), "_"))
		if _, dup := cols.index[name]; dup {
			problems = append(problems, fmt.Sprintf("The column %q appears twice in the first line.", name))
			continue
		}
		cols.index[name] = i
	}
	var missing []string
	for _, c := range ImportColumns {
		i, ok := cols.index[c]
		if !ok {
			missing = append(missing, c)
		}
		cols.needed = max(cols.needed, i+1)
	}
	if len(missing) > 0 {
		problems = append(problems, "The first line must name the columns "+strings.Join(ImportColumns, ", ")+
			" (and optionally leader_name); missing: "+strings.Join(missing, ", ")+".")
	}
	return cols, problems
}

// field is the trimmed value of the named column in rec, empty when the
// file has no such column or the row ends before it.
func (cols importColumns) field(rec []string, name string) string {
	i, ok := cols.index[name]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// readRows reads and checks every row after the first line; a line that is
// not CSV stops the reading, as nothing after it can be trusted.
func (cols importColumns) readRows(cr *csv.Reader) RaterImport {
	var imp RaterImport
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var line int
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			line = pe.StartLine
		case len(rec) > 0:
			line, _ = cr.FieldPos(0) // FieldPos panics on a record without fields
		}
		if err != nil && !(pe != nil && errors.Is(pe.Err, csv.ErrFieldCount)) {
			imp.Problems = append(imp.Problems, fmt.Sprintf("Line %d could not be read as CSV (%s); nothing after it was read.", line, csvProblem(err)))
			break
		}
		if len(imp.Rows) == MaxImportRows {
			imp.Problems = append(imp.Problems, fmt.Sprintf("The file has more than %d rows. Split it into smaller files.", MaxImportRows))
			break
		}
		if isBlank(rec) {
			continue
		}
		row := ImportRow{Line: line, LeaderEmail: cols.field(rec, "leader_email"), LeaderName: cols.field(rec, "leader_name"),
			RaterEmail: cols.field(rec, "rater_email"), RaterName: cols.field(rec, "rater_name"), RelationshipText: cols.field(rec, "relationship")}
		if len(rec) < cols.needed {
			row.Problems = append(row.Problems, fmt.Sprintf("The row has %d of the %d columns.", len(rec), cols.width))
		}
		row.check()
		imp.Rows = append(imp.Rows, row)
	}
	return imp
}

func isBlank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// csvProblem is a parse error without the position, which the caller says
// in its own words.
func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// check finds the row's own problems and normalises its addresses
// (ParseAddress; tags go once the organisation's domains are known, in
// applyDomains).
func (r *ImportRow) check() {
	r.leaderAddr, r.leaderValid = r.parseAddress("leader", r.LeaderEmail)
	r.raterAddr, r.raterValid = r.parseAddress("rater", r.RaterEmail)
	if r.leaderValid {
		r.LeaderEmail = r.leaderAddr.String()
	}
	if r.raterValid {
		r.RaterEmail = r.raterAddr.String()
	}
	rel, err := ParseRelationship(r.RelationshipText)
	if err != nil {
		r.Problems = append(r.Problems, fmt.Sprintf("Unknown relationship %q: use manager, peer, direct report or other.", clip(r.RelationshipText)))
	} else {
		r.Relationship = rel
	}
	sameperson := r.leaderValid && r.LeaderEmail == r.RaterEmail
	switch {
	case rel == Self && !sameperson:
		r.Problems = append(r.Problems, "\"self\" means the leader rates themself, so the rater's email must be the leader's. Every leader's self-assessment is added with them; this row can go.")
	case rel != "" && rel != Self && sameperson:
		r.ratesSelf = true
		r.Problems = append(r.Problems, fmt.Sprintf("A leader cannot rate themself as a %s; their self-assessment is added automatically.", strings.ToLower(rel.Label())))
	}
	if rel != Self {
		if err := ValidateName("rater_name", r.RaterName); err != nil {
			r.Problems = append(r.Problems, "The rater's name: "+err.(*Error).Fields["rater_name"])
		}
	}
	if r.LeaderName != "" {
		if err := ValidateName("leader_name", r.LeaderName); err != nil {
			r.Problems = append(r.Problems, "The leader's name: "+err.(*Error).Fields["leader_name"])
		}
	}
}

// parseAddress reads the row's leader's or rater's address, or adds its
// problem.
func (r *ImportRow) parseAddress(whose, raw string) (Address, bool) {
	a, err := ParseAddress(raw)
	switch {
	case err == ErrNotAnAddress:
		r.Problems = append(r.Problems, fmt.Sprintf("The %s's email %q is not an email address.", whose, clip(raw)))
	case err != nil:
		r.Problems = append(r.Problems, fmt.Sprintf("The %s's email: %s", whose, addressField(err)))
	}
	return a, err == nil
}

// applyDomains gives every address its stored form at the organisation's
// domains (no sub-address tag), refuses a domain that imitates one of
// them, and then finds the duplicates that only the stored forms reveal.
func (imp *RaterImport) applyDomains(d EmailDomains) {
	for i := range imp.Rows {
		r := &imp.Rows[i]
		for _, x := range []struct {
			whose string
			addr  *Address
			text  *string
			valid *bool
		}{{"leader", &r.leaderAddr, &r.LeaderEmail, &r.leaderValid}, {"rater", &r.raterAddr, &r.RaterEmail, &r.raterValid}} {
			if !*x.valid {
				continue
			}
			if own := d.imitated(*x.addr); own != "" {
				r.Problems = append(r.Problems, fmt.Sprintf("The %s's email %s is at %s, which looks like %s but is a different domain; check the spelling.",
					x.whose, x.addr, x.addr.Domain, own))
				*x.valid = false
				continue
			}
			*x.addr = d.Canonical(*x.addr)
			*x.text = x.addr.String()
		}
	}
	imp.markDuplicates()
}

// clip keeps a quoted value short in a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	return string([]rune(s)[:59]) + "…"
}

// markDuplicates flags a later row that asks the same person to rate the
// same leader again, whatever the relationship: one person gives one
// answer per leader.
func (imp *RaterImport) markDuplicates() {
	first := map[[2]string]int{}
	for i := range imp.Rows {
		r := &imp.Rows[i]
		// A row with problems of its own is fixed first; only then can it
		// be a duplicate or have one.
		if !r.leaderValid || !r.raterValid || len(r.Problems) > 0 {
			continue
		}
		key := [2]string{r.LeaderEmail, r.RaterEmail}
		if line, seen := first[key]; seen {
			r.Problems = append(r.Problems, fmt.Sprintf("Duplicate: line %d already asks this person to rate this leader.", line))
			continue
		}
		first[key] = r.Line
	}
}

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
	imp := ParseRaterCSV(strings.NewReader(csvText))
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
		leaders, err := tx.CycleLeaders(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		for _, l := range leaders {
			participants[l.Leader.Email] = l.Participant.ID
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
				participants[r.LeaderEmail] = p.ID
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
