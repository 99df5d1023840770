package api

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/reports"
	"github.com/lead360/lead360/scoring"
)

// resultsColumn is one column of the results table, shared by the page
// (where every header sorts) and its CSV.
type resultsColumn struct {
	Key, Label string
	// Numeric cells are counts, aligned right.
	Numeric bool
	// text is the cell as people read it; number, when set, is what the
	// column sorts by (-1 for a count the report does not show), else text.
	text   func(r *assessment.LeaderResult) string
	number func(r *assessment.LeaderResult) int
}

// resultsColumns are the table's columns: the leader, how many answered in
// each group some report shows, the focus skill, blind spots, and what the
// leader did with the report.
func resultsColumns(t *assessment.ResultsTable) []resultsColumn {
	skill := func(key string) string {
		for _, s := range t.Instrument.Skills {
			if s.Key == key {
				return s.Name
			}
		}
		return key
	}
	cols := []resultsColumn{{Key: "leader", Label: "Leader", text: func(r *assessment.LeaderResult) string { return r.Name }}}
	for _, g := range []scoring.Group{scoring.GroupManager, scoring.GroupPeer, scoring.GroupDirectReport, scoring.GroupOther,
		scoring.GroupOtherColleagues, scoring.GroupAllOthers} {
		if !slices.ContainsFunc(t.Rows, func(r assessment.LeaderResult) bool { return r.Raters[g] > 0 }) {
			continue
		}
		count := func(r *assessment.LeaderResult) int {
			if n, ok := r.Raters[g]; ok {
				return n
			}
			return -1
		}
		cols = append(cols, resultsColumn{Key: g.String(), Label: assessment.GroupLabel(g), Numeric: true, number: count,
			text: func(r *assessment.LeaderResult) string {
				if n := count(r); n >= 0 {
					return strconv.Itoa(n)
				}
				return ""
			}})
	}
	yes := func(b bool, word string) string {
		if b {
			return word
		}
		return "No"
	}
	return append(cols,
		resultsColumn{Key: "focus", Label: "Focus skill", text: func(r *assessment.LeaderResult) string {
			if r.Focus == "" {
				return "None"
			}
			return skill(r.Focus)
		}},
		resultsColumn{Key: "blind_spots", Label: "Blind spots", number: func(r *assessment.LeaderResult) int { return len(r.BlindSpots) },
			text: func(r *assessment.LeaderResult) string {
				names := make([]string, len(r.BlindSpots))
				for i, k := range r.BlindSpots {
					names[i] = skill(k)
				}
				return strings.Join(names, ", ")
			}},
		resultsColumn{Key: "viewed", Label: "Viewed by the leader", text: func(r *assessment.LeaderResult) string { return yes(r.Viewed, "Yes") }},
		resultsColumn{Key: "plan", Label: "Action plan", text: func(r *assessment.LeaderResult) string { return yes(r.PlanStarted, "Started") }},
	)
}

// sortResults orders the rows by the column key (the leader's name when the
// key is unknown), descending when desc; ties keep the name order. Blind
// spots sort by how many there are.
func sortResults(rows []assessment.LeaderResult, cols []resultsColumn, key string, desc bool) {
	i := slices.IndexFunc(cols, func(c resultsColumn) bool { return c.Key == key })
	if i < 0 {
		i = 0
	}
	col := cols[i]
	slices.SortStableFunc(rows, func(a, b assessment.LeaderResult) int {
		var c int
		if col.number != nil {
			c = cmp.Compare(col.number(&a), col.number(&b))
		} else {
			c = strings.Compare(strings.ToLower(col.text(&a)), strings.ToLower(col.text(&b)))
		}
		if desc {
			return -c
		}
		return c
	})
}

type resultsIndexView struct {
	page
	Cycle   assessment.Cycle
	Headers []resultsHeader
	Rows    []resultsIndexRow
	CSV     string
}

// resultsHeader is a column title that sorts the table by its column; Sort
// is the aria-sort value of the column the table is sorted by.
type resultsHeader struct {
	Label, Href, Sort string
	Numeric           bool
}

type resultsIndexRow struct {
	ParticipantID, Name string
	Cells               []resultsCell
}

type resultsCell struct {
	Text    string
	Numeric bool
}

func newResultsIndexView(p page, t assessment.ResultsTable, query url.Values) resultsIndexView {
	cols := resultsColumns(&t)
	key, desc := query.Get("sort"), query.Get("order") == "desc"
	if !slices.ContainsFunc(cols, func(c resultsColumn) bool { return c.Key == key }) {
		key, desc = "leader", false
	}
	sortResults(t.Rows, cols, key, desc)
	v := resultsIndexView{page: p, Cycle: t.Cycle, CSV: "/cycles/" + t.Cycle.ID + "/leaders.csv"}
	for _, c := range cols {
		h := resultsHeader{Label: c.Label, Numeric: c.Numeric, Href: "?sort=" + c.Key}
		if c.Key == key {
			h.Sort = "ascending"
			if desc {
				h.Sort = "descending"
			} else {
				h.Href += "&order=desc"
			}
		}
		v.Headers = append(v.Headers, h)
	}
	for i := range t.Rows {
		r := &t.Rows[i]
		row := resultsIndexRow{ParticipantID: r.ParticipantID, Name: r.Name}
		for _, c := range cols[1:] {
			text := c.text(r)
			if text == "" {
				text = "–"
			}
			row.Cells = append(row.Cells, resultsCell{Text: text, Numeric: c.Numeric})
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// resultsTableCSV answers GET /cycles/:id/leaders.csv: the results table
// as the page shows it, one row per leader, in name order; the download is
// recorded like every export.
func (s *Server) resultsTableCSV(c echo.Context) error {
	u, _ := currentUser(c)
	cycleID := c.Param("id")
	t, err := s.svc.ResultsTable(c.Request().Context(), u.OrganizationID, cycleID)
	if err != nil {
		return s.notReleased(c, err, "/cycles/"+cycleID+"/results")
	}
	cols := resultsColumns(&t)
	var b strings.Builder
	w := csv.NewWriter(&b)
	head := make([]string, len(cols))
	for i, col := range cols {
		head[i] = col.Label
	}
	_ = w.Write(head)
	for i := range t.Rows {
		rec := make([]string, len(cols))
		for j, col := range cols {
			rec[j] = reports.Neutralise(col.text(&t.Rows[i]))
		}
		_ = w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("results table of cycle %s: %w", cycleID, err)
	}
	if err := s.audit(c, assessment.ActionResultsExport, "cycle", cycleID, fmt.Sprintf("results table of %q, %d leaders", t.Cycle.Name, len(t.Rows))); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+fileName("lead360-leaders-"+t.Cycle.Name)+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", []byte(b.String()))
}
