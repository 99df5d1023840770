package api

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/reports"
	"github.com/lead360/lead360/scoring"
)

// reportView is one leader's report as a web page: the same
// assessment.LeaderReport the PDF draws, laid out for the screen. It only
// formats what the report carries; every number was disclosed by the engine.
type reportView struct {
	page
	LeaderName string
	CycleName  string
	Cycle      assessment.Cycle
	// Own is the leader's own view ("you"); otherwise an admin's.
	Own             bool
	Back, PDF, Plan string
	K               int
	// Story is what the report says first, the same value the PDF's first
	// page draws (reports.Story).
	Story            reports.Story
	Scale            string
	Words            reportWords
	Focus            *focusView
	Radar            template.HTML
	RadarRows        []radarRow
	Skills           []skillSection
	Comments         []assessment.CommentGroup
	ManagerComments  []assessment.CommentGroup
	SelfComments     []assessment.CommentGroup
	HasOthersNumbers bool
}

// reportWords are the vocabulary's words the results page prints
// (assessment/vocabulary.go), for its reader: the leader reads "You".
type reportWords struct {
	Self, Colleagues, BlindSpot, HiddenStrength, Interval string
}

func newReportWords(leaderReads bool) reportWords {
	return reportWords{Self: assessment.GroupLabelFor(scoring.GroupSelf, leaderReads), Colleagues: assessment.WordColleagues,
		BlindSpot: assessment.WordBlindSpot, HiddenStrength: assessment.WordHiddenStrength, Interval: assessment.WordInterval}
}

type focusView struct {
	Name string
	Why  string
	// Ideas are the focus skill's suggestions aimed at the leader's
	// lowest-rated behaviours (assessment.SkillSuggestions.IdeasFor).
	Ideas []ideaView
}

// ideaView is one suggestion and the behaviours it is aimed at.
type ideaView struct {
	assessment.Behaviour
	Aim string
}

type radarRow struct {
	Skill, Self, Others string
}

type skillSection struct {
	Key, Name, Description string
	Chart                  template.HTML
	Rows                   []groupRow
	Gap                    string
	Flag                   string
	Agreement              string
}

type groupRow struct {
	Label, N, Mean, Interval string
	Shown                    bool
}

// newReportView lays out a leader report; own words it for the leader.
func newReportView(p page, r assessment.LeaderReport, own bool) reportView {
	v := reportView{page: p, LeaderName: r.LeaderName, CycleName: r.CycleName, Own: own, Story: reports.NewStory(r),
		Scale: assessment.ScaleText(r.Instrument.Scale.Labels), Words: newReportWords(own),
		K: max(r.Settings.KMin, assessment.MinAnonymityThreshold), Comments: r.Comments, ManagerComments: r.ManagerComments, SelfComments: r.SelfComments}
	info := map[string]assessment.Skill{}
	itemText := map[string]string{}
	for _, s := range r.Instrument.Skills {
		info[s.Key] = s
		for _, it := range s.Items {
			itemText[it.Key] = it.Others
		}
	}
	name := func(key string) string {
		if s, ok := info[key]; ok && s.Name != "" {
			return s.Name
		}
		return key
	}
	l := &r.Leader
	var axes []string
	groupLabel := func(g scoring.Group) string { return assessment.GroupLabelFor(g, own) }
	self := chartSeries{Name: groupLabel(scoring.GroupSelf), Self: true}
	others := chartSeries{Name: assessment.WordColleagues}
	for i := range l.Skills {
		sr := &l.Skills[i]
		axes = append(axes, name(sr.Skill))
		selfMean := scoring.Number{Reason: scoring.ReasonNoSelfScore}
		var bars []chartBar
		sec := skillSection{Key: sr.Skill, Name: name(sr.Skill), Description: info[sr.Skill].Description}
		for _, g := range sr.Groups {
			if g.Group == scoring.GroupSelf {
				selfMean = g.Mean
			}
			bars = append(bars, chartBar{Label: groupLabel(g.Group), Group: g.Group, Mean: g.Mean, CI: g.CI, N: g.N})
			sec.Rows = append(sec.Rows, statsRow(g, groupLabel(g.Group)))
		}
		all := chartBar{Label: groupLabel(scoring.GroupAllOthers), Group: scoring.GroupAllOthers, Mean: sr.AllOthers.Mean, CI: sr.AllOthers.CI,
			N: sr.AllOthers.N, Absent: "not shown: fewer than " + strconv.Itoa(v.K) + " colleagues"}
		bars = append(bars, all)
		row := statsRow(sr.AllOthers, groupLabel(scoring.GroupAllOthers))
		sec.Rows = append(sec.Rows, row)
		if sr.AllOthers.Mean.Available() {
			v.HasOthersNumbers = true
		}
		if sr.Gap.Value.Available() {
			sec.Gap = signed(sr.Gap.Value.Value)
		}
		switch sr.Gap.Flag {
		case scoring.FlagBlindSpot:
			sec.Flag = assessment.WordBlindSpot + ": the self-rating is clearly above colleagues'"
		case scoring.FlagHiddenStrength:
			sec.Flag = assessment.WordHiddenStrength + ": colleagues rate this clearly higher than the self-rating"
		}
		for _, a := range r.Agreement {
			if a.Skill == sr.Skill {
				sec.Agreement = "Gap among other leads in this cycle: " + strings.ToLower(reports.CohortWords(a.Category)) + "."
			}
		}
		sec.Chart = barsSVG("bars-"+sr.Skill, sec.Name, bars)
		v.Skills = append(v.Skills, sec)
		self.Values = append(self.Values, selfMean)
		others.Values = append(others.Values, sr.AllOthers.Mean)
		v.RadarRows = append(v.RadarRows, radarRow{Skill: sec.Name, Self: numText(selfMean), Others: numText(sr.AllOthers.Mean)})
	}
	v.Radar = radarSVG("radar", axes, []chartSeries{self, others})
	if l.Focus.Skill != "" {
		f := &focusView{Name: name(l.Focus.Skill)}
		if sg, ok := r.Suggestions.For(l.Focus.Skill); ok {
			f.Why = sg.Why
			for _, idea := range sg.IdeasFor(l) {
				f.Ideas = append(f.Ideas, ideaView{Behaviour: idea.Behaviour, Aim: reports.IdeaAim(r.Instrument, idea)})
			}
		}
		v.Focus = f
	}
	return v
}

func statsRow(g scoring.GroupStats, label string) groupRow {
	row := groupRow{Label: label, Mean: numText(g.Mean), Shown: g.Mean.Available()}
	if row.Shown {
		row.N = strconv.Itoa(g.N)
	} else {
		row.Mean = "not shown"
	}
	if g.CI.Available() {
		row.Interval = reports.IntervalText(g.CI, " to ")
	}
	return row
}

func signed(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	if v > 0 {
		s = "+" + s
	}
	return s
}
