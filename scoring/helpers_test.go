package scoring

import (
	"encoding/json"
	"fmt"
	"testing"
)

// oneSkill is an instrument with one skill of the given items on 1..5.
func oneSkill(items ...Item) Instrument {
	return Instrument{ScalePoints: 5, Skills: []Skill{{Key: "delegation", Name: "Delegation", Items: items}}}
}

func items(keys ...string) []Item {
	out := make([]Item, len(keys))
	for i, k := range keys {
		out[i] = Item{Key: k, Lineage: "L-" + k}
	}
	return out
}

// builder collects ratings.
type builder struct{ rs []Rating }

// rate adds one rater's answers to keys, in order; 0 means "not observed".
func (b *builder) rate(participant, rater string, rel Relationship, keys []string, vals ...int) *builder {
	if len(keys) != len(vals) {
		panic(fmt.Sprintf("%d keys, %d values", len(keys), len(vals)))
	}
	for i, k := range keys {
		b.rs = append(b.rs, Rating{ParticipantID: participant, RaterID: rater, Relationship: rel, ItemKey: k, Value: Answer(vals[i])})
	}
	return b
}

// raters adds n raters of one relationship, each answering keys with one
// value from vals (rater i answers vals[i] to every key).
func (b *builder) raters(participant, prefix string, rel Relationship, keys []string, vals ...int) *builder {
	for i, v := range vals {
		row := make([]int, len(keys))
		for j := range row {
			row[j] = v
		}
		b.rate(participant, fmt.Sprintf("%s%02d", prefix, i), rel, keys, row...)
	}
	return b
}

func mustScore(t testing.TB, in Input) Result {
	t.Helper()
	r, err := Score(in)
	if err != nil {
		t.Fatalf("Score: %v", err)
	}
	return r
}

func mustPanels(t testing.TB, in Input) map[string]LeaderPanels {
	t.Helper()
	p, err := Panels(in)
	if err != nil {
		t.Fatalf("Panels: %v", err)
	}
	return p
}

func groupNamesOf(gs []GroupStats) []Group {
	out := []Group{}
	for _, g := range gs {
		out = append(out, g.Group)
	}
	return out
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

func near(a, b float64) bool { d := a - b; return d < 1e-12 && d > -1e-12 }
