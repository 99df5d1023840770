package scoring

// Positive controls of the inference checker (inference_test.go) and the
// two cases of issue #10 in which engine 1.3.0's skill SD named an answer.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lead360/lead360/scoring/psychometrics"
)

// engine130SDs appends to an output the skill SD engine 1.3.0 printed for
// every shown group other than self and for a reportable all-others: the
// SD of a ratio estimate over the members' shown totals T_r and counts m_r,
// sqrt(sum_r ((T_r - mean·m_r)/m̄)^2 / (n-1)) (psychometrics.RatioMeanCI,
// removed in 1.4.0), computed here from the ratings and the Result's
// disclosure. Appending it models an output that shows both engines' SDs,
// so whatever 1.3.0's SD gives away, the checker must find.
func engine130SDs(c *dCycle, res *Result, b []byte) ([]byte, error) {
	for li := range res.Leaders {
		l := &res.Leaders[li]
		for si := range c.inst.Skills {
			sr := &l.Skills[si]
			rows := shownRows(c, l, si)
			var everyone [][]int
			for _, gs := range sr.Groups {
				if gs.Group == GroupSelf {
					continue
				}
				ms := rows[gs.Group]
				if len(ms) != gs.N {
					return nil, fmt.Errorf("leader %s skill %s group %s: %d members, the engine counts %d", l.ParticipantID, sr.Skill, gs.Group, len(ms), gs.N)
				}
				everyone = append(everyone, ms...)
				b = appendRatioSD(b, ms)
			}
			if sr.AllOthers.Mean.Available() {
				b = appendRatioSD(b, everyone)
			}
		}
	}
	return b, nil
}

// engine130Cohort appends the cohort figures engine 1.3.0 computed from
// rater rows: per skill, Cronbach's alpha over the listwise-complete rows
// of every reportable all-others (a complete-case subset of a group), and
// ICC(1) of the raters' skill scores (the mean of each one's shown
// answers) on leader.
func engine130Cohort(c *dCycle, res *Result, b []byte) ([]byte, error) {
	for si := range c.inst.Skills {
		var complete [][]float64
		var groups []psychometrics.GroupSummary
		for li := range res.Leaders {
			l := &res.Leaders[li]
			if !l.Skills[si].AllOthers.Mean.Available() {
				continue
			}
			var scores []float64
			rows := shownRows(c, l, si)
			for g := GroupManager; g <= GroupOtherColleagues; g++ { // in order: the same input, the same bits
				for _, row := range rows[g] {
					full := make([]float64, len(row))
					t, m := 0, 0
					for j, v := range row {
						full[j] = float64(v)
						if v > 0 {
							t, m = t+v, m+1
						}
					}
					if m == len(row) {
						complete = append(complete, full)
					}
					scores = append(scores, float64(t)/float64(m))
				}
			}
			e, err := psychometrics.MeanCI(scores)
			if err != nil {
				return nil, err
			}
			groups = append(groups, psychometrics.GroupSummary{N: e.N, Mean: e.Mean, SD: e.SD})
		}
		if len(complete) > 0 {
			a, err := psychometrics.CronbachAlpha(complete, 4)
			if err != nil {
				return nil, err
			}
			b = strconv.AppendFloat(append(b, "|alpha13:"...), a.Alpha, 'g', -1, 64)
		}
		icc, err := psychometrics.OneWayICC(groups)
		if err != nil {
			return nil, err
		}
		b = strconv.AppendFloat(append(b, "|icc13:"...), icc.ICC1.Value, 'g', -1, 64)
	}
	return b, nil
}

// shownRows gives, per shown group of leader l on skill si (managers
// included, self not), each member's answers to the skill's items where
// the member's group is shown (0 elsewhere), reverse keying applied, for
// raters with a skill score (at least ceil(J/2) answers and one shown).
func shownRows(c *dCycle, l *Leader, si int) map[Group][][]int {
	out := map[Group][][]int{}
	skill := c.inst.Skills[si].Key
	for r, rt := range c.raters[l.ParticipantID] {
		g, ok := GroupManager, rt.rel == Manager
		if anonymous(rt.rel) {
			g, ok = l.ShownAs(skill, rt.rel)
		}
		if !ok || !eligibleFor(c, l.ParticipantID, si, r) {
			continue
		}
		row := make([]int, c.first[si+1]-c.first[si])
		shown := false
		for i := c.first[si]; i < c.first[si+1]; i++ {
			if rt.ans[i] != 0 && groupOf(l.Items[i].Groups, g) != nil {
				row[i-c.first[si]] = recoded(c, rt.ans[i], i)
				shown = true
			}
		}
		if shown {
			out[g] = append(out[g], row)
		}
	}
	return out
}

func appendRatioSD(b []byte, ms [][]int) []byte {
	if len(ms) < 2 {
		return b
	}
	var sumT, sumM float64
	for _, row := range ms {
		for _, v := range row {
			if v > 0 {
				sumT, sumM = sumT+float64(v), sumM+1
			}
		}
	}
	mean, mbar := sumT/sumM, sumM/float64(len(ms))
	ss := 0.0
	for _, row := range ms {
		t, m := 0.0, 0.0
		for _, v := range row {
			if v > 0 {
				t, m = t+float64(v), m+1
			}
		}
		d := (t - mean*m) / mbar
		ss += d * d
	}
	b = append(b, "|sd13:"...)
	return strconv.AppendFloat(b, math.Sqrt(ss/float64(len(ms)-1)), 'g', -1, 64)
}

// skipCycle is issue #10's first case: one skill of a1 and a2; a manager,
// peers p1-p4 and three direct reports; p1 marks a2 "not observed". The
// peer tables are a1 [0,1,1,1,1] (n 4) and a2 [0,1,1,1,0] (n 3); the peer
// skill mean is 23/7. Engine 1.3.0's peer SD, 0.8026, came only from
// assignments with p1's a1 = 5 (there are 24 x 6 x 18 = 2,592 assignments
// consistent with the tables: peer a1, peer a2, the direct reports).
func skipCycle() infScenario {
	c := newDCycle(oneSkill(items("a1", "a2")...))
	c.leaders = []string{"L"}
	c.raters["L"] = []dRater{
		{"L", Self, []int{5, 4}},
		{"m", Manager, []int{4, 4}},
		{"p1", Peer, []int{5, 0}},
		{"p2", Peer, []int{2, 3}},
		{"p3", Peer, []int{3, 4}},
		{"p4", Peer, []int{4, 2}},
		{"d1", DirectReport, []int{3, 2}},
		{"d2", DirectReport, []int{3, 4}},
		{"d3", DirectReport, []int{4, 5}},
	}
	return infScenario{c: c, target: "L"}
}

// pooledCycle is its second case: two peers and two direct reports, each
// relationship under k, pool into other colleagues (n 4, and 3 on a2, so
// shown on both items); d1 marks a2 "not observed". In 1.3.0 the pool's SD
// and the all-others SD (manager + pool) each weigh d1 on their own.
func pooledCycle() infScenario {
	c := newDCycle(oneSkill(items("a1", "a2")...))
	c.leaders = []string{"L"}
	c.raters["L"] = []dRater{
		{"L", Self, []int{4, 4}},
		{"m", Manager, []int{4, 3}},
		{"p1", Peer, []int{2, 3}},
		{"p2", Peer, []int{4, 4}},
		{"d1", DirectReport, []int{5, 0}},
		{"d2", DirectReport, []int{3, 2}},
	}
	return infScenario{c: c, target: "L"}
}

// TestIssue10SkillSDCases: in both cases engine 1.3.0's SD pins the
// skipper's answer at full precision and at two decimals, and engine 1.4.0
// pins nothing.
func TestIssue10SkillSDCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		s           infScenario
		assignments int
		skipper     string // the answer 1.3.0 gives away
		printed     string // and what the two-decimal class says
	}{
		// the issue's figures: 72 of 2,592 assignments print 1.3.0's output
		{"skipped item", skipCycle(), 2592, "p1 (peer) answered 5 to a1", "in each of the 72 assignments"},
		// pool a1 2, 4, 5, 3 (24 orders), a2 3, 4, 2 (6)
		{"pooled", pooledCycle(), 24 * 6, "d1 (direct_report) answered 5 to a1", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep, err := checkInference(tc.s, 1<<20, nil)
			if err != nil {
				t.Fatal(err)
			}
			if rep.assignments != tc.assignments || rep.pinned() {
				t.Errorf("engine %s: %d assignments (want %d), pins %q", EngineVersion, rep.assignments, tc.assignments, rep.pins)
			}
			old, err := checkInference(tc.s, 1<<20, engine130SDs)
			if err != nil {
				t.Fatal(err)
			}
			for p := range precisions {
				if !slices.ContainsFunc(old.truePins[p], func(pin string) bool { return strings.Contains(pin, tc.skipper) }) {
					t.Errorf("with 1.3.0's SD at %s, %q is not pinned: %q", precisions[p], tc.skipper, old.truePins[p])
				}
			}
			if !slices.ContainsFunc(old.truePins[1], func(pin string) bool { return strings.Contains(pin, tc.printed) }) {
				t.Errorf("with 1.3.0's SD at two decimals: %q, want %q", old.truePins[1], tc.printed)
			}
			t.Logf("engine %s: %d outputs over %d assignments; with 1.3.0's SD: %d outputs, the true one pins %q", EngineVersion, rep.classes[0], rep.assignments, old.classes[0], old.truePins[1])
		})
	}
}

// TestInferenceCatchesEngine130 is the checker's positive control on
// generated scenarios: with engine 1.3.0's skill SDs, or its cohort alpha
// and ICC, added to the output, it must find pinned answers, where the
// engine alone (TestInference) has none.
func TestInferenceCatchesEngine130(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		extra extraOutput
	}{
		{"skill SDs", engine130SDs},
		{"cohort alpha and ICC", engine130Cohort},
	}
	for ti, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			const want = 12
			ran, flagged := 0, 0
			for seed := uint64(0); ran < want && seed < 20*want; seed++ {
				s := genInferenceScenario(rand.New(rand.NewPCG(seed, 0x130+uint64(ti))))
				rep, err := checkInference(s, 1000, tc.extra)
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				if rep.skipped || rep.open == 0 {
					continue
				}
				ran++
				if rep.pinned() {
					flagged++
					t.Logf("seed %d: %s", seed, rep.pins[0][0])
				}
			}
			t.Logf("with 1.3.0's %s, %d of %d scenarios pin an answer", tc.name, flagged, ran)
			if ran < want || flagged == 0 {
				t.Errorf("%d scenarios ran, %d flagged: the checker does not catch engine 1.3.0's %s", ran, flagged, tc.name)
			}
		})
	}
}
