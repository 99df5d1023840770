package reports

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/scoring"
)

// LeaderReport is the content of one leader's report (see
// assessment.LeaderReport): the engine's disclosed figures, comments already
// filtered, and the instrument's words. Leader draws what it is given; it
// never decides what may be shown.
type LeaderReport = assessment.LeaderReport

// CommentGroup is the shown comments to one question (assessment.CommentGroup).
type CommentGroup = assessment.CommentGroup

// agreementCut is the r*_wg(J) below which the report says raters disagree.
// .70 is the conventional cut (SCORING.md 4.2). Lindell's r*_wg(J) is used
// rather than r_wg(J) because it does not rise with the number of items, so
// eight items of scattered answers cannot look like agreement.
const agreementCut = 0.70

// Leader renders one leader's report as a PDF: cover, how to read, summary,
// one section per skill, perception gaps, skill interplay, comments,
// development ideas and an action plan. The output depends only on in: with
// the same in (Created included) the bytes are the same.
func Leader(w io.Writer, in LeaderReport) error {
	r := newLeaderView(in)
	// The running header: the report's kind on the left, whose report and
	// which cycle on the right (a long cycle name is cut there, not the name).
	d := New(Options{Title: "360° leadership report", Leader: in.LeaderName + " · " + in.CycleName, Created: in.Created})
	r.cover(d)
	r.howToRead(d)
	r.summary(d)
	for i := range r.skills {
		r.skill(d, i)
	}
	r.gaps(d)
	r.interplay(d)
	r.comments(d)
	r.ideas(d)
	r.actionPlan(d)
	if err := d.Write(w); err != nil {
		return fmt.Errorf("leader report %s: %w", in.Leader.ParticipantID, err)
	}
	return nil
}

// leaderView indexes a LeaderReport for drawing.
type leaderView struct {
	in     LeaderReport
	k      int
	skills []skillView
	items  map[string]itemRef
}

type skillView struct {
	key, name, description string
	res                    *scoring.SkillResult
	items                  []*scoring.ItemResult
}

// itemRef is how the report names an item: its others' wording, its skill
// and its number within the skill ("Delegation #3").
type itemRef struct {
	text, skill string
	number      int
}

func (r itemRef) short() string { return r.skill + " #" + strconv.Itoa(r.number) }

func newLeaderView(in LeaderReport) *leaderView {
	v := &leaderView{in: in, k: max(in.Settings.KMin, scoring.DefaultKMin), items: map[string]itemRef{}}
	texts := map[string]string{}
	skillInfo := map[string]assessment.Skill{}
	for _, s := range in.Instrument.Skills {
		skillInfo[s.Key] = s
		for _, it := range s.Items {
			texts[it.Key] = it.Others
		}
	}
	l := &v.in.Leader
	for i := range l.Skills {
		sr := &l.Skills[i]
		sv := skillView{key: sr.Skill, name: sr.Name, res: sr}
		if info, ok := skillInfo[sr.Skill]; ok {
			sv.name, sv.description = info.Name, info.Description
		}
		if sv.name == "" {
			sv.name = sr.Skill
		}
		for j := range l.Items {
			it := &l.Items[j]
			if it.Skill != sr.Skill {
				continue
			}
			sv.items = append(sv.items, it)
			text := texts[it.Item]
			if text == "" {
				text = it.Item
			}
			v.items[it.Item] = itemRef{text: text, skill: sv.name, number: len(sv.items)}
		}
		v.skills = append(v.skills, sv)
	}
	return v
}

func (v *leaderView) skillName(key string) string {
	for _, s := range v.skills {
		if s.key == key {
			return s.name
		}
	}
	return key
}

// num converts an engine figure; a figure that is not available stays so.
func num(n scoring.Number) Num {
	if !n.Available() {
		return Num{}
	}
	return Val(n.Value)
}

func interval(i scoring.Interval) (Num, Num) {
	if !i.Available() {
		return Num{}, Num{}
	}
	return Val(i.Lower), Val(i.Upper)
}

// ciText prints a score's 95% interval, cut at the ends of the scale.
func ciText(i scoring.Interval) string { return IntervalText(i, textDash) }

// changeText prints the 95% interval of a change between two cycles: a
// difference of two scores, cut at the largest change the scale allows.
func changeText(i scoring.Interval) string {
	lo, hi := interval(i)
	return rangeText(lo, hi, scaleMin-scaleMax, scaleMax-scaleMin, textDash)
}

func groupLabel(g scoring.Group) string {
	switch g {
	case scoring.GroupSelf:
		return textYou
	case scoring.GroupManager:
		return "Manager"
	case scoring.GroupPeer:
		return "Peers"
	case scoring.GroupDirectReport:
		return "Direct reports"
	case scoring.GroupOther:
		return "Others"
	case scoring.GroupOtherColleagues:
		return "Other colleagues (combined)"
	case scoring.GroupAllOthers:
		return textAllOthers
	}
	return g.String()
}

// groupRank orders bars by their group's label in report order.
func groupRank(label string) int {
	for i, g := range []scoring.Group{scoring.GroupSelf, scoring.GroupManager, scoring.GroupPeer, scoring.GroupDirectReport,
		scoring.GroupOther, scoring.GroupOtherColleagues, scoring.GroupAllOthers} {
		if groupLabel(g) == label {
			return i
		}
	}
	return 99
}

func flagText(f scoring.Flag) string {
	switch f {
	case scoring.FlagBlindSpot:
		return textBlindSpot
	case scoring.FlagHiddenStrength:
		return textHiddenStrength
	}
	return ""
}

func date(t time.Time) string {
	if t.IsZero() {
		return textNA
	}
	return t.UTC().Format("2 January 2006")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// list joins words as people write them: "a", "a and b", "a, b and c".
func list(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// ---- 1. Cover ----

func (v *leaderView) cover(d *Document) {
	in := v.in
	details := []string{
		in.CycleName,
		"Survey open " + date(in.OpensAt) + " " + textDash + " " + date(in.ClosesAt),
		"Results as of " + date(in.Created) + ", when the cycle closed",
	}
	d.Add(Cover{Kicker: textKicker, Title: textCoverTitle, Name: in.LeaderName, Details: details})

	rows := v.responded()
	d.Add(Heading{Text: secResponded, Level: 2},
		Table{Columns: []Column{{Header: "Group", Width: 3}, {Header: "Responses", Width: 5}}, Rows: rows},
		Muted{Text: "A count is the most people behind any one skill: someone who marked every behaviour of a skill " +
			"“not observed” is not counted for that skill. Groups smaller than " + strconv.Itoa(v.k) +
			" are not counted here, for the reasons on the next page."},
	)
	instrument := in.Instrument.Name
	if instrument == "" {
		instrument = in.Instrument.Key
	}
	about := fmt.Sprintf("Questionnaire: %s, version %d (%s). Scoring engine %s. Anonymity threshold: %d raters per group, %d for comments.",
		instrument, in.Instrument.Version, in.Instrument.Key, in.EngineVersion, v.k, max(in.CommentThreshold, v.k))
	d.Add(Heading{Text: secAbout, Level: 2},
		Paragraph{Text: fmt.Sprintf(textConfidental, in.LeaderName)},
		Muted{Text: about})
}

// responded lists each group with the most raters the engine disclosed for
// any one skill, or why it is not counted. It adds nothing the skill pages
// do not already show.
func (v *leaderView) responded() [][]string {
	l := &v.in.Leader
	most := map[scoring.Group]int{}
	self := false
	for _, s := range l.Skills {
		for _, g := range s.Groups {
			most[g.Group] = max(most[g.Group], g.N)
			if g.Group == scoring.GroupSelf {
				self = true
			}
		}
		if s.AllOthers.Mean.Available() {
			most[scoring.GroupAllOthers] = max(most[scoring.GroupAllOthers], s.AllOthers.N)
		}
	}
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

// ---- 2. How to read ----

func (v *leaderView) howToRead(d *Document) {
	in := v.in
	k := strconv.Itoa(v.k)
	t := strconv.FormatFloat(in.Settings.BlindSpotThreshold, 'f', 2, 64)
	if in.Settings.BlindSpotThreshold == 0 {
		t = "1.00"
	}
	scale := "1 (low) to 5 (high)"
	if labels := in.Instrument.Scale.Labels; len(labels) == 5 {
		parts := make([]string, len(labels))
		for i, lb := range labels {
			parts[i] = strconv.Itoa(i+1) + " " + lb
		}
		scale = strings.Join(parts, ", ")
	}
	d.Add(PageBreak{}, Heading{Text: secHowTo, Level: 1})
	d.Add(
		Heading{Text: "The scale", Level: 3},
		Paragraph{Text: "You and your colleagues said how often you show each behaviour: " + scale + ". " +
			"“Not observed” answers are left out, never counted as low. A skill's score is the average of its behaviours, " +
			"and every score is printed with two decimals."},
		Heading{Text: "“All others”", Level: 3},
		Paragraph{Text: "“All others” is everyone who rated you except yourself: your manager and every group shown in this report. " +
			"It is the main comparison with your own view."},
		Heading{Text: "Anonymity", Level: 3},
		Paragraph{Text: "Your manager's rating is shown on its own; managers are told this when they are invited. " +
			"Peers, direct reports and others are shown as a group only when at least " + k + " of them answered, for each skill " +
			"and again for each behaviour. Smaller groups are combined as “Other colleagues”; if that is still fewer than " + k +
			", their answers are left out of every number, “all others” included, so that nobody's answers can be worked out. " +
			"Comments from peers, direct reports and others follow the same rule and appear without names, in an order that says nothing about who wrote them; " +
			"your manager's comments are shown as theirs."},
		Heading{Text: "n and the 95% confidence interval", Level: 3},
		Paragraph{Text: "Next to every colleagues' score you will find n, the number of people behind it, and a 95% confidence interval " +
			"(95% CI): the range where the score would probably land if a different group of similar colleagues had answered. " +
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
		d.Add(Callout{Title: secHeldBack, Text: strings.Join(held, "\n")})
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
			out = append(out, "• Fewer than "+k+" colleagues' ratings for "+scope+": no colleagues' score or gap is shown there.")
		case s.Reason == scoring.SuppressedPooled:
			out = append(out, "• "+groupLabel(s.Group)+", "+scope+": fewer than "+k+" answered, so their answers are combined with other small groups as “Other colleagues”.")
		case s.Reason == scoring.SuppressedExcluded:
			out = append(out, "• "+groupLabel(s.Group)+", "+scope+": too few answers to show, even combined, so they are left out of every number there.")
		}
	}
	return out
}

// ---- 3. Summary ----

func (v *leaderView) summary(d *Document) {
	l := &v.in.Leader
	d.Add(PageBreak{}, Heading{Text: secSummary, Level: 1})
	focus := Callout{Title: "No focus skill this time", Text: l.Focus.Sentence}
	if l.Focus.Skill != "" {
		focus.Title = "Your focus: " + v.skillName(l.Focus.Skill)
		focus.Text += "\n" + l.Focus.Evidence
	}
	d.Add(focus)

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
			row = append(row, agreementWords(agreement[s.key]))
		}
		rows[i] = row
	}
	if len(axes) >= 3 {
		d.Keep(Heading{Text: secRadar, Level: 2},
			Radar{Axes: axes, Series: []Series{{Name: textYou, Style: StyleSelf, Values: self}, {Name: textAllOthers, Style: StyleOthers, Values: others}}})
	}
	cols := []Column{{Header: "Skill", Width: 2.3}, {Header: textYou, Width: 0.9, Numeric: true}, {Header: textAllOthers, Width: 1.2, Numeric: true},
		{Header: "n", Width: 0.6, Numeric: true}, {Header: textCI, Width: 1.6, Numeric: true}, {Header: textGap, Width: 1, Numeric: true},
		{Header: "Perception gap", Width: 1.7}}
	if len(agreement) > 0 {
		cols = append(cols, Column{Header: "Your gap among other leads", Width: 3.2})
	}
	d.Keep(Heading{Text: secSkills, Level: 2}, Table{Columns: cols, Rows: rows})
	d.Add(Muted{Text: v.agreementNote()})
}

// agreementWords describes a skill's agreement category with the numbers
// behind it: the leader's gap is in the same row, the band is given here.
func agreementWords(a assessment.SkillAgreement) string {
	if a.Skill == "" {
		return textNA
	}
	words := "In line with most"
	switch a.Category {
	case "over_estimator":
		words = "Higher than most"
	case "under_estimator":
		words = "Lower than most"
	}
	return words + " (middle " + signed(Val(a.Lower)) + " to " + signed(Val(a.Upper)) + ")"
}

// agreementNote explains the last column of the skills table, or why it
// is missing.
func (v *leaderView) agreementNote() string {
	in := v.in
	if len(in.Agreement) > 0 {
		return "Your gap among other leads: most people rate themselves a little differently from how others rate them. " +
			"This places your gap among the gaps of the " + strconv.Itoa(in.Agreement[0].CohortN) + " leads in this cycle with enough ratings. " +
			"The middle band is the cycle's average gap plus or minus half a standard deviation (Atwater and Yammarino's method). " +
			"It describes your self-view relative to other leads', nothing more."
	}
	if min := in.Settings.CohortMinLeaders; min > 0 && in.CohortLeaders < min {
		return fmt.Sprintf("Comparing your gap with other leads' needs at least %d leads in the cycle; this cycle has %d, so this report does not make that comparison.", min, in.CohortLeaders)
	}
	return "Comparing your gap with other leads' needs your colleagues' scores, so this report does not make that comparison."
}

// ---- 4. One section per skill ----

func (v *leaderView) skill(d *Document, i int) {
	s := v.skills[i]
	res := s.res
	d.Add(PageBreak{}, Heading{Text: s.name, Level: 1})
	if s.description != "" {
		d.Add(Paragraph{Text: s.description})
	}

	var bars []Bar
	shown := map[scoring.Group]bool{}
	for _, g := range res.Groups {
		shown[g.Group] = true
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
		bars = append(bars, b)
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
	bars = append(bars, all)
	d.Keep(Bars{Rows: bars})

	var notes []string
	if !res.AllOthers.Mean.Available() {
		notes = append(notes, fmt.Sprintf("Fewer than %d colleagues rated this skill, so there is no colleagues' score and no gap for it. "+
			"What is shown is your own view and, where there is one, your manager's.", v.k))
	} else {
		g := res.Gap
		gap := fmt.Sprintf("Colleagues' score %s (n=%d, 95%% CI %s)", num(g.Others).format(), g.N, ciText(res.AllOthers.CI))
		if g.Value.Available() {
			gap += fmt.Sprintf("; yours %s; gap %s", num(g.Self).format(), signed(num(g.Value)))
			switch g.Flag {
			case scoring.FlagBlindSpot:
				gap += ": a blind spot, a perception gap worth talking about"
			case scoring.FlagHiddenStrength:
				gap += ": a hidden strength, colleagues see more of this than you do"
			}
		}
		notes = append(notes, gap+".")
		if ag := res.AllOthers.RwgJ; ag != nil && ag.Lindell.Available() {
			if ag.Lindell.Value >= agreementCut {
				notes = append(notes, fmt.Sprintf("Raters largely agree (agreement %.2f on a 0 to 1 scale).", ag.Lindell.Value))
			} else {
				notes = append(notes, fmt.Sprintf("Raters disagree: read the mean with care (agreement %.2f on a 0 to 1 scale). Their answers are spread out, so the conversations behind them matter more than the average.", max(ag.Lindell.Value, 0)))
			}
		}
		var spread []string
		for _, it := range v.in.Leader.LeastAgreement {
			if it.Skill == s.key && it.Rwg.Available() && it.Rwg.Value < agreementCut {
				spread = append(spread, "#"+strconv.Itoa(v.items[it.Item].number))
			}
		}
		if len(spread) > 0 {
			notes = append(notes, "Views differ most on behaviour "+list(spread)+".")
		}
	}
	if tr := res.Trend; tr != nil {
		notes = append(notes, v.trendSentence(tr))
	}
	if len(notes) > 0 {
		d.Add(Paragraph{Text: strings.Join(notes, " ")})
	}

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
	d.Add(Heading{Text: "Behaviours", Level: 2}, ItemTable{Rows: rows})
	d.Add(Muted{Text: "You: your own answer. Others: the mean of all others, with n and its 95% CI. Gap: your answer minus theirs. " +
		"Answers: how many colleagues gave each answer from 1 to 5, and n/o “not observed”."})
}

// trendSentence compares a skill with the previous cycle, or says plainly
// why it is not compared. The leader's own change is always theirs to see.
func (v *leaderView) trendSentence(tr *scoring.Trend) string {
	var s string
	switch tr.Change.Reason {
	case 0:
		s = fmt.Sprintf("Since your previous cycle, colleagues' score went from %s (n=%d) to this one, a change of %s (95%% CI %s).",
			num(tr.Previous).format(), tr.PreviousN, signed(num(tr.Change)), changeText(tr.CI))
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
		s = "No comparison with your previous cycle: the behaviours of this skill changed since then."
	default:
		s = "No comparison with your previous cycle for this skill: too few colleagues' ratings in one of the two cycles."
	}
	if tr.SelfChange.Available() {
		s += " Your own score changed by " + signed(num(tr.SelfChange)) + "."
	}
	return s
}

// ---- 5. Perception gaps, top and bottom items ----

func (v *leaderView) gaps(d *Document) {
	l := &v.in.Leader
	t := strconv.FormatFloat(v.in.Settings.BlindSpotThreshold, 'f', 2, 64)
	d.Add(PageBreak{}, Heading{Text: secGaps, Level: 1},
		Paragraph{Text: "These behaviours show a gap of more than " + t + " point between your answer and your colleagues' mean. " +
			"A gap is a difference in perception: you may be doing more than people can see, or less than you intend. " +
			"Either way, it is worth asking about. “Outside CI: yes” means your answer lies outside the 95% CI of your colleagues' score, " +
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
	cols := []Column{{Header: "Behaviour", Width: 4.6}, {Header: "Skill", Width: 2.1}, {Header: textYou, Width: 0.9, Numeric: true}, {Header: textOthers, Width: 1.35, Numeric: true},
		{Header: "n", Width: 0.6, Numeric: true}, {Header: textCI, Width: 1.7, Numeric: true}, {Header: textGap, Width: 1.1, Numeric: true}, {Header: "Outside CI", Width: 1.45}}
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
	rankCols := []Column{{Header: "Behaviour", Width: 6}, {Header: "Skill", Width: 2.2}, {Header: textOthers, Width: 1.1, Numeric: true}, {Header: "n", Width: 0.6, Numeric: true}, {Header: textCI, Width: 1.6, Numeric: true}}
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

// ---- 6. Skill interplay ----

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

// ---- 7. Comments ----

func (v *leaderView) comments(d *Document) {
	in := v.in
	k := max(in.CommentThreshold, v.k)
	d.Add(Room{Height: 80}, Heading{Text: secComments, Level: 1},
		Paragraph{Text: fmt.Sprintf("Comments from peers, direct reports and others appear only when at least %d people in that group answered; "+
			"a group smaller than that counts together with other colleagues when together they are at least %d. They appear without names, "+
			"in alphabetical order rather than the order they were written. Read them for patterns rather than single remarks. "+
			"Your manager's comments are shown as theirs, under “%s”, and your own follow at the end.", k, k, secMgrComm)})
	groups := sortedComments(in.Comments, v.order())
	if len(groups) == 0 {
		d.Add(Paragraph{Text: "No comments from peers, direct reports or others can be shown: none were written, " +
			"or too few people answered in their group to keep them anonymous."})
	}
	v.commentGroups(d, groups)
	if manager := sortedComments(in.ManagerComments, v.order()); len(manager) > 0 {
		d.Add(Heading{Text: secMgrComm, Level: 1})
		v.commentGroups(d, manager)
	}
	if self := sortedComments(in.SelfComments, v.order()); len(self) > 0 {
		d.Add(Heading{Text: secSelfComm, Level: 1})
		v.commentGroups(d, self)
	}
}

// order ranks question keys by their place in the instrument.
func (v *leaderView) order() map[string]int {
	o := map[string]int{}
	for i, q := range v.in.Instrument.Questions {
		o[q.Key] = i
	}
	return o
}

// sortedComments copies the groups in question order with their bodies
// sorted, so no order of submission can survive into the report whatever
// order the caller used.
func sortedComments(in []CommentGroup, order map[string]int) []CommentGroup {
	out := make([]CommentGroup, 0, len(in))
	for _, g := range in {
		if len(g.Bodies) == 0 {
			continue
		}
		g.Bodies = slices.Clone(g.Bodies)
		slices.Sort(g.Bodies)
		out = append(out, g)
	}
	slices.SortStableFunc(out, func(a, b CommentGroup) int {
		oa, okA := order[a.QuestionKey]
		ob, okB := order[b.QuestionKey]
		switch {
		case okA && okB:
			return oa - ob
		case okA != okB:
			if okA {
				return -1
			}
			return 1
		}
		return strings.Compare(a.QuestionKey, b.QuestionKey)
	})
	return out
}

func (v *leaderView) commentGroups(d *Document, groups []CommentGroup) {
	lastSkill := "\x00"
	for _, g := range groups {
		var blocks []Block
		if g.SkillKey != lastSkill {
			name := secOverall
			if g.SkillKey != "" {
				name = v.skillName(g.SkillKey)
			}
			blocks = append(blocks, Heading{Text: name, Level: 2})
			lastSkill = g.SkillKey
		}
		q := g.Question
		if q == "" {
			q = g.QuestionKey
		}
		blocks = append(blocks, Heading{Text: q, Level: 3})
		for _, b := range g.Bodies {
			if strings.TrimSpace(b) != "" {
				blocks = append(blocks, Quote{Text: strings.TrimSpace(b)})
			}
		}
		d.Add(blocks...)
	}
}

// ---- 8. Development ideas ----

// ideaSkills are the focus skill and every skill flagged as a blind spot,
// in that order, without repeats.
func (v *leaderView) ideaSkills() []string {
	l := &v.in.Leader
	var keys []string
	if l.Focus.Skill != "" {
		keys = append(keys, l.Focus.Skill)
	}
	for _, s := range l.Skills {
		if s.Gap.Flag == scoring.FlagBlindSpot && !slices.Contains(keys, s.Skill) {
			keys = append(keys, s.Skill)
		}
	}
	return keys
}

func (v *leaderView) ideas(d *Document) {
	keys := v.ideaSkills()
	d.Add(PageBreak{}, Heading{Text: secIdeas, Level: 1})
	if len(keys) == 0 {
		d.Add(Paragraph{Text: "This report suggests no skill to work on first, because too few colleagues' ratings came in. " +
			"The action plan on the next page still works: choose a skill from your own reading of the report."})
		return
	}
	d.Add(Paragraph{Text: "Practical behaviours for your focus skill and for every skill where you rate yourself clearly higher than your colleagues do. " +
		"Within a skill, the ideas for the behaviours your colleagues rate lowest come first. " +
		"Pick one, not all: a small change that people notice is worth more than a long list."})
	for _, key := range keys {
		why := "your focus skill"
		if key != v.in.Leader.Focus.Skill {
			why = "a blind spot"
		} else if v.skillFlag(key) == scoring.FlagBlindSpot {
			why = "your focus skill and a blind spot"
		}
		sg, ok := v.in.Suggestions.For(key)
		d.Add(Heading{Text: v.skillName(key) + " (" + why + ")", Level: 2})
		if !ok {
			d.Add(Paragraph{Text: "No suggestions are stored for this skill yet."})
			continue
		}
		if sg.Why != "" {
			d.Add(Paragraph{Text: sg.Why})
		}
		ideas := sg.IdeasFor(&v.in.Leader)
		if len(ideas) == 0 {
			d.Add(Paragraph{Text: "Your colleagues already rate the behaviours these ideas develop among your highest, so none is listed here."})
		}
		for _, idea := range ideas {
			blocks := []Block{Heading{Text: idea.Title, Level: 3}, Paragraph{Text: idea.How}}
			extra := []string{IdeaAim(v.in.Instrument, idea)}
			if idea.PractiseIn != "" {
				extra = append(extra, "Practise it in: "+idea.PractiseIn)
			}
			if idea.AskForFeedback != "" {
				extra = append(extra, "Ask for feedback: "+idea.AskForFeedback)
			}
			blocks = append(blocks, Muted{Text: strings.Join(extra, "\n")})
			d.Add(blocks...)
		}
	}
}

// IdeaAim says which behaviours an idea develops and how colleagues rated
// them, in the instrument's words: "For: “They give feedback within a few
// days of what happened, not weeks later.” (colleagues' score 3.20)". The
// web pages print the same line.
func IdeaAim(in assessment.Instrument, idea assessment.Idea) string {
	texts := map[string]string{}
	for _, s := range in.Skills {
		for _, it := range s.Items {
			texts[it.Key] = it.Others
		}
	}
	parts := make([]string, len(idea.Targets))
	for i, t := range idea.Targets {
		text := texts[t.Item]
		if text == "" {
			text = t.Item
		}
		score := "too few answers to show a score"
		if t.Mean.Available() {
			score = "colleagues' score " + num(t.Mean).format()
		}
		parts[i] = "“" + text + "” (" + score + ")"
	}
	return "For: " + strings.Join(parts, "; ")
}

func (v *leaderView) skillFlag(key string) scoring.Flag {
	for _, s := range v.skills {
		if s.key == key {
			return s.res.Gap.Flag
		}
	}
	return ""
}

// ---- 9. Action plan ----

func (v *leaderView) actionPlan(d *Document) {
	l := &v.in.Leader
	skillHint := "Choose the skill you most want your colleagues to notice a change in."
	behaviourHint := "One behaviour you can practise every week, for example from “Ideas to practise”."
	situationHint := "A meeting, review or conversation that is already in your calendar."
	askHint := "Someone who sees you in that situation, and one concrete question to ask them."
	if l.Focus.Skill != "" {
		skillHint = "Suggested: " + v.skillName(l.Focus.Skill) + ", your focus skill. You may choose another."
		if sg, ok := v.in.Suggestions.For(l.Focus.Skill); ok {
			if ideas := sg.IdeasFor(l); len(ideas) > 0 {
				b := ideas[0]
				behaviourHint = "For example: “" + b.Title + "”."
				if b.PractiseIn != "" {
					situationHint = "For example: " + lowerFirst(b.PractiseIn)
				}
				if b.AskForFeedback != "" {
					askHint = "For example: " + lowerFirst(b.AskForFeedback)
				}
			}
		}
	}
	d.Add(PageBreak{}, Heading{Text: secPlan, Level: 1},
		Paragraph{Text: "Fill this in by hand or copy it into your notes. Keep it short and concrete, and share it with your manager if you like: " +
			"people notice change faster when they know what you are working on."},
		FillIn{Prompt: "1. The one skill I will work on", Hint: skillHint, Lines: 1},
		FillIn{Prompt: "2. The one behaviour I will practise", Hint: behaviourHint, Lines: 3},
		FillIn{Prompt: "3. The next real situation where I will practise it", Hint: situationHint, Lines: 3},
		FillIn{Prompt: "4. Who I will ask for feedback, and what I will ask", Hint: askHint, Lines: 3},
		FillIn{Prompt: "5. When I will check my progress", Hint: "A date in four to six weeks, for example your next 1:1 with your manager.", Lines: 2},
	)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	// Keep "I" and quotes as they are; lower only a plain capital letter
	// that starts a common word ("The next…" -> "the next…").
	if r[0] >= 'A' && r[0] <= 'Z' && r[0] != 'I' && (len(r) == 1 || r[1] >= 'a' && r[1] <= 'z') {
		r[0] += 'a' - 'A'
	}
	return string(r)
}
