package scoring

import (
	"math"

	"github.com/lead360/lead360/scoring/psychometrics"
)

// trends compares the leader with their previous released result. An item
// is compared only when its lineage is the same (and not empty) in both
// cycles; a skill only when its set of (item key, lineage) pairs is the same.
func (s *scorer) trends(l *Leader, prev *Leader) {
	prevItems := make(map[string]*ItemResult, len(prev.Items))
	prevSkillItems := map[string][]string{}
	for i := range prev.Items {
		it := &prev.Items[i]
		prevItems[it.Item] = it
		prevSkillItems[it.Skill] = append(prevSkillItems[it.Skill], it.Item+"\x00"+it.Lineage)
	}
	prevSkills := make(map[string]*SkillResult, len(prev.Skills))
	for i := range prev.Skills {
		prevSkills[prev.Skills[i].Skill] = &prev.Skills[i]
	}
	for i := range l.Items {
		it := &l.Items[i]
		p, ok := prevItems[it.Item]
		switch {
		case !ok:
			it.Trend = unavailableTrend(ReasonNoPrevious)
		case it.Lineage == "" || p.Lineage != it.Lineage:
			it.Trend = unavailableTrend(ReasonLineageChanged)
		default:
			it.Trend = s.trend(&it.AllOthers, &p.AllOthers, it.Gap.Self, p.Gap.Self)
		}
	}
	for si := range l.Skills {
		sk := &l.Skills[si]
		p, ok := prevSkills[sk.Skill]
		if !ok {
			sk.Trend = unavailableTrend(ReasonNoPrevious)
			continue
		}
		cs := &s.inst.skills[si]
		same := len(prevSkillItems[sk.Skill]) == cs.end-cs.first
		if same {
			want := map[string]bool{}
			for _, k := range prevSkillItems[sk.Skill] {
				want[k] = true
			}
			for _, ci := range s.inst.items[cs.first:cs.end] {
				if ci.lineage == "" || !want[ci.key+"\x00"+ci.lineage] {
					same = false
				}
			}
		}
		if !same {
			sk.Trend = unavailableTrend(ReasonLineageChanged)
			continue
		}
		sk.Trend = s.trend(&sk.AllOthers, &p.AllOthers, sk.Gap.Self, p.Gap.Self)
	}
}

func unavailableTrend(r Reason) *Trend {
	return &Trend{
		Previous:   notAvailable(r),
		Change:     notAvailable(r),
		CI:         Interval{Reason: r},
		SelfChange: notAvailable(r),
	}
}

// trend is the change of the all-others mean with its 95% interval: Welch's
// standard error sqrt(s1^2/n1 + s2^2/n2) and the conservative df
// min(n1, n2) - 1, which is never larger than the Welch-Satterthwaite df, so
// the interval is never narrower than Welch's. The change is "outside the
// noise" when the interval excludes 0 by more than 1e-9. When both SDs are 0
// the interval is the point itself.
func (s *scorer) trend(cur, prev *GroupStats, self, prevSelf Number) *Trend {
	t := &Trend{Previous: prev.Mean, PreviousN: prev.N}
	if !prev.Mean.Available() {
		t.Previous = notAvailable(ReasonNoPrevious)
	}
	if self.Available() && prevSelf.Available() {
		t.SelfChange = num(self.Value - prevSelf.Value)
	} else {
		t.SelfChange = notAvailable(ReasonNoSelfScore)
	}
	switch {
	case !cur.Mean.Available():
		t.Change, t.CI = notAvailable(cur.Mean.Reason), Interval{Reason: cur.Mean.Reason}
		return t
	case !prev.Mean.Available():
		t.Change, t.CI = notAvailable(ReasonNoPrevious), Interval{Reason: ReasonNoPrevious}
		return t
	}
	d := cur.Mean.Value - prev.Mean.Value
	t.Change = num(d)
	if !cur.SD.Available() || !prev.SD.Available() || cur.N < 2 || prev.N < 2 {
		t.CI = Interval{Reason: ReasonTooFew}
		return t
	}
	se := math.Sqrt(cur.SD.Value*cur.SD.Value/float64(cur.N) + prev.SD.Value*prev.SD.Value/float64(prev.N))
	df := min(cur.N, prev.N) - 1
	tc, err := psychometrics.T975(df)
	if err != nil {
		// cur.N and prev.N are at least 2 here, so df >= 1 and T975 cannot fail.
		t.CI = Interval{Reason: ReasonTooFew}
		return t
	}
	half := tc * se
	t.CI = Interval{Lower: d - half, Upper: d + half, DF: df}
	t.OutsideNoise = t.CI.Lower > guard || t.CI.Upper < -guard
	return t
}
