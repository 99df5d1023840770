package reports

import (
	"math"
	"slices"
	"strconv"

	"github.com/lead360/lead360/scoring"
)

func (v *leaderView) gaps(d *Document) {
	l := &v.in.Leader
	t := strconv.FormatFloat(v.in.Settings.BlindSpotThreshold, 'f', 2, 64)
	d.Add(PageBreak{}, Heading{Text: secGaps, Level: 1},
		Paragraph{Text: "These behaviours show a gap of more than " + t + " point between your answer and your colleagues' mean. " +
			"A gap is a difference in perception: you may be doing more than people can see, or less than you intend. " +
			"Either way, it is worth asking about. “Outside interval: yes” means your answer lies outside the " + textCI + " of your colleagues' score, " +
			"so the gap is larger than the uncertainty of that score. Largest gaps first."},
	)
	var blind, hidden [][]string
	// Largest gaps first; ties keep instrument order.
	items := slices.Clone(l.Items)
	slices.SortStableFunc(items, func(a, b scoring.ItemResult) int {
		ga, gb := math.Abs(a.Gap.Value.Value), math.Abs(b.Gap.Value.Value)
		switch {
		case ga > gb:
			return -1
		case ga < gb:
			return 1
		}
		return 0
	})
	for _, it := range items {
		ref := v.items[it.Item]
		row := []string{ref.text, ref.short(), num(it.Gap.Self).format(), num(it.Gap.Others).format(),
			strconv.Itoa(it.Gap.N), ciText(it.AllOthers.CI), signed(num(it.Gap.Value)), yesNo(it.Gap.Robust)}
		switch it.Gap.Flag {
		case scoring.FlagBlindSpot:
			blind = append(blind, row)
		case scoring.FlagHiddenStrength:
			hidden = append(hidden, row)
		}
	}
	cols := []Column{{Header: "Behaviour", Width: 4.6}, {Header: "Skill", Width: 2.1}, {Header: textYou, Width: 0.9, Numeric: true}, {Header: textOthers, Width: 1.6, Numeric: true},
		{Header: "n", Width: 0.6, Numeric: true}, {Header: textCI, Width: 1.7, Numeric: true}, {Header: textGap, Width: 1.1, Numeric: true}, {Header: "Outside interval", Width: 1.45}}
	for _, part := range []struct {
		title string
		rows  [][]string
		none  string
	}{
		{secBlind, blind, "None: no behaviour where you rate yourself more than " + t + " point above your colleagues."},
		{secHidden, hidden, "None: no behaviour where your colleagues rate you more than " + t + " point above your own answer."},
	} {
		if len(part.rows) == 0 {
			d.Add(Heading{Text: part.title, Level: 2}, Paragraph{Text: part.none})
			continue
		}
		d.Add(Heading{Text: part.title, Level: 2}, Table{Columns: cols, Rows: part.rows})
	}

	rank := func(items []scoring.ItemRank) [][]string {
		var rows [][]string
		for _, r := range items {
			ref := v.items[r.Item]
			ci := textNA
			for _, it := range l.Items {
				if it.Item == r.Item {
					ci = ciText(it.AllOthers.CI)
				}
			}
			rows = append(rows, []string{ref.text, ref.short(), num(r.Mean).format(), strconv.Itoa(r.N), ci})
		}
		return rows
	}
	rankCols := []Column{{Header: "Behaviour", Width: 6}, {Header: "Skill", Width: 2.2}, {Header: textOthers, Width: 1.4, Numeric: true}, {Header: "n", Width: 0.6, Numeric: true}, {Header: textCI, Width: 1.6, Numeric: true}}
	// Five rows at most: each list stays whole on one page with its title.
	if len(l.TopItems) > 0 {
		d.Keep(Heading{Text: secTop, Level: 2}, Table{Columns: rankCols, Rows: rank(l.TopItems)})
	}
	if len(l.BottomItems) > 0 {
		d.Keep(Heading{Text: secBottom, Level: 2}, Table{Columns: rankCols, Rows: rank(l.BottomItems)})
	}
	if len(l.TopItems) == 0 && len(l.BottomItems) == 0 {
		d.Add(Heading{Text: secTop, Level: 2}, Paragraph{Text: "Too few colleagues' ratings came in to rank the behaviours."})
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (v *leaderView) interplay(d *Document) {
	l := &v.in.Leader
	d.Add(Room{Height: 40}, Heading{Text: secInterplay, Level: 1})
	if len(l.Interplay) == 0 {
		d.Add(Paragraph{Text: "lead360 looks for a few known patterns between skills, such as handing work over well while giving " +
			"little feedback, where one skill can help another. None of them shows in your colleagues' ratings this time."})
		return
	}
	for _, ins := range l.Interplay {
		names := make([]string, len(ins.Skills))
		for i, s := range ins.Skills {
			names[i] = v.skillName(s)
		}
		d.Add(Callout{Title: list(names), Text: ins.Explanation})
	}
	if l.ProfileMean.Available() {
		d.Add(Muted{Text: "“Stronger” and “weaker” are relative to your own average across skills (" + num(l.ProfileMean).format() +
			" in your colleagues' eyes), not to other leads."})
	}
}
