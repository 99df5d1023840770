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
