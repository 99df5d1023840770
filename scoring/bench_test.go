package scoring

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkScoreLeader: one leader rated by 15 people (self, manager, 7
// peers, 6 direct reports) on 40 items. Target < 100 µs.
func BenchmarkScoreLeader(b *testing.B) {
	inst := fiveSkills(8)
	rng := rand.New(rand.NewPCG(1, 1))
	var rs []Rating
	add := func(rater string, rel Relationship) {
		for _, s := range inst.Skills {
			for _, it := range s.Items {
				v := NotObserved
				if rng.Float64() > 0.05 {
					v = Answer(1 + rng.IntN(5))
				}
				rs = append(rs, Rating{ParticipantID: "leader", RaterID: rater, Relationship: rel, ItemKey: it.Key, Value: v})
			}
		}
	}
	add("self", Self)
	add("manager", Manager)
	for i := range 7 {
		add(fmt.Sprint("peer", i), Peer)
	}
	for i := range 6 {
		add(fmt.Sprint("direct", i), DirectReport)
	}
	in := Input{Instrument: inst, Ratings: rs}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScoreCohort: 10,000 leaders x 12 raters x 40 items = 4.8M
// ratings. Target < 2 s and < 1 GB allocated per run.
func BenchmarkScoreCohort(b *testing.B) {
	inst := fiveSkills(8)
	rs := genCycle(rand.New(rand.NewPCG(2, 2)), inst, genOptions{leaders: 10_000, fixedRaters: true, notObserved: 0.05})
	if len(rs) != 4_800_000 {
		b.Fatalf("generated %d ratings", len(rs))
	}
	in := Input{Instrument: inst, Ratings: rs}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(in); err != nil {
			b.Fatal(err)
		}
	}
}
