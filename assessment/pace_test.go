package assessment_test

import (
	"math"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
)

// The pace is the number of submissions over the days invitations have
// waiting, answered or not; the figures below are worked by hand.
func TestCyclePace(t *testing.T) {
	t.Parallel()
	opens := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	tests := []struct {
		name      string
		now       time.Time
		submitted []time.Time
		waiting   int
		want      assessment.Pace
	}{
		{"first day: too early", opens.Add(23 * time.Hour), []time.Time{opens.Add(time.Hour)}, 5, assessment.Pace{}},
		// 3 waiting for 4 days, and answers after 1 and 2 days: 2 answers
		// over 15 days of waiting.
		{"two answers over fifteen waiting days", opens.Add(4 * day), []time.Time{opens.Add(day), opens.Add(2 * day)}, 3,
			assessment.Pace{PerDay: 2.0 / 15, Known: true}},
		{"nobody answered yet", opens.Add(2 * day), nil, 4, assessment.Pace{PerDay: 0, Known: true}},
		{"nothing was ever invited", opens.Add(2 * day), nil, 0, assessment.Pace{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := assessment.CyclePace(opens, tc.now, tc.submitted, tc.waiting)
			if got.Known != tc.want.Known || math.Abs(got.PerDay-tc.want.PerDay) > 1e-12 {
				t.Errorf("pace = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestPaceExpected(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	pace := assessment.Pace{PerDay: 2.0 / 15, Known: true}
	tests := []struct {
		name                 string
		pace                 assessment.Pace
		submitted, reachable int
		left                 time.Duration
		want                 float64
	}{
		// 1 + 2 (1 - e^(-2/15 * 5)) = 1 + 2 (1 - e^(-2/3)) = 1 + 2 * 0.486583 = 1.973166
		{"five days left", pace, 1, 2, 5 * day, 1.9731658},
		{"closes now", pace, 1, 2, 0, 1},
		{"no pace yet", assessment.Pace{}, 1, 2, 5 * day, 1},
		{"nobody left to answer", pace, 2, 0, 5 * day, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.pace.Expected(tc.submitted, tc.reachable, tc.left); math.Abs(got-tc.want) > 1e-6 {
				t.Errorf("Expected = %.7f, want %.7f", got, tc.want)
			}
		})
	}
	// 1 - e^(-2/15) = 0.124826...
	if got := pace.DailyShare(); math.Abs(got-0.1248267) > 1e-6 {
		t.Errorf("DailyShare = %.7f", got)
	}
}

// A group is behind when it cannot reach k even if everyone reachable
// answers, when there is no pace yet, or when its expected answers fall
// short; the page prints the expected count rounded down, so "behind"
// and "about N by the close date" never disagree.
func TestGroupOutlookBehindAgreesWithItsFigures(t *testing.T) {
	t.Parallel()
	for k := 3; k <= 5; k++ {
		for submitted := 0; submitted < k; submitted++ {
			for reachable := submitted; reachable <= submitted+8; reachable++ {
				for _, perDay := range []float64{0, 0.01, 0.05, 0.1, 0.2, 0.5, 1, 3} {
					for _, days := range []int{0, 1, 3, 7, 14} {
						pace := assessment.Pace{PerDay: perDay, Known: true}
						g := assessment.GroupOutlook{Reachable: reachable, PaceKnown: true,
							Expected: pace.Expected(submitted, reachable-submitted, time.Duration(days)*24*time.Hour)}
						g.Submitted = submitted
						behind := g.Behind(k)
						if reachable >= k && behind != (int(g.Expected) < k) {
							t.Fatalf("k=%d %+v: behind=%v but shows about %d", k, g, behind, int(g.Expected))
						}
						if reachable < k && !behind {
							t.Fatalf("k=%d %+v: cannot reach k, yet not behind", k, g)
						}
						if g.Expected > float64(reachable)+1e-9 || g.Expected < float64(submitted) {
							t.Fatalf("k=%d %+v: expected outside [submitted, reachable]", k, g)
						}
					}
				}
			}
		}
	}
}
