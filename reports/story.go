package reports

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lead360/lead360/scoring"
)

// Story is what a leader should take from their report in a minute: the
// focus skill and why, what colleagues see most and least, the largest
// perception gaps, who answered and how the leader's self-view compares
// with other leads'. The PDF's first page and the web results page both
// tell it from this one value, so they use the same words and numbers.
type Story struct {
	Focus StoryFocus
	// Strengths and Grow are colleagues' highest- and lowest-rated
	// behaviours, at most storyItems each.
	Strengths, Grow []StoryItem
	// BlindSpots and HiddenStrengths group the flagged behaviours by skill,
	// largest gap first, at most storyGapRows rows each; the More counts
	// are the flagged behaviours left for the perception gaps section.
	BlindSpots, HiddenStrengths []StoryGap
	MoreBlindSpots, MoreHidden  int
	// Answered says who answered, per group, in one sentence.
	Answered string
	// Cohort compares the leader's self-view with the other leads' in
	// plain words; empty when the cycle makes no such comparison.
	Cohort string
	// HeldBack says, one sentence each, what the anonymity rules held back
	// and why (without counts: the engine's list carries none).
	HeldBack []string
}

// StoryFocus is the skill to work on first and the reason for it.
type StoryFocus struct {
	Skill, Name        string // empty when there is no focus
	Sentence, Evidence string
}

// StoryItem is one behaviour with colleagues' score.
type StoryItem struct {
	Text, Skill string
	Number      int // the behaviour's number within its skill
	// Reverse marks a behaviour worded as something to do less of, whose
	// score is recoded so that higher is better.
	Reverse bool
	Score   string
	N       int
}

// StoryGap is the flagged behaviours of one skill, with the leader's and
// colleagues' scores written once when they repeat ("5.00"), or as a range.
type StoryGap struct {
	Skill      string
	Behaviours []int // numbers within the skill, in order
	Self       string
	Colleagues string
	of         int // behaviours the skill has
	largest    float64
}

// BehaviourList names the gap's behaviours as briefly as they can be
// named: "behaviour #3", "behaviours #1, #4 and #6", "all 8 behaviours" or
// "all behaviours but #5".
func (g StoryGap) BehaviourList() string {
	refs := func(numbers []int) string {
		out := make([]string, len(numbers))
		for i, n := range numbers {
			out[i] = "#" + strconv.Itoa(n)
		}
		return list(out)
	}
	switch missing := g.of - len(g.Behaviours); {
	case len(g.Behaviours) == 1:
		return "behaviour " + refs(g.Behaviours)
	case missing == 0:
		return "all " + strconv.Itoa(g.of) + " behaviours"
	case missing <= 2 && len(g.Behaviours) > missing:
		var left []int
		for n := 1; n <= g.of; n++ {
			if !slices.Contains(g.Behaviours, n) {
				left = append(left, n)
			}
		}
		return "all behaviours but " + refs(left)
	}
	return "behaviours " + refs(g.Behaviours)
}

const (
	storyItems   = 3
	storyGapRows = 3
)

// NewStory tells a leader report's story.
func NewStory(in LeaderReport) Story {
	return newLeaderView(in).story()
}

func (v *leaderView) story() Story {
	l := &v.in.Leader
	st := Story{
		Focus:    StoryFocus{Skill: l.Focus.Skill, Sentence: l.Focus.Sentence, Evidence: l.Focus.Evidence},
		Answered: v.answered(),
		Cohort:   v.cohortSentence(),
		HeldBack: v.heldBack(),
	}
	if l.Focus.Skill != "" {
		st.Focus.Name = v.skillName(l.Focus.Skill)
	}
	item := func(r scoring.ItemRank) StoryItem {
		ref := v.items[r.Item]
		return StoryItem{Text: ref.text, Skill: ref.skill, Number: ref.number, Reverse: ref.reverse, Score: num(r.Mean).format(), N: r.N}
	}
	for _, r := range l.TopItems[:min(storyItems, len(l.TopItems))] {
		st.Strengths = append(st.Strengths, item(r))
	}
	for _, r := range l.BottomItems[:min(storyItems, len(l.BottomItems))] {
		st.Grow = append(st.Grow, item(r))
	}
	st.BlindSpots, st.MoreBlindSpots = v.gapRows(scoring.FlagBlindSpot)
	st.HiddenStrengths, st.MoreHidden = v.gapRows(scoring.FlagHiddenStrength)
	return st
}

// gapRows groups the behaviours with one flag by skill, keeps the
// storyGapRows skills with the largest gaps, and counts the behaviours of
// the skills left out.
func (v *leaderView) gapRows(flag scoring.Flag) ([]StoryGap, int) {
	var rows []StoryGap
	for _, s := range v.skills {
		var g StoryGap
		var self, others []float64
		for _, it := range s.items {
			if it.Gap.Flag != flag {
				continue
			}
			g.Behaviours = append(g.Behaviours, v.items[it.Item].number)
			self = append(self, it.Gap.Self.Value)
			others = append(others, it.Gap.Others.Value)
			g.largest = max(g.largest, math.Abs(it.Gap.Value.Value))
		}
		if len(g.Behaviours) == 0 {
			continue
		}
		g.Skill, g.Self, g.Colleagues, g.of = s.name, figureRange(self), figureRange(others), len(s.items)
		rows = append(rows, g)
	}
	// Largest gap first; a tie keeps the instrument's skill order.
	slices.SortStableFunc(rows, func(a, b StoryGap) int {
		switch {
		case a.largest > b.largest:
			return -1
		case a.largest < b.largest:
			return 1
		}
		return 0
	})
	more := 0
	for _, r := range rows[min(storyGapRows, len(rows)):] {
		more += len(r.Behaviours)
	}
	return rows[:min(storyGapRows, len(rows))], more
}

// figureRange prints scores that repeat once ("5.00") and others as their
// range ("3.25–3.75"), as the report prints them.
func figureRange(scores []float64) string {
	lo, hi := slices.Min(scores), slices.Max(scores)
	if Val(lo).format() == Val(hi).format() {
		return Val(lo).format()
	}
	return "between " + Val(lo).format() + " and " + Val(hi).format()
}

// answered says who answered in one sentence, from the same counts as the
// "Who responded" table: "You, your manager, 4 peers and 3 direct reports:
// 8 colleagues in all."
func (v *leaderView) answered() string {
	most, self := v.mostRaters()
	var who []string
	if self {
		who = append(who, "you")
	}
	if most[scoring.GroupManager] > 0 {
		who = append(who, "your manager")
	}
	for _, g := range []scoring.Group{scoring.GroupPeer, scoring.GroupDirectReport, scoring.GroupOther, scoring.GroupOtherColleagues} {
		if n := most[g]; n > 0 {
			who = append(who, strconv.Itoa(n)+" "+lowerFirst(groupLabel(g)))
		}
	}
	if len(who) == 0 {
		return "Too few people answered to show any colleagues' score."
	}
	s := upperFirst(list(who))
	if n := most[scoring.GroupAllOthers]; n > 0 {
		s += ": " + plural(n, "colleague", "colleagues") + " in all"
	}
	if !self {
		s += ". You did not rate yourself"
	}
	return s + "."
}

// mostRaters is the most raters shown per group (scoring.Leader.MostRaters)
// and whether the leader rated themself.
func (v *leaderView) mostRaters() (map[scoring.Group]int, bool) {
	most := v.in.Leader.MostRaters()
	return most, most[scoring.GroupSelf] > 0
}

// Words for a leader's self-other agreement category (Atwater and
// Yammarino): the band is the cohort's mean gap plus or minus half a
// standard deviation, so "typical" is the honest word for it, not "most".
const (
	cohortGenerous = "More generous than typical"
	cohortTypical  = "Close to typical"
	cohortModest   = "More modest than typical"
)

// CohortWords names an agreement category in plain words.
func CohortWords(category string) string {
	switch category {
	case "over_estimator":
		return cohortGenerous
	case "under_estimator":
		return cohortModest
	}
	return cohortTypical
}

// cohortSentence says how leads in the cycle rate themselves against their
// colleagues on average, and where this leader's self-view sits among
// them, without any band of signed numbers.
func (v *leaderView) cohortSentence() string {
	rows := v.in.Agreement
	if len(rows) == 0 {
		return ""
	}
	mean := 0.0
	var generous, modest []string
	for _, a := range rows {
		mean += (a.Lower + a.Upper) / 2
		switch a.Category {
		case "over_estimator":
			generous = append(generous, v.skillName(a.Skill))
		case "under_estimator":
			modest = append(modest, v.skillName(a.Skill))
		}
	}
	mean /= float64(len(rows))
	s := "On average, the " + strconv.Itoa(rows[0].CohortN) + " leads in this cycle rate themselves " + typicalGap(mean) + ". "
	switch {
	case len(generous) == 0 && len(modest) == 0:
		return s + "Compared with them, your own ratings are close to typical on every skill."
	case len(generous) > 0 && len(modest) > 0:
		s += "Compared with them, you rate yourself more generously on " + list(generous) + " and more modestly on " + list(modest)
	case len(generous) > 0:
		s += "Compared with them, you rate yourself more generously on " + list(generous)
	default:
		s += "Compared with them, you rate yourself more modestly on " + list(modest)
	}
	if rest := len(rows) - len(generous) - len(modest); rest > 0 {
		s += ", and close to typical on " + plural(rest, "other skill", "other skills")
	}
	return s + "."
}

// typicalGap words a mean self-minus-colleagues gap. The cuts are the
// report's rounding: under 0.15 of a point reads as "about the same".
func typicalGap(mean float64) string {
	switch {
	case mean >= 0.5:
		return "well above how their colleagues rate them"
	case mean >= 0.15:
		return "a little above how their colleagues rate them"
	case mean > -0.15:
		return "about as their colleagues rate them"
	case mean > -0.5:
		return "a little below how their colleagues rate them"
	}
	return "well below how their colleagues rate them"
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
