package scoring

import (
	"fmt"
	"math/rand/v2"
)

// fiveSkills is an instrument shaped like the built-in one: five skills of
// itemsPerSkill items, the last item of each skill reverse-keyed.
func fiveSkills(itemsPerSkill int) Instrument {
	keys := []string{"delegation", "coaching", "feedback", "conflict_resolution", "emotional_intelligence"}
	in := Instrument{Key: "test", Version: 1, ScalePoints: 5}
	for _, k := range keys {
		s := Skill{Key: k, Name: k}
		for i := range itemsPerSkill {
			key := fmt.Sprintf("%s.%d", k, i)
			s.Items = append(s.Items, Item{Key: key, Lineage: "lin-" + key, Reverse: i == itemsPerSkill-1})
		}
		in.Skills = append(in.Skills, s)
	}
	return in
}

// genOptions shape a generated cycle.
type genOptions struct {
	leaders      int
	fixedRaters  bool    // exactly one self, one manager, 5 peers, 5 direct reports
	notObserved  float64 // chance of "not observed" per answer
	selfChance   float64
	maxGroupSize int // peers, direct reports, others: 0..maxGroupSize each
}

// genCycle makes a reproducible random cycle. Each leader gets a bias so
// that leaders differ and the cohort statistics have something to find.
func genCycle(rng *rand.Rand, inst Instrument, o genOptions) []Rating {
	var keys []string
	var reverse []bool
	for _, s := range inst.Skills {
		for _, it := range s.Items {
			keys = append(keys, it.Key)
			reverse = append(reverse, it.Reverse)
		}
	}
	var rs []Rating
	for l := range o.leaders {
		pid := fmt.Sprintf("leader-%05d", l)
		bias := rng.Float64()*2 - 1
		add := func(rater string, rel Relationship) {
			for i, k := range keys {
				v := NotObserved
				if rng.Float64() >= o.notObserved {
					x := 3.5 + bias + rng.NormFloat64()
					v = Answer(min(5, max(1, int(x+0.5))))
					if reverse[i] {
						v = 6 - v // answered on the reversed wording
					}
				}
				rs = append(rs, Rating{ParticipantID: pid, RaterID: rater, Relationship: rel, ItemKey: k, Value: v})
			}
		}
		if o.fixedRaters {
			add(pid+"-self", Self)
			add(pid+"-m", Manager)
			for i := range 5 {
				add(fmt.Sprintf("%s-p%d", pid, i), Peer)
				add(fmt.Sprintf("%s-d%d", pid, i), DirectReport)
			}
			continue
		}
		if rng.Float64() < o.selfChance {
			add(pid+"-self", Self)
		}
		for i := range rng.IntN(3) {
			add(fmt.Sprintf("%s-m%d", pid, i), Manager)
		}
		for _, rel := range []Relationship{Peer, DirectReport, Other} {
			for i := range rng.IntN(o.maxGroupSize + 1) {
				add(fmt.Sprintf("%s-%s%d", pid, rel, i), rel)
			}
		}
	}
	return rs
}
