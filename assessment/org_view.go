package assessment

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lead360/lead360/scoring"
)

// OrgView is what L&D plans training from: one released cycle's heatmap of
// all-others means (suppressed cells not available, exactly as in each
// report), the self-other agreement categories per skill and how often
// each skill is a leader's focus.
type OrgView struct {
	// Released are the organisation's released cycles, newest first; Cycle
	// is the one shown.
	Released []Cycle
	Cycle    Cycle
	Skills   []Skill // instrument order, without items
	Rows     []HeatmapLeader
	// Columns are the organisation's row: per skill (OrgView.Skills order)
	// the mean, spread and range of the leaders' shown means.
	Columns    []scoring.HeatmapColumn
	Agreement  []AgreementCounts
	Focus      []FocusCount // most common first
	NoFocus    int
	Threshold  int
	LeaderN    int
	CohortSize int // leaders needed for agreement categories

	// Query is the grouping and filter shown. Departments and Managers
	// are the filter's choices: those with enough leaders to be shown.
	Query                 OrgQuery
	Departments, Managers []OrgOption
	// Groups are the departments or managers of at least the threshold's
	// number of leaders; HiddenGroups counts the smaller ones, not shown.
	Groups       []OrgGroup
	HiddenGroups int
	// ShownColumns summarise the leaders a filter keeps (Rows); without a
	// filter they are the organisation's Columns and this is empty.
	ShownColumns []scoring.HeatmapColumn
	// FilterTooSmall: the filter keeps fewer leaders than the threshold,
	// so no row is shown.
	FilterTooSmall bool
}

// HeatmapLeader is one row of the heatmap: the leader's all-others mean per
// skill, in OrgView.Skills order.
type HeatmapLeader struct {
	ParticipantID string
	Name          string
	Placement
	Others []scoring.Number
}

// AgreementCounts is how many leaders fall in each self-other agreement
// category for one skill; Available is false when the cohort allowed no
// categories.
type AgreementCounts struct {
	Skill           string
	Available       bool
	Over, In, Under int
	Uncategorised   int
}

// FocusCount is how many leaders have a skill as their focus.
type FocusCount struct {
	Skill string
	Count int
}

// OrganizationView builds the organisation view of a released cycle
// (q.CycleID, or the newest released one when empty), grouped and filtered
// as q says (org_groups.go). With nothing released it returns an empty
// view. Every figure comes from the cycle's newest
// snapshot, as the reports do: nothing is recomputed here.
func (s *Service) OrganizationView(ctx context.Context, orgID string, q OrgQuery) (OrgView, error) {
	cycleID := q.CycleID
	released, err := s.store.ReleasedCycles(ctx, orgID)
	if err != nil {
		return OrgView{}, fmt.Errorf("organisation view: %w", err)
	}
	v := OrgView{Released: released}
	if len(released) == 0 {
		if cycleID != "" {
			return OrgView{}, Errorf(CodeNotFound, "no released cycle %s", cycleID)
		}
		return v, nil
	}
	i := 0
	if cycleID != "" {
		if i = slices.IndexFunc(released, func(c Cycle) bool { return c.ID == cycleID }); i < 0 {
			return OrgView{}, Errorf(CodeNotFound, "no released cycle %s", cycleID)
		}
	}
	v.Cycle = released[i]
	fail := func(err error) (OrgView, error) {
		return OrgView{}, fmt.Errorf("organisation view of cycle %s: %w", v.Cycle.ID, err)
	}
	in, err := s.store.Instrument(ctx, v.Cycle.InstrumentID)
	if err != nil {
		return fail(err)
	}
	for _, sk := range in.Skills {
		v.Skills = append(v.Skills, Skill{Key: sk.Key, Name: sk.Name, Description: sk.Description})
	}
	head, err := s.store.LatestSnapshotHeader(ctx, orgID, v.Cycle.ID)
	if err != nil {
		return fail(err)
	}
	res, err := s.store.SnapshotHead(ctx, orgID, head.ID)
	if err != nil {
		return fail(err)
	}
	names, err := s.store.ParticipantNames(ctx, orgID, v.Cycle.ID)
	if err != nil {
		return fail(err)
	}
	focus, err := s.snapshotFocus(ctx, orgID, head.ID)
	if err != nil {
		return fail(err)
	}
	v.Threshold, v.LeaderN, v.CohortSize = res.Settings.KMin, res.Cohort.Leaders, res.Settings.CohortMinLeaders
	v.heatmap(&res.Cohort.Heatmap, names)
	v.agreement(res.Cohort.Skills)
	skills := make([]string, len(focus))
	for i, f := range focus {
		skills[i] = f.Skill
	}
	v.Focus, v.NoFocus = v.countFocus(skills)
	v.group(q, names, focus)
	return v, nil
}

// heatmap fills the rows, named and sorted by name, and the columns, which
// follow the instrument: a skill the snapshot lacks stays not available.
func (v *OrgView) heatmap(h *scoring.Heatmap, names []ParticipantName) {
	nameOf := make(map[string]ParticipantName, len(names))
	for _, n := range names {
		nameOf[n.ParticipantID] = n
	}
	col := make([]int, len(v.Skills))
	for j, sk := range v.Skills {
		col[j] = slices.Index(h.Skills, sk.Key)
	}
	v.Rows = make([]HeatmapLeader, len(h.Rows))
	for r, row := range h.Rows {
		cells := make([]scoring.Number, len(v.Skills))
		for j, c := range col {
			cells[j] = scoring.Number{Reason: scoring.ReasonNoRatings}
			if c >= 0 && c < len(row.Others) {
				cells[j] = row.Others[c]
			}
		}
		n := nameOf[row.ParticipantID]
		v.Rows[r] = HeatmapLeader{ParticipantID: row.ParticipantID, Name: cmp.Or(n.Name, row.ParticipantID), Placement: n.Placement, Others: cells}
	}
	slices.SortFunc(v.Rows, func(a, b HeatmapLeader) int {
		return compareNames(a.Name, a.ParticipantID, b.Name, b.ParticipantID)
	})
	columns := h.Columns()
	for j, sk := range v.Skills {
		c := scoring.HeatmapColumn{Skill: sk.Key, Mean: scoring.Number{Reason: scoring.ReasonNoRatings}}
		if col[j] >= 0 {
			c = columns[col[j]]
		}
		v.Columns = append(v.Columns, c)
	}
}

// agreement counts, per skill, the leaders who rate themselves above,
// below or in line with their colleagues.
func (v *OrgView) agreement(skills []scoring.CohortSkill) {
	for _, sk := range v.Skills {
		ac := AgreementCounts{Skill: sk.Key}
		for _, cs := range skills {
			if cs.Skill != sk.Key || !cs.SelfOther.Upper.Available() || !cs.SelfOther.Lower.Available() {
				continue
			}
			ac.Available = true
			for _, row := range cs.SelfOther.Leaders {
				switch {
				case row.FourGroup == "over_estimator":
					ac.Over++
				case row.FourGroup == "under_estimator":
					ac.Under++
				case strings.HasPrefix(row.FourGroup, "in_agreement"):
					ac.In++
				default:
					ac.Uncategorised++
				}
			}
		}
		v.Agreement = append(v.Agreement, ac)
	}
}
