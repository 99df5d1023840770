package api

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/reports"
	"github.com/lead360/lead360/scoring"
)

// Server-side SVG charts for the results pages, drawn from the same leader
// result as the PDF. No script and no style attribute (the CSP allows
// neither): colours and patterns are SVG presentation attributes. Each
// chart is role="img" with a <title> and <desc>, and the page prints the
// same numbers in a table, so nothing depends on seeing the chart.
//
// The palette is the PDF's: Paul Tol's high-contrast blue (self, dashed,
// squares), red (colleagues, solid, circles) and yellow (manager, hatched,
// triangles): distinct in lightness as well as hue.

const (
	svgSelf    = "#004488"
	svgOthers  = "#BB5566"
	svgManager = "#DDAA33"
	svgInk     = "#212121"
	svgMuted   = "#595959"
	svgGrid    = "#BDBDBD"
	scaleLow   = 1.0
	scaleHigh  = 5.0
)

// svgText escapes text for SVG content and attributes.
func svgText(s string) string { return template.HTMLEscapeString(s) }

func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// numText prints a number the way the PDF does: two decimals or "n/a".
func numText(n scoring.Number) string {
	if !n.Available() {
		return "n/a"
	}
	return strconv.FormatFloat(n.Value, 'f', 2, 64)
}

// chartSeries is one outline of the radar.
type chartSeries struct {
	Name   string
	Self   bool
	Values []scoring.Number
}

// The radar's view box, centre and outer-ring radius.
const radarW, radarH, radarCX, radarCY, radarRadius = 600.0, 360.0, 300.0, 170.0, 115.0

// radarSVG draws one value per skill on the 1-5 scale, clockwise from the
// top, self against all others. A missing value leaves a gap in its outline.
func radarSVG(id string, axes []string, series []chartSeries) template.HTML {
	n := len(axes)
	if n < 3 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-t %s-d">`, radarW, radarH, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">Skills on the 1 to 5 scale: %s</title>`, id, svgText(seriesNames(series)))
	fmt.Fprintf(&b, `<desc id="%s-d">%s.</desc>`, id, svgText(radarDesc(axes, series)))
	web := radarWeb(n)
	web.drawGrid(&b, axes)
	for _, s := range series {
		web.drawSeries(&b, s)
	}
	radarLegend(&b, series)
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // #nosec G203 -- every text above is escaped by svgText
}

// radarDesc is the radar's text alternative: every series' value on every
// axis.
func radarDesc(axes []string, series []chartSeries) string {
	desc := make([]string, 0, len(series))
	for _, s := range series {
		parts := make([]string, len(axes))
		for i, a := range axes {
			v := scoring.Number{Reason: scoring.ReasonNoRatings}
			if i < len(s.Values) {
				v = s.Values[i]
			}
			parts[i] = a + " " + numText(v)
		}
		desc = append(desc, s.Name+": "+strings.Join(parts, ", "))
	}
	return strings.Join(desc, ". ")
}

// radarWeb places values on a radar of that many axes.
type radarWeb int

func (n radarWeb) angle(i int) float64 { return -math.Pi/2 + 2*math.Pi*float64(i)/float64(n) }

// at is where value v sits on axis i (clamped to the scale).
func (n radarWeb) at(i int, v float64) (float64, float64) {
	d := radarRadius * (min(max(v, scaleLow), scaleHigh) - scaleLow) / (scaleHigh - scaleLow)
	return radarCX + d*math.Cos(n.angle(i)), radarCY + d*math.Sin(n.angle(i))
}

// drawGrid draws a labelled ring at every scale point, and a spoke with
// its axis label per axis.
func (n radarWeb) drawGrid(b *strings.Builder, axes []string) {
	for ring := scaleLow; ring <= scaleHigh; ring++ {
		pts := make([]string, n)
		for i := range int(n) {
			x, y := n.at(i, ring)
			pts[i] = f1(x) + "," + f1(y)
		}
		fmt.Fprintf(b, `<polygon points="%s" fill="none" stroke="%s" stroke-width="1"/>`, strings.Join(pts, " "), svgGrid)
		x, y := n.at(0, ring)
		fmt.Fprintf(b, `<text x="%s" y="%s" font-size="11" fill="%s" text-anchor="end">%g</text>`, f1(x-4), f1(y+4), svgMuted, ring)
	}
	for i, a := range axes {
		x, y := n.at(i, scaleHigh)
		fmt.Fprintf(b, `<line x1="%g" y1="%g" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`, radarCX, radarCY, f1(x), f1(y), svgGrid)
		// Labels sit outside the outer ring (at clamps to the scale).
		lx, ly := radarCX+(radarRadius+16)*math.Cos(n.angle(i)), radarCY+(radarRadius+16)*math.Sin(n.angle(i))
		anchor := "middle"
		switch c := math.Cos(n.angle(i)); {
		case c > 0.3:
			anchor = "start"
		case c < -0.3:
			anchor = "end"
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" font-size="13" font-weight="600" fill="%s" text-anchor="%s">%s</text>`,
			f1(lx), f1(ly+4), svgInk, anchor, svgText(a))
	}
}

// drawSeries draws one series' outline, joining consecutive available
// values, and its markers.
func (n radarWeb) drawSeries(b *strings.Builder, s chartSeries) {
	colour, dash := seriesStroke(s)
	for i := range int(n) {
		j := (i + 1) % int(n)
		if i >= len(s.Values) || j >= len(s.Values) || !s.Values[i].Available() || !s.Values[j].Available() {
			continue
		}
		x1, y1 := n.at(i, s.Values[i].Value)
		x2, y2 := n.at(j, s.Values[j].Value)
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2.5"%s/>`, f1(x1), f1(y1), f1(x2), f1(y2), colour, dash)
	}
	for i := range min(int(n), len(s.Values)) {
		if !s.Values[i].Available() {
			continue
		}
		x, y := n.at(i, s.Values[i].Value)
		b.WriteString(marker(s.Self, false, x, y))
	}
}

// seriesStroke is a series' line colour and dash attribute.
func seriesStroke(s chartSeries) (colour, dash string) {
	if s.Self {
		return svgSelf, ` stroke-dasharray="7 4"`
	}
	return svgOthers, ""
}

// radarLegend draws each series' marker, line pattern and name.
func radarLegend(b *strings.Builder, series []chartSeries) {
	lx := 20.0
	for _, s := range series {
		colour, dash := seriesStroke(s)
		fmt.Fprintf(b, `<line x1="%s" y1="%g" x2="%s" y2="%g" stroke="%s" stroke-width="2.5"%s/>`, f1(lx), radarH-14, f1(lx+30), radarH-14, colour, dash)
		b.WriteString(marker(s.Self, false, lx+15, radarH-14))
		fmt.Fprintf(b, `<text x="%s" y="%g" font-size="13" fill="%s">%s</text>`, f1(lx+38), radarH-10, svgInk, svgText(s.Name))
		lx += 60 + 7.5*float64(len(s.Name))
	}
}

func seriesNames(series []chartSeries) string {
	names := make([]string, len(series))
	for i, s := range series {
		names[i] = s.Name
	}
	return strings.Join(names, " and ")
}

// marker is a series' shape: a square for self, a triangle for the
// manager, a circle for colleagues, with a white rim where it crosses lines.
func marker(self, manager bool, x, y float64) string {
	switch {
	case self:
		return fmt.Sprintf(`<rect x="%s" y="%s" width="9" height="9" fill="%s" stroke="#FFFFFF" stroke-width="1"/>`, f1(x-4.5), f1(y-4.5), svgSelf)
	case manager:
		return fmt.Sprintf(`<polygon points="%s,%s %s,%s %s,%s" fill="%s" stroke="%s" stroke-width="1"/>`,
			f1(x), f1(y-6), f1(x+5.5), f1(y+4), f1(x-5.5), f1(y+4), svgManager, svgInk)
	}
	return fmt.Sprintf(`<circle cx="%s" cy="%s" r="5" fill="%s" stroke="#FFFFFF" stroke-width="1"/>`, f1(x), f1(y), svgOthers)
}

// chartBar is one bar: a group's mean with its 95% interval.
type chartBar struct {
	Label  string
	Group  scoring.Group
	Mean   scoring.Number
	CI     scoring.Interval
	N      int
	Absent string // why there is no bar, when Mean is not available
}

// barsSVG draws one skill's group means as horizontal bars from 1 on the
// 1-5 scale, each with its 95% interval as a whisker and its number
// printed at the end.
func barsSVG(id, title string, bars []chartBar) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	const w, labelW, left, right, rowH, top = 460.0, 150.0, 160.0, 400.0, 30.0, 24.0
	h := top + rowH*float64(len(bars)) + 10
	xOf := func(v float64) float64 {
		return left + (right-left)*(min(max(v, scaleLow), scaleHigh)-scaleLow)/(scaleHigh-scaleLow)
	}
	var b strings.Builder
	desc := make([]string, len(bars))
	for i, bar := range bars {
		desc[i] = bar.Label + " " + barValue(bar)
	}
	fmt.Fprintf(&b, `<svg class="chart bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-t %s-d">`, w, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s: mean per group on the 1 to 5 scale, with 95%% intervals</title>`, id, svgText(title))
	fmt.Fprintf(&b, `<desc id="%s-d">%s.</desc>`, id, svgText(strings.Join(desc, "; ")))
	fmt.Fprintf(&b, `<defs><pattern id="%s-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">`+
		`<rect width="6" height="6" fill="%s"/><line x1="0" y1="0" x2="0" y2="6" stroke="%s" stroke-width="2"/></pattern></defs>`, id, svgManager, svgInk)
	for v := scaleLow; v <= scaleHigh; v++ {
		x := xOf(v)
		fmt.Fprintf(&b, `<line x1="%s" y1="%g" x2="%s" y2="%g" stroke="%s" stroke-width="1"/>`, f1(x), top-6, f1(x), h-10, svgGrid)
		fmt.Fprintf(&b, `<text x="%s" y="%g" font-size="11" fill="%s" text-anchor="middle">%g</text>`, f1(x), top-10, svgMuted, v)
	}
	for i, bar := range bars {
		y := top + rowH*float64(i)
		fmt.Fprintf(&b, `<text x="%g" y="%s" font-size="13" fill="%s" text-anchor="end">%s</text>`, labelW, f1(y+rowH/2+4), svgInk, svgText(bar.Label))
		if !bar.Mean.Available() {
			fmt.Fprintf(&b, `<text x="%g" y="%s" font-size="12" fill="%s" font-style="italic">%s</text>`, left+4, f1(y+rowH/2+4), svgMuted, svgText(barValue(bar)))
			continue
		}
		fill, stroke := svgOthers, "none"
		switch bar.Group {
		case scoring.GroupSelf:
			fill = svgSelf
		case scoring.GroupManager:
			fill, stroke = "url(#"+id+"-hatch)", svgInk
		}
		x1 := xOf(bar.Mean.Value)
		fmt.Fprintf(&b, `<rect x="%g" y="%s" width="%s" height="%g" fill="%s" stroke="%s" stroke-width="1"/>`,
			left, f1(y+7), f1(max(x1-left, 1)), rowH-14, fill, stroke)
		end := x1
		if bar.CI.Available() {
			lo, hi, mid := xOf(bar.CI.Lower), xOf(bar.CI.Upper), y+rowH/2
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`, f1(lo), f1(mid), f1(hi), f1(mid), svgInk)
			for _, x := range []float64{lo, hi} {
				fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`, f1(x), f1(mid-6), f1(x), f1(mid+6), svgInk)
			}
			end = max(end, hi)
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="13" font-weight="600" fill="%s">%s</text>`, f1(min(end+6, w-48)), f1(y+rowH/2+4), svgInk, numText(bar.Mean))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // #nosec G203 -- every text above is escaped by svgText
}

func barValue(b chartBar) string {
	if !b.Mean.Available() {
		if b.Absent != "" {
			return b.Absent
		}
		return "not shown"
	}
	s := numText(b.Mean)
	if b.CI.Available() {
		s += " (" + assessment.WordInterval + " " + reports.IntervalText(b.CI, " to ") + ")"
	}
	return s
}
