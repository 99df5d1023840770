package reports

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/scoring"
)

// Fixtures: a cycle scored by the real engine, shaped like the demo story.
// Maya Okafor, newly promoted lead of eight, rates herself high on
// delegation and coaching; her team sees it differently.

var (
	cycleOpens  = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	cycleCloses = time.Date(2026, 3, 30, 17, 0, 0, 0, time.UTC)
)

// forms are the built-in instrument's full and short forms.
func forms(tb testing.TB) []assessment.Instrument {
	tb.Helper()
	full, _ := builtin(tb)
	short, err := assessment.BuiltinShortForm()
	if err != nil {
		tb.Fatal(err)
	}
	return []assessment.Instrument{full, short}
}

func builtin(tb testing.TB) (assessment.Instrument, assessment.Suggestions) {
	tb.Helper()
	in, err := assessment.BuiltinInstrument()
	if err != nil {
		tb.Fatal(err)
	}
	sg, err := assessment.BuiltinSuggestions()
	if err != nil {
		tb.Fatal(err)
	}
	return in, sg
}

// scoringInstrument is the engine's view of an instrument.
func scoringInstrument(in assessment.Instrument) scoring.Instrument {
	out := scoring.Instrument{Key: in.Key, Version: in.Version, ScalePoints: in.Scale.Points}
	for _, s := range in.Skills {
		sk := scoring.Skill{Key: s.Key, Name: s.Name}
		for _, it := range s.Items {
			sk.Items = append(sk.Items, scoring.Item{Key: it.Key, Text: it.Others, Reverse: it.Reverse, Lineage: in.Lineage(it)})
		}
		out.Skills = append(out.Skills, sk)
	}
	return out
}

// genLeader describes one generated leader: true levels per skill as others
// see them, the self view, and group sizes.
type genLeader struct {
	id                    string
	levels, self          [5]float64
	managers, peers, dirs int
	others                int
	notObserved           float64
}

var maya = genLeader{id: "maya", levels: [5]float64{2.3, 2.5, 3.6, 3.7, 3.9}, self: [5]float64{4.8, 4.7, 3.9, 3.8, 4.1},
	managers: 1, peers: 3, dirs: 8}

// genRatings answers every item for each rater of each leader, with noise,
// reverse-keyed items answered on their own wording.
func genRatings(rng *rand.Rand, in scoring.Instrument, leaders []genLeader) []scoring.Rating {
	var rs []scoring.Rating
	for _, l := range leaders {
		add := func(rater string, rel scoring.Relationship) {
			for si, s := range in.Skills {
				level := l.levels[si]
				if rel == scoring.Self {
					level = l.self[si]
				}
				for _, it := range s.Items {
					v := scoring.NotObserved
					if rel == scoring.Self || rng.Float64() >= l.notObserved {
						noise := 0.0
						if rel != scoring.Self {
							noise = rng.NormFloat64() * 0.7
						}
						x := max(1, min(5, int(level+noise+0.5)))
						if it.Reverse {
							x = 6 - x
						}
						v = scoring.Answer(x)
					}
					rs = append(rs, scoring.Rating{ParticipantID: l.id, RaterID: rater, Relationship: rel, ItemKey: it.Key, Value: v})
				}
			}
		}
		add(l.id+"-self", scoring.Self)
		for i := range l.managers {
			add(fmt.Sprintf("%s-m%d", l.id, i), scoring.Manager)
		}
		for i := range l.peers {
			add(fmt.Sprintf("%s-p%d", l.id, i), scoring.Peer)
		}
		for i := range l.dirs {
			add(fmt.Sprintf("%s-d%d", l.id, i), scoring.DirectReport)
		}
		for i := range l.others {
			add(fmt.Sprintf("%s-o%d", l.id, i), scoring.Other)
		}
	}
	return rs
}

// cohort is eleven more leaders, so the cohort statistics are computed.
func cohort(rng *rand.Rand) []genLeader {
	var out []genLeader
	for i := range 11 {
		l := genLeader{id: fmt.Sprintf("lead-%02d", i), managers: 1, peers: 3 + rng.IntN(2), dirs: 3 + rng.IntN(5)}
		for k := range l.levels {
			l.levels[k] = max(1.2, min(4.8, 3.5+rng.NormFloat64()*0.5))
			l.self[k] = max(1.2, min(4.8, l.levels[k]+0.3+rng.NormFloat64()*0.5))
		}
		out = append(out, l)
	}
	return out
}

func scoreCycle(tb testing.TB, in assessment.Instrument, leaders []genLeader, seed uint64) scoring.Result {
	tb.Helper()
	si := scoringInstrument(in)
	res, err := scoring.Score(scoring.Input{Instrument: si, Ratings: genRatings(rand.New(rand.NewPCG(seed, 360)), si, leaders)})
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func leaderOf(tb testing.TB, res scoring.Result, id string) scoring.Leader {
	tb.Helper()
	for _, l := range res.Leaders {
		if l.ParticipantID == id {
			return l
		}
	}
	tb.Fatalf("no leader %q in the result", id)
	return scoring.Leader{}
}

var mayaComments = map[string][]string{
	"delegation.keep_and_change": {
		"Maya gives us interesting work, but she often rewrites the design doc the night before the review. I'd love her to let the owner defend their own design.",
		"She hands over tasks but keeps the decisions. When I own something I want to be able to choose the approach.",
		"Keep sharing the why behind projects. Change: tell us the constraints and trust us with the solution.",
	},
	"coaching.keep_and_change": {
		"When I bring her a problem she usually answers straight away. Asking what I'd tried first would help me grow.",
		"Her code review comments are precise. I'd like more of the reasoning, less 'change this to that'.",
		"Keep the 1:1s. They are mostly status updates though; I'd like to talk about where I want to go.",
	},
	"feedback.keep_and_change": {
		"Maya tells me quickly when something went well, which I appreciate.",
		"Feedback comes, but sometimes weeks later in a 1:1; it's hard to remember the situation by then.",
		"She is direct and kind at the same time. Keep that.",
	},
	"overall": {
		"A strong engineer who cares a lot about the team. The next step is trusting us with more of the decisions.",
		"I enjoy working for Maya. She's fair and she protects the team from chaos.",
		"Great technical judgement. Let go a bit more.",
	},
}

// mayaManagerComments are her manager's: attributed, under their own label.
var mayaManagerComments = map[string][]string{
	"delegation.keep_and_change": {"Maya's team ships reliably. This half I'd like her to let the senior engineers run the design reviews."},
}

var mayaSelfComments = map[string]string{
	"delegation.keep_and_change": "I think I delegate well: everyone on the team owns a part of the payments platform.",
	"overall":                    "First year as a lead. I want to know what the team really needs from me.",
}

func commentGroups(in assessment.Instrument, bodies map[string][]string) []CommentGroup {
	var out []CommentGroup
	for _, q := range in.Questions {
		if b := bodies[q.Key]; len(b) > 0 {
			out = append(out, CommentGroup{SkillKey: q.Skill, QuestionKey: q.Key, Question: q.Others, Bodies: b})
		}
	}
	return out
}

// report assembles a LeaderReport the way the assessment use case does.
func report(tb testing.TB, res scoring.Result, id, name string, comments map[string][]string, self map[string]string) LeaderReport {
	tb.Helper()
	in, _ := builtin(tb)
	return reportOn(tb, in, res, id, name, comments, self)
}

// reportOn is report for a cycle that used the instrument in.
func reportOn(tb testing.TB, in assessment.Instrument, res scoring.Result, id, name string, comments map[string][]string, self map[string]string) LeaderReport {
	tb.Helper()
	sg, err := assessment.SuggestionsFor(&in)
	if err != nil {
		tb.Fatal(err)
	}
	var selfGroups []CommentGroup
	for _, q := range in.Questions {
		if b, ok := self[q.Key]; ok {
			selfGroups = append(selfGroups, CommentGroup{SkillKey: q.Skill, QuestionKey: q.Key, Question: q.Self, Bodies: []string{b}})
		}
	}
	return LeaderReport{
		Created: cycleCloses, LeaderName: name, CycleName: "Engineering leads, spring review",
		OpensAt: cycleOpens, ClosesAt: cycleCloses, Instrument: in,
		EngineVersion: res.EngineVersion, Settings: res.Settings, CommentThreshold: res.Settings.KMin,
		Leader: leaderOf(tb, res, id), Agreement: assessment.AgreementOf(res, id), CohortLeaders: res.Cohort.Leaders,
		Comments: commentGroups(in, comments), ManagerComments: commentGroups(in, mayaManagerComments), SelfComments: selfGroups, Suggestions: sg,
	}
}

func mayaResult(tb testing.TB) scoring.Result {
	tb.Helper()
	in, _ := builtin(tb)
	leaders := append([]genLeader{maya}, cohort(rand.New(rand.NewPCG(7, 11)))...)
	return scoreCycle(tb, in, leaders, 2026)
}

func mayaReport(tb testing.TB) LeaderReport {
	tb.Helper()
	return report(tb, mayaResult(tb), "maya", "Maya Okafor", mayaComments, mayaSelfComments)
}
