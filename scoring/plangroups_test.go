package scoring

import (
	"fmt"
	"maps"
	"testing"
)

func TestPlanGroups(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		counts map[Relationship]int
		k      int
		want   map[Relationship]string
	}{
		{"every group large enough", map[Relationship]int{Peer: 3, DirectReport: 5}, 3, map[Relationship]string{}},
		{"two small groups pool to four", map[Relationship]int{Peer: 2, DirectReport: 2, Other: 0}, 3,
			map[Relationship]string{Peer: SuppressedPooled, DirectReport: SuppressedPooled}},
		{"one small group alone is left out", map[Relationship]int{Peer: 2, DirectReport: 4}, 3,
			map[Relationship]string{Peer: SuppressedExcluded}},
		{"a higher threshold", map[Relationship]int{Peer: 4, DirectReport: 4, Other: 1}, 5,
			map[Relationship]string{Peer: SuppressedPooled, DirectReport: SuppressedPooled, Other: SuppressedPooled}},
		{"a threshold below the minimum counts as 3", map[Relationship]int{Peer: 2}, 1,
			map[Relationship]string{Peer: SuppressedExcluded}},
		{"self and manager are never planned", map[Relationship]int{Self: 1, Manager: 1}, 3, map[Relationship]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := PlanGroups(tc.counts, tc.k).Groups; !maps.Equal(got, tc.want) {
				t.Errorf("PlanGroups(%v, %d) = %v, want %v", tc.counts, tc.k, got, tc.want)
			}
		})
	}
}

// The plan is what scoring the same raters, every one answering, reports:
// for every mix of no or one manager and 0 to 5 peers, direct reports and
// others at k 3 and 4, its suppressions name the same groups for the same
// reasons, and "all colleagues" is shown exactly when planned.
func TestPlanGroupsAgreesWithScore(t *testing.T) {
	t.Parallel()
	keys := []string{"d1", "d2"}
	for k := 3; k <= 4; k++ {
		for peers := range 6 {
			for directs := range 6 {
				for others := range 12 {
					counts := map[Relationship]int{Manager: others / 6, Peer: peers, DirectReport: directs, Other: others % 6}
					b := (&builder{}).rate("p1", "self", Self, keys, 4, 4)
					for rel, n := range counts {
						for i := range n {
							b.rate("p1", fmt.Sprintf("%s%d", rel, i), rel, keys, 1+i%5, 5-i%5)
						}
					}
					res := mustScore(t, Input{Instrument: oneSkill(items(keys...)...), Ratings: b.rs, Config: Config{KMin: k}})
					scored := GroupPlan{Groups: map[Relationship]string{}, AllOthers: true}
					for _, s := range res.Leaders[0].Suppressed {
						if s.Group == GroupAllOthers {
							scored.AllOthers = false
							continue
						}
						scored.Groups[Relationship(s.Group.String())] = s.Reason
					}
					if plan := PlanGroups(counts, k); !maps.Equal(plan.Groups, scored.Groups) || plan.AllOthers != scored.AllOthers {
						t.Fatalf("k=%d %v: plan %+v, Score %+v", k, counts, plan, scored)
					}
				}
			}
		}
	}
}
