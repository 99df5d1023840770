package scoring

import (
	"fmt"
)

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
