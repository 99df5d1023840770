package api

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/scoring"
	"github.com/lead360/lead360/templates"
)

// generatedReports scores a cycle of small groups (a manager and three
// peers, sometimes three direct reports) with uneven skill levels, so raw
// intervals pass the scale's ends and focus skills have top items, and
// returns each leader's report as the web pages get it.
func generatedReports(t *testing.T, seed uint64, leaders int) []assessment.LeaderReport {
	t.Helper()
	in, err := assessment.BuiltinInstrument()
	if err != nil {
		t.Fatal(err)
	}
	sg, err := assessment.BuiltinSuggestions()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	si := assessment.ScoringInstrument(&in)
	var rs []scoring.Rating
	for l := range leaders {
		pid := fmt.Sprintf("leader-%02d", l)
		// Each item has its own level, so items of a skill differ.
		levels := map[string]float64{}
		for _, s := range si.Skills {
			base := []float64{1.4, 2.5, 3.5, 4.7}[rng.IntN(4)]
			for _, it := range s.Items {
				levels[it.Key] = base + rng.NormFloat64()*0.6
			}
		}
		rater := func(id string, rel scoring.Relationship) {
			for _, s := range si.Skills {
				for _, it := range s.Items {
					v := max(1, min(5, int(levels[it.Key]+rng.NormFloat64()*0.7+0.5)))
					if rel == scoring.Self {
						v = 1 + rng.IntN(5)
					}
					if it.Reverse {
						v = 6 - v
					}
					rs = append(rs, scoring.Rating{ParticipantID: pid, RaterID: id, Relationship: rel, ItemKey: it.Key, Value: scoring.Answer(v)})
				}
			}
		}
		rater(pid+"-self", scoring.Self)
		rater(pid+"-m", scoring.Manager)
		for i := range 3 {
			rater(fmt.Sprint(pid, "-p", i), scoring.Peer)
		}
		for i := range 3 * rng.IntN(2) {
			rater(fmt.Sprint(pid, "-d", i), scoring.DirectReport)
		}
	}
	res, err := scoring.Score(scoring.Input{Instrument: si, Ratings: rs})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]assessment.LeaderReport, len(res.Leaders))
	for i, l := range res.Leaders {
		out[i] = assessment.LeaderReport{LeaderName: l.ParticipantID, CycleName: "Generated", Instrument: in,
			EngineVersion: res.EngineVersion, Settings: res.Settings, Leader: l, Suggestions: sg}
	}
	return out
}

// webInterval finds an interval on the results page: "2.1 to 3.4".
var webInterval = regexp.MustCompile(`(-?\d+\.\d+) to (-?\d+\.\d+)`)

// Over generated reports, the web results page prints no interval outside
// the 1-5 scale, prints its bounds with one decimal, and offers the focus
// skill's ideas for the lowest-rated behaviours first and none for a top
// item (docs/scoring.md, "Intervals on the scale"; issue #11).
func TestResultsPageIntervalsAndIdeas(t *testing.T) {
	t.Parallel()
	pages, err := templates.Pages()
	if err != nil {
		t.Fatal(err)
	}
	outside, withheld := 0, 0
	for seed := range uint64(3) {
		for _, r := range generatedReports(t, seed, 10) {
			for _, s := range r.Leader.Skills {
				for _, g := range append(slices.Clone(s.Groups), s.AllOthers) {
					if g.CI.Available() && (g.CI.Lower < 1 || g.CI.Upper > 5) {
						outside++
					}
				}
			}
			var buf bytes.Buffer
			if err := pages["results_report"].ExecuteTemplate(&buf, "base", newReportView(page{}, r, true)); err != nil {
				t.Fatal(err)
			}
			html := buf.String()
			found := webInterval.FindAllStringSubmatch(html, -1)
			if len(found) == 0 {
				t.Fatalf("%s: no interval on the results page", r.LeaderName)
			}
			for _, m := range found {
				for _, b := range m[1:] {
					if v, err := strconv.ParseFloat(b, 64); err != nil || v < 1 || v > 5 || len(b) != 3 {
						t.Errorf("%s: the page prints the interval %q, off the scale or not with one decimal", r.LeaderName, m[0])
					}
				}
			}
			if sg, ok := r.Suggestions.For(r.Leader.Focus.Skill); ok {
				withheld += len(sg.Behaviours) - len(sg.IdeasFor(&r.Leader))
			}
			checkIdeas(t, r.LeaderName+" results page", html, r)
		}
	}
	if outside < 10 || withheld == 0 {
		t.Fatalf("%d raw intervals off the scale, %d ideas withheld: the generated reports no longer test the rules", outside, withheld)
	}
}
