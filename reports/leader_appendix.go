package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/scoring"
)

// aboutReport closes the appendix: who responded, and what the report
// is built from.
func (v *leaderView) aboutReport(d *Document) {
	in := v.in
	d.Keep(Heading{Text: secResponded, Level: 2},
		Table{Columns: []Column{{Header: "Group", Width: 3}, {Header: "Responses", Width: 5}}, Rows: v.responded()},
		Muted{Text: "A count is the most people behind any one skill: someone who marked every behaviour of a skill " +
			"“not observed” is not counted for that skill. Groups smaller than " + strconv.Itoa(v.k) +
			" are not counted here, for the reasons above."},
	)
	instrument := in.Instrument.Name
	if instrument == "" {
		instrument = in.Instrument.Key
	}
	about := fmt.Sprintf("Questionnaire: %s, version %d (%s). Scoring engine %s. Anonymity threshold: %d raters per group, %d for comments. "+
		"Survey open %s %s %s; results as of %s, when the cycle closed.",
		instrument, in.Instrument.Version, in.Instrument.Key, in.EngineVersion, v.k, max(in.CommentThreshold, v.k),
		date(in.OpensAt), textDash, date(in.ClosesAt), date(in.Created))
	d.Add(Heading{Text: secAbout, Level: 2},
		Paragraph{Text: fmt.Sprintf(textConfidental, in.LeaderName)},
		Muted{Text: about})
}

// responded lists each group with the most raters the engine disclosed for
// any one skill, or why it is not counted. It adds nothing the skill pages
// do not already show.
func (v *leaderView) responded() [][]string {
	l := &v.in.Leader
	most, self := v.mostRaters()
	held := map[scoring.Group]string{}
	for _, s := range l.Suppressed {
		if len(s.Skills) > 0 && held[s.Group] == "" {
			held[s.Group] = s.Reason
		}
	}
	selfText := "You rated yourself"
	if !self {
		selfText = "You did not rate yourself"
	}
	rows := [][]string{{textYou, selfText}}
	manager := textNoRating
	if n := most[scoring.GroupManager]; n > 0 {
		manager = plural(n, "rating (shown on its own, as managers are told)", "ratings")
	}
	rows = append(rows, []string{"Manager", manager})
	for _, g := range []scoring.Group{scoring.GroupPeer, scoring.GroupDirectReport, scoring.GroupOther, scoring.GroupOtherColleagues} {
		var text string
		switch {
		case most[g] > 0:
			text = plural(most[g], "person", "people")
			if held[g] != "" {
				text += "; fewer than " + strconv.Itoa(v.k) + " for some skills"
			}
		case held[g] == scoring.SuppressedPooled:
			text = "Fewer than " + strconv.Itoa(v.k) + ": combined into “Other colleagues”"
		case held[g] == scoring.SuppressedExcluded:
			text = "Fewer than " + strconv.Itoa(v.k) + ": not shown"
		default:
			continue
		}
		rows = append(rows, []string{groupLabel(g), text})
	}
	all := fmt.Sprintf(textNotShownK, v.k)
	if n := most[scoring.GroupAllOthers]; n > 0 {
		all = plural(n, "person", "people") + " (everyone shown above except you)"
	}
	return append(rows, []string{textAllOthers, all})
}

func (v *leaderView) howToRead(d *Document) {
	in := v.in
	k := strconv.Itoa(v.k)
	t := strconv.FormatFloat(in.Settings.BlindSpotThreshold, 'f', 2, 64)
	if in.Settings.BlindSpotThreshold == 0 {
		t = "1.00"
	}
	scale := assessment.ScaleText(nil)
	if labels := in.Instrument.Scale.Labels; len(labels) > 1 {
		scale = assessment.ScaleList(labels)
	}
	d.Add(PageBreak{}, Heading{Text: secAppendix, Level: 1}, Heading{Text: secHowTo, Level: 2})
	d.Add(
		Heading{Text: "The scale", Level: 3},
		Paragraph{Text: "You and your colleagues said how often you show each behaviour: " + scale + ". " +
			"“Not observed” answers are left out, never counted as low. A skill's score is the average of its behaviours, " +
			"and every score is printed with two decimals."},
		Heading{Text: "“" + textAllOthers + "”", Level: 3},
		Paragraph{Text: "“" + textAllOthers + "” is everyone who rated you except yourself: your manager and every group shown in this report. " +
			"It is the main comparison with your own view."},
		Heading{Text: "Anonymity", Level: 3},
		Paragraph{Text: "Your manager's rating is shown on its own; managers are told this when they are invited. " +
			"Peers, direct reports and others are shown as a group only when at least " + k + " of them answered, for each skill " +
			"and again for each behaviour. Smaller groups are combined as “Other colleagues”; if that is still fewer than " + k +
			", their answers are left out of every number, “all colleagues” included, so that nobody's answers can be worked out. " +
			"Comments from peers, direct reports and others follow the same rule and appear without names, in an order that says nothing about who wrote them; " +
			"your manager's comments are shown as theirs."},
		Heading{Text: "n and the " + textCI, Level: 3},
		Paragraph{Text: "Next to every colleagues' score you will find n, the number of people behind it, and a " + textCI +
			" (a 95% confidence interval): the range where the score would probably land if a different group of similar colleagues had answered. " +
			"A wide range, from few raters or raters who disagree, means the score is less certain. " +
			"When your own score falls inside the range, the difference may be chance. " +
			fmt.Sprintf("An interval is cut at %g and %g, the ends of the scale: with few raters the calculation can reach past them, but no score can. ", scaleMin, scaleMax) +
			"Its ends are printed with one decimal, since a second would claim more precision than a few raters give."},
		Heading{Text: "Gaps are perception gaps, not verdicts", Level: 3},
		Paragraph{Text: "A gap is your score minus your colleagues' score. Gaps larger than " + t + " point are marked: a “blind spot” " +
			"when you rate yourself higher than your colleagues do, a “hidden strength” when you rate yourself lower. " +
			"They show where your view and theirs differ, which makes them good starting points for a conversation. " +
			"They are not a judgement of you, and they do not say who is right."},
	)
	if held := v.heldBack(); len(held) > 0 {
		d.Add(Callout{Title: secHeldBack, Text: "• " + strings.Join(held, "\n• ")})
	}
}

// heldBack turns the engine's suppression list into sentences, without
// counts (the list carries none).
func (v *leaderView) heldBack() []string {
	k := strconv.Itoa(v.k)
	var out []string
	for _, s := range v.in.Leader.Suppressed {
		var where []string
		for _, sk := range s.Skills {
			where = append(where, v.skillName(sk))
		}
		for _, it := range s.Items {
			where = append(where, v.items[it].short())
		}
		scope := list(where)
		switch {
		case s.Group == scoring.GroupAllOthers:
			out = append(out, "Fewer than "+k+" colleagues' ratings for "+scope+": no colleagues' score or gap is shown there.")
		case s.Reason == scoring.SuppressedPooled:
			out = append(out, groupLabel(s.Group)+", "+scope+": fewer than "+k+" answered, so their answers are combined with other small groups as “Other colleagues”.")
		case s.Reason == scoring.SuppressedExcluded:
			out = append(out, groupLabel(s.Group)+", "+scope+": too few answers to show, even combined, so they are left out of every number there.")
		}
	}
	return out
}
