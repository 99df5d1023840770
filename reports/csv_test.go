package reports

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/lead360/lead360/scoring"
)

func TestNeutralise(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Maya Okafor", "Maya Okafor"},
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"", ""},
		{"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := Neutralise(tt.in); got != tt.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestCSVRows: one row per leader x skill x group in a fixed order, the
// figures as the engine computed them, hidden groups empty with a note.
func TestCSVRows(t *testing.T) {
	t.Parallel()
	res := mayaResult(t)
	rows := CSVRows("=Spring", map[string]string{"maya": "@Maya"}, res)
	if want := len(res.Leaders) * 5 * len(csvGroups); len(rows) != want {
		t.Fatalf("%d rows, want %d", len(rows), want)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(csvHeader, ",") {
		t.Errorf("header %v", recs[0])
	}
	maya := leaderOf(t, res, "maya")
	for _, r := range recs[1:] {
		if r[1] != "maya" || r[3] != "delegation" || r[4] != "all_others" {
			continue
		}
		d := maya.Skills[0]
		if r[0] != "'=Spring" || r[2] != "'@Maya" {
			t.Errorf("text cells not neutralised: %v", r[:3])
		}
		if r[5] != strconv.Itoa(d.AllOthers.N) || r[6] != strconv.FormatFloat(d.AllOthers.Mean.Value, 'f', -1, 64) ||
			r[8] != d.AllOthers.SDBasis.String() || r[11] != strconv.FormatFloat(d.Gap.Value.Value, 'f', -1, 64) ||
			r[12] != string(scoring.FlagBlindSpot) {
			t.Errorf("Maya's delegation all_others row = %v", r)
		}
	}
}

// FuzzWriteCSV: whatever the text, the CSV parses back to the same number
// of cells, and no text cell can start a formula.
func FuzzWriteCSV(f *testing.F) {
	for _, s := range []string{"=1+2", "-3", "@x", "\tA", "\r\n", "a\"b", "plain"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, leader, cycle string) {
		var buf bytes.Buffer
		rows := []CSVRow{{Cycle: cycle, Leader: leader, ParticipantID: leader, Skill: cycle, Group: scoring.GroupPeer, Note: leader, Flag: cycle, Mean: Val(-1.5)}}
		if err := WriteCSV(&buf, rows); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("output does not parse: %v", err)
		}
		if len(recs) != 2 || len(recs[1]) != len(csvHeader) {
			t.Fatalf("records %d, cells %d", len(recs), len(recs[1]))
		}
		for i, cell := range recs[1] {
			if i == 6 { // the mean: a number, written as one
				continue
			}
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %d %q starts a formula", i, cell)
			}
		}
	})
}
