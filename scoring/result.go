package scoring

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/lead360/lead360/scoring/psychometrics"
)

// Reason says why a figure is not available; the zero Reason means it is
// available. Its names (String, JSON) are stable: the report, the CSV export
// and the JSON API use them. It is a one-byte code rather than a string so
// that a Result, which holds thousands of figures, has no pointers in them
// for the garbage collector to follow.
type Reason uint8

// Reasons a figure can be "not available". The last four come unchanged from
// package psychometrics.
const (
	// ReasonNoRatings: nobody in the group gave an answer that counts.
	ReasonNoRatings Reason = iota + 1
	// ReasonNoSelfScore: the leader did not rate themself on this item, or
	// answered fewer than ceil(J/2) of the skill's J items.
	ReasonNoSelfScore
	// ReasonBelowThreshold: "all others" has fewer than k_min raters
	// (SCORING.md 2, rule 6), so neither it nor any gap is shown.
	ReasonBelowThreshold
	// ReasonNotComputed: the statistic is not computed for this group, e.g.
	// r_wg for a group of fewer than 3 raters (SCORING.md 4.2).
	ReasonNotComputed
	// ReasonCohortTooSmall: fewer leaders than the cohort minimum.
	ReasonCohortTooSmall
	// ReasonNoPrevious: the previous result has no such skill or item, or its
	// figure was not available.
	ReasonNoPrevious
	// ReasonLineageChanged: the item (or one item of the skill) changed
	// wording or scale since the previous cycle.
	ReasonLineageChanged
	// ReasonPanelChanged: between 1 and k_min-1 people joined or left the
	// raters of the figure since the previous cycle, so the change could
	// point at one of them (docs/scoring.md, "Trend").
	ReasonPanelChanged
	// ReasonPreviousPanelUnknown: who counted in the previous figure is not
	// known (or does not match it), so the panel rule cannot be checked.
	ReasonPreviousPanelUnknown

	ReasonTooFew
	ReasonTooFewItems
	ReasonZeroVariance
	ReasonZeroDenominator
)

var reasonNames = [...]string{
	ReasonNoRatings:            "no_ratings",
	ReasonNoSelfScore:          "no_self_score",
	ReasonBelowThreshold:       "below_threshold",
	ReasonNotComputed:          "not_computed_for_group",
	ReasonCohortTooSmall:       "cohort_too_small",
	ReasonNoPrevious:           "not_in_previous",
	ReasonLineageChanged:       "lineage_changed",
	ReasonPanelChanged:         "panel_changed_below_threshold",
	ReasonPreviousPanelUnknown: "previous_panel_unknown",
	ReasonTooFew:               string(psychometrics.ReasonTooFew),
	ReasonTooFewItems:          string(psychometrics.ReasonTooFewItems),
	ReasonZeroVariance:         string(psychometrics.ReasonZeroVariance),
	ReasonZeroDenominator:      string(psychometrics.ReasonZeroDenominator),
}

// String is the reason's stable name ("too_few"), "" for none.
func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// MarshalText writes the stable name ("" for none).
func (r Reason) MarshalText() ([]byte, error) {
	if int(r) >= len(reasonNames) {
		return nil, fmt.Errorf("scoring: no name for reason %d", uint8(r))
	}
	return []byte(reasonNames[r]), nil
}

// UnmarshalText reads a stable name; "" is no reason.
func (r *Reason) UnmarshalText(b []byte) error {
	code, ok := lookupName(reasonNames[:], string(b))
	if !ok {
		return fmt.Errorf("scoring: unknown reason %q", b)
	}
	*r = Reason(code)
	return nil
}

// lookupName finds name in a table indexed by code; "" is code 0.
func lookupName(names []string, name string) (int, bool) {
	if name == "" {
		return 0, true
	}
	for code, n := range names {
		if code > 0 && n == name {
			return code, true
		}
	}
	return 0, false
}

// Number is a figure that may be "not available". JSON: {"value": 4.2} or
// {"value": null, "reason": "too_few"}. Value is meaningless when Reason is
// set; it is never NaN or infinite.
type Number struct {
	Value  float64
	Reason Reason
}

func num(v float64) Number         { return Number{Value: v} }
func notAvailable(r Reason) Number { return Number{Reason: r} }

// Available reports whether Value may be shown.
func (n Number) Available() bool { return n.Reason == 0 }

func appendFloat(b []byte, v float64) ([]byte, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, fmt.Errorf("scoring: %v cannot be written as JSON", v)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64), nil
}

// MarshalJSON writes {"value": v} or {"value": null, "reason": r}.
func (n Number) MarshalJSON() ([]byte, error) {
	if !n.Available() {
		return json.Marshal(struct {
			Value  *float64 `json:"value"`
			Reason Reason   `json:"reason"`
		}{nil, n.Reason})
	}
	b, err := appendFloat([]byte(`{"value":`), n.Value)
	if err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (n *Number) UnmarshalJSON(b []byte) error {
	var w struct {
		Value  *float64 `json:"value"`
		Reason Reason   `json:"reason"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	switch {
	case w.Value != nil:
		*n = Number{Value: *w.Value}
	case w.Reason != 0:
		*n = Number{Reason: w.Reason}
	default:
		return fmt.Errorf("scoring: a null value needs a reason")
	}
	return nil
}

// Interval is a 95% confidence interval with its degrees of freedom; it may
// be "not available". JSON: {"lower": 3.1, "upper": 4.9, "df": 4} or
// {"lower": null, "upper": null, "reason": "too_few"}. It is never clipped
// to the scale: the UI may clip it for display.
type Interval struct {
	Lower  float64 `json:"lower"`
	Upper  float64 `json:"upper"`
	DF     int     `json:"df,omitempty"`
	Reason Reason  `json:"reason,omitempty"`
}

// Available reports whether the bounds may be shown.
func (i Interval) Available() bool { return i.Reason == 0 }

// MarshalJSON writes null bounds with a reason when unavailable.
func (i Interval) MarshalJSON() ([]byte, error) {
	if !i.Available() {
		return json.Marshal(struct {
			Lower  *float64 `json:"lower"`
			Upper  *float64 `json:"upper"`
			Reason Reason   `json:"reason"`
		}{nil, nil, i.Reason})
	}
	b, err := appendFloat([]byte(`{"lower":`), i.Lower)
	if err != nil {
		return nil, err
	}
	b = append(b, `,"upper":`...)
	if b, err = appendFloat(b, i.Upper); err != nil {
		return nil, err
	}
	if i.DF > 0 {
		b = append(b, `,"df":`...)
		b = strconv.AppendInt(b, int64(i.DF), 10)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (i *Interval) UnmarshalJSON(b []byte) error {
	var w struct {
		Lower  *float64 `json:"lower"`
		Upper  *float64 `json:"upper"`
		DF     int      `json:"df"`
		Reason Reason   `json:"reason"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if w.Lower == nil || w.Upper == nil {
		if w.Reason == 0 {
			return fmt.Errorf("scoring: a null interval needs a reason")
		}
		*i = Interval{Reason: w.Reason}
		return nil
	}
	*i = Interval{Lower: *w.Lower, Upper: *w.Upper, DF: w.DF}
	return nil
}

// Group names a column of the report. Like Reason it is a one-byte code
// with stable names (String, JSON); the zero Group is no group.
type Group uint8

// Groups in report order. OtherColleagues is the pool of anonymous groups
// that were each under k_min; AllOthers is everyone but self who counts.
const (
	GroupSelf Group = iota + 1
	GroupManager
	GroupPeer
	GroupDirectReport
	GroupOther
	GroupOtherColleagues
	GroupAllOthers
)

var groupNameText = [...]string{
	GroupSelf:            "self",
	GroupManager:         "manager",
	GroupPeer:            "peer",
	GroupDirectReport:    "direct_report",
	GroupOther:           "other",
	GroupOtherColleagues: "other_colleagues",
	GroupAllOthers:       "all_others",
}

// String is the group's stable name ("direct_report"), "" for none.
func (g Group) String() string {
	if int(g) < len(groupNameText) {
		return groupNameText[g]
	}
	return fmt.Sprintf("Group(%d)", uint8(g))
}

// MarshalText writes the stable name ("" for none).
func (g Group) MarshalText() ([]byte, error) {
	if int(g) >= len(groupNameText) {
		return nil, fmt.Errorf("scoring: no name for group %d", uint8(g))
	}
	return []byte(groupNameText[g]), nil
}

// UnmarshalText reads a stable name ("" for none).
func (g *Group) UnmarshalText(b []byte) error {
	code, ok := lookupName(groupNameText[:], string(b))
	if !ok {
		return fmt.Errorf("scoring: unknown group %q", b)
	}
	*g = Group(code)
	return nil
}

// Result is the engine's output for one cycle: the public contract of
// `lead360 score`.
type Result struct {
	EngineVersion string   `json:"engine_version"`
	Settings      Settings `json:"settings"`
	Cohort        Cohort   `json:"cohort"`
	// Leaders are sorted by participant id.
	Leaders []Leader `json:"leaders"`
}

// Leader is everything a report about one leader may show. Every number in
// it has passed the anonymity rules (SCORING.md 2) exactly once.
type Leader struct {
	ParticipantID string        `json:"participant_id"`
	Skills        []SkillResult `json:"skills"` // instrument order
	Items         []ItemResult  `json:"items"`  // instrument order
	// ProfileMean is the plain mean of the reportable all-others skill
	// means: the leader's own baseline for "strong" and "weak".
	ProfileMean Number `json:"profile_mean"`
	// TopItems and BottomItems are the (up to) five items with the highest
	// and lowest all-others means; an item is never in both lists.
	TopItems    []ItemRank `json:"top_items"`
	BottomItems []ItemRank `json:"bottom_items"`
	// LeastAgreement lists the (up to) five items whose all-others answers
	// are most spread out (highest SD, i.e. lowest untruncated r_wg).
	LeastAgreement []ItemRank `json:"least_agreement_items"`
	Focus          Focus      `json:"focus"`
	Interplay      []Insight  `json:"interplay"`
	// HasPrevious tells whether a previous result was given; trends are
	// present only then.
	HasPrevious bool `json:"has_previous"`
	// Suppressed says what the anonymity rules held back and why, for the
	// report's "how to read" box. It never carries counts.
	Suppressed []Suppression `json:"suppressed"`
	// Disclosure is, per skill (instrument order), the anonymity decision
	// itself: which relationships are shown and under which group. Outputs
	// that are not numbers (comments) follow it through ShownAs, so every
	// output obeys one suppression function (TRUST.md rule 2).
	Disclosure []SkillDisclosure `json:"disclosure"`
}

// SkillDisclosure lists the relationships whose raters are shown for one
// skill, each with the group that shows them: its own (self, manager, peer,
// direct_report, other) or other_colleagues when it was pooled. A
// relationship that is absent is not shown for the skill: it had no rater
// with a skill score, or its raters were excluded.
type SkillDisclosure struct {
	Skill string              `json:"skill"`
	Shown []RelationshipGroup `json:"shown"`
}

// RelationshipGroup is one shown relationship and the group it is shown in.
type RelationshipGroup struct {
	Relationship Relationship `json:"relationship"`
	Group        Group        `json:"group"`
}

// ShownAs reports the group under which raters of rel are shown for skill,
// and false when they are not shown there (or the skill is unknown).
func (l *Leader) ShownAs(skill string, rel Relationship) (Group, bool) {
	for i := range l.Disclosure {
		d := &l.Disclosure[i]
		if d.Skill != skill {
			continue
		}
		for _, s := range d.Shown {
			if s.Relationship == rel {
				return s.Group, true
			}
		}
		return 0, false
	}
	return 0, false
}

// MostRaters is, per shown group, the most raters behind any one of the
// leader's skills, with GroupAllOthers for the reportable all-others: how
// many people a report can say answered in each group. A group that is
// never shown is absent.
func (l *Leader) MostRaters() map[Group]int {
	most := map[Group]int{}
	for _, s := range l.Skills {
		for _, g := range s.Groups {
			most[g.Group] = max(most[g.Group], g.N)
		}
		if s.AllOthers.Mean.Available() {
			most[GroupAllOthers] = max(most[GroupAllOthers], s.AllOthers.N)
		}
	}
	return most
}

// SkillResult is one skill of one leader.
type SkillResult struct {
	Skill string `json:"skill"`
	Name  string `json:"name"`
	// Groups are the shown groups in report order: self, manager, peer,
	// direct_report, other, other_colleagues. A group that is not shown is
	// absent (see Leader.Suppressed).
	Groups    []GroupStats `json:"groups"`
	AllOthers GroupStats   `json:"all_others"`
	Gap       Gap          `json:"gap"`
	// Reliability is the Spearman-Brown reliability of the all-others mean
	// with its own n (AllOthers.N), from the cohort's ICC(1) for the skill.
	Reliability Number `json:"reliability"`
	// Percentile is the leader's mid-rank percentile of the all-others mean
	// within the cohort; PercentileN is the cohort size it was taken in.
	Percentile  Number `json:"percentile"`
	PercentileN int    `json:"percentile_n"`
	Trend       *Trend `json:"trend,omitempty"`
}

// ItemResult is one item of one leader. Means and distributions use the
// reverse-keyed values (A+1-x), so higher is always better.
type ItemResult struct {
	Item      string       `json:"item"`
	Skill     string       `json:"skill"`
	Reverse   bool         `json:"reverse,omitempty"`
	Lineage   string       `json:"lineage,omitempty"`
	Groups    []GroupStats `json:"groups"`
	AllOthers GroupStats   `json:"all_others"`
	Gap       Gap          `json:"gap"`
	Trend     *Trend       `json:"trend,omitempty"`
}

// GroupStats describes one group of raters for one skill or item.
type GroupStats struct {
	Group Group `json:"group"`
	// N is the number of raters counted: for a skill, raters with a skill
	// score; for an item, raters who answered it.
	N    int    `json:"n"`
	Mean Number `json:"mean"`
	// SD is a sample SD (n-1 denominator) and needs n >= 2; SDBasis says
	// whether it is the spread of the raters' scores or of the answers.
	SD Number `json:"sd"`
	// CI is mean +/- t(0.975, n-1) x SD/sqrt(n), n raters either way.
	CI Interval `json:"ci95"`
	// Distribution is absent for a manager group of one rater and for an
	// all-others group that is not reportable (SCORING.md 2, rule 7), and
	// for self on an item, where it would only repeat the answer.
	Distribution *Distribution `json:"distribution,omitempty"`
	// RwgJ (skills) and Rwg (items) are present for every shown group of at
	// least 3 raters other than self, and for a reportable all-others.
	RwgJ *ScaleAgreement `json:"rwg_j,omitempty"`
	Rwg  *ItemAgreement  `json:"rwg,omitempty"`
	// SDBasis says what SD (and so CI) is the spread of, whenever SD is
	// available: the raters' scores, or, for a skill group whose members
	// answered different items, the group's answers (docs/scoring.md,
	// "Spread of a skill group").
	SDBasis SDBasis `json:"sd_basis,omitempty"`
}

// SDBasis is what a group's SD measures. Like Reason it is a one-byte code
// with stable names (String, JSON); the zero SDBasis is none (no SD).
type SDBasis uint8

// SD bases.
const (
	// BasisRaters: the SD of the raters' scores (SCORING.md 4.4): of their
	// answers on an item, of their skill scores for a skill group whose
	// members all show answers on the same items.
	BasisRaters SDBasis = iota + 1
	// BasisAnswers: the SD of every answer in the group's skill
	// distribution, for a skill group whose members show answers on
	// different items; the interval still counts raters, not answers.
	BasisAnswers
)

var sdBasisNames = [...]string{BasisRaters: "raters", BasisAnswers: "answers"}

// String is the basis's stable name ("answers"), "" for none.
func (b SDBasis) String() string {
	if int(b) < len(sdBasisNames) {
		return sdBasisNames[b]
	}
	return fmt.Sprintf("SDBasis(%d)", uint8(b))
}

// MarshalText writes the stable name ("" for none).
func (b SDBasis) MarshalText() ([]byte, error) {
	if int(b) >= len(sdBasisNames) {
		return nil, fmt.Errorf("scoring: no name for SD basis %d", uint8(b))
	}
	return []byte(sdBasisNames[b]), nil
}

// UnmarshalText reads a stable name ("" for none).
func (b *SDBasis) UnmarshalText(text []byte) error {
	code, ok := lookupName(sdBasisNames[:], string(text))
	if !ok {
		return fmt.Errorf("scoring: unknown SD basis %q", text)
	}
	*b = SDBasis(code)
	return nil
}

// Distribution counts the answers of a group. Counts[0] is answer 1 and
// Counts[A-1] answer A, after reverse keying. For a skill it counts every
// answer of the group's raters to the skill's items. NotObserved counts the
// "not observed" answers of the same raters. Min and Max are the lowest and
// highest answer; a shown group always has at least one.
type Distribution struct {
	Counts      []int32 `json:"counts"`
	NotObserved int32   `json:"not_observed"`
	Min         int32   `json:"min"`
	Max         int32   `json:"max"`
}

// ScaleAgreement is r_wg(J) of one group on one skill (SCORING.md 4.2).
type ScaleAgreement struct {
	N int `json:"n"` // raters
	J int `json:"j"` // items in the average variance (answered by >= 2)
	// Value is r_wg(J) (average variance capped at the uniform null); Lindell
	// is r*_wg(J) = 1 - sbar/sigma_EU^2, uncapped, which does not rise with J.
	Value   Number `json:"value"`
	Lindell Number `json:"lindell"`
}

// ItemAgreement is r_wg of one group on one item (SCORING.md 4.2).
type ItemAgreement struct {
	N int `json:"n"`
	// Value is truncated at 0; Untruncated below 0 signals polarised raters.
	Value       Number `json:"value"`
	Untruncated Number `json:"untruncated"`
}

// Flag labels a large self-other gap (SCORING.md 3.2).
type Flag string

// Flags. A gap that is not available carries no flag (empty).
const (
	FlagNone           Flag = "none"
	FlagBlindSpot      Flag = "blind_spot"
	FlagHiddenStrength Flag = "hidden_strength"
)

// Gap is G = S - O for one skill or item (SCORING.md 3.1).
type Gap struct {
	Self   Number `json:"self"`
	Others Number `json:"others"`
	N      int    `json:"n"` // raters in O
	Value  Number `json:"value"`
	Flag   Flag   `json:"flag,omitempty"`
	// Robust: S lies outside O's 95% CI. Set whenever the gap is available.
	Robust bool `json:"robust"`
}

// Trend compares this cycle with the leader's previous released cycle
// (docs/scoring.md, "Trend"). Change is O - O_prev; CI is its 95% interval
// from the Welch standard error sqrt(s1^2/n1 + s2^2/n2) with the
// conservative df = min(n1, n2) - 1. OutsideNoise is true when the interval
// excludes 0.
type Trend struct {
	Previous     Number   `json:"previous"`
	PreviousN    int      `json:"previous_n"`
	Change       Number   `json:"change"`
	CI           Interval `json:"ci95"`
	OutsideNoise bool     `json:"outside_noise"`
	// SelfChange is S - S_prev: one rating, so no interval.
	SelfChange Number `json:"self_change"`
}

// ItemRank is one item in a top, bottom or least-agreement list.
type ItemRank struct {
	Item  string `json:"item"`
	Skill string `json:"skill"`
	Mean  Number `json:"mean"` // all-others mean
	SD    Number `json:"sd"`
	N     int    `json:"n"`
	Rwg   Number `json:"rwg"` // all-others r_wg, truncated
}

// Focus is the one skill a report suggests working on first.
type Focus struct {
	Skill string `json:"skill,omitempty"`
	// Rule is "lowest_others", "blind_spot", "flat_profile" or
	// "only_skill" (docs/scoring.md, "Focus skill").
	Rule   string `json:"rule,omitempty"`
	Reason Reason `json:"reason,omitempty"` // set when no focus is available
	// Sentence explains the choice in plain words.
	Sentence string `json:"sentence"`
	// Evidence is the reason in numbers: colleagues' score and how many
	// colleagues, how it compares with the leader's other skills and
	// average, and the gap. Empty when there is no focus.
	Evidence string `json:"evidence,omitempty"`
}

// Insight is one skill-interplay observation (docs/scoring.md, "Interplay").
type Insight struct {
	Key         string   `json:"key"`
	Skills      []string `json:"skills"`
	Explanation string   `json:"explanation"`
}

// Suppression is one thing the anonymity rules held back. Reason is
// "pooled" (the group was folded into other_colleagues), "excluded" (the
// group's raters are left out of every number, all-others included) or
// "below_threshold" (group all_others: too few ratings, so no gaps).
type Suppression struct {
	Group  Group    `json:"group"`
	Reason string   `json:"reason"`
	Skills []string `json:"skills,omitempty"`
	Items  []string `json:"items,omitempty"`
}

// Suppression reasons.
const (
	SuppressedPooled         = "pooled"
	SuppressedExcluded       = "excluded"
	SuppressedBelowThreshold = "below_threshold"
)

// Cohort holds the statistics of the whole cycle.
type Cohort struct {
	Leaders int           `json:"leaders"`
	Skills  []CohortSkill `json:"skills"` // instrument order
	Heatmap Heatmap       `json:"heatmap"`
}

// CohortSkill is the cohort-level statistics of one skill.
type CohortSkill struct {
	Skill     string    `json:"skill"`
	Alpha     Alpha     `json:"alpha"`
	ICC       ICC       `json:"icc"`
	SelfOther SelfOther `json:"self_other_agreement"`
}

// Alpha is Cronbach's alpha of one skill over the cohort's response rows
// (one per rater and leader, self excluded), with the Feldt 95% interval
// (df1 = N-1, df2 = (N-1)(K-1)). A leader's rows come in whole shown
// groups, only from groups whose every member answered every item.
type Alpha struct {
	Value Number `json:"value"`
	N     int    `json:"n"` // rows used
	// RowsDropped counts the other all-others rows: members of a group in
	// which someone left an item without a shown answer.
	RowsDropped   int         `json:"rows_dropped"`
	K             int         `json:"k"`
	DF1           int         `json:"df1"`
	DF2           int         `json:"df2"`
	CI            Interval    `json:"ci95"`
	IfItemDeleted []ItemAlpha `json:"if_item_deleted"`
}

// ItemAlpha is alpha of the skill without one item.
type ItemAlpha struct {
	Item  string `json:"item"`
	Value Number `json:"value"`
}

// ICC is the one-way ANOVA of rater skill scores on leader (raters nested in
// leaders, unequal group sizes), built from the all-others n, mean and SD
// that the reports show, of the leaders whose all-others SD is the spread
// of their raters' skill scores (SDBasis "raters"); Leaders and N say how
// many it rests on. ICC1 is the share of variance that is about the
// leader; ICC2 the reliability of a leader's mean at the average size.
type ICC struct {
	Leaders int     `json:"leaders"` // groups
	N       int     `json:"n"`       // rater scores
	KBar    float64 `json:"k_bar"`
	F       Number  `json:"f"`
	DF1     int     `json:"df1"`
	DF2     int     `json:"df2"`
	P       Number  `json:"p"`
	ICC1    Number  `json:"icc1"`
	ICC2    Number  `json:"icc2"`
}

// SelfOther is the self-other agreement typology of one skill (SCORING.md
// 3.3). Leaders are sorted by participant id.
type SelfOther struct {
	N          int            `json:"n"`
	MeanD      Number         `json:"mean_d"`
	SDD        Number         `json:"sd_d"`
	Upper      Number         `json:"upper"`
	Lower      Number         `json:"lower"`
	MeanOthers Number         `json:"mean_others"`
	Leaders    []SelfOtherRow `json:"leaders"`
}

// SelfOtherRow is one leader's category.
type SelfOtherRow struct {
	ParticipantID string  `json:"participant_id"`
	Self          float64 `json:"self"`
	Others        float64 `json:"others"`
	D             float64 `json:"d"`
	FourGroup     string  `json:"four_group"`
	SixGroup      string  `json:"six_group"`
}

// Heatmap is the skills x leaders matrix of all-others means for the
// organisation view; a suppressed cell is not available.
type Heatmap struct {
	Skills []string     `json:"skills"`
	Rows   []HeatmapRow `json:"rows"` // sorted by participant id
}

// HeatmapRow is one leader's all-others means, in Heatmap.Skills order.
type HeatmapRow struct {
	ParticipantID string   `json:"participant_id"`
	Others        []Number `json:"others"`
}
