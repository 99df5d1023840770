package scoring

import (
	"cmp"
	"fmt"
	"slices"
)

// listSize is the length of the top, bottom and least-agreement lists.
const listSize = 5

// minProfileSkills is the fewest skills with a reportable all-others mean
// for a leader's profile mean, and so for interplay insights.
const minProfileSkills = 2

// profileMean is the plain mean of the leader's reportable all-others skill
// means: the baseline against which a skill is "strong" or "weak".
func profileMean(skills []SkillResult) Number {
	var xs []float64
	for _, s := range skills {
		if s.AllOthers.Mean.Available() {
			xs = append(xs, s.AllOthers.Mean.Value)
		}
	}
	if len(xs) < minProfileSkills {
		return notAvailable(ReasonTooFew)
	}
	return num(mean(xs))
}

func rankOf(it *ItemResult) ItemRank {
	r := ItemRank{Item: it.Item, Skill: it.Skill, Mean: it.AllOthers.Mean, SD: it.AllOthers.SD, N: it.AllOthers.N, Rwg: notAvailable(ReasonNotComputed)}
	if it.AllOthers.Rwg != nil {
		r.Rwg = it.AllOthers.Rwg.Value
	}
	return r
}

// topBottom returns the items with the highest and the lowest all-others
// means, among items whose all-others is reportable. Ties keep instrument
// order. The lists never share an item: with m reportable items, the top
// list has min(5, ceil(m/2)) and the bottom list min(5, m - top).
func topBottom(items []ItemResult) (top, bottom []ItemRank) {
	var idx []int
	for i := range items {
		if items[i].AllOthers.Mean.Available() {
			idx = append(idx, i)
		}
	}
	m := len(idx)
	nTop := min(listSize, (m+1)/2)
	nBottom := min(listSize, m-nTop)
	// Ties go to instrument order: the index breaks them, which gives the
	// order of a stable sort without its cost.
	byMean := func(a, b int) int { return cmp.Compare(items[a].AllOthers.Mean.Value, items[b].AllOthers.Mean.Value) }
	desc := slices.Clone(idx)
	slices.SortFunc(desc, func(a, b int) int { return cmp.Or(byMean(b, a), cmp.Compare(a, b)) })
	asc := slices.Clone(idx)
	slices.SortFunc(asc, func(a, b int) int { return cmp.Or(byMean(a, b), cmp.Compare(a, b)) })
	top = make([]ItemRank, 0, nTop)
	inTop := map[int]bool{}
	for _, i := range desc[:nTop] {
		top = append(top, rankOf(&items[i]))
		inTop[i] = true
	}
	bottom = make([]ItemRank, 0, nBottom)
	for _, i := range asc {
		if len(bottom) == nBottom {
			break
		}
		if !inTop[i] {
			bottom = append(bottom, rankOf(&items[i]))
		}
	}
	return top, bottom
}

// leastAgreement returns up to five items whose all-others answers are the
// most spread out: highest SD, which for a fixed scale is the same order as
// lowest untruncated r_wg (r_wg = 1 - SD^2/sigma_EU^2; the truncated r_wg
// would tie every polarised item at 0). Only items with a reportable
// all-others and an SD above 0 qualify. Ties keep instrument order.
func leastAgreement(items []ItemResult) []ItemRank {
	var idx []int
	for i := range items {
		if sd := items[i].AllOthers.SD; items[i].AllOthers.Mean.Available() && sd.Available() && sd.Value > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(items[b].AllOthers.SD.Value, items[a].AllOthers.SD.Value), cmp.Compare(a, b))
	})
	out := make([]ItemRank, 0, min(listSize, len(idx)))
	for _, i := range idx[:min(listSize, len(idx))] {
		out = append(out, rankOf(&items[i]))
	}
	return out
}

// Focus rules (docs/scoring.md, "Focus skill").
const (
	FocusBlindSpot    = "blind_spot"
	FocusLowestOthers = "lowest_others"
)

// focus picks one skill among those with a reportable all-others mean:
//
//   - if any skill is flagged as a blind spot, the one with the largest gap
//     (ties within 1e-9: the lower others' mean, then instrument order);
//   - otherwise the skill with the lowest others' mean (ties within 1e-9:
//     the larger gap, a missing gap counting as smallest, then instrument
//     order).
//
// With no reportable all-others mean there is no focus: a focus resting on
// the leader's own view alone would not be 360-degree feedback.
func focus(skills []SkillResult) Focus {
	best, rule := -1, FocusLowestOthers
	for i := range skills {
		if skills[i].Gap.Flag == FlagBlindSpot {
			rule = FocusBlindSpot
		}
	}
	gapOf := func(i int) (float64, bool) { return skills[i].Gap.Value.Value, skills[i].Gap.Value.Available() }
	for i := range skills {
		s := &skills[i]
		if !s.AllOthers.Mean.Available() || (rule == FocusBlindSpot && s.Gap.Flag != FlagBlindSpot) {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		o, bo := s.AllOthers.Mean.Value, skills[best].AllOthers.Mean.Value
		g, hasG := gapOf(i)
		bg, hasBG := gapOf(best)
		if rule == FocusBlindSpot {
			if g-bg > guard || (g-bg >= -guard && bo-o > guard) {
				best = i
			}
			continue
		}
		switch {
		case bo-o > guard:
			best = i
		case o-bo > guard:
		case hasG && (!hasBG || g-bg > guard):
			best = i
		}
	}
	if best < 0 {
		return Focus{
			Reason:   ReasonBelowThreshold,
			Sentence: "Too few colleagues' ratings came in to suggest a focus skill; the report shows your own view and your manager's on their own.",
		}
	}
	name := skills[best].Name
	f := Focus{Skill: skills[best].Skill, Rule: rule}
	if rule == FocusBlindSpot {
		f.Sentence = fmt.Sprintf("Your colleagues see your %s less strongly than you do, and this is where their view differs most from yours, so it is a good place to start a conversation.", name)
	} else {
		f.Sentence = fmt.Sprintf("Of your skills, %s is the one your colleagues rate lowest, so a small step here is the most likely to be noticed.", name)
	}
	return f
}

// Skill keys the interplay rules refer to (the built-in instrument's keys).
const (
	skillDelegation = "delegation"
	skillCoaching   = "coaching"
	skillFeedback   = "feedback"
	skillConflict   = "conflict_resolution"
	skillEI         = "emotional_intelligence"
)

// interplay applies the skill-interplay rules. "Strong" and "weak" are
// relative to the leader's own profile P (the mean of their reportable
// all-others skill means), with margin m = (A-1)/16 (0.25 on 1-5):
// strong means O >= P + m, weak means O <= P - m (both with the 1e-9 guard).
// A rule needs every skill it names to have a reportable all-others mean.
func interplay(skills []SkillResult, profile Number, margin float64) []Insight {
	out := []Insight{}
	if !profile.Available() {
		return out
	}
	P := profile.Value
	others := map[string]float64{}
	for _, s := range skills {
		if s.AllOthers.Mean.Available() {
			others[s.Skill] = s.AllOthers.Mean.Value
		}
	}
	strong := func(k string) bool { o, ok := others[k]; return ok && o-P >= margin-guard }
	weak := func(k string) bool { o, ok := others[k]; return ok && P-o >= margin-guard }
	add := func(key string, explanation string, keys ...string) {
		out = append(out, Insight{Key: key, Skills: keys, Explanation: explanation})
	}
	if strong(skillDelegation) && weak(skillFeedback) {
		add("strong_delegation_weak_feedback",
			"Colleagues see you hand work over well, and see less feedback from you; people who own work need to hear how it is going, so regular feedback helps your delegation land.",
			skillDelegation, skillFeedback)
	}
	if strong(skillCoaching) && weak(skillConflict) {
		add("strong_coaching_weak_conflict_resolution",
			"Colleagues value your coaching, and see you less at ease with disagreements; the trust you build when coaching is a good base for raising conflicts early.",
			skillCoaching, skillConflict)
	}
	if strong(skillEI) && weak(skillFeedback) {
		add("strong_emotional_intelligence_weak_feedback",
			"Colleagues see you as attentive to how people feel, and see less feedback from you; that same attention can help you give honest feedback kindly.",
			skillEI, skillFeedback)
	}
	// Weak emotional intelligence beside otherwise strong skills: EI is weak
	// and every other reportable skill (at least two) is at or above P.
	if weak(skillEI) {
		rest := 0
		ok := true
		for k, o := range others {
			if k == skillEI {
				continue
			}
			rest++
			if P-o > guard {
				ok = false
			}
		}
		if ok && rest >= 2 {
			add("weak_emotional_intelligence_otherwise_strong",
				"Colleagues see your other skills as strengths, and see emotional intelligence less; paying attention to how people react could help those strengths land even better.",
				skillEI)
		}
	}
	return out
}
