package scoring

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestPropertyShuffle: the order of the ratings changes nothing.
func TestPropertyShuffle(t *testing.T) {
	t.Parallel()
	for seed := range uint64(5) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(seed, 1))
			inst := fiveSkills(4)
			rs := genCycle(rng, inst, genOptions{leaders: 14, notObserved: 0.15, selfChance: 0.8, maxGroupSize: 6})
			want := mustJSON(t, mustScore(t, Input{Instrument: inst, Ratings: rs}))
			for range 3 {
				rng.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
				if got := mustJSON(t, mustScore(t, Input{Instrument: inst, Ratings: rs})); got != want {
					t.Fatal("result changed when the ratings were shuffled")
				}
			}
		})
	}
}

// othersFigures is every figure of a result that must not depend on self:
// all groups but self, all others, and the cohort's alpha, ICC and heatmap.
func othersFigures(t *testing.T, r Result) string {
	var b strings.Builder
	for _, l := range r.Leaders {
		for _, s := range l.Skills {
			b.WriteString(mustJSON(t, []any{s.Skill, dropSelf(s.Groups), s.AllOthers, s.Reliability, s.Percentile}))
		}
		for _, it := range l.Items {
			b.WriteString(mustJSON(t, []any{it.Item, dropSelf(it.Groups), it.AllOthers}))
		}
		b.WriteString(mustJSON(t, []any{l.TopItems, l.BottomItems, l.LeastAgreement, l.ProfileMean, l.Interplay, l.Suppressed}))
	}
	for _, c := range r.Cohort.Skills {
		b.WriteString(mustJSON(t, []any{c.Alpha, c.ICC}))
	}
	b.WriteString(mustJSON(t, r.Cohort.Heatmap))
	return b.String()
}

func dropSelf(gs []GroupStats) []GroupStats {
	return slices.DeleteFunc(slices.Clone(gs), func(g GroupStats) bool { return g.Group == GroupSelf })
}

// TestPropertyAddingSelf: adding self ratings changes no figure about others.
func TestPropertyAddingSelf(t *testing.T) {
	t.Parallel()
	for seed := range uint64(5) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(seed, 2))
			inst := fiveSkills(4)
			rs := genCycle(rng, inst, genOptions{leaders: 12, notObserved: 0.15, selfChance: 0, maxGroupSize: 6})
			before := mustScore(t, Input{Instrument: inst, Ratings: rs})
			withSelf := slices.Clone(rs)
			for _, l := range before.Leaders {
				for _, s := range inst.Skills {
					for _, it := range s.Items {
						withSelf = append(withSelf, Rating{ParticipantID: l.ParticipantID, RaterID: "self-" + l.ParticipantID, Relationship: Self, ItemKey: it.Key, Value: Answer(1 + rng.IntN(5))})
					}
				}
			}
			after := mustScore(t, Input{Instrument: inst, Ratings: withSelf})
			if othersFigures(t, before) != othersFigures(t, after) {
				t.Fatal("adding self ratings changed a figure about others")
			}
			if mustJSON(t, before) == mustJSON(t, after) {
				t.Fatal("adding self ratings changed nothing at all; the test is not testing")
			}
		})
	}
}

// TestPropertyExcludedRaterInvisible: a rater who cannot be shown anywhere
// (the only peer, with no "other" raters to pool with) influences no number:
// changing their answers leaves the whole result identical, suppression list
// included (the pattern of "not observed" is kept, so the counts that drive
// suppression do not change).
func TestPropertyExcludedRaterInvisible(t *testing.T) {
	t.Parallel()
	for seed := range uint64(8) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(seed, 3))
			inst := fiveSkills(4)
			rs := genCycle(rng, inst, genOptions{leaders: 12, notObserved: 0.15, selfChance: 0.8, maxGroupSize: 6})
			// Keep self and managers; give every leader 3-6 direct reports who
			// answer every item (so they are shown on every skill and item)
			// and exactly one peer, who can never reach k = 3.
			rs = slices.DeleteFunc(rs, func(r Rating) bool { return r.Relationship != Self && r.Relationship != Manager })
			var leaders []string
			for _, r := range rs {
				if !slices.Contains(leaders, r.ParticipantID) {
					leaders = append(leaders, r.ParticipantID)
				}
			}
			answerAll := func(l, rater string, rel Relationship) {
				for _, s := range inst.Skills {
					for _, it := range s.Items {
						rs = append(rs, Rating{ParticipantID: l, RaterID: rater, Relationship: rel, ItemKey: it.Key, Value: Answer(1 + rng.IntN(5))})
					}
				}
			}
			for _, l := range leaders {
				for d := range 3 + rng.IntN(4) {
					answerAll(l, fmt.Sprint("direct-", d, "-", l), DirectReport)
				}
			}
			n := len(rs)
			for _, l := range leaders {
				answerAll(l, "lonely-peer-"+l, Peer)
			}
			before := mustJSON(t, mustScore(t, Input{Instrument: inst, Ratings: rs}))
			for i := n; i < len(rs); i++ {
				rs[i].Value = Answer(1 + rng.IntN(5))
			}
			after := mustJSON(t, mustScore(t, Input{Instrument: inst, Ratings: rs}))
			if before != after {
				t.Fatal("an excluded rater's answers changed the result")
			}
			if !strings.Contains(before, `{"group":"peer","reason":"excluded"`) {
				t.Fatal("the lonely peers were not excluded; the test is not testing")
			}
		})
	}
}

// FuzzScore: any cycle built from fuzzed bytes either scores without a
// NaN in its JSON or is refused with ErrInvalidInput; never a panic.
func FuzzScore(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 0, 9, 200, 17})
	f.Add([]byte("peers and a manager and a self rating"))
	f.Fuzz(func(t *testing.T, data []byte) {
		inst := fiveSkills(2)
		var keys []string
		for _, s := range inst.Skills {
			for _, it := range s.Items {
				keys = append(keys, it.Key)
			}
		}
		rels := []Relationship{Self, Manager, Peer, DirectReport, Other}
		var rs []Rating
		for i := 0; i+2 < len(data); i += 3 {
			a, b, c := data[i], data[i+1], data[i+2]
			rs = append(rs, Rating{
				ParticipantID: fmt.Sprint("L", a%3),
				RaterID:       fmt.Sprint("R", b%7),
				Relationship:  rels[(b/7)%5],
				ItemKey:       keys[int(c)%len(keys)],
				Value:         Answer(c % 7), // 0 (not observed) .. 6 (out of range)
			})
		}
		r, err := Score(Input{Instrument: inst, Ratings: rs})
		if err != nil {
			return
		}
		if s := mustJSON(t, r); strings.Contains(s, "NaN") || strings.Contains(s, "Inf") {
			t.Fatalf("JSON with NaN or Inf: %s", s)
		}
	})
}
