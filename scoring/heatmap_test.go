package scoring

import (
	"math"
	"testing"
)

// The organisation row, by hand: delegation's shown means 2, 3 and 4 (one
// leader not shown) have mean 3, SD 1, range 2 to 4; coaching has one shown
// mean, so no SD; feedback none at all.
func TestHeatmapColumns(t *testing.T) {
	t.Parallel()
	hidden := Number{Reason: ReasonBelowThreshold}
	h := Heatmap{Skills: []string{"delegation", "coaching", "feedback"}, Rows: []HeatmapRow{
		{ParticipantID: "a", Others: []Number{{Value: 2}, {Value: 3.5}, hidden}},
		{ParticipantID: "b", Others: []Number{{Value: 4}, hidden, hidden}},
		{ParticipantID: "c", Others: []Number{hidden, hidden, hidden}},
		{ParticipantID: "d", Others: []Number{{Value: 3}, hidden, hidden}},
	}}
	got := h.Columns()
	near := func(n Number, want float64) bool { return n.Available() && math.Abs(n.Value-want) < 1e-12 }
	if c := got[0]; c.Skill != "delegation" || c.Leaders != 3 || !near(c.Mean, 3) || !near(c.SD, 1) || !near(c.Min, 2) || !near(c.Max, 4) {
		t.Errorf("delegation: %+v", c)
	}
	if c := got[1]; c.Leaders != 1 || !near(c.Mean, 3.5) || c.SD.Available() {
		t.Errorf("coaching: %+v", c)
	}
	if c := got[2]; c.Leaders != 0 || c.Mean.Available() || c.Min.Available() {
		t.Errorf("feedback: %+v", c)
	}
}
