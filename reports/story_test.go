package reports

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lead360/lead360/scoring"
)

// storyCycle is a cycle of twelve leaders as varied as the story has to
// tell: any skill level, self-views from far below to far above colleagues'
// (blind spots and hidden strengths), groups under the threshold (pooled or
// left out), "not observed" answers, and now and then no self-rating.
func storyCycle(rng *rand.Rand) []genLeader {
	var out []genLeader
	for i := range 12 {
		l := genLeader{id: fmt.Sprintf("lead-%02d", i), managers: rng.IntN(2), peers: 1 + rng.IntN(5), dirs: rng.IntN(7),
			others: rng.IntN(3), notObserved: 0.3 * rng.Float64()}
		offset := 1.8*rng.Float64() - 0.6
		for k := range l.levels {
			l.levels[k] = 1.3 + 3.5*rng.Float64()
			l.self[k] = max(1, min(5, l.levels[k]+offset+rng.NormFloat64()*0.8))
		}
		out = append(out, l)
	}
	return out
}

// storyReports scores storyCycle for a few seeds on each form (full and
// short; the short form on fewer seeds) and returns every leader's report.
func storyReports(t *testing.T, seeds int) []LeaderReport {
	t.Helper()
	var out []LeaderReport
	for i, inst := range forms(t) {
		for seed := range uint64(max(1, seeds/(i+1))) {
			leaders := storyCycle(rand.New(rand.NewPCG(seed, 11)))
			res := scoreCycle(t, inst, leaders, seed)
			for _, l := range leaders {
				out = append(out, reportOn(t, inst, res, l.id, l.id, nil, nil))
			}
		}
	}
	return out
}

// Over generated profiles, every sentence and row of the story is true of
// the leader's numbers: the strengths and the behaviours to grow are
// colleagues' top and bottom items in order, every flagged behaviour is in
// a gap row or counted as more, the scores in a row are the scores of its
// behaviours, the cohort sentence names each skill in its own category and
// words the cohort's average gap by its sign and size, and the colleague
// count is the largest all-colleagues n.
func TestStoryAgreesWithTheNumbers(t *testing.T) {
	t.Parallel()
	var sawBlind, sawHidden, sawMore, sawCohort int
	for _, in := range storyReports(t, 4) {
		l := &in.Leader
		st := NewStory(in)
		name := l.ParticipantID
		v := newLeaderView(in)

		for _, part := range []struct {
			what  string
			got   []StoryItem
			ranks []scoring.ItemRank
		}{{"strengths", st.Strengths, l.TopItems}, {"grow", st.Grow, l.BottomItems}} {
			if len(part.got) != min(storyItems, len(part.ranks)) {
				t.Fatalf("%s: %d %s for %d ranked items", name, len(part.got), part.what, len(part.ranks))
			}
			for i, it := range part.got {
				r := part.ranks[i]
				if ref := v.items[r.Item]; it.Text != ref.text || it.Number != ref.number || it.Score != f2(r.Mean.Value) || it.N != r.N {
					t.Errorf("%s: %s row %d is %+v, the item is %s (%.2f, n=%d)", name, part.what, i, it, r.Item, r.Mean.Value, r.N)
				}
			}
		}

		for _, part := range []struct {
			flag scoring.Flag
			rows []StoryGap
			more int
		}{{scoring.FlagBlindSpot, st.BlindSpots, st.MoreBlindSpots}, {scoring.FlagHiddenStrength, st.HiddenStrengths, st.MoreHidden}} {
			flagged := map[string][]scoring.ItemResult{}
			total := 0
			for _, it := range l.Items {
				if it.Gap.Flag == part.flag {
					flagged[v.skillName(it.Skill)] = append(flagged[v.skillName(it.Skill)], it)
					total++
				}
			}
			if len(part.rows) > storyGapRows {
				t.Errorf("%s: %d %s rows", name, len(part.rows), part.flag)
			}
			shown, last := 0, math.Inf(1)
			for _, row := range part.rows {
				items := flagged[row.Skill]
				var numbers []int
				var self, others []float64
				largest := 0.0
				for _, it := range items {
					numbers = append(numbers, v.items[it.Item].number)
					self = append(self, it.Gap.Self.Value)
					others = append(others, it.Gap.Others.Value)
					largest = max(largest, math.Abs(it.Gap.Value.Value))
				}
				if !slices.Equal(row.Behaviours, numbers) || row.Self != figureRange(self) || row.Colleagues != figureRange(others) {
					t.Errorf("%s: %s row %+v, the skill's flagged behaviours are %v (self %v, colleagues %v)", name, part.flag, row, numbers, self, others)
				}
				if largest > last {
					t.Errorf("%s: %s rows are not in order of their largest gap", name, part.flag)
				}
				last = largest
				shown += len(items)
			}
			if shown+part.more != total {
				t.Errorf("%s: %s rows show %d behaviours and count %d more, of %d flagged", name, part.flag, shown, part.more, total)
			}
			if part.more > 0 {
				sawMore++
			}
			if len(part.rows) > 0 && part.flag == scoring.FlagBlindSpot {
				sawBlind++
			} else if len(part.rows) > 0 {
				sawHidden++
			}
		}

		most := 0
		for _, s := range l.Skills {
			if s.AllOthers.Mean.Available() {
				most = max(most, s.AllOthers.N)
			}
		}
		if most > 0 && !strings.Contains(st.Answered, plural(most, "colleague", "colleagues")+" in all") {
			t.Errorf("%s: %q does not say %d colleagues", name, st.Answered, most)
		}

		if len(in.Agreement) == 0 {
			if st.Cohort != "" {
				t.Errorf("%s: a cohort sentence without a cohort: %q", name, st.Cohort)
			}
			continue
		}
		sawCohort++
		mean := 0.0
		for _, a := range in.Agreement {
			mean += (a.Lower + a.Upper) / 2
		}
		mean /= float64(len(in.Agreement))
		if !strings.Contains(st.Cohort, typicalGap(mean)) {
			t.Errorf("%s: the cohort's average gap %+.2f is not worded %q: %q", name, mean, typicalGap(mean), st.Cohort)
		}
		for _, a := range in.Agreement {
			skill := v.skillName(a.Skill)
			generous := strings.Contains(cohortClause(st.Cohort, "more generously on "), skill)
			modest := strings.Contains(cohortClause(st.Cohort, "more modestly on "), skill)
			if generous != (a.Category == "over_estimator") || modest != (a.Category == "under_estimator") {
				t.Errorf("%s: %s is %s, but the sentence says %q", name, skill, a.Category, st.Cohort)
			}
		}
	}
	if sawBlind == 0 || sawHidden == 0 || sawMore == 0 || sawCohort == 0 {
		t.Fatalf("the generated profiles no longer test every part: %d with blind spots, %d with hidden strengths, %d with more rows, %d with a cohort",
			sawBlind, sawHidden, sawMore, sawCohort)
	}
}

// cohortClause is the part of the cohort sentence after marker, up to the
// next clause ("and more modestly", ", and close to typical", the end).
func cohortClause(sentence, marker string) string {
	i := strings.Index(sentence, marker)
	if i < 0 {
		return ""
	}
	rest := sentence[i+len(marker):]
	for _, end := range []string{" and more modestly", ", and close to typical", "."} {
		if j := strings.Index(rest, end); j >= 0 {
			rest = rest[:j]
		}
	}
	return rest
}

// Over generated profiles, the pages keep their promises: page 1 tells
// the whole story with nothing spilling onto page 2, which starts with the
// five skills side by side, and no page but the last holds only a stray
// fragment (fewer than minPageLines lines besides the running header and
// footer), such as two trailing lines of a table or a lone "no comments".
func TestGeneratedReportPages(t *testing.T) {
	t.Parallel()
	const minPageLines = 5
	for i, in := range storyReports(t, 2) {
		name := in.Instrument.Key + "/" + in.Leader.ParticipantID
		pages := pageTexts(t, keep(t, "story-"+strconv.Itoa(i)+".pdf", renderLeader(t, in)))
		first := strings.Join(strings.Fields(pages[0]), " ")
		want := []string{"No focus skill this time", secStoryWho + ":"}
		if in.Leader.Focus.Skill != "" {
			want[0] = "Your focus: " + newLeaderView(in).skillName(in.Leader.Focus.Skill)
		}
		for _, w := range want {
			if !strings.Contains(first, w) {
				t.Errorf("%s: page 1 lacks %q:\n%s", name, w, first)
			}
		}
		if second := strings.Join(strings.Fields(pages[1]), " "); !strings.Contains(second, secRadar) || strings.Contains(second, secStoryWho) {
			t.Errorf("%s: page 2 is not the skills overview:\n%s", name, second)
		}
		for p, text := range pages[:len(pages)-1] {
			lines := 0
			for _, line := range strings.Split(text, "\n") {
				if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "360° leadership report") && !strings.HasPrefix(line, "Page ") {
					lines++
				}
			}
			if lines < minPageLines {
				t.Errorf("%s: page %d holds only %d lines:\n%s", name, p+1, lines, text)
			}
		}
	}
}
