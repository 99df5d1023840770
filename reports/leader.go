package reports

import (
	"fmt"
	"io"
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

// Leader renders one leader's report as a PDF: the story on the first page
// (Story), the five skills side by side, one section per skill, perception
// gaps, skill interplay, comments, development ideas, an action plan, and an
// appendix on how to read the report and what it holds back. The output depends only on in: with
// the same in (Created included) the bytes are the same.
func Leader(w io.Writer, in LeaderReport) error {
	r := newLeaderView(in)
	// The running header: the report's kind on the left, whose report and
	// which cycle on the right (a long cycle name is cut there, not the name).
	d := New(Options{Title: "360° leadership report", Leader: in.LeaderName + " · " + in.CycleName, Created: in.Created})
	r.summary(d)
	r.overview(d)
	for i := range r.skills {
		r.skill(d, i)
	}
	r.gaps(d)
	r.interplay(d)
	r.comments(d)
	r.ideas(d)
	r.actionPlan(d)
	r.howToRead(d)
	r.aboutReport(d)
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
	reverse     bool
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
			v.items[it.Item] = itemRef{text: text, skill: sv.name, number: len(sv.items), reverse: it.Reverse}
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

func groupLabel(g scoring.Group) string { return assessment.GroupLabelFor(g, true) }

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

func flagText(f scoring.Flag) string { return assessment.FlagLabel(f) }

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
