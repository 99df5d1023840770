package scoring

import "math"

// HeatmapColumn summarises one skill of the heatmap across leaders: the
// organisation's row of the organisation view. It is a function of the
// leaders' shown all-others means only, so it discloses nothing the
// heatmap does not.
type HeatmapColumn struct {
	Skill string
	// Leaders counts the leaders whose mean is shown for the skill.
	Leaders int
	// Mean is the plain mean of those leaders' means (each leader counts
	// once, however many raters they had); SD is the sample standard
	// deviation across leaders (needs two); Min and Max bound them.
	Mean, SD, Min, Max Number
}

// Columns summarises every skill of the heatmap, in its skill order.
func (h Heatmap) Columns() []HeatmapColumn {
	out := make([]HeatmapColumn, len(h.Skills))
	for j, skill := range h.Skills {
		c := HeatmapColumn{Skill: skill}
		var values []float64
		for _, r := range h.Rows {
			if j < len(r.Others) && r.Others[j].Available() {
				values = append(values, r.Others[j].Value)
			}
		}
		c.Leaders = len(values)
		none := Number{Reason: ReasonNoRatings}
		c.Mean, c.SD, c.Min, c.Max = none, Number{Reason: ReasonTooFew}, none, none
		if len(values) > 0 {
			sum, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
			for _, v := range values {
				sum += v
				lo, hi = min(lo, v), max(hi, v)
			}
			mean := sum / float64(len(values))
			c.Mean, c.Min, c.Max = Number{Value: mean}, Number{Value: lo}, Number{Value: hi}
			if len(values) > 1 {
				ss := 0.0
				for _, v := range values {
					ss += (v - mean) * (v - mean)
				}
				c.SD = Number{Value: math.Sqrt(ss / float64(len(values)-1))}
			}
		}
		out[j] = c
	}
	return out
}
