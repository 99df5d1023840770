package scoring

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
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
	// FocusLowestOthers: the skill colleagues rate lowest.
	FocusLowestOthers = "lowest_others"
	// FocusBlindSpot: a blind spot among the skills colleagues rate lowest
	// (within the margin of the lowest).
	FocusBlindSpot = "blind_spot"
	// FocusFlatProfile: colleagues rate every skill within the margin of
	// each other; the lowest, or a blind spot among them.
	FocusFlatProfile = "flat_profile"
	// FocusOnlySkill: the only skill with a reportable all-others mean.
	FocusOnlySkill = "only_skill"
)

// focus picks the skill causing the most visible friction: what colleagues
// see, relative to the leader's own profile P (the plain mean of the
// reportable all-others skill means) with margin m (the interplay margin,
// (A-1)/16):
//
//   - Candidates are the skills with a reportable all-others mean O at or
//     below P; on a flat profile (every O within m of every other) all of
//     them. A skill colleagues rate above P is never the focus unless the
//     profile is flat, and then it is at most m above P.
//   - Among the candidates within m of the lowest O, a blind spot wins (the
//     largest gap; ties within 1e-9 go to the lower O, then instrument
//     order): the leader does not know, and colleagues see little of it.
//   - Otherwise the lowest O (ties within 1e-9: the larger gap, a missing
//     gap counting as smallest, then instrument order).
//
// A single reportable skill is the focus by default. With none there is no
// focus: a focus resting on the leader's own view alone would not be
// 360-degree feedback.
func focus(skills []SkillResult, profile Number, margin float64) Focus {
	var rated []int
	for i := range skills {
		if skills[i].AllOthers.Mean.Available() {
			rated = append(rated, i)
		}
	}
	if len(rated) == 0 {
		return Focus{
			Reason:   ReasonBelowThreshold,
			Sentence: "Too few colleagues' ratings came in to suggest a focus skill; the report shows your own view and your manager's on their own.",
		}
	}
	o := func(i int) float64 { return skills[i].AllOthers.Mean.Value }
	gap := func(i int) (float64, bool) { return skills[i].Gap.Value.Value, skills[i].Gap.Value.Available() }
	// lower reports whether skill i goes before skill j by others' score:
	// the lower O, then the larger gap, then instrument order (i < j).
	lower := func(i, j int) bool {
		if d := o(j) - o(i); d > guard || d < -guard {
			return d > 0
		}
		gi, hasI := gap(i)
		gj, hasJ := gap(j)
		if hasI && (!hasJ || gi-gj > guard) {
			return true
		}
		if hasJ && (!hasI || gj-gi > guard) {
			return false
		}
		return i < j
	}
	// wider reports whether blind spot i goes before blind spot j: the
	// larger gap, then the lower others' score.
	wider := func(i, j int) bool {
		gi, _ := gap(i)
		gj, _ := gap(j)
		if d := gi - gj; d > guard || d < -guard {
			return d > 0
		}
		return lower(i, j)
	}
	lowest, highest := rated[0], rated[0]
	for _, i := range rated[1:] {
		if lower(i, lowest) {
			lowest = i
		}
		if o(i) > o(highest) {
			highest = i
		}
	}
	if len(rated) == 1 {
		return focusOn(skills, lowest, FocusOnlySkill, focusContext{lowest: lowest, rated: 1})
	}
	rule := FocusLowestOthers
	flat := o(highest)-o(lowest) <= margin+guard
	if flat {
		rule = FocusFlatProfile
	}
	best := lowest
	blind := -1
	for _, i := range rated {
		candidate := flat || o(i)-profile.Value <= guard
		near := o(i)-o(lowest) <= margin+guard
		if candidate && near && skills[i].Gap.Flag == FlagBlindSpot && (blind < 0 || wider(i, blind)) {
			blind = i
		}
	}
	if blind >= 0 {
		best = blind
		if !flat {
			rule = FocusBlindSpot
		}
	}
	return focusOn(skills, best, rule, focusContext{lowest: lowest, rated: len(rated), spread: o(highest) - o(lowest), profile: profile.Value})
}

// focusContext is what the focus's evidence compares the skill with.
type focusContext struct {
	lowest  int     // index of the skill colleagues rate lowest
	rated   int     // skills with a reportable all-others mean
	spread  float64 // highest minus lowest all-others mean
	profile float64 // P, with at least two rated skills
}

// focusOn words the focus on skill i: a kind sentence of advice and an
// evidence sentence that names the numbers behind the choice.
func focusOn(skills []SkillResult, i int, rule string, c focusContext) Focus {
	s := &skills[i]
	name := s.Name
	f := Focus{Skill: s.Skill, Rule: rule}
	switch {
	case rule == FocusOnlySkill && len(skills) == 1:
		f.Sentence = fmt.Sprintf("%s is the skill your colleagues rated, so it is the place to start.", name)
	case rule == FocusOnlySkill:
		f.Sentence = fmt.Sprintf("%s is the only skill with enough colleagues' ratings to compare, so it is the place to start.", name)
	case rule == FocusFlatProfile && s.Gap.Flag == FlagBlindSpot:
		f.Sentence = fmt.Sprintf("Your colleagues rate your skills much alike, and see your %s less strongly than you do, so it is a good place to start a conversation.", lowerFirst(name))
	case rule == FocusFlatProfile:
		f.Sentence = fmt.Sprintf("Your colleagues rate your skills much alike, with %s a little behind the others, so a small step here is the most likely to be noticed.", lowerFirst(name))
	case rule == FocusBlindSpot:
		f.Sentence = fmt.Sprintf("Your colleagues see your %s less strongly than you do, and it is among the skills they rate lowest, so it is a good place to start a conversation.", lowerFirst(name))
	default:
		f.Sentence = fmt.Sprintf("Of your skills, %s is the one your colleagues rate lowest, so a small step here is the most likely to be noticed.", lowerFirst(name))
	}
	f.Evidence = focusEvidence(skills, i, rule, c)
	return f
}

// focusEvidence is the focus's reason in numbers, printed with two decimals
// like every score of a report: colleagues' score and how many colleagues,
// how it compares with the leader's other skills and average, and the gap.
func focusEvidence(skills []SkillResult, i int, rule string, c focusContext) string {
	s := &skills[i]
	var b strings.Builder
	o := s.AllOthers.Mean.Value
	fmt.Fprintf(&b, "Colleagues rate your %s %s (%s)", lowerFirst(s.Name), f2(o), countOf(s.AllOthers.N, "colleague", "colleagues"))
	yours := "your " + numberWord(c.rated) + " skills"
	if c.rated < len(skills) {
		yours = "the " + numberWord(c.rated) + " skills with enough colleagues' ratings"
	}
	switch {
	case rule == FocusOnlySkill && len(skills) == 1:
	case rule == FocusOnlySkill:
		b.WriteString(", the only skill with enough colleagues' ratings")
	case rule == FocusFlatProfile:
		fmt.Fprintf(&b, "; they rate %s within %s of each other, around your average of %s", yours, f2(c.spread), f2(c.profile))
	default:
		if i == c.lowest {
			b.WriteString(", the lowest of " + yours)
		} else {
			l := &skills[c.lowest]
			fmt.Fprintf(&b, ", close to the lowest of %s (%s, %s)", yours, lowerFirst(l.Name), f2(l.AllOthers.Mean.Value))
		}
		if below := c.profile - o; f2(below) == "0.00" {
			fmt.Fprintf(&b, ", at your average of %s", f2(c.profile))
		} else {
			fmt.Fprintf(&b, ", and %s below your average of %s", f2(below), f2(c.profile))
		}
	}
	g := s.Gap
	switch {
	case !g.Self.Available():
		b.WriteString("; you did not rate yourself on it.")
	case !g.Value.Available():
		b.WriteString(".")
	case f2(math.Abs(g.Value.Value)) == "0.00":
		b.WriteString("; your own rating matches theirs.")
	case g.Value.Value > 0:
		fmt.Fprintf(&b, "; you rate yourself %s higher than they do", f2(g.Value.Value))
		if g.Flag == FlagBlindSpot {
			b.WriteString(", a blind spot")
		}
		b.WriteString(".")
	default:
		fmt.Fprintf(&b, "; you rate yourself %s lower than they do.", f2(-g.Value.Value))
	}
	return b.String()
}

// f2 prints a figure in a sentence the way reports print scores: two
// decimals. The figures themselves are never rounded.
func f2(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// countOf is "1 colleague" or "8 colleagues".
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// numberWord spells small counts, as a sentence does ("your five skills").
func numberWord(n int) string {
	words := []string{"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
	if n >= 0 && n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n)
}

// lowerFirst lowers a skill name's capital inside a sentence ("your
// Emotional intelligence" -> "your emotional intelligence"), but keeps an
// acronym ("API design") as it is.
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	next, _ := utf8.DecodeRuneInString(s[size:])
	if !unicode.IsUpper(r) || unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
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
