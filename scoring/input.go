package scoring

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// EngineVersion identifies the rules that produced a Result. It changes
// whenever a rule changes what a number means, so a stored result can be
// traced to the rules that made it.
const EngineVersion = "1.4.0"

// Defaults of Config (docs/scoring.md lists every rule and its source).
const (
	// DefaultKMin is the smallest group of anonymous raters that is shown
	// (SCORING.md 2). Configurable upward only.
	DefaultKMin = 3
	// CohortMinLeaders is the fewest leaders with a reportable all-others
	// score for self-other agreement categories and percentiles.
	CohortMinLeaders = 10
	// AlphaMinRows is the fewest complete response rows for Cronbach's alpha.
	AlphaMinRows = 30
	// guard is the tolerance of threshold comparisons (SCORING.md 3.2).
	guard = 1e-9
)

// ErrInvalidInput is wrapped by every error Score returns for input that
// cannot be scored; test with errors.Is.
var ErrInvalidInput = errors.New("scoring: invalid input")

// Relationship is how a rater knows the leader they rate.
type Relationship string

// The relationships a rating may carry (SCORING.md 1.1).
const (
	Self         Relationship = "self"
	Manager      Relationship = "manager"
	Peer         Relationship = "peer"
	DirectReport Relationship = "direct_report"
	Other        Relationship = "other"
)

// Input is everything the engine needs to score one cycle.
type Input struct {
	Instrument Instrument `json:"instrument"`
	Ratings    []Rating   `json:"ratings"`
	Config     Config     `json:"config"`
	// Previous holds each leader's result from their previous released
	// cycle, keyed by participant id, for trends. Optional.
	Previous map[string]Leader `json:"previous,omitempty"`
	// PreviousPanels holds, for each leader in Previous, who counted in the
	// figures of that previous result: Panels of the previous cycle's
	// input, keyed by this cycle's participant id, with rater ids that name
	// the same person in both cycles. A trend whose panels changed by fewer
	// than k_min people, or whose previous panel is missing, is withheld.
	PreviousPanels map[string]LeaderPanels `json:"previous_panels,omitempty"`
}

// Instrument is the questionnaire the ratings answer: skills in report
// order, each with its items, on a 1..ScalePoints scale.
type Instrument struct {
	Key         string  `json:"key,omitempty"`
	Version     int     `json:"version,omitempty"`
	ScalePoints int     `json:"scale_points"`
	Skills      []Skill `json:"skills"`
}

// Skill is one leadership skill and the items that measure it.
type Skill struct {
	Key   string `json:"key"`
	Name  string `json:"name,omitempty"`
	Items []Item `json:"items"`
}

// Item is one rated behaviour. Reverse items are recoded A+1-x before any
// averaging. Lineage identifies the item's meaning across instrument
// versions (stable key + text hash + scale); trends compare only items whose
// lineage is the same, and an empty lineage never matches.
type Item struct {
	Key     string `json:"key"`
	Text    string `json:"text,omitempty"`
	Reverse bool   `json:"reverse,omitempty"`
	Lineage string `json:"lineage,omitempty"`
}

// Rating is one answer of one rater about one leader on one item.
type Rating struct {
	ParticipantID string       `json:"participant_id"`
	RaterID       string       `json:"rater_id"`
	Relationship  Relationship `json:"relationship"`
	ItemKey       string       `json:"item_key"`
	Value         Answer       `json:"value"`
}

// Answer is a response on the 1..A scale as given (before reverse keying).
// NotObserved, the zero value, is "not observed": missing, never scored.
type Answer int

// NotObserved is the answer "not observed" (JSON null).
const NotObserved Answer = 0

// MarshalJSON writes NotObserved as null.
func (a Answer) MarshalJSON() ([]byte, error) {
	if a == NotObserved {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, int64(a), 10), nil
}

// UnmarshalJSON reads null as NotObserved and an integer as itself. A JSON
// 0 is refused rather than read as "not observed": a 0 is usually a bug in
// the exporter, and silently dropping it would change the results.
func (a *Answer) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*a = NotObserved
		return nil
	}
	var n json.Number
	if len(b) == 0 || b[0] == '"' {
		return fmt.Errorf("answer %s: want an integer or null", b)
	}
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("answer %s: want an integer or null", b)
	}
	v, err := strconv.ParseInt(string(n), 10, 32)
	if err != nil {
		return fmt.Errorf("answer %s: want an integer or null", b)
	}
	if v < 1 {
		return fmt.Errorf("answer %d: answers start at 1; use null for \"not observed\"", v)
	}
	*a = Answer(v)
	return nil
}

// Config holds the per-cycle settings. Zero values mean the defaults.
type Config struct {
	// KMin is the anonymity threshold: default 3; values below 3 are refused.
	KMin int `json:"k_min,omitempty"`
	// BlindSpotThreshold is T of SCORING.md 3.2, in scale points; default
	// 0.25 x (A - 1), which is 1.0 on a 1-5 scale.
	BlindSpotThreshold float64 `json:"blind_spot_threshold,omitempty"`
}

// Settings are the values the engine actually used, echoed in the result.
type Settings struct {
	KMin               int     `json:"k_min"`
	BlindSpotThreshold float64 `json:"blind_spot_threshold"`
	// InterplayMargin: a skill is "strong" when its others' mean is at least
	// this far above the leader's own mean across skills, "weak" when at
	// least this far below: (A - 1)/16, 0.25 on a 1-5 scale.
	InterplayMargin  float64 `json:"interplay_margin"`
	CohortMinLeaders int     `json:"cohort_min_leaders"`
	AlphaMinRows     int     `json:"alpha_min_rows"`
}

func (c Config) settings(scalePoints int) (Settings, error) {
	s := Settings{
		KMin:               c.KMin,
		BlindSpotThreshold: c.BlindSpotThreshold,
		InterplayMargin:    float64(scalePoints-1) / 16,
		CohortMinLeaders:   CohortMinLeaders,
		AlphaMinRows:       AlphaMinRows,
	}
	switch {
	case s.KMin == 0:
		s.KMin = DefaultKMin
	case s.KMin < DefaultKMin:
		return Settings{}, fmt.Errorf("%w: k_min %d is below the minimum of %d", ErrInvalidInput, s.KMin, DefaultKMin)
	}
	switch t := s.BlindSpotThreshold; {
	case math.IsNaN(t) || math.IsInf(t, 0) || t < 0:
		return Settings{}, fmt.Errorf("%w: blind_spot_threshold %v must be a positive number of scale points", ErrInvalidInput, t)
	case t == 0:
		s.BlindSpotThreshold = 0.25 * float64(scalePoints-1)
	}
	return s, nil
}

// Internal relationship codes, also the report order of groups.
type group uint8

const (
	gSelf group = iota
	gManager
	gPeer
	gDirect
	gOther
	gPool // "other colleagues": anonymous groups under k_min, pooled
	numGroups
	gExcluded group = 255
)

var groupNames = [numGroups]Group{GroupSelf, GroupManager, GroupPeer, GroupDirectReport, GroupOther, GroupOtherColleagues}

func parseRelationship(r Relationship) (group, bool) {
	switch r {
	case Self:
		return gSelf, true
	case Manager:
		return gManager, true
	case Peer:
		return gPeer, true
	case DirectReport:
		return gDirect, true
	case Other:
		return gOther, true
	}
	return 0, false
}

// instrument is the validated, indexed form of Instrument.
type instrument struct {
	A         int
	skills    []cSkill
	items     []cItem
	itemIndex map[string]int32
}

type cSkill struct {
	key, name  string
	first, end int // items[first:end]
	minAnswers int // ceil(J/2)
}

type cItem struct {
	key, lineage string
	skill        int
	reverse      bool
}

func compile(in Instrument) (*instrument, error) {
	if in.ScalePoints < 2 || in.ScalePoints > 100 {
		return nil, fmt.Errorf("%w: scale_points %d must be between 2 and 100", ErrInvalidInput, in.ScalePoints)
	}
	if len(in.Skills) == 0 {
		return nil, fmt.Errorf("%w: the instrument has no skills", ErrInvalidInput)
	}
	n := 0
	for _, s := range in.Skills {
		n += len(s.Items)
	}
	c := &instrument{A: in.ScalePoints, itemIndex: make(map[string]int32, n),
		items: make([]cItem, 0, n), skills: make([]cSkill, 0, len(in.Skills))}
	skillKeys := make(map[string]bool, len(in.Skills))
	for si, s := range in.Skills {
		if s.Key == "" || skillKeys[s.Key] {
			return nil, fmt.Errorf("%w: skill %d: key %q is empty or repeated", ErrInvalidInput, si, s.Key)
		}
		skillKeys[s.Key] = true
		if len(s.Items) == 0 {
			return nil, fmt.Errorf("%w: skill %q has no items", ErrInvalidInput, s.Key)
		}
		cs := cSkill{key: s.Key, name: s.Name, first: len(c.items), minAnswers: (len(s.Items) + 1) / 2}
		if cs.name == "" {
			cs.name = s.Key
		}
		for _, it := range s.Items {
			if _, dup := c.itemIndex[it.Key]; it.Key == "" || dup {
				return nil, fmt.Errorf("%w: skill %q: item key %q is empty or repeated", ErrInvalidInput, s.Key, it.Key)
			}
			c.itemIndex[it.Key] = int32(len(c.items))
			c.items = append(c.items, cItem{key: it.Key, lineage: it.Lineage, skill: si, reverse: it.Reverse})
		}
		cs.end = len(c.items)
		c.skills = append(c.skills, cs)
	}
	if len(c.items) > math.MaxInt16 {
		return nil, fmt.Errorf("%w: %d items is more than the engine supports", ErrInvalidInput, len(c.items))
	}
	return c, nil
}
