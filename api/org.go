package api

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/scoring"
)

// The organisation view: what L&D plans training from. It shows one
// released cycle's figures exactly as the reports disclose them (the
// engine's heatmap of all-others means, suppressed cells "not shown"),
// nothing finer.

type orgView struct {
	page
	Released []assessment.Cycle
	Cycle    assessment.Cycle
	Headers  []resultsHeader // the heatmap's column titles, each sorting by its column
	Rows     []heatRow
	Shown    *heatRow // the average of the leaders a filter keeps
	Average  heatRow  // the organisation's row
	Query    assessment.OrgQuery
	// Departments and Managers are the filter's choices; Groups the
	// grouped table, HiddenGroups the groups too small to show.
	Departments, Managers []assessment.OrgOption
	Groups                []orgGroupRow
	GroupHeaders          []string
	HiddenGroups          int
	GroupNoun             string // "department" or "manager"
	FilterTooSmall        bool
	Priority              string // the L&D priority in one sentence
	Agreement             []agreementRow
	Focus                 []focusRow
	NoFocus               int
	Threshold             int
	Leaders               int
	Cohort                int
	Legend                []heatClass
}

type heatRow struct {
	Name  string
	Cells []heatCell
}

// orgGroupRow is one department or manager in the grouped table.
type orgGroupRow struct {
	heatRow
	Leaders int
	Focus   string // its most common focus skills, with counts
}

type heatCell struct {
	Text  string
	Class string // the shading class; "na" when not shown
}

type agreementRow struct {
	Name string
	assessment.AgreementCounts
}

type focusRow struct {
	Name  string
	Count int
	Share string
}

type heatClass struct {
	Class, Range string
}

// heatClasses shade a cell by how far it lies below the organisation's
// average for its skill, so the leaders who most need support stand out:
// the further below, the darker (orange, and darker in greyscale too); at
// or above the average, no shade. The number is printed in every cell, so
// the shading is never the only meaning.
var heatClasses = []struct {
	below float64 // the cell is at least this far below the average
	class string
	label string
}{
	{0.75, "lo3", "0.75 or more below the organisation's average for the skill"},
	{0.35, "lo2", "0.35 to 0.74 below it"},
	{0.15, "lo1", "0.15 to 0.34 below it"},
	// Figures have two decimals, so "less than 0.15 above" is "at most
	// 0.14 above".
	{-0.14, "mid", "within 0.15 of it"},
	{math.Inf(-1), "hi", "0.15 or more above it"},
}

func heatOf(n, average scoring.Number) heatCell {
	if !n.Available() {
		return heatCell{Text: "not shown", Class: "na"}
	}
	cell := heatCell{Text: numText(n), Class: "mid"}
	if average.Available() {
		// Compare the printed figures, so a cell that reads as the average
		// is shaded as the average.
		below, _ := strconv.ParseFloat(numText(average), 64)
		value, _ := strconv.ParseFloat(cell.Text, 64)
		for _, c := range heatClasses {
			if below-value >= c.below-1e-9 {
				cell.Class = c.class
				break
			}
		}
	}
	return cell
}

// orgPage answers GET /org: the heatmap of skills x leaders with the
// organisation's row and its L&D priority, the self-other agreement
// categories per skill and the most common focus skills of a released
// cycle (?cycle=ID, the newest by default). ?sort=SKILL orders the leaders
// by that skill, lowest first (?order=desc for highest first).
func (s *Server) orgPage(c echo.Context) error {
	u, _ := currentUser(c)
	q := assessment.OrgQuery{CycleID: c.QueryParam("cycle"), GroupBy: assessment.OrgGrouping(c.QueryParam("group")),
		Department: c.QueryParam("department"), Manager: c.QueryParam("manager")}
	ov, err := s.svc.OrganizationView(c.Request().Context(), u.OrganizationID, q)
	if err != nil {
		return err
	}
	v := orgView{page: s.pageFor(c), Released: ov.Released, Cycle: ov.Cycle, NoFocus: ov.NoFocus,
		Threshold: ov.Threshold, Leaders: ov.LeaderN, Cohort: ov.CohortSize, Query: ov.Query,
		Departments: withChosen(ov.Departments, q.Department), Managers: withChosen(ov.Managers, q.Manager),
		HiddenGroups: ov.HiddenGroups, FilterTooSmall: ov.FilterTooSmall}
	for _, c := range heatClasses {
		v.Legend = append(v.Legend, heatClass{Class: c.class, Range: c.label})
	}
	v.Legend = append(v.Legend, heatClass{Class: "na", Range: "not shown: fewer than " + strconv.Itoa(max(ov.Threshold, assessment.MinAnonymityThreshold)) + " colleagues"})
	names := map[string]string{}
	for _, sk := range ov.Skills {
		names[sk.Key] = sk.Name
	}
	sortOrgRows(ov.Rows, ov.Skills, c.QueryParam("sort"), c.QueryParam("order") == "desc")
	v.Headers = orgHeaders(ov, c.QueryParam("sort"), c.QueryParam("order") == "desc")
	v.Rows = make([]heatRow, len(ov.Rows))
	for i, r := range ov.Rows {
		cells := make([]heatCell, len(r.Others))
		for j, n := range r.Others {
			cells[j] = heatOf(n, ov.Columns[j].Mean)
		}
		v.Rows[i] = heatRow{Name: r.Name, Cells: cells}
	}
	v.Average = averageRow("Organisation average", ov.Columns, nil, true)
	if ov.ShownColumns != nil {
		shown := averageRow(fmt.Sprintf("Average of these %d leaders", len(ov.Rows)), ov.ShownColumns, ov.Columns, true)
		v.Shown = &shown
	}
	v.groups(ov, names)
	for _, a := range ov.Agreement {
		v.Agreement = append(v.Agreement, agreementRow{Name: names[a.Skill], AgreementCounts: a})
	}
	total := ov.NoFocus
	for _, f := range ov.Focus {
		total += f.Count
	}
	for _, f := range ov.Focus {
		v.Focus = append(v.Focus, focusRow{Name: names[f.Skill], Count: f.Count,
			Share: strconv.Itoa(int(float64(f.Count)*100/float64(max(total, 1))+0.5)) + "%"})
	}
	v.Priority = orgPriority(ov, names)
	return s.render.render(c, http.StatusOK, "org", v)
}

// averageRow is a row of means per skill, with their spread when spread is
// set; against the organisation's columns (when given) each mean is shaded
// as a leader's cell is.
func averageRow(name string, cols, org []scoring.HeatmapColumn, spread bool) heatRow {
	row := heatRow{Name: name}
	for j, col := range cols {
		cell := heatCell{Text: "not shown", Class: "na"}
		if col.Mean.Available() {
			cell = heatCell{Text: numText(col.Mean), Class: "mid"}
			if org != nil {
				cell = heatOf(col.Mean, org[j].Mean)
			}
			if spread && col.SD.Available() {
				cell.Text += " (SD " + numText(col.SD) + ")"
			}
		}
		row.Cells = append(row.Cells, cell)
	}
	return row
}

// groups fills the grouped table: each department's or manager's average
// per skill, shaded against the organisation's, and its focus skills.
func (v *orgView) groups(ov assessment.OrgView, names map[string]string) {
	if ov.Query.GroupBy != assessment.ByDepartment && ov.Query.GroupBy != assessment.ByManager {
		return
	}
	v.GroupNoun = string(ov.Query.GroupBy)
	for _, sk := range ov.Skills {
		v.GroupHeaders = append(v.GroupHeaders, sk.Name)
	}
	for _, g := range ov.Groups {
		row := orgGroupRow{heatRow: averageRow(g.Name, g.Columns, ov.Columns, false), Leaders: g.Leaders, Focus: "none suggested"}
		// The most common focus, with every skill tied with it.
		var top []string
		for _, f := range g.Focus {
			if f.Count == g.Focus[0].Count {
				top = append(top, names[f.Skill])
			}
		}
		if len(top) > 0 {
			row.Focus = fmt.Sprintf("%s (%d of %d each)", strings.Join(top, ", "), g.Focus[0].Count, g.Leaders)
			if len(top) == 1 {
				row.Focus = fmt.Sprintf("%s (%d of %d)", top[0], g.Focus[0].Count, g.Leaders)
			}
		}
		v.Groups = append(v.Groups, row)
	}
}

// orgHeaders are the heatmap's column titles: the leader, then each skill,
// every one a link that sorts by it.
func orgHeaders(ov assessment.OrgView, key string, desc bool) []resultsHeader {
	cols := []struct{ key, label string }{{"leader", "Leader"}}
	for _, sk := range ov.Skills {
		cols = append(cols, struct{ key, label string }{sk.Key, sk.Name})
	}
	if !slices.ContainsFunc(cols, func(c struct{ key, label string }) bool { return c.key == key }) {
		key, desc = "leader", false
	}
	out := make([]resultsHeader, len(cols))
	for i, c := range cols {
		q := orgLink(ov)
		q.Set("sort", c.key)
		h := resultsHeader{Label: c.label, Numeric: i > 0}
		if c.key == key {
			h.Sort = "ascending"
			if desc {
				h.Sort = "descending"
			} else {
				q.Set("order", "desc")
			}
		}
		h.Href = "?" + q.Encode()
		out[i] = h
	}
	return out
}

// sortOrgRows orders the heatmap's leaders by a skill's colleagues' score,
// lowest first (highest with desc), leaders not shown for it last; any
// other key keeps the name order.
func sortOrgRows(rows []assessment.HeatmapLeader, skills []assessment.Skill, key string, desc bool) {
	j := slices.IndexFunc(skills, func(sk assessment.Skill) bool { return sk.Key == key })
	if j < 0 {
		if key == "leader" && desc {
			slices.Reverse(rows)
		}
		return
	}
	slices.SortStableFunc(rows, func(a, b assessment.HeatmapLeader) int {
		x, y := a.Others[j], b.Others[j]
		switch {
		case !x.Available() || !y.Available():
			return cmp.Compare(boolInt(!x.Available()), boolInt(!y.Available()))
		case desc:
			return cmp.Compare(y.Value, x.Value)
		}
		return cmp.Compare(x.Value, y.Value)
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// orgPriority names the skill with the lowest organisation average as the
// L&D priority, with its spread and how many leaders have it as their
// focus; "" when no skill has an average.
func orgPriority(ov assessment.OrgView, names map[string]string) string {
	best := -1
	for j, col := range ov.Columns {
		if col.Mean.Available() && (best < 0 || col.Mean.Value < ov.Columns[best].Mean.Value) {
			best = j
		}
	}
	if best < 0 {
		return ""
	}
	col := ov.Columns[best]
	s := fmt.Sprintf("%s has the lowest average colleagues' score across the %d leaders shown for it: %s", names[col.Skill], col.Leaders, numText(col.Mean))
	if col.SD.Available() {
		s += fmt.Sprintf(" (SD %s; from %s to %s)", numText(col.SD), numText(col.Min), numText(col.Max))
	}
	focus := 0
	for _, f := range ov.Focus {
		if f.Skill == col.Skill {
			focus = f.Count
		}
	}
	return s + fmt.Sprintf(". It is the focus skill of %d of the %d leaders.", focus, ov.LeaderN)
}

// orgLink is the query of the view as shown: its cycle, grouping and
// filter, so sorting keeps them.
func orgLink(ov assessment.OrgView) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"cycle": ov.Cycle.ID, "group": string(ov.Query.GroupBy),
		"department": ov.Query.Department, "manager": ov.Query.Manager} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// withChosen is the filter's choices with the chosen one among them: a
// department or manager too small to be offered, or unknown, is named as
// chosen, without a count, so the form says what the page shows.
func withChosen(opts []assessment.OrgOption, chosen string) []assessment.OrgOption {
	if chosen == "" || slices.ContainsFunc(opts, func(o assessment.OrgOption) bool { return o.Key == chosen }) {
		return opts
	}
	return append(slices.Clone(opts), assessment.OrgOption{Key: chosen, Name: chosen + " (too few leaders to show)"})
}
