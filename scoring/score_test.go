package scoring

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

var d1 = []string{"d1"}

// TestAnonymityAndMeans covers the anonymity rules and group means on a
// one-item skill, where a rater's skill score is their answer.
func TestAnonymityAndMeans(t *testing.T) {
	t.Parallel()
	type want struct {
		groups     []Group           // shown groups, in order
		means      map[Group]float64 // expected means of shown groups
		allN       int
		allMean    float64 // ignored unless reportable
		reportable bool
		gap        float64
		gapReason  Reason
		flag       Flag
		suppressed []string // "group:reason"
	}
	cases := []struct {
		name string
		b    *builder
		want want
	}{
		{
			// nobody but a single peer: peer pool n=1 < 3 -> excluded; all others n=0
			name: "one rater",
			b:    new(builder).raters("L", "p", Peer, d1, 4),
			want: want{groups: []Group{}, allN: 0, gapReason: ReasonBelowThreshold,
				suppressed: []string{"peer:excluded", "all_others:below_threshold"}},
		},
		{
			// peers 4,5,3 -> 4.00; self 5 -> gap +1.00, exactly T -> no flag
			name: "self excluded from others",
			b:    new(builder).rate("L", "s", Self, d1, 5).raters("L", "p", Peer, d1, 4, 5, 3),
			want: want{groups: []Group{GroupSelf, GroupPeer}, means: map[Group]float64{GroupSelf: 5, GroupPeer: 4},
				allN: 3, allMean: 4, reportable: true, gap: 1, flag: FlagNone, suppressed: []string{}},
		},
		{
			// manager 3; peers 4,4,4 -> 4.0; directs 4,5,4,5,4,5 -> 4.5;
			// O = (3 + 12 + 27)/10 = 4.2, not (3+4+4.5)/3 = 3.83
			name: "all others weights each rater once",
			b: new(builder).rate("L", "m", Manager, d1, 3).raters("L", "p", Peer, d1, 4, 4, 4).
				raters("L", "d", DirectReport, d1, 4, 5, 4, 5, 4, 5),
			want: want{groups: []Group{GroupManager, GroupPeer, GroupDirectReport},
				means: map[Group]float64{GroupManager: 3, GroupPeer: 4, GroupDirectReport: 4.5},
				allN:  10, allMean: 4.2, reportable: true, gapReason: ReasonNoSelfScore, suppressed: []string{}},
		},
		{
			// directs 4,4,4 shown; peers 2 (1,1) under 3 -> pooled alone -> pool 2 < 3 -> excluded;
			// O = directs only = 4.0 (not (12+2)/5 = 2.8)
			name: "group under threshold",
			b:    new(builder).raters("L", "d", DirectReport, d1, 4, 4, 4).raters("L", "p", Peer, d1, 1, 1),
			want: want{groups: []Group{GroupDirectReport}, means: map[Group]float64{GroupDirectReport: 4},
				allN: 3, allMean: 4, reportable: true, gapReason: ReasonNoSelfScore, suppressed: []string{"peer:excluded"}},
		},
		{
			// directs 4,4,4; peer 1 and other 1 -> pool n=2 < 3 -> both excluded,
			// so all others = 4.0 from 3 raters, not (12+1+1)/5 = 2.8
			name: "pooling that still fails",
			b: new(builder).raters("L", "d", DirectReport, d1, 4, 4, 4).raters("L", "p", Peer, d1, 1).
				raters("L", "o", Other, d1, 1),
			want: want{groups: []Group{GroupDirectReport}, means: map[Group]float64{GroupDirectReport: 4},
				allN: 3, allMean: 4, reportable: true, gapReason: ReasonNoSelfScore,
				suppressed: []string{"peer:excluded", "other:excluded"}},
		},
		{
			// manager 2 only -> all others n=1 < 3, nothing reportable but the manager
			name: "pooling that still fails leaves manager alone",
			b: new(builder).rate("L", "s", Self, d1, 4).rate("L", "m", Manager, d1, 2).
				raters("L", "p", Peer, d1, 5, 5),
			want: want{groups: []Group{GroupSelf, GroupManager}, means: map[Group]float64{GroupSelf: 4, GroupManager: 2},
				allN: 1, gapReason: ReasonBelowThreshold, suppressed: []string{"peer:excluded", "all_others:below_threshold"}},
		},
		{
			// peers 4,5 + other 3 -> pool n=3 -> other_colleagues (4+5+3)/3 = 4.00;
			// self 2 -> gap -2.00 < -1 -> hidden strength
			name: "pooling that succeeds",
			b: new(builder).rate("L", "s", Self, d1, 2).raters("L", "p", Peer, d1, 4, 5).
				raters("L", "o", Other, d1, 3),
			want: want{groups: []Group{GroupSelf, GroupOtherColleagues}, means: map[Group]float64{GroupSelf: 2, GroupOtherColleagues: 4},
				allN: 3, allMean: 4, reportable: true, gap: -2, flag: FlagHiddenStrength,
				suppressed: []string{"peer:pooled", "other:pooled"}},
		},
		{
			// every answer "not observed": nobody has a score, nothing is shown
			name: "all not observed",
			b: new(builder).rate("L", "s", Self, d1, 0).rate("L", "m", Manager, d1, 0).
				raters("L", "p", Peer, d1, 0, 0, 0),
			want: want{groups: []Group{}, allN: 0, gapReason: ReasonBelowThreshold,
				suppressed: []string{"all_others:below_threshold"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := mustScore(t, Input{Instrument: oneSkill(items("d1")...), Ratings: tc.b.rs})
			if len(r.Leaders) != 1 {
				t.Fatalf("leaders = %d, want 1", len(r.Leaders))
			}
			l := r.Leaders[0]
			for _, unit := range []struct {
				name   string
				groups []GroupStats
				all    GroupStats
				gap    Gap
			}{{"skill", l.Skills[0].Groups, l.Skills[0].AllOthers, l.Skills[0].Gap}, {"item", l.Items[0].Groups, l.Items[0].AllOthers, l.Items[0].Gap}} {
				if got := groupNamesOf(unit.groups); !slices.Equal(got, tc.want.groups) {
					t.Errorf("%s groups = %v, want %v", unit.name, got, tc.want.groups)
				}
				for g, m := range tc.want.means {
					gs := groupOf(unit.groups, g)
					if gs == nil || !gs.Mean.Available() || !near(gs.Mean.Value, m) {
						t.Errorf("%s %s mean = %+v, want %v", unit.name, g, gs, m)
					}
				}
				if unit.all.N != tc.want.allN {
					t.Errorf("%s all_others n = %d, want %d", unit.name, unit.all.N, tc.want.allN)
				}
				if unit.all.Mean.Available() != tc.want.reportable {
					t.Errorf("%s all_others reportable = %v, want %v", unit.name, unit.all.Mean.Available(), tc.want.reportable)
				}
				if tc.want.reportable && !near(unit.all.Mean.Value, tc.want.allMean) {
					t.Errorf("%s all_others mean = %v, want %v", unit.name, unit.all.Mean.Value, tc.want.allMean)
				}
				if tc.want.gapReason != 0 {
					if unit.gap.Value.Reason != tc.want.gapReason || unit.gap.Flag != "" {
						t.Errorf("%s gap = %+v, want not available (%s) without flag", unit.name, unit.gap, tc.want.gapReason)
					}
				} else if !unit.gap.Value.Available() || !near(unit.gap.Value.Value, tc.want.gap) || unit.gap.Flag != tc.want.flag {
					t.Errorf("%s gap = %+v, want %v %s", unit.name, unit.gap, tc.want.gap, tc.want.flag)
				}
			}
			var sup []string
			for _, s := range l.Suppressed {
				sup = append(sup, s.Group.String()+":"+s.Reason)
				// A relationship's fate is recorded at skill level (its items
				// follow it); all_others is judged per unit.
				wantItems := []string(nil)
				if s.Group == GroupAllOthers {
					wantItems = d1
				}
				if !slices.Equal(s.Skills, []string{"delegation"}) || !slices.Equal(s.Items, wantItems) {
					t.Errorf("suppression %+v: want skill delegation and items %v", s, wantItems)
				}
			}
			slices.Sort(sup)
			want := slices.Clone(tc.want.suppressed)
			slices.Sort(want)
			if !slices.Equal(sup, want) {
				t.Errorf("suppressed = %v, want %v", sup, want)
			}
		})
	}
}

// TestNoRatings: an empty cycle scores to no leaders and unavailable
// cohort statistics, without error.
func TestNoRatings(t *testing.T) {
	t.Parallel()
	r := mustScore(t, Input{Instrument: oneSkill(items("d1", "d2")...)})
	if len(r.Leaders) != 0 || r.Cohort.Leaders != 0 {
		t.Fatalf("leaders = %d/%d, want 0", len(r.Leaders), r.Cohort.Leaders)
	}
	cs := r.Cohort.Skills[0]
	if cs.Alpha.Value.Reason != ReasonTooFew || cs.ICC.ICC1.Reason != ReasonTooFew || cs.SelfOther.MeanD.Reason != ReasonCohortTooSmall {
		t.Errorf("cohort skill = %+v, want every figure not available", cs)
	}
	if r.EngineVersion != EngineVersion || r.Settings.KMin != 3 || r.Settings.BlindSpotThreshold != 1 {
		t.Errorf("header = %q %+v", r.EngineVersion, r.Settings)
	}
	if s := mustJSON(t, r); strings.Contains(s, "NaN") {
		t.Errorf("JSON contains NaN: %s", s)
	}
}

// TestManagerSingleRater: a lone manager is shown, with mean but without SD,
// interval or distribution (SCORING.md 2, rule 7).
func TestManagerSingleRater(t *testing.T) {
	t.Parallel()
	// manager 3 -> mean 3.00, n 1; peers 4,4,5 -> shown with distribution [0 0 0 2 1]
	b := new(builder).rate("L", "m", Manager, d1, 3).raters("L", "p", Peer, d1, 4, 4, 5)
	l := mustScore(t, Input{Instrument: oneSkill(items("d1")...), Ratings: b.rs}).Leaders[0]
	m := groupOf(l.Skills[0].Groups, GroupManager)
	if m == nil || m.N != 1 || m.Mean.Value != 3 || m.Distribution != nil || m.SD.Available() || m.CI.Available() || m.RwgJ != nil {
		t.Fatalf("manager = %+v, want n=1 mean 3 and nothing else", m)
	}
	p := groupOf(l.Items[0].Groups, GroupPeer)
	if p == nil || p.Distribution == nil || !slices.Equal(p.Distribution.Counts, []int32{0, 0, 0, 2, 1}) || p.Distribution.Min != 4 || p.Distribution.Max != 5 {
		t.Fatalf("peer item distribution = %+v", p)
	}
	if !strings.Contains(mustJSON(t, l.Skills[0]), `"group":"manager","n":1,"mean":{"value":3},"sd":{"value":null,"reason":"too_few"},"ci95":{"lower":null,"upper":null,"reason":"too_few"}}`) {
		t.Errorf("manager JSON = %s", mustJSON(t, l.Skills[0].Groups))
	}
}

// TestReverseKeyed: reverse items are recoded A+1-x before anything else.
func TestReverseKeyed(t *testing.T) {
	t.Parallel()
	inst := oneSkill(Item{Key: "d1"}, Item{Key: "d2", Reverse: true})
	keys := []string{"d1", "d2"}
	// self d1=5, d2=2 -> recoded 4 -> skill (5+4)/2 = 4.50
	// peers answer d1=4, d2=1 -> 4 and 5 -> each 4.50; O = 4.50; gap 0
	b := new(builder).rate("L", "s", Self, keys, 5, 2).
		rate("L", "p1", Peer, keys, 4, 1).rate("L", "p2", Peer, keys, 4, 1).rate("L", "p3", Peer, keys, 4, 1)
	l := mustScore(t, Input{Instrument: inst, Ratings: b.rs}).Leaders[0]
	if g := l.Skills[0].Gap; g.Self.Value != 4.5 || g.Others.Value != 4.5 || g.Value.Value != 0 {
		t.Errorf("skill gap = %+v, want 4.5 - 4.5 = 0", g)
	}
	if it := l.Items[1]; !it.Reverse || it.AllOthers.Mean.Value != 5 || !slices.Equal(it.AllOthers.Distribution.Counts, []int32{0, 0, 0, 0, 3}) {
		t.Errorf("reverse item = %+v, want mean 5 with three recoded 5s", it.AllOthers)
	}
}

// TestItemThresholdLoweredByNotObserved: a group shown for the skill can be
// suppressed on an item where some of it answered "not observed".
func TestItemThresholdLoweredByNotObserved(t *testing.T) {
	t.Parallel()
	keys := []string{"d1", "d2"}
	// peers: (4,4), (5,5), (3, not observed). J=2 -> ceil(2/2)=1 answer needed,
	// so all three count; their d2 answers are hidden (below), which leaves
	// 4, 5, 3 -> skill peers 4.00 (n 3).
	// item d2: only 2 peers answered -> pool 2 < 3 -> excluded; all others n=1 (manager) -> below threshold.
	b := new(builder).rate("L", "m", Manager, keys, 2, 2).
		rate("L", "p1", Peer, keys, 4, 4).rate("L", "p2", Peer, keys, 5, 5).rate("L", "p3", Peer, keys, 3, 0)
	l := mustScore(t, Input{Instrument: oneSkill(items(keys...)...), Ratings: b.rs}).Leaders[0]
	// The skill distribution sums the item distributions that are shown:
	// d1 only (3, 4, 5), so d2's two hidden answers cannot be recovered by
	// subtracting d1's table from the skill's.
	if p := groupOf(l.Skills[0].Groups, GroupPeer); p == nil || p.N != 3 || p.Mean.Value != 4 ||
		!slices.Equal(p.Distribution.Counts, []int32{0, 0, 1, 1, 1}) || p.Distribution.NotObserved != 0 {
		t.Errorf("skill peers = %+v (%+v), want n 3 mean 4 counting d1 only", p, p.Distribution)
	}
	// The manager is shown on d2 (managers always are), so both of their
	// answers count: skill O = (2 + 2 + 4 + 5 + 3)/5 = 3.2 over 4 raters.
	if a := l.Skills[0].AllOthers; a.N != 4 || math.Abs(a.Mean.Value-3.2) > 1e-12 {
		t.Errorf("skill all others = %+v, want n 4 mean 3.2", a)
	}
	// item d1: peers 4,5,3 shown; O = (2+4+5+3)/4 = 3.5
	if p := groupOf(l.Items[0].Groups, GroupPeer); p == nil || p.N != 3 {
		t.Errorf("item d1 peers = %+v", p)
	}
	it := l.Items[1]
	if groupOf(it.Groups, GroupPeer) != nil || it.AllOthers.Mean.Available() || it.AllOthers.N != 1 {
		t.Errorf("item d2 = %+v, want peers hidden and all others not reportable", it)
	}
	want := []Suppression{{Group: GroupPeer, Reason: SuppressedExcluded, Items: []string{"d2"}}, {Group: GroupAllOthers, Reason: SuppressedBelowThreshold, Items: []string{"d2"}}}
	if mustJSON(t, l.Suppressed) != mustJSON(t, want) {
		t.Errorf("suppressed = %s, want %s", mustJSON(t, l.Suppressed), mustJSON(t, want))
	}
}

// TestRaterSkillScoreHalfRule: a rater with fewer than ceil(J/2) answers has
// no skill score and is left out of the skill (SCORING.md 1.2).
func TestRaterSkillScoreHalfRule(t *testing.T) {
	t.Parallel()
	keys := []string{"d1", "d2", "d3"}
	// J=3 -> ceil(3/2)=2 answers needed. p1 (5,5,5)=5, p2 (4,4,-)=4, p3 (3,3,3)=3,
	// p4 (1,-,-) has no score -> peers (5+4+3)/3 = 4.00 (n 3), not (5+4+3+1)/4.
	b := new(builder).rate("L", "p1", Peer, keys, 5, 5, 5).rate("L", "p2", Peer, keys, 4, 4, 0).
		rate("L", "p3", Peer, keys, 3, 3, 3).rate("L", "p4", Peer, keys, 1, 0, 0)
	l := mustScore(t, Input{Instrument: oneSkill(items(keys...)...), Ratings: b.rs}).Leaders[0]
	if a := l.Skills[0].AllOthers; a.N != 3 || a.Mean.Value != 4 {
		t.Errorf("skill all others = n %d mean %+v, want n 3 mean 4", a.N, a.Mean)
	}
	// item d1 leaves p4 out too (engine 1.2.0): (5+4+3)/3 = 4. Counting p4
	// there but not in the skill would let the skill figures be subtracted
	// from the item sums to isolate p4's answer (differencing_test.go).
	if a := l.Items[0].AllOthers; a.N != 3 || a.Mean.Value != 4 {
		t.Errorf("item d1 all others = n %d mean %+v, want n 3 mean 4", a.N, a.Mean)
	}
}

// sub subtracts at run time, in float64 (Go constants are exact).
func sub(a, b float64) float64 { return a - b }

// TestFlagGuard: the 1e-9 guard of SCORING.md 3.2 on a 5-item skill.
func TestFlagGuard(t *testing.T) {
	t.Parallel()
	keys := []string{"d1", "d2", "d3", "d4", "d5"}
	cases := []struct {
		name   string
		self   []int
		peers  [][]int
		gap    float64 // the float64 the engine must produce
		flag   Flag
		robust bool
	}{
		{
			// self 2,2,2,2,3 -> 11/5 = 2.2; peers 1,1,1,1,2 -> 6/5 = 1.2;
			// 2.2 - 1.2 = 1.0000000000000002 > T = 1 without the guard -> no flag with it
			name: "2.2-1.2", self: []int{2, 2, 2, 2, 3},
			peers: [][]int{{1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}, {1, 1, 1, 1, 1}, {2, 2, 2, 2, 2}},
			gap:   sub(2.2, 1.2), flag: FlagNone, robust: true,
		},
		{
			// self 5,5,5,4,4 -> 23/5 = 4.6; peers 4,4,4,3,3 -> 18/5 = 3.6;
			// 4.6 - 3.6 = 0.9999999999999996 -> no flag
			name: "4.6-3.6", self: []int{5, 5, 5, 4, 4},
			peers: [][]int{{4, 4, 4, 4, 4}, {4, 4, 4, 4, 4}, {4, 4, 4, 4, 4}, {3, 3, 3, 3, 3}, {3, 3, 3, 3, 3}},
			gap:   sub(4.6, 3.6), flag: FlagNone, robust: true,
		},
		{
			// self 1.2, others 2.2 -> -1.0000000000000002 -> no hidden strength
			name: "1.2-2.2", self: []int{1, 1, 1, 1, 2},
			peers: [][]int{{2, 2, 2, 2, 2}, {2, 2, 2, 2, 2}, {2, 2, 2, 2, 2}, {2, 2, 2, 2, 2}, {3, 3, 3, 3, 3}},
			gap:   sub(1.2, 2.2), flag: FlagNone, robust: true,
		},
		{
			// self 5; peers 1,5,5 -> 11/3 = 3.67; gap 1.33 > 1 -> blind spot;
			// CI 3.67 +/- 4.303 x 2.309/sqrt(3) reaches above 5 -> not robust
			name: "blind spot, not robust", self: []int{5, 5, 5, 5, 5},
			peers: [][]int{{1, 1, 1, 1, 1}, {5, 5, 5, 5, 5}, {5, 5, 5, 5, 5}},
			gap:   sub(5, 3.6666666666666665), flag: FlagBlindSpot, robust: false,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := new(builder).rate("L", "s", Self, keys, tc.self...)
			for i, p := range tc.peers {
				b.rate("L", "p"+string(rune('a'+i)), Peer, keys, p...)
			}
			g := mustScore(t, Input{Instrument: oneSkill(items(keys...)...), Ratings: b.rs}).Leaders[0].Skills[0].Gap
			if g.Value.Value != tc.gap || g.Flag != tc.flag || g.Robust != tc.robust {
				t.Errorf("gap = %v (%s, robust %v), want %v (%s, robust %v)", g.Value.Value, g.Flag, g.Robust, tc.gap, tc.flag, tc.robust)
			}
		})
	}
	if sub(2.2, 1.2) != 1.0000000000000002 || sub(4.6, 3.6) != 0.9999999999999996 {
		t.Fatal("the float premises of this test changed")
	}
}

// TestValidation: input that cannot be scored is refused with a clear error.
func TestValidation(t *testing.T) {
	t.Parallel()
	inst := oneSkill(items("d1", "d2")...)
	ok := Rating{ParticipantID: "L", RaterID: "r", Relationship: Peer, ItemKey: "d1", Value: 3}
	with := func(f func(*Rating)) []Rating { r := ok; f(&r); return []Rating{r} }
	cases := []struct {
		name string
		in   Input
		want string
	}{
		{"unknown item", Input{Instrument: inst, Ratings: with(func(r *Rating) { r.ItemKey = "zz" })}, `unknown item "zz"`},
		{"value too high", Input{Instrument: inst, Ratings: with(func(r *Rating) { r.Value = 6 })}, "value 6 is outside 1..5"},
		{"value negative", Input{Instrument: inst, Ratings: with(func(r *Rating) { r.Value = -1 })}, "outside 1..5"},
		{"unknown relationship", Input{Instrument: inst, Ratings: with(func(r *Rating) { r.Relationship = "boss" })}, `unknown relationship "boss"`},
		{"empty participant", Input{Instrument: inst, Ratings: with(func(r *Rating) { r.ParticipantID = "" })}, "participant_id is empty"},
		{"empty rater", Input{Instrument: inst, Ratings: with(func(r *Rating) { r.RaterID = "" })}, "rater_id is empty"},
		{"duplicate", Input{Instrument: inst, Ratings: []Rating{ok, ok}}, `duplicate rating of item "d1"`},
		{"duplicate with not observed", Input{Instrument: inst, Ratings: append([]Rating{ok}, with(func(r *Rating) { r.Value = NotObserved })...)}, "duplicate rating"},
		{"two relationships", Input{Instrument: inst, Ratings: append([]Rating{ok}, with(func(r *Rating) { r.ItemKey, r.Relationship = "d2", DirectReport })...)}, `also rates this leader as "peer"`},
		{"two self raters", Input{Instrument: inst, Ratings: append(with(func(r *Rating) { r.Relationship = Self }), with(func(r *Rating) { r.RaterID, r.Relationship = "r2", Self })...)}, "a second self rater"},
		{"k_min 2", Input{Instrument: inst, Config: Config{KMin: 2}}, "k_min 2 is below the minimum of 3"},
		{"k_min 1", Input{Instrument: inst, Config: Config{KMin: 1}}, "k_min 1"},
		{"negative threshold", Input{Instrument: inst, Config: Config{BlindSpotThreshold: -1}}, "blind_spot_threshold"},
		{"scale", Input{Instrument: Instrument{ScalePoints: 1, Skills: inst.Skills}}, "scale_points 1"},
		{"no skills", Input{Instrument: Instrument{ScalePoints: 5}}, "no skills"},
		{"repeated item", Input{Instrument: oneSkill(items("d1", "d1")...)}, `item key "d1" is empty or repeated`},
		{"empty skill", Input{Instrument: Instrument{ScalePoints: 5, Skills: []Skill{{Key: "x"}}}}, `skill "x" has no items`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Score(tc.in)
			if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrInvalidInput containing %q", err, tc.want)
			}
		})
	}
	// The same rater may rate several leaders, in different relationships.
	rs := []Rating{ok, {ParticipantID: "M", RaterID: "r", Relationship: Manager, ItemKey: "d1", Value: 2}}
	if _, err := Score(Input{Instrument: inst, Ratings: rs}); err != nil {
		t.Errorf("one rater for two leaders: %v", err)
	}
}

// TestItemNeverPoolsDifferently is a differencing regression: a direct
// report excluded for the skill (alone, nobody to pool with) must not be
// pooled on an item where the peers fall under k, or subtracting the peers'
// skill and item tables would give the direct report's answer.
func TestItemNeverPoolsDifferently(t *testing.T) {
	t.Parallel()
	keys := []string{"d1", "d2"}
	// skill: peers p1 (4,4) p2 (5,5) p3 (3,-) shown; r1 alone -> excluded.
	// d2: peers 2 answers -> hidden; r1 stays excluded (no pool of p1, p2, r1),
	// so d2's all others is the manager alone -> not reportable.
	b := new(builder).rate("L", "m", Manager, keys, 3, 3).
		rate("L", "p1", Peer, keys, 4, 4).rate("L", "p2", Peer, keys, 5, 5).rate("L", "p3", Peer, keys, 3, 0).
		rate("L", "r1", DirectReport, keys, 4, 2)
	l := mustScore(t, Input{Instrument: oneSkill(items(keys...)...), Ratings: b.rs}).Leaders[0]
	d2 := l.Items[1]
	if got := groupNamesOf(d2.Groups); len(got) != 1 || got[0] != GroupManager || d2.AllOthers.Mean.Available() {
		t.Errorf("d2 groups = %v, all others %+v; want the manager only", got, d2.AllOthers.Mean)
	}
	// Changing r1's answers changes nothing.
	before := mustJSON(t, l)
	b.rs[len(b.rs)-1].Value, b.rs[len(b.rs)-2].Value = 5, 1
	if after := mustJSON(t, mustScore(t, Input{Instrument: oneSkill(items(keys...)...), Ratings: b.rs}).Leaders[0]); after != before {
		t.Error("the excluded direct report's answers changed the result")
	}
}

// Keeping every view between the cohort and leader passes, or running
// disclose again per leader in a reused scratch, gives the same result bit
// for bit, trends and their panel rule included.
func TestRecomputedViewsMatchKeptViews(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts genOptions
	}{
		{"fixed raters", genOptions{leaders: 40, fixedRaters: true, notObserved: 0.1}},
		{"varied groups", genOptions{leaders: 60, notObserved: 0.3, selfChance: 0.8, maxGroupSize: 5}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inst := fiveSkills(4)
			rng := rand.New(rand.NewPCG(uint64(i), 99))
			prevIn := Input{Instrument: inst, Ratings: genCycle(rng, inst, tc.opts)}
			in := Input{Instrument: inst, Ratings: genCycle(rng, inst, tc.opts), Previous: map[string]Leader{}, PreviousPanels: mustPanels(t, prevIn)}
			for _, l := range mustScore(t, prevIn).Leaders {
				in.Previous[l.ParticipantID] = l
			}
			kept, err := score(in, 1<<30, nil)
			if err != nil {
				t.Fatal(err)
			}
			again, err := score(in, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := json.Marshal(kept)
			b, _ := json.Marshal(again)
			if !bytes.Equal(a, b) {
				t.Fatal("results differ between kept and recomputed views")
			}
		})
	}
}
