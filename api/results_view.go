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
	Own              bool
	Back, PDF, Plan  string
	K                int
	Focus            *focusView
	Radar            template.HTML
	RadarRows        []radarRow
	Skills           []skillSection
	HeldBack         []string
	Strengths        []itemLine
	Development      []itemLine
	Comments         []assessment.CommentGroup
	ManagerComments  []assessment.CommentGroup
	SelfComments     []assessment.CommentGroup
	HasOthersNumbers bool
}

type focusView struct {
	Name     string
	Sentence string
	Evidence string
	Why      string
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

type itemLine struct {
	Text, Skill, Mean string
}

// groupLabels name the engine's groups as the PDF does.
var groupLabels = map[scoring.Group]string{
	scoring.GroupSelf: "Self", scoring.GroupManager: "Manager", scoring.GroupPeer: "Peers",
	scoring.GroupDirectReport: "Direct reports", scoring.GroupOther: "Others",
	scoring.GroupOtherColleagues: "Other colleagues (combined)", scoring.GroupAllOthers: "All colleagues",
}

func groupLabel(g scoring.Group) string {
	if l, ok := groupLabels[g]; ok {
		return l
	}
	return g.String()
}

// agreementWords explain a self-other agreement category without ranking
// the leader against colleagues (the report leaves the level out too).
var agreementWords = map[string]string{
	"over_estimator":  "Self-rating above colleagues' ratings, by more than for most leaders in this cycle.",
	"under_estimator": "Self-rating below colleagues' ratings, by more than for most leaders in this cycle.",
	"in_agreement":    "Self-rating in line with colleagues' ratings, as for most leaders in this cycle.",
}

// newReportView lays out a leader report; own words it for the leader.
func newReportView(p page, r assessment.LeaderReport, own bool) reportView {
	v := reportView{page: p, LeaderName: r.LeaderName, CycleName: r.CycleName, Own: own,
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
	self := chartSeries{Name: "Self", Self: true}
	others := chartSeries{Name: "All colleagues"}
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
			sec.Rows = append(sec.Rows, statsRow(g))
		}
		all := chartBar{Label: groupLabel(scoring.GroupAllOthers), Group: scoring.GroupAllOthers, Mean: sr.AllOthers.Mean, CI: sr.AllOthers.CI,
			N: sr.AllOthers.N, Absent: "not shown: fewer than " + strconv.Itoa(v.K) + " colleagues"}
		bars = append(bars, all)
		row := statsRow(sr.AllOthers)
		row.Label = groupLabel(scoring.GroupAllOthers)
		sec.Rows = append(sec.Rows, row)
		if sr.AllOthers.Mean.Available() {
			v.HasOthersNumbers = true
		}
		if sr.Gap.Value.Available() {
			sec.Gap = signed(sr.Gap.Value.Value)
		}
		switch sr.Gap.Flag {
		case scoring.FlagBlindSpot:
			sec.Flag = "Blind spot: self-rating clearly above colleagues'"
		case scoring.FlagHiddenStrength:
			sec.Flag = "Hidden strength: colleagues rate this clearly higher than self"
		}
		for _, a := range r.Agreement {
			if a.Skill == sr.Skill {
				sec.Agreement = agreementWords[a.Category]
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
		f := &focusView{Name: name(l.Focus.Skill), Sentence: l.Focus.Sentence, Evidence: l.Focus.Evidence}
		if sg, ok := r.Suggestions.For(l.Focus.Skill); ok {
			f.Why = sg.Why
			for _, idea := range sg.IdeasFor(l) {
				f.Ideas = append(f.Ideas, ideaView{Behaviour: idea.Behaviour, Aim: reports.IdeaAim(r.Instrument, idea)})
			}
		}
		v.Focus = f
	}
	line := func(it scoring.ItemRank) itemLine {
		t := itemText[it.Item]
		if t == "" {
			t = it.Item
		}
		return itemLine{Text: t, Skill: name(it.Skill), Mean: numText(it.Mean)}
	}
	for _, it := range l.TopItems {
		v.Strengths = append(v.Strengths, line(it))
	}
	for _, it := range l.BottomItems {
		v.Development = append(v.Development, line(it))
	}
	k := strconv.Itoa(v.K)
	for _, s := range l.Suppressed {
		var where []string
		for _, sk := range s.Skills {
			where = append(where, name(sk))
		}
		if len(s.Items) > 0 {
			where = append(where, strconv.Itoa(len(s.Items))+" single behaviours")
		}
		scope := strings.Join(where, ", ")
		switch {
		case s.Group == scoring.GroupAllOthers:
			v.HeldBack = append(v.HeldBack, "Fewer than "+k+" colleagues' ratings for "+scope+": no colleagues' score or gap is shown there.")
		case s.Reason == scoring.SuppressedPooled:
			v.HeldBack = append(v.HeldBack, groupLabel(s.Group)+", "+scope+": fewer than "+k+" answered, so their answers are combined with other small groups as “Other colleagues”.")
		case s.Reason == scoring.SuppressedExcluded:
			v.HeldBack = append(v.HeldBack, groupLabel(s.Group)+", "+scope+": too few answers to show, even combined, so they are left out of every number there.")
		}
	}
	return v
}

func statsRow(g scoring.GroupStats) groupRow {
	row := groupRow{Label: groupLabel(g.Group), Mean: numText(g.Mean), Shown: g.Mean.Available()}
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
