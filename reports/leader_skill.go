package reports

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lead360/lead360/scoring"
)

// skill draws skill i's pages: its bars by group, what its figures say,
// and the table of its behaviours.
func (v *leaderView) skill(d *Document, i int) {
	s := &v.skills[i]
	d.Add(PageBreak{}, Heading{Text: s.name, Level: 1})
	if s.description != "" {
		d.Add(Paragraph{Text: s.description})
	}
	d.Keep(Bars{Rows: v.skillBars(s)})
	if notes := v.skillNotes(s); len(notes) > 0 {
		d.Add(Paragraph{Text: strings.Join(notes, " ")})
	}
	// The key comes before the table: after it, it could be left alone at
	// the top of a page.
	d.Add(Heading{Text: "Behaviours", Level: 2},
		Muted{Text: "You: your own answer. Colleagues: the mean of all colleagues, with n and its " + textCI + ". Gap: your answer minus theirs. " +
			"Answers: how many colleagues gave each answer from 1 to 5, and n/o “not observed”."},
		ItemTable{Rows: v.behaviourRows(s)})
}

// skillBars are a skill's bars in the report's group order: every shown
// group, a note for a missing self answer and for each group held back,
// and all others last.
func (v *leaderView) skillBars(s *skillView) []Bar {
	res := s.res
	var bars []Bar
	shown := map[scoring.Group]bool{}
	for _, g := range res.Groups {
		shown[g.Group] = true
		bars = append(bars, groupBar(g))
	}
	if !shown[scoring.GroupSelf] {
		bars = append([]Bar{{Label: textYou, Style: StyleSelf, Note: textNoSelf}}, bars...)
	}
	for _, sup := range v.in.Leader.Suppressed {
		if sup.Group != scoring.GroupAllOthers && !shown[sup.Group] && slices.Contains(sup.Skills, s.key) {
			note := "Not shown: fewer than " + strconv.Itoa(v.k) + " answered"
			if sup.Reason == scoring.SuppressedPooled {
				note = "Fewer than " + strconv.Itoa(v.k) + ": combined into “Other colleagues”"
			}
			bars = append(bars, Bar{Label: groupLabel(sup.Group), Note: note})
		}
	}
	// Hidden groups were appended after the shown ones; put every bar back
	// in the report's group order.
	slices.SortStableFunc(bars, func(a, b Bar) int { return groupRank(a.Label) - groupRank(b.Label) })
	all := Bar{Label: textAllOthers, Value: num(res.AllOthers.Mean)}
	if all.Value.Valid {
		all.N = res.AllOthers.N
		all.Low, all.High = interval(res.AllOthers.CI)
	} else {
		all.Note = fmt.Sprintf(textNotShownK, v.k)
	}
	return append(bars, all)
}

// groupBar is a shown group's bar. Self has no n or interval, nor has a
// single manager.
func groupBar(g scoring.GroupStats) Bar {
	b := Bar{Label: groupLabel(g.Group), Value: num(g.Mean)}
	switch g.Group {
	case scoring.GroupSelf:
		b.Style = StyleSelf
	case scoring.GroupManager:
		b.Style = StyleManager
		if g.N > 1 {
			b.N = g.N
			b.Low, b.High = interval(g.CI)
		}
	default:
		b.N = g.N
		b.Low, b.High = interval(g.CI)
	}
	return b
}

// skillNotes are the sentences under a skill's bars: the gap, how far
// raters agree, where they disagree most, and the trend.
func (v *leaderView) skillNotes(s *skillView) []string {
	res := s.res
	var notes []string
	if !res.AllOthers.Mean.Available() {
		notes = append(notes, fmt.Sprintf("Fewer than %d colleagues rated this skill, so there is no colleagues' score and no gap for it. "+
			"What is shown is your own view and, where there is one, your manager's.", v.k))
	} else {
		notes = append(notes, gapSentence(res))
		if ag := res.AllOthers.RwgJ; ag != nil && ag.Lindell.Available() {
			if ag.Lindell.Value >= agreementCut {
				notes = append(notes, fmt.Sprintf("Raters largely agree (agreement %.2f on a 0 to 1 scale).", ag.Lindell.Value))
			} else {
				notes = append(notes, fmt.Sprintf("Raters disagree: read the mean with care (agreement %.2f on a 0 to 1 scale). Their answers are spread out, so the conversations behind them matter more than the average.", max(ag.Lindell.Value, 0)))
			}
		}
		if sentence := v.spreadSentence(s.key); sentence != "" {
			notes = append(notes, sentence)
		}
	}
	if tr := res.Trend; tr != nil {
		notes = append(notes, v.trendSentence(tr))
	}
	return notes
}

// gapSentence gives colleagues' score of a skill and, when there is a self
// score, the gap and what its flag means.
func gapSentence(res *scoring.SkillResult) string {
	g := res.Gap
	gap := fmt.Sprintf("Colleagues' score %s (n=%d, %s %s)", num(g.Others).format(), g.N, textCI, ciText(res.AllOthers.CI))
	if g.Value.Available() {
		gap += fmt.Sprintf("; yours %s; gap %s", num(g.Self).format(), signed(num(g.Value)))
		switch g.Flag {
		case scoring.FlagBlindSpot:
			gap += ": a blind spot, a perception gap worth talking about"
		case scoring.FlagHiddenStrength:
			gap += ": a hidden strength, colleagues see more of this than you do"
		}
	}
	return gap + "."
}

// spreadSentence names the skill's behaviours on which raters agree least,
// or is empty when there are none.
func (v *leaderView) spreadSentence(skill string) string {
	var spread []string
	for _, it := range v.in.Leader.LeastAgreement {
		if it.Skill == skill && it.Rwg.Available() && it.Rwg.Value < agreementCut {
			spread = append(spread, "#"+strconv.Itoa(v.items[it.Item].number))
		}
	}
	if len(spread) == 0 {
		return ""
	}
	word := "behaviour "
	if len(spread) > 1 {
		word = "behaviours "
	}
	return "Views differ most on " + word + list(spread) + "."
}

// behaviourRows are the rows of a skill's behaviour table.
func (v *leaderView) behaviourRows(s *skillView) []ItemRow {
	rows := make([]ItemRow, len(s.items))
	for j, it := range s.items {
		row := ItemRow{Number: strconv.Itoa(j + 1), Text: v.items[it.Item].text, Self: num(it.Gap.Self)}
		if it.Reverse {
			// The figures are recoded so that higher is better; without
			// this note a low score on "they take back a task" would read
			// as "they rarely do", the opposite of what raters said.
			row.Text += " " + textReverseScored
		}
		if it.AllOthers.Mean.Available() {
			row.Others = num(it.AllOthers.Mean)
			row.N = it.AllOthers.N
			row.Low, row.High = interval(it.AllOthers.CI)
			row.Gap = num(it.Gap.Value)
			row.Flag = flagText(it.Gap.Flag)
			if dist := it.AllOthers.Distribution; dist != nil {
				for _, c := range dist.Counts {
					row.Counts = append(row.Counts, int(c))
				}
				row.Counts = append(row.Counts, int(dist.NotObserved))
			}
		} else {
			row.Note = fmt.Sprintf(textNotShownAns, v.k)
		}
		rows[j] = row
	}
	return rows
}

// trendSentence compares a skill with the previous cycle, or says plainly
// why it is not compared. The leader's own change is always theirs to see.
func (v *leaderView) trendSentence(tr *scoring.Trend) string {
	var s string
	switch tr.Change.Reason {
	case 0:
		s = fmt.Sprintf("Since your previous cycle, colleagues' score went from %s (n=%d) to this one, a change of %s (%s %s).",
			num(tr.Previous).format(), tr.PreviousN, signed(num(tr.Change)), textCI, changeText(tr.CI))
		if tr.OutsideNoise {
			s += " The change is larger than the uncertainty of the two scores."
		} else {
			s += " The change is within the uncertainty of the two scores, so it may be chance."
		}
	case scoring.ReasonPanelChanged:
		s = fmt.Sprintf(textTrendPanelChanged, v.k)
	case scoring.ReasonPreviousPanelUnknown:
		s = textTrendPanelUnknown
	case scoring.ReasonLineageChanged:
		s = "No comparison with your previous cycle: it asked about other behaviours of this skill (another form of the questionnaire, or other wording), so the two scores do not measure the same thing."
	default:
		s = "No comparison with your previous cycle for this skill: too few colleagues' ratings in one of the two cycles."
	}
	if tr.SelfChange.Available() {
		s += " Your own score changed by " + signed(num(tr.SelfChange)) + "."
	}
	return s
}
