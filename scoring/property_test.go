package scoring

import (
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
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

// genProfiles is a generated cycle whose leaders have uneven profiles: for
// each leader one skill, chosen at random, is moved by -2..+1 points in every
// colleague's answers (self answers stay), so some skills stand far below the
// others and some blind spots sit on well-rated skills.
func genProfiles(rng *rand.Rand, inst Instrument, o genOptions) []Rating {
	rs := genCycle(rng, inst, o)
	skillOf := map[string]int{}
	reverse := map[string]bool{}
	for si, s := range inst.Skills {
		for _, it := range s.Items {
			skillOf[it.Key], reverse[it.Key] = si, it.Reverse
		}
	}
	type move struct{ skill, by int }
	moves := map[string]move{}
	for i := range rs {
		r := &rs[i]
		m, ok := moves[r.ParticipantID]
		if !ok {
			m = move{skill: rng.IntN(len(inst.Skills)), by: rng.IntN(4) - 2}
			moves[r.ParticipantID] = m
		}
		if r.Relationship == Self || r.Value == NotObserved || skillOf[r.ItemKey] != m.skill {
			continue
		}
		by := m.by
		if reverse[r.ItemKey] {
			by = -by // answered on the reversed wording
		}
		r.Value = Answer(min(5, max(1, int(r.Value)+by)))
	}
	return rs
}

// TestPropertyFocus: over generated profiles, the focus is never a skill
// colleagues rate clearly (more than the margin) above the leader's own
// profile mean; a skill rated far below all the others (by more than the
// margin) is always the focus; and the evidence sentence's numbers are the
// leader's numbers.
func TestPropertyFocus(t *testing.T) {
	t.Parallel()
	far := 0
	for seed := range uint64(12) {
		rng := rand.New(rand.NewPCG(seed, 11))
		inst := fiveSkills(4)
		rs := genProfiles(rng, inst, genOptions{leaders: 60, notObserved: 0.2, selfChance: 0.9, maxGroupSize: 5})
		r := mustScore(t, Input{Instrument: inst, Ratings: rs})
		m := r.Settings.InterplayMargin
		for _, l := range r.Leaders {
			var rated []*SkillResult
			var chosen *SkillResult
			for i := range l.Skills {
				s := &l.Skills[i]
				if s.AllOthers.Mean.Available() {
					rated = append(rated, s)
				}
				if s.Skill == l.Focus.Skill {
					chosen = s
				}
			}
			if len(rated) == 0 {
				if l.Focus.Skill != "" || l.Focus.Reason != ReasonBelowThreshold {
					t.Errorf("%s: focus %+v without colleagues' scores", l.ParticipantID, l.Focus)
				}
				continue
			}
			if chosen == nil || !chosen.AllOthers.Mean.Available() {
				t.Fatalf("%s: focus %+v is not a rated skill", l.ParticipantID, l.Focus)
			}
			o := chosen.AllOthers.Mean.Value
			if p := l.ProfileMean; p.Available() && o-p.Value > m+guard {
				t.Errorf("%s: focus %s at %.4f is more than %.2f above the profile mean %.4f", l.ParticipantID, chosen.Skill, o, m, p.Value)
			}
			for _, x := range rated {
				below := true
				for _, s := range rated {
					if s != x && s.AllOthers.Mean.Value-x.AllOthers.Mean.Value <= m+guard {
						below = false
					}
				}
				if below && len(rated) > 1 {
					far++
					if x != chosen {
						t.Errorf("%s: %s is far below every other skill, the focus is %s", l.ParticipantID, x.Skill, chosen.Skill)
					}
				}
			}
			checkEvidence(t, l, chosen)
		}
	}
	if far < 50 {
		t.Fatalf("only %d leaders had a skill far below the others; the generator is not testing the rule", far)
	}
}

// checkEvidence parses the numbers back from the focus's evidence sentence
// and compares them with the leader's figures, printed with two decimals.
func checkEvidence(t *testing.T, l Leader, s *SkillResult) {
	t.Helper()
	e := l.Focus.Evidence
	fail := func(what string) { t.Errorf("%s: evidence %q: %s", l.ParticipantID, e, what) }
	head := regexp.MustCompile(`^Colleagues rate your (.+?) (\d+\.\d\d) \((\d+) colleagues?\)`).FindStringSubmatch(e)
	if head == nil || head[1] != s.Name || head[2] != f2(s.AllOthers.Mean.Value) || head[3] != fmt.Sprint(s.AllOthers.N) {
		fail(fmt.Sprintf("want %s %s (%d colleagues)", s.Name, f2(s.AllOthers.Mean.Value), s.AllOthers.N))
	}
	p := l.ProfileMean.Value
	if m := regexp.MustCompile(`(\d+\.\d\d) below your average of (\d+\.\d\d)`).FindStringSubmatch(e); m != nil {
		if m[1] != f2(p-s.AllOthers.Mean.Value) || m[2] != f2(p) {
			fail(fmt.Sprintf("want %s below %s", f2(p-s.AllOthers.Mean.Value), f2(p)))
		}
	} else if m := regexp.MustCompile(`average of (\d+\.\d\d)`).FindStringSubmatch(e); m != nil && m[1] != f2(p) {
		fail("want the average " + f2(p))
	}
	if m := regexp.MustCompile(`within (\d+\.\d\d) of each other`).FindStringSubmatch(e); m != nil {
		lo, hi := 6.0, 0.0
		for _, k := range l.Skills {
			if k.AllOthers.Mean.Available() {
				lo, hi = min(lo, k.AllOthers.Mean.Value), max(hi, k.AllOthers.Mean.Value)
			}
		}
		if m[1] != f2(hi-lo) {
			fail("want the spread " + f2(hi-lo))
		}
	}
	if m := regexp.MustCompile(`the lowest of .*\((.+), (\d+\.\d\d)\)`).FindStringSubmatch(e); m != nil {
		found := false
		for _, k := range l.Skills {
			found = found || (k.Name == m[1] && f2(k.AllOthers.Mean.Value) == m[2])
		}
		if !found {
			fail("the lowest skill named is not the leader's")
		}
	}
	g := s.Gap.Value
	m := regexp.MustCompile(`you rate yourself (\d+\.\d\d) (higher|lower) than they do`).FindStringSubmatch(e)
	switch {
	case m != nil:
		if want := map[bool]string{true: "higher", false: "lower"}[g.Value > 0]; !g.Available() || m[1] != f2(math.Abs(g.Value)) || m[2] != want {
			fail(fmt.Sprintf("want the gap %+v", g))
		}
	case strings.Contains(e, "you did not rate yourself"):
		if s.Gap.Self.Available() {
			fail("there is a self score")
		}
	case strings.Contains(e, "matches theirs"):
		if !g.Available() || f2(math.Abs(g.Value)) != "0.00" {
			fail(fmt.Sprintf("want the gap %+v", g))
		}
	default:
		fail("no gap clause")
	}
	if strings.Contains(e, "a blind spot") != (s.Gap.Flag == FlagBlindSpot) {
		fail("blind spot named wrongly")
	}
}
