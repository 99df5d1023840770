package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lead360/lead360/assessment"
)

// summary is the first page: who the report is for, then the story a
// leader should take away in a minute (Story), in the order a coach would
// tell it: what to work on and why, what colleagues see most and least,
// the largest perception gaps and who answered. It is one page: when a
// long story would spill over, the gap rows and then the behaviour rows
// are cut back (the sections after it list them all), never the focus.
func (v *leaderView) summary(d *Document) {
	st := v.story()
	for items, gaps := storyItems, storyGapRows; ; {
		blocks := v.summaryBlocks(st, items, gaps)
		switch {
		case d.height(blocks...) <= bodyHeight || items == 1:
		case gaps > 1:
			gaps--
			continue
		default:
			items--
			continue
		}
		d.Add(blocks...)
		return
	}
}

// summaryBlocks lays out the story with at most items behaviour rows and
// gaps gap rows of each kind.
func (v *leaderView) summaryBlocks(st Story, items, gaps int) []Block {
	in := v.in
	blocks := []Block{Cover{Kicker: textKicker + " " + textDot + " " + strings.ToUpper(textCoverTitle), Title: in.LeaderName,
		Details: []string{in.CycleName + " " + textDot + " survey open " + date(in.OpensAt) + " " + textDash + " " + date(in.ClosesAt)}}}
	focus := Callout{Title: "No focus skill this time", Text: st.Focus.Sentence}
	if st.Focus.Skill != "" {
		focus.Title = "Your focus: " + st.Focus.Name
		focus.Text += "\n" + st.Focus.Evidence
	}
	blocks = append(blocks, focus)
	cols := []Column{{Header: textBehaviour, Width: 5.6}, {Header: "Skill", Width: 3.1}, {Header: textOthers, Width: 1.5, Numeric: true}, {Header: "n", Width: 0.5, Numeric: true}}
	for _, part := range []struct {
		title string
		items []StoryItem
	}{{secStoryTop, st.Strengths}, {secStoryGrow, st.Grow}} {
		if len(part.items) == 0 {
			continue
		}
		var rows [][]string
		for _, it := range part.items[:min(items, len(part.items))] {
			text := it.Text
			if it.Reverse {
				text += " " + textReverseScored
			}
			rows = append(rows, []string{text, it.Skill + " #" + strconv.Itoa(it.Number), it.Score, strconv.Itoa(it.N)})
		}
		blocks = append(blocks, Heading{Text: part.title, Level: 2}, Table{Columns: cols, Rows: rows})
	}
	if len(st.BlindSpots)+len(st.HiddenStrengths) > 0 {
		var rows [][]string
		more := st.MoreBlindSpots + st.MoreHidden
		for _, part := range []struct {
			label string
			gaps  []StoryGap
		}{{textBlindSpot, st.BlindSpots}, {textHiddenStrength, st.HiddenStrengths}} {
			for i, g := range part.gaps {
				if i >= gaps {
					more += len(g.Behaviours)
					continue
				}
				rows = append(rows, []string{part.label, g.Skill + ", " + g.BehaviourList(), g.Self, g.Colleagues})
			}
		}
		blocks = append(blocks, Heading{Text: secStoryGaps, Level: 2},
			Table{Columns: []Column{{Header: "Gap", Width: 1.9}, {Header: "Where", Width: 6.6}, {Header: textYou, Width: 1, Numeric: true}, {Header: textOthers, Width: 1.7, Numeric: true}}, Rows: rows})
		if more > 0 {
			blocks = append(blocks, Muted{Text: plural(more, "more behaviour", "more behaviours") + " with a gap in other skills: see “" + secGaps + "”."})
		}
	}
	who := secStoryWho + ": " + st.Answered
	if len(st.HeldBack) > 0 {
		who += " Some answers are held back to keep raters anonymous; the appendix says which."
	}
	return append(blocks, Muted{Text: who})
}

// overview is the five skills side by side: the radar, then the table of
// scores, gaps and the comparison with other leads in words.
func (v *leaderView) overview(d *Document) {
	d.Add(PageBreak{})
	axes := make([]string, len(v.skills))
	self := make([]Num, len(v.skills))
	others := make([]Num, len(v.skills))
	rows := make([][]string, len(v.skills))
	agreement := map[string]assessment.SkillAgreement{}
	for _, a := range v.in.Agreement {
		agreement[a.Skill] = a
	}
	for i, s := range v.skills {
		axes[i] = s.name
		self[i] = num(s.res.Gap.Self)
		others[i] = num(s.res.AllOthers.Mean)
		row := []string{s.name, self[i].format()}
		if others[i].Valid {
			row = append(row, others[i].format(), strconv.Itoa(s.res.AllOthers.N), ciText(s.res.AllOthers.CI), signed(num(s.res.Gap.Value)), flagText(s.res.Gap.Flag))
		} else {
			row = append(row, textNA, "", "", textNA, fmt.Sprintf(textNotShownK, v.k))
		}
		if len(agreement) > 0 {
			row = append(row, CohortWords(agreement[s.key].Category))
		}
		rows[i] = row
	}
	if len(axes) >= 3 {
		d.Keep(Heading{Text: secRadar, Level: 2},
			Radar{Axes: axes, Series: []Series{{Name: textYou, Style: StyleSelf, Values: self}, {Name: textOthers, Style: StyleOthers, Values: others}}})
	}
	cols := []Column{{Header: "Skill", Width: 2.1}, {Header: textYou, Width: 0.9, Numeric: true}, {Header: textOthers, Width: 1.8, Numeric: true},
		{Header: "n", Width: 0.6, Numeric: true}, {Header: textCI, Width: 1.6, Numeric: true}, {Header: textGap, Width: 1, Numeric: true},
		{Header: "Perception gap", Width: 1.7}}
	if len(agreement) > 0 {
		cols = append(cols, Column{Header: "Your gap among other leads", Width: 2.6})
	}
	d.Keep(Heading{Text: secSkills, Level: 2}, Table{Columns: cols, Rows: rows})
	if len(v.in.Agreement) > 0 {
		d.Add(Paragraph{Text: v.cohortSentence()})
	}
	d.Add(Muted{Text: v.agreementNote()})
}

// agreementNote explains the last column of the skills table, or why it
// is missing.
func (v *leaderView) agreementNote() string {
	in := v.in
	if len(in.Agreement) > 0 {
		return "“Your gap among other leads” compares your gap (your score minus colleagues') with the gaps of the " +
			strconv.Itoa(in.Agreement[0].CohortN) + " leads in this cycle with enough ratings: “close to typical” is within half a standard deviation " +
			"of their average gap (Atwater and Yammarino's method). It describes your self-view relative to other leads', nothing more."
	}
	if min := in.Settings.CohortMinLeaders; min > 0 && in.CohortLeaders < min {
		return fmt.Sprintf("Comparing your gap with other leads' needs at least %d leads in the cycle; this cycle has %d, so this report does not make that comparison.", min, in.CohortLeaders)
	}
	return "Comparing your gap with other leads' needs your colleagues' scores, so this report does not make that comparison."
}
