package scoring

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// AppendJSON writes exactly what json.Marshal writes, for leaders with every
// kind of figure: suppressed groups, unavailable numbers, trends (some items
// with a changed lineage), insights, HTML-escaped strings.
func TestLeaderAppendJSONMatchesMarshal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts genOptions
	}{
		{"fixed raters", genOptions{leaders: 15, fixedRaters: true, notObserved: 0.1}},
		{"varied groups", genOptions{leaders: 40, notObserved: 0.4, selfChance: 0.7, maxGroupSize: 4}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inst := fiveSkills(4)
			inst.Skills[0].Name = `Delegation <& "quotes">`
			rng := rand.New(rand.NewPCG(uint64(i), 5))
			firstIn := Input{Instrument: inst, Ratings: genCycle(rng, inst, tc.opts)}
			first := mustScore(t, firstIn)
			prevPanels := mustPanels(t, firstIn)
			prev := map[string]Leader{}
			for _, l := range first.Leaders {
				prev[l.ParticipantID] = l
			}
			inst.Skills[1].Items[0].Lineage = "changed"
			second := mustScore(t, Input{Instrument: inst, Ratings: genCycle(rng, inst, tc.opts), Previous: prev, PreviousPanels: prevPanels})
			for _, r := range []Result{first, second} {
				want, _ := json.Marshal(r)
				if got, err := r.AppendJSON(nil); err != nil || !bytes.Equal(got, want) {
					t.Fatalf("Result.AppendJSON differs from json.Marshal (%v)", err)
				}
				for li := range r.Leaders {
					l := &r.Leaders[li]
					want, err := json.Marshal(l)
					if err != nil {
						t.Fatal(err)
					}
					got, err := l.AppendJSON(nil)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got, want) {
						t.Fatalf("leader %s:\n got %s\nwant %s", l.ParticipantID, got, want)
					}
				}
			}
		})
	}
	empty := Result{}
	want, _ := json.Marshal(empty)
	if got, err := empty.AppendJSON(nil); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("empty result: %s, want %s", got, want)
	}
	// A hand-made leader with nil slices and omitted fields.
	l := Leader{ParticipantID: "x", Focus: Focus{Reason: ReasonBelowThreshold, Sentence: "s"},
		Items: []ItemResult{{Item: "i", Skill: "s", Reverse: true, Groups: []GroupStats{{Group: GroupPeer, Distribution: &Distribution{}}}}}}
	want, _ = json.Marshal(&l)
	got, err := l.AppendJSON(nil)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("hand-made leader:\n got %s\nwant %s (%v)", got, want, err)
	}
}
