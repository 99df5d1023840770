package scoring

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// panelMember is one rater of a hand-made cycle.
type panelMember struct {
	id  string
	rel Relationship
}

func people(rel Relationship, ids ...string) []panelMember {
	out := make([]panelMember, len(ids))
	for i, id := range ids {
		out[i] = panelMember{id, rel}
	}
	return out
}

// panelCycle is a cycle of leader "L": self answers selfValue everywhere,
// rater i answers 2 + i%3 everywhere (so groups have a spread).
func panelCycle(keys []string, selfValue int, raters ...[]panelMember) []Rating {
	b := new(builder)
	row := func(v int) []int {
		r := make([]int, len(keys))
		for i := range r {
			r[i] = v
		}
		return r
	}
	b.rate("L", "self", Self, keys, row(selfValue)...)
	i := 0
	for _, group := range raters {
		for _, m := range group {
			b.rate("L", m.id, m.rel, keys, row(2+i%3)...)
			i++
		}
	}
	return b.rs
}

// TestTrendWithheldWhenThePanelChangedByFewerThanK: a trend compares the
// same people, or panels at least k people apart; anything in between is
// withheld with panel_changed_below_threshold, the self change kept.
func TestTrendWithheldWhenThePanelChangedByFewerThanK(t *testing.T) {
	t.Parallel()
	keys := []string{"d1", "d2"}
	inst := oneSkill(items(keys...)...)
	m1, m2 := people(Manager, "m1"), people(Manager, "m2")
	peers := people(Peer, "p1", "p2", "p3", "p4")
	plus := func(ids ...string) []panelMember { return append(slices.Clone(peers), people(Peer, ids...)...) }
	tests := []struct {
		name      string
		prev, cur [][]panelMember
		k         int
		// panels: "" the previous cycle's own, "none" no previous panels,
		// "other" the panels of a cycle with one more peer.
		panels string
		want   Reason // 0: the trend is shown
	}{
		{name: "same people", prev: [][]panelMember{m1, peers}, cur: [][]panelMember{m1, peers}},
		{name: "one peer joined", prev: [][]panelMember{m1, peers}, cur: [][]panelMember{m1, plus("p5")}, want: ReasonPanelChanged},
		{name: "one peer left", prev: [][]panelMember{m1, peers}, cur: [][]panelMember{m1, peers[:3]}, want: ReasonPanelChanged},
		{name: "one peer replaced: k-1 changed", prev: [][]panelMember{m1, peers}, cur: [][]panelMember{m1, append(slices.Clone(peers[:3]), people(Peer, "p5")...)}, want: ReasonPanelChanged},
		{name: "k peers joined", prev: [][]panelMember{m1, peers}, cur: [][]panelMember{m1, plus("p5", "p6", "p7")}},
		{name: "every peer replaced", prev: [][]panelMember{m1, peers}, cur: [][]panelMember{m1, people(Peer, "q1", "q2", "q3", "q4")}},
		// Managers count like everyone: m1 left and m2 joined are 2 changes.
		{name: "new manager", prev: [][]panelMember{m1, peers}, cur: [][]panelMember{m2, peers}, want: ReasonPanelChanged},
		// 3 changes in all, but 1 among the anonymous: the managers' figures
		// can be subtracted, which would leave p5 alone.
		{name: "new manager and one new peer", prev: [][]panelMember{m1, peers}, cur: [][]panelMember{m2, plus("p5")}, want: ReasonPanelChanged},
		{name: "new manager and three new peers", prev: [][]panelMember{m1, peers}, cur: [][]panelMember{m2, plus("p5", "p6", "p7")}},
		// p5 is in both panels, but left the anonymous members.
		{name: "a peer became a manager", prev: [][]panelMember{m1, plus("p5")}, cur: [][]panelMember{m1, people(Manager, "p5"), peers}, want: ReasonPanelChanged},
		{name: "k=4: three peers joined", k: 4, prev: [][]panelMember{m1, plus("p5")}, cur: [][]panelMember{m1, plus("p5", "p6", "p7", "p8")}, want: ReasonPanelChanged},
		{name: "k=4: four peers joined", k: 4, prev: [][]panelMember{m1, plus("p5")}, cur: [][]panelMember{m1, plus("p5", "p6", "p7", "p8", "p9")}},
		{name: "no previous panels", prev: [][]panelMember{m1, peers}, cur: [][]panelMember{m1, peers}, panels: "none", want: ReasonPreviousPanelUnknown},
		{name: "previous panels of other ratings", prev: [][]panelMember{m1, peers}, cur: [][]panelMember{m1, peers}, panels: "other", want: ReasonPreviousPanelUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := Config{KMin: tc.k}
			prevIn := Input{Instrument: inst, Ratings: panelCycle(keys, 3, tc.prev...), Config: cfg}
			prev := mustScore(t, prevIn).Leaders[0]
			var panels map[string]LeaderPanels
			switch tc.panels {
			case "":
				panels = mustPanels(t, prevIn)
			case "other":
				panels = mustPanels(t, Input{Instrument: inst, Ratings: panelCycle(keys, 3, append(tc.prev, people(Peer, "extra"))...), Config: cfg})
			}
			// self 3 -> 5: the self change is +2 whatever happens to the rest.
			l := mustScore(t, Input{Instrument: inst, Ratings: panelCycle(keys, 5, tc.cur...), Config: cfg,
				Previous: map[string]Leader{"L": prev}, PreviousPanels: panels}).Leaders[0]
			trends := []*Trend{l.Skills[0].Trend, l.Items[0].Trend, l.Items[1].Trend}
			for i, tr := range trends {
				if tr == nil || tr.SelfChange.Value != 2 {
					t.Fatalf("trend %d = %+v, want one with self change +2", i, tr)
				}
				if tc.want == 0 {
					if !tr.Change.Available() || !tr.Previous.Available() || tr.PreviousN == 0 {
						t.Errorf("trend %d = %+v, want it shown", i, tr)
					}
					continue
				}
				if tr.Change.Reason != tc.want || tr.Previous.Reason != tc.want || tr.CI.Reason != tc.want || tr.PreviousN != 0 || tr.OutsideNoise {
					t.Errorf("trend %d = %+v, want withheld as %s", i, tr, tc.want)
				}
			}
		})
	}
}

// TestTrendWithheldForOneNewPeerOn39Items is issue #10's case: four peers,
// then the same four answering as before and one new peer. The two results
// give the new peer's every answer as 5 x new mean - 4 x old mean; the
// trend, which would print that difference, is withheld on every item and
// skill.
func TestTrendWithheldForOneNewPeerOn39Items(t *testing.T) {
	t.Parallel()
	inst := Instrument{ScalePoints: 5}
	var keys []string
	for s, n := range []int{8, 8, 8, 8, 7} {
		sk := Skill{Key: fmt.Sprint("s", s)}
		for i := range n {
			key := fmt.Sprintf("s%d.%d", s, i)
			keys = append(keys, key)
			sk.Items = append(sk.Items, Item{Key: key, Lineage: "lin-" + key})
		}
		inst.Skills = append(inst.Skills, sk)
	}
	rng := rand.New(rand.NewPCG(10, 7))
	answers := func() []int {
		row := make([]int, len(keys))
		for i := range row {
			row[i] = 1 + rng.IntN(5)
		}
		return row
	}
	old := new(builder)
	for p := range 4 {
		old.rate("L", fmt.Sprint("p", p), Peer, keys, answers()...)
	}
	newPeer := answers()
	cur := &builder{rs: slices.Clone(old.rs)}
	cur.rate("L", "p-new", Peer, keys, newPeer...)
	prevIn := Input{Instrument: inst, Ratings: old.rs}
	prev := mustScore(t, prevIn).Leaders[0]
	l := mustScore(t, Input{Instrument: inst, Ratings: cur.rs,
		Previous: map[string]Leader{"L": prev}, PreviousPanels: mustPanels(t, prevIn)}).Leaders[0]
	for i, it := range l.Items {
		// The data is the attack: the figures of the two cycles pin the
		// new peer's answer (what the trend would have printed, times 5).
		if got := 5*it.AllOthers.Mean.Value - 4*prev.Items[i].AllOthers.Mean.Value; got < float64(newPeer[i])-1e-9 || got > float64(newPeer[i])+1e-9 {
			t.Fatalf("item %s: 5 x new - 4 x old = %v, the new peer answered %d: not the attack", it.Item, got, newPeer[i])
		}
		if it.Trend == nil || it.Trend.Change.Reason != ReasonPanelChanged || it.Trend.Previous.Available() {
			t.Errorf("item %s trend = %+v, want withheld as %s", it.Item, it.Trend, ReasonPanelChanged)
		}
	}
	if len(l.Items) != 39 {
		t.Fatalf("%d items, want 39", len(l.Items))
	}
	for _, s := range l.Skills {
		if s.Trend == nil || s.Trend.Change.Reason != ReasonPanelChanged {
			t.Errorf("skill %s trend = %+v, want withheld as %s", s.Skill, s.Trend, ReasonPanelChanged)
		}
	}
}

// TestPropertyNoShownTrendOnASmallPanelChange: over random pairs of cycles
// (raters joining, leaving, changing relationship, "not observed" answers,
// pooling, k of 3 or 4), no shown trend has panels that differ by 1..k-1
// people (all raters, or the anonymous ones alone), and every trend withheld
// as panel_changed_below_threshold has. Who counted in a figure is found
// without Panels: a rater counts if moving their answers moves the figure.
// Panels must agree with that.
func TestPropertyNoShownTrendOnASmallPanelChange(t *testing.T) {
	t.Parallel()
	shown, withheld := 0, 0
	for seed := range uint64(60) {
		rng := rand.New(rand.NewPCG(seed, 10))
		inst := fiveSkills(3)
		cfg := Config{KMin: 3 + rng.IntN(2)}
		prevRatings, curRatings := genCyclePair(rng, inst)
		prevIn := Input{Instrument: inst, Ratings: prevRatings, Config: cfg}
		curIn := Input{Instrument: inst, Ratings: curRatings, Config: cfg}
		prevPanels := mustPanels(t, prevIn)
		prevCounted, curCounted := countedBy(t, prevIn), countedBy(t, curIn)
		if got, want := mustJSON(t, prevPanels), mustJSON(t, prevCounted); got != want {
			t.Fatalf("seed %d: Panels = %s\nwant (moved figures) %s", seed, got, want)
		}
		prev := map[string]Leader{}
		for _, l := range mustScore(t, prevIn).Leaders {
			prev[l.ParticipantID] = l
		}
		curIn.Previous, curIn.PreviousPanels = prev, prevPanels
		for _, l := range mustScore(t, curIn).Leaders {
			check := func(unit string, tr *Trend, before, after Panel) {
				if tr == nil {
					return
				}
				small := changedBelow(cfg.KMin, slices.Concat(before.Managers, before.Anonymous), slices.Concat(after.Managers, after.Anonymous)) ||
					changedBelow(cfg.KMin, before.Anonymous, after.Anonymous)
				switch {
				case tr.Change.Available():
					shown++
					if small {
						t.Errorf("seed %d, %s %s: trend shown for panels %+v -> %+v (k %d)", seed, l.ParticipantID, unit, before, after, cfg.KMin)
					}
				case tr.Change.Reason == ReasonPanelChanged:
					withheld++
					if !small {
						t.Errorf("seed %d, %s %s: trend withheld for panels %+v -> %+v (k %d)", seed, l.ParticipantID, unit, before, after, cfg.KMin)
					}
				}
			}
			before, after := prevCounted[l.ParticipantID], curCounted[l.ParticipantID]
			for _, s := range l.Skills {
				check(s.Skill, s.Trend, before.Skills[s.Skill], after.Skills[s.Skill])
			}
			for _, it := range l.Items {
				check(it.Item, it.Trend, before.Items[it.Item], after.Items[it.Item])
			}
		}
	}
	if shown < 100 || withheld < 100 {
		t.Fatalf("%d trends shown, %d withheld: the generator does not try both", shown, withheld)
	}
}

// genCyclePair makes two cycles of the same two leaders, each with a pool
// of 12 people who may rate them: the second cycle keeps most raters of the
// first (some in another relationship) and adds a few. Answers are fresh
// each cycle, with "not observed".
func genCyclePair(rng *rand.Rand, inst Instrument) (prev, cur []Rating) {
	rels := []Relationship{Manager, Peer, Peer, DirectReport, DirectReport, Other}
	answer := func(ratings []Rating, leader, rater string, rel Relationship) []Rating {
		for _, s := range inst.Skills {
			for _, it := range s.Items {
				v := NotObserved
				if rng.Float64() >= 0.15 {
					v = Answer(1 + rng.IntN(5))
				}
				ratings = append(ratings, Rating{ParticipantID: leader, RaterID: rater, Relationship: rel, ItemKey: it.Key, Value: v})
			}
		}
		return ratings
	}
	for l := range 2 {
		leader := fmt.Sprint("L", l)
		prev = answer(prev, leader, "self", Self)
		cur = answer(cur, leader, "self", Self)
		keep := 0.6 + 0.4*rng.Float64()
		for p := range 12 {
			person := fmt.Sprint("person-", p)
			rel := rels[rng.IntN(len(rels))]
			switch was := rng.Float64() < 0.7; {
			case was && rng.Float64() < keep:
				prev = answer(prev, leader, person, rel)
				if rng.Float64() < 0.1 {
					rel = rels[rng.IntN(len(rels))]
				}
				cur = answer(cur, leader, person, rel)
			case was:
				prev = answer(prev, leader, person, rel)
			case rng.Float64() < 0.3:
				cur = answer(cur, leader, person, rel)
			}
		}
	}
	return prev, cur
}

// countedBy finds who counted in each shown all-others figure of in by
// moving answers: a rater counts in a figure if setting all their answers to
// 1, or all to 5 (as scored, after reverse keying), moves it. Which answers
// are "not observed" stays, so no routing changes.
func countedBy(t *testing.T, in Input) map[string]LeaderPanels {
	t.Helper()
	reverse := map[string]bool{}
	for _, s := range in.Instrument.Skills {
		for _, it := range s.Items {
			reverse[it.Key] = it.Reverse
		}
	}
	base := mustScore(t, in)
	out := map[string]LeaderPanels{}
	for _, l := range base.Leaders {
		out[l.ParticipantID] = LeaderPanels{Skills: map[string]Panel{}, Items: map[string]Panel{}}
	}
	type rater struct {
		leader, id string
		rel        Relationship
	}
	var raters []rater
	for _, r := range in.Ratings {
		if rt := (rater{r.ParticipantID, r.RaterID, r.Relationship}); r.Relationship != Self && !slices.Contains(raters, rt) {
			raters = append(raters, rt)
		}
	}
	for _, rt := range raters {
		moved := map[string]bool{}
		for _, x := range []Answer{1, 5} {
			rs := slices.Clone(in.Ratings)
			for i := range rs {
				if r := &rs[i]; r.ParticipantID == rt.leader && r.RaterID == rt.id && r.Value != NotObserved {
					r.Value = x
					if reverse[r.ItemKey] {
						r.Value = 6 - x
					}
				}
			}
			res := mustScore(t, Input{Instrument: in.Instrument, Ratings: rs, Config: in.Config})
			for li, l := range res.Leaders {
				if l.ParticipantID != rt.leader {
					continue
				}
				b := &base.Leaders[li]
				for si, s := range l.Skills {
					moved["s:"+s.Skill] = moved["s:"+s.Skill] || s.AllOthers.Mean != b.Skills[si].AllOthers.Mean
				}
				for ii, it := range l.Items {
					moved["i:"+it.Item] = moved["i:"+it.Item] || it.AllOthers.Mean != b.Items[ii].AllOthers.Mean
				}
			}
		}
		lp := out[rt.leader]
		add := func(m map[string]Panel, key string) {
			p := m[key]
			if rt.rel == Manager {
				p.Managers = append(p.Managers, rt.id)
				slices.Sort(p.Managers)
			} else {
				p.Anonymous = append(p.Anonymous, rt.id)
				slices.Sort(p.Anonymous)
			}
			m[key] = p
		}
		for unit, ok := range moved {
			switch {
			case !ok:
			case unit[0] == 's':
				add(lp.Skills, unit[2:])
			default:
				add(lp.Items, unit[2:])
			}
		}
	}
	return out
}
