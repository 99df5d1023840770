package assessment

import (
	"cmp"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/lead360/lead360/scoring"
)

// ScalePoints is the only rating scale lead360 supports: 1..5. The schema
// enforces the same range, so an instrument with another scale is refused
// here rather than failing on the first answer.
const ScalePoints = 5

// Instrument is a versioned questionnaire. Once a cycle uses a version it is
// never edited: a change is a new version, so old results keep their meaning.
type Instrument struct {
	ID          string     `yaml:"-" json:"id"`
	Key         string     `yaml:"key" json:"key"`
	Version     int        `yaml:"version" json:"version"`
	Name        string     `yaml:"name" json:"name"`
	Description string     `yaml:"description" json:"description"`
	Scale       Scale      `yaml:"scale" json:"scale"`
	Skills      []Skill    `yaml:"skills" json:"skills"`
	Questions   []Question `yaml:"questions" json:"questions"`
}

// Scale holds the labels of the answers 1..Points plus the "not observed" option.
type Scale struct {
	Points      int      `yaml:"points" json:"points"`
	Labels      []string `yaml:"labels" json:"labels"`
	NotObserved string   `yaml:"not_observed" json:"not_observed"`
}

// Skill is one of the leadership skills, with the behaviours that show it.
type Skill struct {
	Key         string `yaml:"key" json:"key"`
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description" json:"description"`
	Items       []Item `yaml:"items" json:"items"`
}

// Item is one observable behaviour, worded for the leader (Self) and for
// everyone else (Others).
type Item struct {
	Key     string `yaml:"key" json:"key"`
	Self    string `yaml:"self" json:"self"`
	Others  string `yaml:"others" json:"others"`
	Reverse bool   `yaml:"reverse" json:"reverse"`
}

// Question is an open question; Skill is empty for the overall question.
type Question struct {
	Key    string `yaml:"key" json:"key"`
	Skill  string `yaml:"skill,omitempty" json:"skill,omitempty"`
	Self   string `yaml:"self" json:"self"`
	Others string `yaml:"others" json:"others"`
}

// Clone is a copy of the instrument that shares no slice with it, so a
// caller that changes its copy changes nobody else's.
func (in Instrument) Clone() Instrument {
	out := in
	out.Scale.Labels = slices.Clone(in.Scale.Labels)
	out.Questions = slices.Clone(in.Questions)
	out.Skills = slices.Clone(in.Skills)
	for i := range out.Skills {
		out.Skills[i].Items = slices.Clone(in.Skills[i].Items)
	}
	return out
}

// Validate checks that the instrument can be answered and scored.
func (in *Instrument) Validate() error {
	f := fieldErrors{}
	if strings.TrimSpace(in.Key) == "" {
		f.add("key", "an instrument needs a key")
	}
	if in.Version < 1 {
		f.add("version", "the version must be 1 or more")
	}
	if strings.TrimSpace(in.Name) == "" {
		f.add("name", "an instrument needs a name")
	}
	if in.Scale.Points != ScalePoints || len(in.Scale.Labels) != ScalePoints {
		f.add("scale", fmt.Sprintf("the scale must have %d points, each with a label", ScalePoints))
	}
	if len(in.Skills) == 0 {
		f.add("skills", "an instrument needs at least one skill")
	}
	seen := map[string]bool{}
	skills := map[string]bool{}
	for _, s := range in.Skills {
		if s.Key == "" || skills[s.Key] {
			f.add("skills", fmt.Sprintf("skill key %q is empty or repeated", s.Key))
		}
		skills[s.Key] = true
		if len(s.Items) == 0 {
			f.add("skills", fmt.Sprintf("skill %q has no items", s.Key))
		}
		for _, it := range s.Items {
			if it.Key == "" || seen[it.Key] {
				f.add("items", fmt.Sprintf("item key %q is empty or repeated", it.Key))
			}
			seen[it.Key] = true
			if strings.TrimSpace(it.Self) == "" || strings.TrimSpace(it.Others) == "" {
				f.add("items", fmt.Sprintf("item %q needs both a self and an others wording", it.Key))
			}
		}
	}
	questions := map[string]bool{}
	for _, q := range in.Questions {
		if q.Key == "" || questions[q.Key] {
			f.add("questions", fmt.Sprintf("question key %q is empty or repeated", q.Key))
		}
		questions[q.Key] = true
		if q.Skill != "" && !skills[q.Skill] {
			f.add("questions", fmt.Sprintf("question %q names unknown skill %q", q.Key, q.Skill))
		}
	}
	return f.err("the instrument is not valid")
}

// Item returns the item with the given key and its skill.
func (in *Instrument) Item(key string) (Item, Skill, bool) {
	for _, s := range in.Skills {
		for _, it := range s.Items {
			if it.Key == key {
				return it, s, true
			}
		}
	}
	return Item{}, Skill{}, false
}

// Question returns the open question with the given key.
func (in *Instrument) Question(key string) (Question, bool) {
	for _, q := range in.Questions {
		if q.Key == key {
			return q, true
		}
	}
	return Question{}, false
}

// ItemCount is the number of rated items across all skills.
func (in *Instrument) ItemCount() int {
	n := 0
	for _, s := range in.Skills {
		n += len(s.Items)
	}
	return n
}

// Lineage identifies an item's meaning across instrument versions: the same
// lineage means the same wording on the same scale, so a trend between two
// cycles compares like with like.
func (in *Instrument) Lineage(it Item) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%t\x00%d\x00%s", it.Key, it.Self, it.Others, it.Reverse,
		in.Scale.Points, strings.Join(in.Scale.Labels, "\x00"))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

//go:embed instruments/technical-leadership-360.yaml
var builtinInstrument []byte

//go:embed instruments/technical-leadership-360-short.yaml
var builtinShortForm []byte

//go:embed instruments/development-suggestions.yaml
var builtinSuggestions []byte

// BuiltinInstrument parses the "Technical Leadership 360" instrument that
// ships with lead360 (the full form). It is data, not code, so it can be
// reviewed as text.
func BuiltinInstrument() (Instrument, error) {
	return parseInstrument("built-in instrument", builtinInstrument)
}

// ShortFormKey is the key of the built-in short form, which a new cycle
// uses unless the admin picks another form: most raters answer on a phone.
const ShortFormKey = "technical-leadership-360-short"

// DefaultInstrument is the form a new cycle starts with: the newest short
// form if the list has one, else the first.
func DefaultInstrument(ins []Instrument) (Instrument, bool) {
	for _, in := range ins {
		if in.Key == ShortFormKey {
			return in, true
		}
	}
	if len(ins) == 0 {
		return Instrument{}, false
	}
	return ins[0], true
}

// BuiltinShortForm parses the short form of the built-in instrument: 4
// behaviours per skill, each copied from the full form with its key and
// wording, so it keeps the full item's lineage.
func BuiltinShortForm() (Instrument, error) {
	return parseInstrument("built-in short form", builtinShortForm)
}

func parseInstrument(what string, text []byte) (Instrument, error) {
	var in Instrument
	if err := yaml.Unmarshal(text, &in); err != nil {
		return Instrument{}, fmt.Errorf("parse %s: %w", what, err)
	}
	if err := in.Validate(); err != nil {
		return Instrument{}, fmt.Errorf("%s: %w", what, err)
	}
	return in, nil
}

// Suggestions are practical behaviours to practise for each skill, used at
// the end of a report for the focus skill and blind spots.
type Suggestions struct {
	Instrument string             `yaml:"instrument"`
	Skills     []SkillSuggestions `yaml:"skills"`
}

// SkillSuggestions are the development suggestions for one skill.
type SkillSuggestions struct {
	Skill      string      `yaml:"skill"`
	Why        string      `yaml:"why"`
	Behaviours []Behaviour `yaml:"behaviours"`
}

// Behaviour is one concrete thing a leader can practise.
type Behaviour struct {
	Title string `yaml:"title"`
	// Items are the keys of the instrument's items (behaviours as raters
	// see them) that this idea develops, in its skill.
	Items          []string `yaml:"items"`
	How            string   `yaml:"how"`
	PractiseIn     string   `yaml:"practise_in"`
	AskForFeedback string   `yaml:"ask_for_feedback"`
}

// Validate checks the suggestions against the instrument they are for:
// every skill exists, and every idea names at least one item, each an item
// of that skill, so an idea can be aimed at the behaviours it develops.
func (s Suggestions) Validate(in Instrument) error {
	f := fieldErrors{}
	if s.Instrument != in.Key {
		f.add("instrument", fmt.Sprintf("the suggestions are for instrument %q, not %q", s.Instrument, in.Key))
	}
	skills := map[string]Skill{}
	for _, sk := range in.Skills {
		skills[sk.Key] = sk
	}
	for _, sg := range s.Skills {
		sk, ok := skills[sg.Skill]
		if !ok {
			f.add("skills", fmt.Sprintf("suggestions name unknown skill %q", sg.Skill))
			continue
		}
		for _, b := range sg.Behaviours {
			if len(b.Items) == 0 {
				f.add("items", fmt.Sprintf("idea %q names no item it develops", b.Title))
			}
			for _, key := range b.Items {
				if !slices.ContainsFunc(sk.Items, func(it Item) bool { return it.Key == key }) {
					f.add("items", fmt.Sprintf("idea %q names item %q, which is not an item of skill %q", b.Title, key, sg.Skill))
				}
			}
		}
	}
	return f.err("the development suggestions do not match the instrument")
}

// BuiltinSuggestions parses the development suggestions shipped beside the
// built-in instrument and checks them against it. The files are embedded,
// so this is done once per process; callers share the result and must not
// change it.
func BuiltinSuggestions() (Suggestions, error) { return builtinSuggestionsOnce() }

var builtinSuggestionsOnce = sync.OnceValues(func() (Suggestions, error) {
	var s Suggestions
	if err := yaml.Unmarshal(builtinSuggestions, &s); err != nil {
		return Suggestions{}, fmt.Errorf("parse development suggestions: %w", err)
	}
	in, err := BuiltinInstrument()
	if err != nil {
		return Suggestions{}, err
	}
	if err := s.Validate(in); err != nil {
		return Suggestions{}, fmt.Errorf("development suggestions: %w", err)
	}
	return s, nil
})

// SuggestionsFor returns the development suggestions a report on the
// instrument offers: the built-in ones for both forms of the built-in
// instrument (an idea whose behaviours a form did not ask is left out by
// IdeasFor); none for another instrument until it brings its own.
func SuggestionsFor(in *Instrument) (Suggestions, error) {
	sg, err := BuiltinSuggestions()
	if err != nil {
		return Suggestions{}, err
	}
	if in.Key != sg.Instrument && in.Key != ShortFormKey {
		return Suggestions{}, nil
	}
	return sg, nil
}

// For returns the suggestions for one skill.
func (s Suggestions) For(skill string) (SkillSuggestions, bool) {
	for _, sk := range s.Skills {
		if sk.Skill == skill {
			return sk, true
		}
	}
	return SkillSuggestions{}, false
}

// Idea is a suggestion offered to one leader, with the items it develops as
// that leader's colleagues rated them.
type Idea struct {
	Behaviour
	// Targets are the idea's items, lowest all-others mean first; an item
	// without a shown all-others mean comes last.
	Targets []IdeaTarget
}

// IdeaTarget is one item an idea develops and the leader's all-others mean
// on it (not available when too few colleagues answered it).
type IdeaTarget struct {
	Item string
	Mean scoring.Number
}

// IdeasFor aims a skill's suggestions at one leader's weak behaviours: the
// ideas for the items colleagues rate lowest come first (by the lowest
// all-others mean among an idea's items; ideas whose items have no shown
// mean come after, ties in file order), and an idea for a behaviour among
// the leader's highest-rated items (Leader.TopItems) is left out: it would
// ask them to practise what colleagues already see most. So is an idea
// whose behaviours the cycle's form did not ask about: it cannot be aimed.
func (sg SkillSuggestions) IdeasFor(l *scoring.Leader) []Idea {
	means := map[string]scoring.Number{}
	for i := range l.Items {
		means[l.Items[i].Item] = l.Items[i].AllOthers.Mean
	}
	top := map[string]bool{}
	for _, r := range l.TopItems {
		top[r.Item] = true
	}
	ideas := make([]Idea, 0, len(sg.Behaviours))
	for _, b := range sg.Behaviours {
		if slices.ContainsFunc(b.Items, func(k string) bool { return top[k] }) {
			continue
		}
		idea := Idea{Behaviour: b}
		for _, k := range b.Items {
			if m, asked := means[k]; asked {
				idea.Targets = append(idea.Targets, IdeaTarget{Item: k, Mean: m})
			}
		}
		if len(idea.Targets) == 0 {
			continue // the form did not ask about its behaviours (the short form)
		}
		slices.SortStableFunc(idea.Targets, func(a, b IdeaTarget) int { return compareMeans(a.Mean, b.Mean) })
		ideas = append(ideas, idea)
	}
	slices.SortStableFunc(ideas, func(a, b Idea) int { return compareMeans(lowestTarget(a), lowestTarget(b)) })
	return ideas
}

// lowestTarget is the lowest all-others mean among an idea's items.
func lowestTarget(i Idea) scoring.Number {
	if len(i.Targets) == 0 {
		return scoring.Number{Reason: scoring.ReasonNoRatings}
	}
	return i.Targets[0].Mean
}

// compareMeans orders available means ascending, unavailable ones last.
func compareMeans(a, b scoring.Number) int {
	switch {
	case a.Available() && b.Available():
		return cmp.Compare(a.Value, b.Value)
	case a.Available():
		return -1
	case b.Available():
		return 1
	}
	return 0
}

// FormInstrument is the questionnaire a new cycle uses, chosen as the
// dashboard's form chooses it: "full" is the full form, anything else the
// default (DefaultInstrument). The built-in forms are stored first, as the
// server does at start, so a database set up by the command line alone
// has them.
func (s *Service) FormInstrument(ctx context.Context, orgID, form string) (Instrument, error) {
	full, _, err := s.EnsureBuiltinInstruments(ctx)
	if err != nil || form == "full" {
		return full, err
	}
	ins, err := s.Instruments(ctx, orgID)
	if err != nil {
		return Instrument{}, err
	}
	in, ok := DefaultInstrument(ins)
	if !ok {
		return Instrument{}, errors.New("no questionnaire is available")
	}
	return in, nil
}
