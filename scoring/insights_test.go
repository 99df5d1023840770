package scoring

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// skillsWith builds SkillResults from (key, O, S) triples; O < 0 means
// all-others not reportable, S < 0 means no self score. Gaps and flags
// follow SCORING.md 3.2 with T = 1.
func skillsWith(t *testing.T, rows ...[3]any) []SkillResult {
	t.Helper()
	s := &scorer{set: Settings{BlindSpotThreshold: 1}}
	var out []SkillResult
	for _, r := range rows {
		key, o, self := r[0].(string), r[1].(float64), r[2].(float64)
		u := &unit{hasSelf: self >= 0, self: self}
		all := GroupStats{Group: GroupAllOthers, N: 5, Mean: num(o), CI: Interval{Lower: o - 0.1, Upper: o + 0.1, DF: 4}}
		if o < 0 {
			all.Mean = notAvailable(ReasonBelowThreshold)
		}
		out = append(out, SkillResult{Skill: key, Name: strings.ToUpper(key[:1]) + key[1:], AllOthers: all, Gap: s.gap(u, &all)})
	}
	return out
}

func TestFocus(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		skills []SkillResult
		skill  string
		rule   string
	}{
		// P = (4+3.8+3.2)/3 = 3.67; candidates b, c; lowest c 3.2, b is 0.6 above it
		{"lowest others", skillsWith(t, [3]any{"a", 4.0, 4.0}, [3]any{"b", 3.8, 4.0}, [3]any{"c", 3.2, 3.0}), "c", FocusLowestOthers},
		// The demo's Olivia: P = (4.2+3.6+3.98+3.7+2.4)/5 = 3.58; c is a blind spot
		// (5-3.98 = +1.02) but above P, so not a candidate; e 2.4 is the lowest
		{"blind spot above the profile loses", skillsWith(t, [3]any{"a", 4.2, 5.0}, [3]any{"b", 3.6, 3.0}, [3]any{"c", 3.98, 5.0},
			[3]any{"d", 3.7, 4.0}, [3]any{"e", 2.4, 3.0}), "e", FocusLowestOthers},
		// P = (3+3.2+4.5)/3 = 3.57; lowest a 3.0; b 3.2 is within 0.25 of it and a blind spot (+1.3)
		{"blind spot near the lowest wins", skillsWith(t, [3]any{"a", 3.0, 3.0}, [3]any{"b", 3.2, 4.5}, [3]any{"c", 4.5, 4.5}), "b", FocusBlindSpot},
		// b 3.25 is exactly 0.25 above the lowest: the margin is inclusive
		{"margin is inclusive", skillsWith(t, [3]any{"a", 3.0, 3.0}, [3]any{"b", 3.25, 4.5}, [3]any{"c", 4.5, 4.5}), "b", FocusBlindSpot},
		// b 3.3 is 0.3 above the lowest: too far for the tie-breaker
		{"blind spot outside the margin loses", skillsWith(t, [3]any{"a", 3.0, 3.0}, [3]any{"b", 3.3, 5.0}, [3]any{"c", 4.5, 4.5}), "a", FocusLowestOthers},
		// both near the lowest and blind spots: a +1.5, b +1.9 -> largest gap b
		{"largest gap among near blind spots", skillsWith(t, [3]any{"a", 3.0, 4.5}, [3]any{"b", 3.1, 5.0}, [3]any{"c", 4.5, 4.5}), "b", FocusBlindSpot},
		// gaps a 5-3.5 = +1.5 and b 4.9-3.4 = +1.5 (tie) -> lower O: b
		{"blind spot tie by lower others", skillsWith(t, [3]any{"a", 3.5, 5.0}, [3]any{"b", 3.4, 4.9}, [3]any{"c", 4.5, 4.5}), "b", FocusBlindSpot},
		// O tie 3.5/3.5; gaps a 0, b +0.5 -> larger gap: b
		{"lowest others tie by gap", skillsWith(t, [3]any{"a", 3.5, 3.5}, [3]any{"b", 3.5, 4.0}, [3]any{"c", 4.5, 4.5}), "b", FocusLowestOthers},
		// O tie, no self at all -> instrument order: a
		{"tie by instrument order", skillsWith(t, [3]any{"a", 3.5, -1.0}, [3]any{"b", 3.5, -1.0}, [3]any{"c", 4.5, -1.0}), "a", FocusLowestOthers},
		// 3.9, 3.8, 3.95: all within 0.25 of each other -> the lowest, b
		{"flat profile", skillsWith(t, [3]any{"a", 3.9, 4.0}, [3]any{"b", 3.8, 4.0}, [3]any{"c", 3.95, 4.0}), "b", FocusFlatProfile},
		// flat, and a is a blind spot (+1.1) 0.02 above P = 3.88: it wins
		{"flat profile with a blind spot", skillsWith(t, [3]any{"a", 3.9, 5.0}, [3]any{"b", 3.8, 4.0}, [3]any{"c", 3.95, 4.0}), "a", FocusFlatProfile},
		// only b reportable
		{"only one skill", skillsWith(t, [3]any{"a", -1.0, 5.0}, [3]any{"b", 4.5, 4.0}), "b", FocusOnlySkill},
		{"none reportable", skillsWith(t, [3]any{"a", -1.0, 5.0}), "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := focus(tc.skills, profileMean(tc.skills), 0.25)
			if f.Skill != tc.skill || f.Rule != tc.rule || f.Sentence == "" {
				t.Errorf("focus = %+v, want %q by %q", f, tc.skill, tc.rule)
			}
			if tc.skill == "" && (f.Reason != ReasonBelowThreshold || f.Evidence != "") {
				t.Errorf("no focus: reason %q, evidence %q", f.Reason, f.Evidence)
			}
			if tc.skill != "" && f.Evidence == "" {
				t.Errorf("focus %s has no evidence", f.Skill)
			}
		})
	}
}

// TestFocusWords: the sentences a leader reads, for each rule.
func TestFocusWords(t *testing.T) {
	t.Parallel()
	five := func(rows ...[3]any) []SkillResult {
		s := skillsWith(t, rows...)
		for i := range s {
			s[i].AllOthers.N = 8
			s[i].Name = strings.ReplaceAll(s[i].Name, "_", " ")
		}
		return s
	}
	cases := []struct {
		name             string
		skills           []SkillResult
		sentence, reason string
	}{
		{"the demo's Olivia", five([3]any{"Delegation", 4.2, 5.0}, [3]any{"Coaching", 3.6, 3.0}, [3]any{"Feedback", 3.98, 5.0},
			[3]any{"Conflict_resolution", 3.7, 4.0}, [3]any{"Emotional_intelligence", 2.42, 3.0}),
			"Of your skills, emotional intelligence is the one your colleagues rate lowest, so a small step here is the most likely to be noticed.",
			// P = 17.9/5 = 3.58; 3.58 - 2.42 = 1.16; gap 3 - 2.42 = +0.58
			"Colleagues rate your emotional intelligence 2.42 (8 colleagues), the lowest of your five skills, and 1.16 below your average of 3.58; you rate yourself 0.58 higher than they do."},
		{"a blind spot near the lowest", five([3]any{"Delegation", 3.0, 3.0}, [3]any{"Coaching", 3.2, 4.5}, [3]any{"Feedback", 4.5, 4.5}),
			"Your colleagues see your coaching less strongly than you do, and it is among the skills they rate lowest, so it is a good place to start a conversation.",
			// P = 10.7/3 = 3.57; 3.57 - 3.2 = 0.37; gap +1.30
			"Colleagues rate your coaching 3.20 (8 colleagues), close to the lowest of your three skills (delegation, 3.00), and 0.37 below your average of 3.57; you rate yourself 1.30 higher than they do, a blind spot."},
		{"flat", five([3]any{"Delegation", 3.9, 4.0}, [3]any{"Coaching", 3.8, -1.0}, [3]any{"Feedback", 3.95, 4.0}),
			"Your colleagues rate your skills much alike, with coaching a little behind the others, so a small step here is the most likely to be noticed.",
			// spread 3.95 - 3.8 = 0.15; P = 11.65/3 = 3.88
			"Colleagues rate your coaching 3.80 (8 colleagues); they rate your three skills within 0.15 of each other, around your average of 3.88; you did not rate yourself on it."},
		{"one skill of three", five([3]any{"Delegation", -1.0, 4.0}, [3]any{"API_design", 3.1, 2.1}, [3]any{"Feedback", -1.0, 4.0}),
			"API design is the only skill with enough colleagues' ratings to compare, so it is the place to start.",
			"Colleagues rate your API design 3.10 (8 colleagues), the only skill with enough colleagues' ratings; you rate yourself 1.00 lower than they do."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := focus(tc.skills, profileMean(tc.skills), 0.25)
			if f.Sentence != tc.sentence {
				t.Errorf("sentence\n got %q\nwant %q", f.Sentence, tc.sentence)
			}
			if f.Evidence != tc.reason {
				t.Errorf("evidence\n got %q\nwant %q", f.Evidence, tc.reason)
			}
		})
	}
}

func TestInterplay(t *testing.T) {
	t.Parallel()
	keys := func(ins []Insight) []string {
		out := []string{}
		for _, i := range ins {
			out = append(out, i.Key)
		}
		return out
	}
	cases := []struct {
		name string
		o    [5]float64 // delegation, coaching, feedback, conflict_resolution, emotional_intelligence; <0 = not reportable
		want []string
	}{
		// P = (4.5+4+3.5+4+4)/5 = 4.0; delegation 4.5 >= 4.25 strong, feedback 3.5 <= 3.75 weak
		{"delegation and feedback", [5]float64{4.5, 4, 3.5, 4, 4}, []string{"strong_delegation_weak_feedback"}},
		// P = (4+4.5+4+3.5+4)/5 = 4.0; coaching strong, conflict weak
		{"coaching and conflict", [5]float64{4, 4.5, 4, 3.5, 4}, []string{"strong_coaching_weak_conflict_resolution"}},
		// P = (4+4+3.5+4+4.5)/5 = 4.0; EI strong, feedback weak
		{"EI and feedback", [5]float64{4, 4, 3.5, 4, 4.5}, []string{"strong_emotional_intelligence_weak_feedback"}},
		// P = (4.2+4.2+4.2+4.2+3.2)/5 = 4.0; EI 3.2 weak, all others 4.2 >= P
		{"weak EI", [5]float64{4.2, 4.2, 4.2, 4.2, 3.2}, []string{"weak_emotional_intelligence_otherwise_strong"}},
		// P = (4.25+4+3.75+4+4)/5 = 4.0; delegation exactly +0.25 and feedback exactly -0.25 -> both count (>=, <=)
		{"margins are inclusive", [5]float64{4.25, 4, 3.75, 4, 4}, []string{"strong_delegation_weak_feedback"}},
		// P = (4.2+4+3.8+4+4)/5 = 4.0; +0.2 and -0.2 are inside the margin
		{"inside the margin", [5]float64{4.2, 4, 3.8, 4, 4}, []string{}},
		// feedback not reportable -> no rule that needs it
		{"needs reportable skills", [5]float64{4.5, 4, -1, 4, 4}, []string{}},
		// a flat profile
		{"flat", [5]float64{4, 4, 4, 4, 4}, []string{}},
	}
	names := []string{skillDelegation, skillCoaching, skillFeedback, skillConflict, skillEI}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var rows [][3]any
			for i, o := range tc.o {
				rows = append(rows, [3]any{names[i], o, -1.0})
			}
			skills := skillsWith(t, rows...)
			got := interplay(skills, profileMean(skills), 0.25)
			if !slices.Equal(keys(got), tc.want) {
				t.Errorf("insights = %v, want %v", keys(got), tc.want)
			}
			for _, in := range got {
				if len(in.Skills) == 0 || in.Explanation == "" {
					t.Errorf("insight %+v lacks skills or explanation", in)
				}
			}
		})
	}
}

func TestTopBottomAndLeastAgreement(t *testing.T) {
	t.Parallel()
	keys := []string{"i1", "i2", "i3", "i4", "i5", "i6", "i7"}
	// peers a,b,c answer i1..i7:
	// i1 5,5,5 -> 5.00 sd 0   i2 4,4,4 -> 4.00 sd 0   i3 1,5,3 -> 3.00 sd 2
	// i4 2,2,2 -> 2.00 sd 0   i5 1,1,1 -> 1.00 sd 0   i6 4,5,3 -> 4.00 sd 1
	// i7: two answers only -> not reportable
	b := new(builder).
		rate("L", "a", Peer, keys, 5, 4, 1, 2, 1, 4, 0).
		rate("L", "b", Peer, keys, 5, 4, 5, 2, 1, 5, 3).
		rate("L", "c", Peer, keys, 5, 4, 3, 2, 1, 3, 3)
	l := mustScore(t, Input{Instrument: oneSkill(items(keys...)...), Ratings: b.rs}).Leaders[0]
	ids := func(rs []ItemRank) []string {
		out := []string{}
		for _, r := range rs {
			out = append(out, r.Item)
		}
		return out
	}
	// 6 reportable items -> top ceil(6/2)=3, bottom 3; i2 and i6 tie at 4.00 -> instrument order
	if got := ids(l.TopItems); !slices.Equal(got, []string{"i1", "i2", "i6"}) {
		t.Errorf("top = %v", got)
	}
	if got := ids(l.BottomItems); !slices.Equal(got, []string{"i5", "i4", "i3"}) {
		t.Errorf("bottom = %v", got)
	}
	// only i3 (sd 2) and i6 (sd 1) have any spread
	if got := ids(l.LeastAgreement); !slices.Equal(got, []string{"i3", "i6"}) {
		t.Errorf("least agreement = %v", got)
	}
	// i3: s^2 = 4 > sigma_EU^2 = 2 -> r_wg truncated to 0, untruncated 1 - 4/2 = -1
	if r := l.LeastAgreement[0].Rwg; !r.Available() || r.Value != 0 {
		t.Errorf("i3 r_wg = %+v, want 0", r)
	}
	if r := l.Items[2].AllOthers.Rwg; r == nil || r.Untruncated.Value != -1 {
		t.Errorf("i3 untruncated r_wg = %+v, want -1", r)
	}
}

// TestTrend: the same leader over two cycles.
func TestTrend(t *testing.T) {
	t.Parallel()
	keys := []string{"d1", "d2"}
	inst := oneSkill(items(keys...)...)
	// cycle 1: peers d1 2,2,3,3 -> 2.50 (sd 0.577); d2 all 3 -> 3.00
	// cycle 2: peers d1 4,4,5,5 -> 4.50 (sd 0.577); d2 all 3 -> 3.00
	// d1 change +2.00, SE = sqrt(1/3/4 + 1/3/4) = 0.408, df min(4,4)-1 = 3,
	// t = 3.182 -> half width 1.30 -> [0.70, 3.30] outside the noise
	// d2 change 0, SE 0 -> [0, 0], inside
	c1 := new(builder).rate("L", "s", Self, keys, 3, 3).raters("L", "p", Peer, []string{"d2"}, 3, 3, 3, 3)
	c1.rate("L", "p00", Peer, d1, 2).rate("L", "p01", Peer, d1, 2).rate("L", "p02", Peer, d1, 3).rate("L", "p03", Peer, d1, 3)
	prev := mustScore(t, Input{Instrument: inst, Ratings: c1.rs}).Leaders[0]
	// Four new peers: the panels differ by 8 people, so trends are shown.
	panels := mustPanels(t, Input{Instrument: inst, Ratings: c1.rs})
	c2 := new(builder).rate("L", "s", Self, keys, 5, 3).raters("L", "q", Peer, []string{"d2"}, 3, 3, 3, 3)
	c2.rate("L", "q00", Peer, d1, 4).rate("L", "q01", Peer, d1, 4).rate("L", "q02", Peer, d1, 5).rate("L", "q03", Peer, d1, 5)
	// d2 changes wording in cycle 2 -> new lineage -> no item trend, and no skill trend
	inst2 := oneSkill(Item{Key: "d1", Lineage: "L-d1"}, Item{Key: "d2", Lineage: "L-d2-v2"})
	l := mustScore(t, Input{Instrument: inst2, Ratings: c2.rs, Previous: map[string]Leader{"L": prev}, PreviousPanels: panels}).Leaders[0]
	if !l.HasPrevious {
		t.Fatal("HasPrevious = false")
	}
	tr := l.Items[0].Trend
	if tr == nil || tr.Change.Value != 2 || tr.CI.DF != 3 || !tr.OutsideNoise || tr.SelfChange.Value != 2 {
		t.Fatalf("d1 trend = %+v", tr)
	}
	if tr.CI.Lower < 0.70 || tr.CI.Lower > 0.71 || tr.CI.Upper < 3.29 || tr.CI.Upper > 3.30 {
		t.Errorf("d1 trend CI = %+v, want about [0.70, 3.30]", tr.CI)
	}
	if tr := l.Items[1].Trend; tr == nil || tr.Change.Reason != ReasonLineageChanged {
		t.Errorf("d2 trend = %+v, want lineage_changed", tr)
	}
	if tr := l.Skills[0].Trend; tr == nil || tr.Change.Reason != ReasonLineageChanged {
		t.Errorf("skill trend = %+v, want lineage_changed", tr)
	}
	// Same instrument: d2 unchanged (3.00 -> 3.00, SE 0) is inside the noise.
	l = mustScore(t, Input{Instrument: inst, Ratings: c2.rs, Previous: map[string]Leader{"L": prev}, PreviousPanels: panels}).Leaders[0]
	if tr := l.Items[1].Trend; tr == nil || tr.Change.Value != 0 || tr.OutsideNoise || tr.CI.Lower != 0 || tr.CI.Upper != 0 {
		t.Errorf("d2 trend = %+v, want 0 inside the noise", tr)
	}
	if tr := l.Skills[0].Trend; tr == nil || !tr.Change.Available() {
		t.Errorf("skill trend = %+v, want available", tr)
	}
	// No previous result -> no trends at all.
	if l := mustScore(t, Input{Instrument: inst, Ratings: c2.rs}).Leaders[0]; l.HasPrevious || l.Items[0].Trend != nil {
		t.Errorf("trend without previous: %+v", l.Items[0].Trend)
	}
}

// TestCohort: cohort statistics use only reportable leaders, need the
// documented minimums, and carry their n.
func TestCohort(t *testing.T) {
	t.Parallel()
	inst := fiveSkills(4)
	rng := rand.New(rand.NewPCG(11, 11))
	rs := genCycle(rng, inst, genOptions{leaders: 14, fixedRaters: true})
	// Leader "zz-small" has 2 peers only: never reportable, so absent from
	// every cohort figure and shown as not available in the heatmap.
	for i := range 2 {
		for _, s := range inst.Skills {
			for _, it := range s.Items {
				rs = append(rs, Rating{ParticipantID: "zz-small", RaterID: fmt.Sprint("p", i), Relationship: Peer, ItemKey: it.Key, Value: 4})
			}
		}
	}
	r := mustScore(t, Input{Instrument: inst, Ratings: rs})
	if r.Cohort.Leaders != 15 || len(r.Leaders) != 15 || r.Leaders[14].ParticipantID != "zz-small" {
		t.Fatalf("leaders = %d", r.Cohort.Leaders)
	}
	for _, cs := range r.Cohort.Skills {
		// 14 leaders x 11 others (manager + 5 peers + 5 directs)
		if cs.ICC.Leaders != 14 || cs.ICC.N != 154 || !cs.ICC.ICC1.Available() || !cs.ICC.ICC2.Available() {
			t.Errorf("%s ICC = %+v", cs.Skill, cs.ICC)
		}
		if cs.ICC.DF1 != 13 || cs.ICC.DF2 != 140 {
			t.Errorf("%s ICC df = %d, %d, want 13, 140", cs.Skill, cs.ICC.DF1, cs.ICC.DF2)
		}
		if cs.Alpha.N+cs.Alpha.RowsDropped != 154 || cs.Alpha.K != 4 || !cs.Alpha.Value.Available() || len(cs.Alpha.IfItemDeleted) != 4 {
			t.Errorf("%s alpha = %+v", cs.Skill, cs.Alpha)
		}
		if cs.SelfOther.N != 14 || len(cs.SelfOther.Leaders) != 14 || !cs.SelfOther.MeanD.Available() {
			t.Errorf("%s self-other = %+v", cs.Skill, cs.SelfOther)
		}
	}
	small := r.Leaders[14]
	if small.Skills[0].Percentile.Reason != ReasonBelowThreshold || small.Skills[0].Reliability.Reason != ReasonBelowThreshold {
		t.Errorf("small leader percentile/reliability = %+v / %+v", small.Skills[0].Percentile, small.Skills[0].Reliability)
	}
	if c := r.Cohort.Heatmap.Rows[14].Others[0]; c.Reason != ReasonBelowThreshold {
		t.Errorf("heatmap cell = %+v", c)
	}
	l0 := r.Leaders[0].Skills[0]
	if !l0.Percentile.Available() || l0.PercentileN != 14 || !l0.Reliability.Available() {
		t.Errorf("leader 0 percentile %+v (n %d), reliability %+v", l0.Percentile, l0.PercentileN, l0.Reliability)
	}
	// Below the cohort minimum of 10 leaders: no categories, no percentiles.
	few := mustScore(t, Input{Instrument: inst, Ratings: genCycle(rand.New(rand.NewPCG(12, 12)), inst, genOptions{leaders: 9, fixedRaters: true})})
	if so := few.Cohort.Skills[0].SelfOther; so.MeanD.Reason != ReasonCohortTooSmall || len(so.Leaders) != 0 {
		t.Errorf("self-other with 9 leaders = %+v", so)
	}
	if p := few.Leaders[0].Skills[0]; p.Percentile.Reason != ReasonCohortTooSmall || p.PercentileN != 9 {
		t.Errorf("percentile with 9 leaders = %+v", p.Percentile)
	}
	// 9 leaders x 11 = 99 rows >= 30: alpha is there
	if !few.Cohort.Skills[0].Alpha.Value.Available() {
		t.Errorf("alpha with 99 rows = %+v", few.Cohort.Skills[0].Alpha)
	}
}

// TestCalibrationICCs: Shrout & Fleiss (1979) Table 2 example, 6 targets x
// 4 judges: ICC(1,1) = .17, ICC(2,1) = .29, ICC(3,1) = .71,
// ICC(1,k) = .44, ICC(2,k) = .62, ICC(3,k) = .91.
func TestCalibrationICCs(t *testing.T) {
	t.Parallel()
	data := [][]float64{{9, 2, 5, 8}, {6, 1, 3, 2}, {8, 4, 6, 8}, {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7}}
	c, err := CalibrationICCs(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{.17, .29, .71, .44, .62, .91}
	for i, f := range c.Forms {
		if d := f.Value.Value - want[i]; d > 0.005 || d < -0.005 {
			t.Errorf("%s = %v, want %v", f.Form, f.Value.Value, want[i])
		}
	}
	if _, err := CalibrationICCs([][]float64{{1, 2}, {3}}); err == nil {
		t.Error("unbalanced data accepted")
	}
}
