package assessment_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
)

func rowProblems(imp assessment.RaterImport) map[int]string {
	out := map[int]string{}
	for _, r := range imp.Rows {
		out[r.Line] = strings.Join(r.Problems, " | ")
	}
	return out
}

func TestParseRaterCSVFindsEveryRowsProblem(t *testing.T) {
	t.Parallel()
	csv := "\ufeff Leader Email ,RATER_EMAIL,rater_name, relationship,leader_name\r\n" + // line 1: BOM, spaces, case
		"ana@example.com,ben@example.com,Ben,direct report,Ana\r\n" + // 2: fine
		"ana@example.com,not-an-email,Cy,peer,Ana\r\n" + // 3: bad email
		"ana@example.com,dee@example.com,Dee,boss,Ana\r\n" + // 4: unknown relationship
		"ana@example.com,BEN@example.com,Ben,peer,Ana\r\n" + // 5: duplicate of 2
		"ana@example.com,ana@example.com,Ana,peer,Ana\r\n" + // 6: leader rates themself
		"ana@example.com,ana@example.com,Ana,self,Ana\r\n" + // 7: self row: adds the leader only
		"ana@example.com,eve@example.com,Eve,self,Ana\r\n" + // 8: self for someone else
		"\r\n" + // 9: blank, skipped
		"bo@example.com,fay@example.com,Fay,Manager\r\n" + // 10: short row (no leader_name): fine
		"bo@example.com,gil@example.com,,manager,Bo\r\n" // 11: no rater name; a second manager is allowed
	imp := assessment.ParseRaterCSV(strings.NewReader(csv))
	if len(imp.Problems) != 0 {
		t.Fatalf("file problems: %v", imp.Problems)
	}
	got := rowProblems(imp)
	want := map[int]string{2: "", 3: "is not an email address", 4: `Unknown relationship "boss"`, 5: "Duplicate: line 2",
		6: "cannot rate themself as a peer", 7: "", 8: `"self" means the leader rates themself`, 10: "", 11: "The rater's name: Enter a name."}
	if len(got) != len(want) {
		t.Errorf("rows %v, want lines %v", got, want)
	}
	for line, w := range want {
		if g, ok := got[line]; !ok || (w == "" && g != "") || !strings.Contains(g, w) {
			t.Errorf("line %d: problems %q, want %q", line, g, w)
		}
	}
	if r := imp.Rows[0]; r.Relationship != assessment.DirectReport || r.LeaderName != "Ana" || r.RaterEmail != "ben@example.com" {
		t.Errorf("row 2 parsed as %+v", r)
	}
}

func TestParseRaterCSVFileProblems(t *testing.T) {
	t.Parallel()
	header := "leader_email,rater_email,rater_name,relationship\n"
	for name, tc := range map[string]struct{ csv, want string }{
		"empty":          {"", "The file is empty"},
		"no header":      {"ana@example.com,ben@example.com,Ben,peer\n", "missing: leader_email, rater_email, rater_name, relationship"},
		"missing column": {"leader_email,rater_email,relationship\n", "missing: rater_name"},
		"not UTF-8":      {header + "ana@example.com,ben@example.com,B\xe9n,peer\n", "not UTF-8"},
		"bad quote":      {header + "ana@example.com,\"ben@example.com,Ben,peer\n", "could not be read as CSV"},
		"too big":        {header + strings.Repeat("x", assessment.MaxImportBytes), "larger than 1 MB"},
		"too many rows":  {header + strings.Repeat("ana@example.com,ben@example.com,Ben,peer\n", assessment.MaxImportRows+1), "more than 5000 rows"},
	} {
		imp := assessment.ParseRaterCSV(strings.NewReader(tc.csv))
		if !strings.Contains(strings.Join(imp.Problems, " "), tc.want) || imp.OK() {
			t.Errorf("%s: problems %q, want %q", name, imp.Problems, tc.want)
		}
	}
}

func TestRaterImportCheckAgainstTheCycle(t *testing.T) {
	t.Parallel()
	imp := assessment.ParseRaterCSV(strings.NewReader("leader_email,rater_email,rater_name,relationship\n" +
		"ana@example.com,ben@example.com,Ben,peer\n" + // ben already rates ana
		"new@example.com,ben@example.com,Ben,peer\n" + // a leader new to lead360, without a name
		"known@example.com,cy@example.com,Cy,peer\n" + // a known person becomes a leader
		"known@example.com,ben@example.com,Ben,manager\n"))
	ana := assessment.Person{ID: "p-ana", Name: "Ana", Email: "ana@example.com"}
	ben := assessment.Person{ID: "p-ben", Name: "Ben", Email: "ben@example.com"}
	imp.Check(assessment.ImportContext{
		Cycle:    assessment.Cycle{Name: "C", Status: assessment.StatusDraft},
		Settings: assessment.CycleSettings{RaterCap: 3},
		Leaders: []assessment.RosterLeader{{Leader: ana, Raters: []assessment.RosterRater{
			{Assignment: assessment.Assignment{Relationship: assessment.Self}, Person: ana},
			{Assignment: assessment.Assignment{Relationship: assessment.Peer}, Person: ben}}}},
		Known: map[string]assessment.Person{"known@example.com": {Email: "known@example.com"}},
	})
	got := rowProblems(imp)
	if !strings.Contains(got[2], "already rates this leader (as peer)") || !strings.Contains(got[3], "new to lead360") || got[4] != "" || got[5] != "" {
		t.Errorf("problems %v", got)
	}
	if !imp.Rows[1].NewLeader || !imp.Rows[2].NewLeader || imp.Rows[3].NewLeader {
		t.Errorf("new leaders: %v %v %v", imp.Rows[1].NewLeader, imp.Rows[2].NewLeader, imp.Rows[3].NewLeader)
	}
	// Ben: ana's peer (stored) + new's peer + known's manager = 3, at the
	// cap; a fourth would warn.
	if len(imp.Warnings) != 0 {
		t.Errorf("warnings at the cap: %v", imp.Warnings)
	}
	imp.Rows = append(imp.Rows, assessment.ImportRow{})
	more := assessment.ParseRaterCSV(strings.NewReader("leader_email,rater_email,rater_name,relationship\n" +
		"x@example.com,ben@example.com,Ben,peer\ny@example.com,ben@example.com,Ben,peer\nz@example.com,ben@example.com,Ben,peer\nw@example.com,ben@example.com,Ben,peer\n"))
	more.Check(assessment.ImportContext{Cycle: assessment.Cycle{Status: assessment.StatusDraft}, Settings: assessment.CycleSettings{RaterCap: 3},
		Known: map[string]assessment.Person{"x@example.com": {}, "y@example.com": {}, "z@example.com": {}, "w@example.com": {}}})
	if len(more.Warnings) != 1 || !strings.Contains(more.Warnings[0], "ben@example.com (4)") || !more.OK() {
		t.Errorf("cap warnings %v, ok %v", more.Warnings, more.OK())
	}
	closed := assessment.ParseRaterCSV(strings.NewReader("leader_email,rater_email,rater_name,relationship\nx@example.com,ben@example.com,Ben,peer\n"))
	closed.Check(assessment.ImportContext{Cycle: assessment.Cycle{Name: "C", Status: assessment.StatusOpen}, Known: map[string]assessment.Person{"x@example.com": {}}})
	if closed.OK() {
		t.Error("an open cycle accepts an import")
	}
}

// The preview warns about each leader the file names whose raters, the
// cycle's and the file's together, leave a group too small to show, and
// says what their report will do; a row with a problem counts for nothing.
func TestRaterImportWarnsAboutSmallGroups(t *testing.T) {
	t.Parallel()
	imp := assessment.ParseRaterCSV(strings.NewReader("leader_email,leader_name,rater_email,rater_name,relationship\n" +
		"ana@example.com,,cy@example.com,Cy,peer\n" + // Ana: 2 peers with Ben, 3 direct reports
		"ana@example.com,,d1@example.com,D1,direct_report\n" +
		"ana@example.com,,d2@example.com,D2,direct_report\n" +
		"ana@example.com,,d3@example.com,D3,direct_report\n" +
		"bo@example.com,Bo Ek,p1@example.com,P1,peer\n" + // Bo: 1 peer and 2 direct reports pool to 3
		"bo@example.com,Bo Ek,d1@example.com,D1,direct_report\n" +
		"bo@example.com,Bo Ek,d2@example.com,D2,direct_report\n" +
		"cleo@example.com,Cleo,p1@example.com,P1,peer\n" + // Cleo: 3 peers, one row refused
		"cleo@example.com,Cleo,p2@example.com,P2,peer\n" +
		"cleo@example.com,Cleo,cleo@example.com,Cleo,peer\n" +
		"cleo@example.com,Cleo,boss@example.com,Boss,manager\n"))
	ana := assessment.Person{ID: "p-ana", Name: "Ana Lima", Email: "ana@example.com"}
	ben := assessment.Person{ID: "p-ben", Name: "Ben", Email: "ben@example.com"}
	imp.Check(assessment.ImportContext{
		Cycle:    assessment.Cycle{Name: "C", Status: assessment.StatusDraft, AnonymityThreshold: 3},
		Settings: assessment.CycleSettings{RaterCap: 10},
		Leaders: []assessment.RosterLeader{{Leader: ana, Raters: []assessment.RosterRater{
			{Assignment: assessment.Assignment{Relationship: assessment.Self}, Person: ana},
			{Assignment: assessment.Assignment{Relationship: assessment.Peer}, Person: ben}}}},
	})
	var got []string
	for _, g := range imp.SmallGroups {
		got = append(got, g.String())
	}
	want := []string{
		"Ana Lima: peers 2 invited, fewer than 3 and too few to combine: left out of every figure",
		"Bo Ek: peers 1 invited, fewer than 3: they count within “Other colleagues (combined)”; " +
			"direct reports 2 invited, fewer than 3: they count within “Other colleagues (combined)”",
		// Her manager alone is all that is left: under 3, no gaps at all.
		"Cleo: peers 2 invited, fewer than 3 and too few to combine: left out of every figure; " +
			"fewer than 3 colleagues in all: no “All colleagues” figure and no gaps, only their own and their manager’s ratings",
	}
	if !slices.Equal(got, want) {
		t.Errorf("small groups:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// FuzzParseRaterCSV: whatever the bytes, the parser returns problems, never
// panics, and every row it keeps has a line number.
func FuzzParseRaterCSV(f *testing.F) {
	f.Add("leader_email,rater_email,rater_name,relationship\nana@example.com,ben@example.com,Ben,peer\n")
	f.Add("\ufeffleader_email,leader_name,rater_email,rater_name,relationship\r\na@b.c,A,a@b.c,A,self\r\n")
	f.Add("leader_email,rater_email,rater_name,relationship\n\"a@b.c\",\"x\"\"y\",z,direct report\n")
	f.Add("leader_email,leader_email\n\x00,\xff\n")
	f.Add("leader_email,rater_email,rater_name,relationship\n\"unterminated\n")
	f.Fuzz(func(t *testing.T, csv string) {
		imp := assessment.ParseRaterCSV(strings.NewReader(csv))
		imp.Check(assessment.ImportContext{Cycle: assessment.Cycle{Status: assessment.StatusDraft}})
		for _, r := range imp.Rows {
			if r.Line < 2 {
				t.Fatalf("row with line %d", r.Line)
			}
			if len(r.Problems) == 0 && (r.Relationship == "" || !strings.Contains(r.LeaderEmail, "@")) {
				t.Fatalf("row without problems but unparsed: %+v", r)
			}
		}
		if len(imp.Rows) > assessment.MaxImportRows {
			t.Fatalf("%d rows kept", len(imp.Rows))
		}
	})
}
