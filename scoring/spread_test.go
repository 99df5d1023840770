package scoring

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lead360/lead360/scoring/psychometrics"
)

// TestSkillSpread: a skill group whose members all show answers on the same
// items has the spec's SD and interval of its raters' skill scores
// (SCORING.md 1.3, 4.4); one whose members show different items has the SD
// of its answers, with the interval still over its raters (docs/scoring.md,
// "Spread of a skill group").
func TestSkillSpread(t *testing.T) {
	t.Parallel()
	ab := []string{"a1", "a2"}
	type want struct {
		n                int
		mean, sd, lo, hi float64
		basis            SDBasis
	}
	tests := []struct {
		name  string
		b     *builder
		wants map[Group]want
	}{
		{
			// Issue #10's first case: p1 marks a2 "not observed".
			// Peers, answers 5, 2, 3, 3, 4, 4, 2: n·Σx² - (Σx)² = 7·83 - 529
			// = 52, /(7·6) -> SD sqrt(52/42) = 1.112697; mean 23/7 =
			// 3.285714; SE 1.112697/sqrt(4) = 0.556349; t(3) = 3.182446 ->
			// [1.515165, 5.056264].
			// Direct reports show both items: scores 2.5, 3.5, 4.5 -> mean
			// 3.5, SD 1, SE 0.577350, t(2) = 4.302653 -> [1.015862, 5.984138].
			// All others (m 4, 4 and the above), 15 answers from 8 raters:
			// Σx 52, Σx² 194, 15·194 - 2704 = 206, /(15·14) -> SD 0.990430;
			// mean 52/15 = 3.466667; SE 0.990430/sqrt(8) = 0.350170;
			// t(7) = 2.364624 -> [2.638646, 4.294687].
			name: "a peer skips an item",
			b: new(builder).rate("L", "L", Self, ab, 5, 4).rate("L", "m", Manager, ab, 4, 4).
				rate("L", "p1", Peer, ab, 5, 0).rate("L", "p2", Peer, ab, 2, 3).rate("L", "p3", Peer, ab, 3, 4).rate("L", "p4", Peer, ab, 4, 2).
				rate("L", "d1", DirectReport, ab, 3, 2).rate("L", "d2", DirectReport, ab, 3, 4).rate("L", "d3", DirectReport, ab, 4, 5),
			wants: map[Group]want{
				GroupPeer:         {4, 23.0 / 7, math.Sqrt(52.0 / 42), 1.515165, 5.056264, BasisAnswers},
				GroupDirectReport: {3, 3.5, 1, 1.015862, 5.984138, BasisRaters},
				GroupAllOthers:    {8, 52.0 / 15, 0.990430, 2.638646, 4.294687, BasisAnswers},
			},
		},
		{
			// Issue #10's second case: p1, p2, d1, d2 pooled (each
			// relationship under 3), d1 marks a2 "not observed".
			// Pool, answers 2, 3, 4, 4, 5, 3, 2: the peers' figures above
			// (Σx 23, Σx² 83, 4 raters) -> [1.515165, 5.056264].
			// All others (m 4, 3 and the pool), 9 answers from 5 raters:
			// Σx 30, Σx² 108, 9·108 - 900 = 72, /(9·8) -> SD 1; mean 10/3;
			// SE 1/sqrt(5) = 0.447214; t(4) = 2.776445 -> ± 1.241664 =
			// [2.091670, 4.574997].
			name: "a pooled rater skips an item",
			b: new(builder).rate("L", "m", Manager, ab, 4, 3).
				rate("L", "p1", Peer, ab, 2, 3).rate("L", "p2", Peer, ab, 4, 4).
				rate("L", "d1", DirectReport, ab, 5, 0).rate("L", "d2", DirectReport, ab, 3, 2),
			wants: map[Group]want{
				GroupOtherColleagues: {4, 23.0 / 7, math.Sqrt(52.0 / 42), 1.515165, 5.056264, BasisAnswers},
				GroupAllOthers:       {5, 10.0 / 3, 1, 2.091670, 4.574997, BasisAnswers},
			},
		},
		{
			// Every rater shows both items: the spec's figures. Peers 4.5,
			// 3, 5 -> mean 12.5/3 = 4.166667; deviations 1/3, -7/6, 5/6,
			// squares 1/9 + 49/36 + 25/36 = 13/6, /2 -> SD sqrt(13/12) =
			// 1.040833; SE 0.600925; t(2) -> ± 2.585573 = [1.581094, 6.752240].
			// All others with m 3, 3: scores 3, 4.5, 3, 5 -> mean 15.5/4 =
			// 3.875; squares 0.765625 + 0.390625 + 0.765625 + 1.265625 =
			// 3.1875, /3 -> SD 1.030776; SE 0.515388; t(3) -> ± 1.640195 =
			// [2.234805, 5.515195].
			name: "balanced",
			b: new(builder).rate("L", "m", Manager, ab, 3, 3).
				rate("L", "p1", Peer, ab, 4, 5).rate("L", "p2", Peer, ab, 3, 3).rate("L", "p3", Peer, ab, 5, 5),
			wants: map[Group]want{
				GroupPeer:      {3, 12.5 / 3, math.Sqrt(13.0 / 12), 1.581094, 6.752240, BasisRaters},
				GroupAllOthers: {4, 3.875, math.Sqrt(3.1875 / 3), 2.234805, 5.515195, BasisRaters},
			},
		},
		{
			// Every peer skips a2 and shows a1 alone: balanced, so their
			// scores 4, 2, 3 -> mean 3, SD 1, t(2) -> [0.515862, 5.484138].
			// The manager shows both items, so all others is not balanced:
			// answers 4, 4, 4, 2, 3: Σx 17, Σx² 61, 5·61 - 289 = 16, /(5·4)
			// -> SD sqrt(0.8) = 0.894427; mean 3.4; SE over 4 raters
			// 0.447214; t(3) -> [1.976767, 4.823233].
			name: "balanced on the items all of them answered",
			b: new(builder).rate("L", "m", Manager, ab, 4, 4).
				rate("L", "p1", Peer, ab, 4, 0).rate("L", "p2", Peer, ab, 2, 0).rate("L", "p3", Peer, ab, 3, 0),
			wants: map[Group]want{
				GroupPeer:      {3, 3, 1, 0.515862, 5.484138, BasisRaters},
				GroupAllOthers: {4, 3.4, math.Sqrt(0.8), 1.976767, 4.823233, BasisAnswers},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sk := mustScore(t, Input{Instrument: oneSkill(items(ab...)...), Ratings: tc.b.rs}).Leaders[0].Skills[0]
			for g, w := range tc.wants {
				gs := &sk.AllOthers
				if g != GroupAllOthers {
					if gs = groupOf(sk.Groups, g); gs == nil {
						t.Fatalf("group %s not shown: %v", g, groupNamesOf(sk.Groups))
					}
				}
				if gs.N != w.n || gs.SDBasis != w.basis || gs.CI.DF != w.n-1 || math.Abs(gs.Mean.Value-w.mean) > 1e-12 ||
					math.Abs(gs.SD.Value-w.sd) > 1e-6 || math.Abs(gs.CI.Lower-w.lo) > 1e-6 || math.Abs(gs.CI.Upper-w.hi) > 1e-6 {
					t.Errorf("%s: n %d, mean %v, SD %v (%s), CI %+v; want %+v", g, gs.N, gs.Mean.Value, gs.SD.Value, gs.SDBasis, gs.CI, w)
				}
			}
		})
	}
}

// TestBalancedSpreadIsTheSpec: for the balanced groups of generated cycles
// the SD and interval are MeanCI of the raters' skill scores (SCORING.md
// 4.4) to rounding, and the mean of the shown answers is the mean of those
// scores.
func TestBalancedSpreadIsTheSpec(t *testing.T) {
	t.Parallel()
	checked := 0
	for seed := range uint64(40) {
		c := genInferenceScenario(rand.New(rand.NewPCG(seed, 0x5bec))).c
		res := mustScore(t, Input{Instrument: c.inst, Ratings: c.ratings()})
		for li := range res.Leaders {
			l := &res.Leaders[li]
			for si := range l.Skills {
				sr := &l.Skills[si]
				rows := shownRows(c, l, si)
				for _, gs := range append(slices.Clone(sr.Groups), sr.AllOthers) {
					if gs.SDBasis != BasisRaters || gs.Group == GroupSelf {
						continue
					}
					var scores []float64
					for g, ms := range rows {
						if g != gs.Group && gs.Group != GroupAllOthers {
							continue
						}
						for _, row := range ms {
							s, m := 0, 0
							for _, v := range row {
								if v > 0 {
									s, m = s+v, m+1
								}
							}
							scores = append(scores, float64(s)/float64(m))
						}
					}
					want, err := psychometrics.MeanCI(scores)
					if err != nil {
						t.Fatal(err)
					}
					if gs.N != want.N || math.Abs(gs.Mean.Value-want.Mean) > 1e-12 || math.Abs(gs.SD.Value-want.SD) > 1e-12 ||
						math.Abs(gs.CI.Lower-want.Lower) > 1e-12 || math.Abs(gs.CI.Upper-want.Upper) > 1e-12 {
						t.Errorf("seed %d, %s %s %s: n %d, mean %v, SD %v, CI %+v; the spec's %+v", seed, l.ParticipantID, sr.Skill, gs.Group, gs.N, gs.Mean, gs.SD, gs.CI, want)
					}
					checked++
				}
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d balanced groups checked", checked)
	}
	t.Logf("%d balanced groups checked", checked)
}

// TestCohortRestsOnDisclosedFigures: the ICC is the one-way ANOVA of the
// all-others n, mean and SD exactly as the reports show them, of the leaders
// whose SD is the spread of their raters' scores, and alpha takes the rows
// of whole groups in which everyone answered every item, nothing else
// (docs/scoring.md, "Cohort").
func TestCohortRestsOnDisclosedFigures(t *testing.T) {
	t.Parallel()
	alphas, iccs := 0, 0
	for seed := range uint64(40) {
		c := genInferenceScenario(rand.New(rand.NewPCG(seed, 0xc0))).c
		res, err := score(Input{Instrument: c.inst, Ratings: c.ratings()}, keepViews, smallCohort)
		if err != nil {
			t.Fatal(err)
		}
		for si, cs := range res.Cohort.Skills {
			var groups []psychometrics.GroupSummary
			var rows [][]float64
			members := 0
			for li := range res.Leaders {
				l := &res.Leaders[li]
				all := l.Skills[si].AllOthers
				if !all.Mean.Available() {
					continue
				}
				if all.SDBasis == BasisRaters {
					groups = append(groups, psychometrics.GroupSummary{N: all.N, Mean: all.Mean.Value, SD: all.SD.Value})
				}
				members += all.N
				for _, ms := range shownRows(c, l, si) {
					if slices.ContainsFunc(ms, func(row []int) bool { return slices.Contains(row, 0) }) {
						continue // someone in the group left an item without a shown answer
					}
					for _, row := range ms {
						f := make([]float64, len(row))
						for j, v := range row {
							f[j] = float64(v)
						}
						rows = append(rows, f)
					}
				}
			}
			icc, err := psychometrics.OneWayICC(groups)
			if err != nil {
				t.Fatal(err)
			}
			if icc.Reason == "" {
				if cs.ICC.ICC1 != estimate(icc.ICC1) || cs.ICC.ICC2 != estimate(icc.ICC2) || cs.ICC.N != icc.N || cs.ICC.F.Value != icc.Test.F {
					t.Errorf("seed %d, %s: ICC %+v, from the disclosed figures %+v", seed, cs.Skill, cs.ICC, icc)
				}
				iccs++
			}
			if cs.Alpha.N+cs.Alpha.RowsDropped != members || cs.Alpha.N != len(rows) {
				t.Errorf("seed %d, %s: alpha n %d + dropped %d, want %d rows of %d members", seed, cs.Skill, cs.Alpha.N, cs.Alpha.RowsDropped, len(rows), members)
			}
			if !cs.Alpha.Value.Available() {
				continue
			}
			a, err := psychometrics.CronbachAlpha(rows, 4)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(a.Alpha-cs.Alpha.Value.Value) > 1e-12 {
				t.Errorf("seed %d, %s: alpha %v, from whole complete groups %v", seed, cs.Skill, cs.Alpha.Value, a.Alpha)
			}
			alphas++
		}
	}
	if alphas < 10 || iccs < 10 {
		t.Errorf("alpha was available in %d skills, the ICC in %d", alphas, iccs)
	}
	t.Logf("%d alphas, %d ICCs checked", alphas, iccs)
}
