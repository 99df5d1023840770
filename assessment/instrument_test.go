package assessment

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lead360/lead360/scoring"
)

// builtins are the built-in instrument and its development suggestions.
func builtins(t *testing.T) (Instrument, Suggestions) {
	t.Helper()
	in, err := BuiltinInstrument()
	if err != nil {
		t.Fatal(err)
	}
	sg, err := BuiltinSuggestions()
	if err != nil {
		t.Fatalf("built-in suggestions: %v", err)
	}
	return in, sg
}

// Every built-in idea names the items it develops, each an item of its own
// skill, and every skill of the built-in instrument has ideas.
func TestBuiltinSuggestionsNameTheirItems(t *testing.T) {
	t.Parallel()
	in, sg := builtins(t)
	for _, sk := range in.Skills {
		s, ok := sg.For(sk.Key)
		if !ok || len(s.Behaviours) == 0 {
			t.Errorf("skill %s has no ideas", sk.Key)
		}
		for _, b := range s.Behaviours {
			if len(b.Items) == 0 {
				t.Errorf("idea %q names no item", b.Title)
			}
		}
	}
}

func TestSuggestionsValidate(t *testing.T) {
	t.Parallel()
	in, _ := builtins(t)
	idea := func(items ...string) Behaviour { return Behaviour{Title: "An idea", Items: items} }
	cases := []struct {
		name  string
		sg    Suggestions
		field string // "" when valid
	}{
		{"valid", Suggestions{Instrument: in.Key, Skills: []SkillSuggestions{{Skill: "feedback", Behaviours: []Behaviour{idea("feedback.gives_within_days")}}}}, ""},
		{"unknown item", Suggestions{Instrument: in.Key, Skills: []SkillSuggestions{{Skill: "feedback", Behaviours: []Behaviour{idea("feedback.gives_within_weeks")}}}}, "items"},
		{"item of another skill", Suggestions{Instrument: in.Key, Skills: []SkillSuggestions{{Skill: "feedback", Behaviours: []Behaviour{idea("coaching.lets_them_drive")}}}}, "items"},
		{"no item", Suggestions{Instrument: in.Key, Skills: []SkillSuggestions{{Skill: "feedback", Behaviours: []Behaviour{idea()}}}}, "items"},
		{"unknown skill", Suggestions{Instrument: in.Key, Skills: []SkillSuggestions{{Skill: "juggling", Behaviours: []Behaviour{idea("feedback.gives_within_days")}}}}, "skills"},
		{"another instrument", Suggestions{Instrument: "other", Skills: nil}, "instrument"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.sg.Validate(in)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("valid suggestions refused: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeInvalid || e.Fields[tc.field] == "" {
				t.Fatalf("err = %v, want a problem with %s", err, tc.field)
			}
		})
	}
}

// leaderWithMeans is a scoring.Leader with the given all-others item means
// (a negative mean is not shown) and its top items.
func leaderWithMeans(means map[string]float64, top ...string) *scoring.Leader {
	l := &scoring.Leader{}
	keys := make([]string, 0, len(means))
	for k := range means {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		m := scoring.Number{Value: means[k]}
		if means[k] < 0 {
			m = scoring.Number{Reason: scoring.ReasonBelowThreshold}
		}
		l.Items = append(l.Items, scoring.ItemResult{Item: k, AllOthers: scoring.GroupStats{Mean: m}})
	}
	for _, k := range top {
		l.TopItems = append(l.TopItems, scoring.ItemRank{Item: k, Mean: scoring.Number{Value: means[k]}})
	}
	return l
}

// The demo's Olivia Brennan, feedback: colleagues rate "gives feedback
// within days" highest of all her behaviours, so its idea is left out; the
// other ideas come lowest-rated behaviour first.
func TestIdeasFor(t *testing.T) {
	t.Parallel()
	_, sg := builtins(t)
	fb, _ := sg.For("feedback")
	l := leaderWithMeans(map[string]float64{
		"feedback.names_behavior_and_impact": 3.9,
		"feedback.gives_within_days":         4.62, // a top item
		"feedback.specific_praise":           4.1,
		"feedback.critical_in_private":       4.0, // no idea develops it
		"feedback.review_comments_on_code":   4.2,
		"feedback.listens_to_their_view":     -1, // not shown: after the rated ones
		"feedback.asks_for_feedback":         3.4,
		"feedback.acts_on_feedback":          3.2,
	}, "feedback.gives_within_days")
	var got []string
	for _, idea := range fb.IdeasFor(l) {
		got = append(got, idea.Title)
	}
	// asks_for 3.4 / acts_on 3.2 -> 3.2; names 3.9; praise 4.1; listens not shown
	want := []string{"Ask for feedback on your own leadership", "Name the behavior and its impact", "Make praise specific", "Listen to their side"}
	if !slices.Equal(got, want) {
		t.Fatalf("ideas = %q, want %q", got, want)
	}
	first := fb.IdeasFor(l)[0].Targets
	if len(first) != 2 || first[0].Item != "feedback.acts_on_feedback" || first[0].Mean.Value != 3.2 || first[1].Item != "feedback.asks_for_feedback" {
		t.Errorf("targets of the first idea = %+v, want acts_on_feedback 3.2 first", first)
	}
}

// Over generated means and top lists: the ideas follow the item means
// (lowest first), none is for a top item, and every other idea is offered.
func TestIdeasForGenerated(t *testing.T) {
	t.Parallel()
	in, sg := builtins(t)
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 42))
		means := map[string]float64{}
		var keys []string
		for _, sk := range in.Skills {
			for _, it := range sk.Items {
				keys = append(keys, it.Key)
				means[it.Key] = 1 + 4*rng.Float64()
				if rng.IntN(10) == 0 {
					means[it.Key] = -1
				}
			}
		}
		rng.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		l := leaderWithMeans(means, keys[:rng.IntN(6)]...)
		top := map[string]bool{}
		for _, r := range l.TopItems {
			top[r.Item] = true
		}
		for _, s := range sg.Skills {
			ideas := s.IdeasFor(l)
			low := func(i Idea) float64 {
				m := 99.0 // not shown: last
				for _, k := range i.Items {
					if means[k] >= 0 {
						m = min(m, means[k])
					}
				}
				return m
			}
			offered := 0
			for i, idea := range ideas {
				for _, k := range idea.Items {
					if top[k] {
						t.Fatalf("seed %d: idea %q is for top item %s", seed, idea.Title, k)
					}
				}
				if i > 0 && low(ideas[i-1]) > low(idea) {
					t.Fatalf("seed %d: idea %q (%.2f) after %q (%.2f)", seed, idea.Title, low(idea), ideas[i-1].Title, low(ideas[i-1]))
				}
				offered++
			}
			want := 0
			for _, b := range s.Behaviours {
				if !slices.ContainsFunc(b.Items, func(k string) bool { return top[k] }) {
					want++
				}
			}
			if offered != want {
				t.Fatalf("seed %d, %s: %d ideas offered, want %d", seed, s.Skill, offered, want)
			}
		}
	}
}

// The time estimate counts the questions of the form it is about: ten
// seconds per rated behaviour and half a minute per open question, rounded
// up to whole minutes.
func TestEstimatedMinutes(t *testing.T) {
	t.Parallel()
	full, _ := builtins(t)
	one := Instrument{Skills: []Skill{{Items: []Item{{Key: "a"}}}}}
	tests := []struct {
		name string
		in   Instrument
		want int
	}{
		{"the built-in form: 40 behaviours and 6 open questions, 580 s", full, 10},
		{"one behaviour is still a minute", one, 1},
		{"six behaviours and one question, 90 s", Instrument{Skills: []Skill{{Items: make([]Item, 6)}}, Questions: make([]Question, 1)}, 2},
	}
	for _, tt := range tests {
		if got := EstimatedMinutes(&tt.in); got != tt.want {
			t.Errorf("%s: %d minutes, want %d", tt.name, got, tt.want)
		}
	}
}

// The short form is a subset of the full form: four behaviours per skill,
// each with the full item's key, wording and so lineage (trends compare
// them), none reverse-worded, each the aim of a development idea, and at
// most two open questions.
func TestShortFormKeepsTheFullItems(t *testing.T) {
	t.Parallel()
	full, sg := builtins(t)
	short, err := BuiltinShortForm()
	if err != nil {
		t.Fatal(err)
	}
	if short.Key != ShortFormKey || short.Scale.NotObserved != full.Scale.NotObserved || !slices.Equal(short.Scale.Labels, full.Scale.Labels) {
		t.Fatalf("the short form's key or scale: %q %+v", short.Key, short.Scale)
	}
	aimed := map[string]bool{}
	for _, s := range sg.Skills {
		for _, b := range s.Behaviours {
			for _, k := range b.Items {
				aimed[k] = true
			}
		}
	}
	if len(short.Skills) != len(full.Skills) || short.ItemCount() != 20 || len(short.Questions) > 2 {
		t.Fatalf("short form: %d skills, %d items, %d questions", len(short.Skills), short.ItemCount(), len(short.Questions))
	}
	for i, sk := range short.Skills {
		if sk.Key != full.Skills[i].Key || len(sk.Items) != 4 {
			t.Errorf("skill %d: %q with %d items, want %q with 4", i, sk.Key, len(sk.Items), full.Skills[i].Key)
		}
		for _, it := range sk.Items {
			fullItem, fullSkill, ok := full.Item(it.Key)
			switch {
			case !ok || fullSkill.Key != sk.Key:
				t.Errorf("%s is not an item of %s in the full form", it.Key, sk.Key)
			case short.Lineage(it) != full.Lineage(fullItem):
				t.Errorf("%s has another lineage than in the full form: its wording changed", it.Key)
			case it.Reverse:
				t.Errorf("%s is reverse-worded", it.Key)
			case !aimed[it.Key]:
				t.Errorf("%s is the aim of no development idea", it.Key)
			}
		}
	}
	for _, q := range short.Questions {
		if fq, ok := full.Question(q.Key); !ok || fq != q {
			t.Errorf("open question %q differs from the full form's", q.Key)
		}
	}
	if got := EstimatedMinutes(&short); got != 4 {
		t.Errorf("the short form takes %d minutes, want 4 (20 x 10 s + 30 s)", got)
	}
}
