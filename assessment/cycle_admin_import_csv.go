package assessment

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Reading a rater CSV: the file, its first line, each row and the checks
// that need nothing but the file (addresses, relationships, names, where
// leaders sit, duplicates). cycle_admin_import.go checks it against the
// cycle and saves it.

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
			RaterEmail: cols.field(rec, "rater_email"), RaterName: cols.field(rec, "rater_name"), RelationshipText: cols.field(rec, "relationship"),
			Placement: Placement{Department: cols.field(rec, "leader_department"), ManagerEmail: cols.field(rec, "leader_manager_email"),
				Location: cols.field(rec, "leader_location")}}
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
	var problems map[string]string
	r.Placement, problems = CheckPlacement(r.Placement)
	for _, c := range placementColumns {
		if msg, ok := problems[c.field]; ok {
			r.Problems = append(r.Problems, "The leader's "+c.words+": "+msg)
		}
	}
}

// placementField is one field of a placement, by its key in
// placementColumns.
func placementField(p *Placement, field string) *string {
	switch field {
	case "department":
		return &p.Department
	case "manager_email":
		return &p.ManagerEmail
	}
	return &p.Location
}

// markPlacementConflicts flags a row that gives its leader a department,
// manager or location other than an earlier row gave.
func (imp *RaterImport) markPlacementConflicts() {
	given := map[string]Placement{}
	lineOf := map[[2]string]int{} // leader email, field -> line that gave it
	for i := range imp.Rows {
		r := &imp.Rows[i]
		if !r.leaderValid || r.Placement.IsZero() {
			continue
		}
		merged := given[r.LeaderEmail]
		for _, c := range placementColumns {
			now, before := placementField(&r.Placement, c.field), placementField(&merged, c.field)
			switch {
			case *now == "":
			case *before == "":
				*before = *now
				lineOf[[2]string{r.LeaderEmail, c.field}] = r.Line
			case *before != *now:
				r.Problems = append(r.Problems, fmt.Sprintf("Line %d gives this leader's %s as %q; this row says %q. Give one.",
					lineOf[[2]string{r.LeaderEmail, c.field}], c.words, clip(*before), clip(*now)))
			}
		}
		given[r.LeaderEmail] = merged
	}
}

// leaderPlacements is each leader's placement as the rows give it
// together (an import with no problems gives each field at most one value).
func (imp *RaterImport) leaderPlacements() map[string]Placement {
	given := map[string]Placement{}
	for _, r := range imp.Rows {
		if !r.Placement.IsZero() {
			given[r.LeaderEmail] = given[r.LeaderEmail].Over(r.Placement)
		}
	}
	return given
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
