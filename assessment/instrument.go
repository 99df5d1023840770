package assessment

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
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

//go:embed instruments/development-suggestions.yaml
var builtinSuggestions []byte

// BuiltinInstrument parses the "Technical Leadership 360" instrument that
// ships with lead360. It is data, not code, so it can be reviewed as text.
func BuiltinInstrument() (Instrument, error) {
	var in Instrument
	if err := yaml.Unmarshal(builtinInstrument, &in); err != nil {
		return Instrument{}, fmt.Errorf("parse built-in instrument: %w", err)
	}
	if err := in.Validate(); err != nil {
		return Instrument{}, fmt.Errorf("built-in instrument: %w", err)
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
	Title          string `yaml:"title"`
	How            string `yaml:"how"`
	PractiseIn     string `yaml:"practise_in"`
	AskForFeedback string `yaml:"ask_for_feedback"`
}

// BuiltinSuggestions parses the development suggestions shipped beside the
// built-in instrument.
func BuiltinSuggestions() (Suggestions, error) {
	var s Suggestions
	if err := yaml.Unmarshal(builtinSuggestions, &s); err != nil {
		return Suggestions{}, fmt.Errorf("parse development suggestions: %w", err)
	}
	return s, nil
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
