package api

import (
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/scoring"
)

// A cell's shade says how far its printed figure lies below the printed
// organisation average for the skill: the further below, the darker; at
// or above it, unshaded; a cell not shown is "na" whatever the average.
func TestHeatShadesBelowTheAverage(t *testing.T) {
	t.Parallel()
	avg := scoring.Number{Value: 3.5}
	for _, c := range []struct {
		value float64
		want  string
	}{
		{2.75, "lo3"}, {2.76, "lo2"}, {3.15, "lo2"}, {3.16, "lo1"}, {3.35, "lo1"}, {3.36, "mid"}, {3.64, "mid"}, {3.65, "hi"}, {5, "hi"},
	} {
		if got := heatOf(scoring.Number{Value: c.value}, avg).Class; got != c.want {
			t.Errorf("%.2f against 3.50: %s, want %s", c.value, got, c.want)
		}
	}
	if got := heatOf(scoring.Number{Reason: scoring.ReasonBelowThreshold}, avg); got.Class != "na" || got.Text != "not shown" {
		t.Errorf("hidden cell: %+v", got)
	}
}

// Sorting by a skill puts the lowest first and leaders not shown for it
// last; the L&D priority is the skill with the lowest average, with its
// spread and how many leaders have it as their focus.
func TestOrgSortAndPriority(t *testing.T) {
	t.Parallel()
	n := func(v float64) scoring.Number { return scoring.Number{Value: v} }
	hidden := scoring.Number{Reason: scoring.ReasonBelowThreshold}
	ov := assessment.OrgView{LeaderN: 3,
		Skills: []assessment.Skill{{Key: "delegation", Name: "Delegation"}, {Key: "coaching", Name: "Coaching"}},
		Rows: []assessment.HeatmapLeader{{Name: "Ana", Others: []scoring.Number{n(4), hidden}},
			{Name: "Ben", Others: []scoring.Number{n(2.5), n(3)}}, {Name: "Cy", Others: []scoring.Number{n(3), n(2)}}},
		Focus: []assessment.FocusCount{{Skill: "coaching", Count: 2}},
	}
	ov.Columns = scoring.Heatmap{Skills: []string{"delegation", "coaching"}, Rows: []scoring.HeatmapRow{
		{Others: ov.Rows[0].Others}, {Others: ov.Rows[1].Others}, {Others: ov.Rows[2].Others}}}.Columns()
	rows := append([]assessment.HeatmapLeader(nil), ov.Rows...)
	sortOrgRows(rows, ov.Skills, "coaching", false)
	var names []string
	for _, r := range rows {
		names = append(names, r.Name)
	}
	if got := strings.Join(names, ","); got != "Cy,Ben,Ana" {
		t.Errorf("sorted by coaching: %s, want Cy,Ben,Ana (Ana not shown, last)", got)
	}
	got := orgPriority(ov, map[string]string{"delegation": "Delegation", "coaching": "Coaching"})
	want := "Coaching has the lowest average colleagues' score across the 2 leaders shown for it: 2.50 (SD 0.71; from 2.00 to 3.00). It is the focus skill of 2 of the 3 leaders."
	if got != want {
		t.Errorf("priority:\n got %s\nwant %s", got, want)
	}
}
