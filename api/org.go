package api

import (
	"net/http"
	"strconv"

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
	Released  []assessment.Cycle
	Cycle     assessment.Cycle
	Skills    []assessment.Skill
	Rows      []heatRow
	Agreement []agreementRow
	Focus     []focusRow
	NoFocus   int
	Threshold int
	Leaders   int
	Cohort    int
	Legend    []heatClass
}

type heatRow struct {
	Name  string
	Cells []heatCell
}

type heatCell struct {
	Text  string
	Class string // a value class for the shading; "na" when not shown
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

// heatClasses shade cells by value, light to dark in one hue; the number
// is printed in every cell, so the shading is never the only meaning.
var heatClasses = []struct {
	upTo  float64
	class string
	label string
}{
	{2.5, "h1", "below 2.50"},
	{3.0, "h2", "2.50 to 2.99"},
	{3.5, "h3", "3.00 to 3.49"},
	{4.0, "h4", "3.50 to 3.99"},
	{99, "h5", "4.00 and above"},
}

func heatOf(n scoring.Number) heatCell {
	if !n.Available() {
		return heatCell{Text: "not shown", Class: "na"}
	}
	for _, c := range heatClasses {
		if n.Value < c.upTo {
			return heatCell{Text: numText(n), Class: c.class}
		}
	}
	return heatCell{Text: numText(n), Class: "h5"}
}

// orgPage answers GET /org: the heatmap of skills x leaders, the
// self-other agreement categories per skill and the most common focus
// skills of a released cycle (?cycle=ID, the newest by default).
func (s *Server) orgPage(c echo.Context) error {
	u, _ := currentUser(c)
	ov, err := s.svc.OrganizationView(c.Request().Context(), u.OrganizationID, c.QueryParam("cycle"))
	if err != nil {
		return err
	}
	v := orgView{page: s.pageFor(c), Released: ov.Released, Cycle: ov.Cycle, Skills: ov.Skills, NoFocus: ov.NoFocus,
		Threshold: ov.Threshold, Leaders: ov.LeaderN, Cohort: ov.CohortSize}
	for _, c := range heatClasses {
		v.Legend = append(v.Legend, heatClass{Class: c.class, Range: c.label})
	}
	v.Legend = append(v.Legend, heatClass{Class: "na", Range: "not shown: fewer than " + strconv.Itoa(max(ov.Threshold, assessment.MinAnonymityThreshold)) + " colleagues"})
	names := map[string]string{}
	for _, sk := range ov.Skills {
		names[sk.Key] = sk.Name
	}
	v.Rows = make([]heatRow, len(ov.Rows))
	for i, r := range ov.Rows {
		cells := make([]heatCell, len(r.Others))
		for j, n := range r.Others {
			cells[j] = heatOf(n)
		}
		v.Rows[i] = heatRow{Name: r.Name, Cells: cells}
	}
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
	return s.render.render(c, http.StatusOK, "org", v)
}
