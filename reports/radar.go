package reports

import (
	"math"
	"strconv"

	"github.com/jung-kurt/gofpdf"
)

// Radar is a spider chart of one value per axis on the 1..5 scale, for up
// to a few series (self against all others). A table beside it prints every
// value. A missing value leaves a gap in its series' outline and is named
// under the axis label ("Self: n/a").
type Radar struct {
	Axes   []string
	Series []Series
}

// Series is one outline on a Radar: a name for the legend and table, a
// style, and one value per axis (missing values are the zero Num).
type Series struct {
	Name   string
	Style  Style
	Values []Num
}

const (
	radarR      = 27.0 // radius of the 5 ring
	radarLabelW = 20.0 // width an axis label may wrap to
	radarGap    = 3.0  // from the outer ring to the label
	radarTableX = marginLeft + 2*radarLabelW + 2*radarR + 2*radarGap + 10
	legendH     = 7.0
)

type radarLayout struct {
	angles      []float64
	labels      [][]string // per axis: name, then "Series: n/a" lines
	bold        []int      // per axis: how many of its lines are the name (bold)
	top, bottom float64    // extents of the labels above and below the centre
	table       grid
	tableCells  [][][]string
	tableHeight float64
	cx          float64
}

func (r Radar) layout(d *Document) radarLayout {
	n := len(r.Axes)
	l := radarLayout{top: radarR, bottom: radarR}
	for i, axis := range r.Axes {
		// Clockwise from the top, as people read a clock.
		a := -math.Pi/2 + 2*math.Pi*float64(i)/float64(n)
		l.angles = append(l.angles, a)
		lines := truncateLines(d.split(clean(axis, false), radarLabelW, styleSmallBold), maxLabelLines)
		l.bold = append(l.bold, len(lines))
		for _, s := range r.Series {
			if i >= len(s.Values) || !s.Values[i].Valid {
				lines = append(lines, d.split(clean(s.Name, false)+": "+textNA, radarLabelW, styleSmall)...)
			}
		}
		l.labels = append(l.labels, lines)
		h := float64(len(lines)) * styleSmall.lineHeight
		sin := math.Sin(a)
		ay := (radarR + radarGap) * sin
		switch {
		case sin < -0.3:
			l.top = max(l.top, -ay+h)
		case sin > 0.3:
			l.bottom = max(l.bottom, ay+h)
		default:
			l.top = max(l.top, -ay+h/2)
			l.bottom = max(l.bottom, ay+h/2)
		}
	}
	l.cx = marginLeft + radarLabelW + radarGap + radarR + 4

	// The number table: one row per axis, one column per series.
	tw := marginLeft + contentWidth - radarTableX
	seriesW := min(22.0, (tw-20)/float64(max(1, len(r.Series))))
	l.table = grid{x: radarTableX, widths: []float64{tw - seriesW*float64(len(r.Series))}, aligns: []string{"L"},
		style: styleSmall, headStyle: styleSmallBold}
	head := []string{textSkill}
	for _, s := range r.Series {
		l.table.widths = append(l.table.widths, seriesW)
		l.table.aligns = append(l.table.aligns, "R")
		head = append(head, s.Name)
	}
	headCells := l.table.cells(d, head, true)
	for k := range headCells {
		headCells[k] = truncateLines(headCells[k], maxLabelLines)
	}
	l.tableCells = append(l.tableCells, headCells)
	l.tableHeight = l.table.rowHeight(d, l.tableCells[0], true)
	for i, axis := range r.Axes {
		row := []string{axis}
		for _, s := range r.Series {
			v := Num{}
			if i < len(s.Values) {
				v = s.Values[i]
			}
			row = append(row, v.format())
		}
		cells := l.table.cells(d, row, false)
		for k := range cells {
			cells[k] = truncateLines(cells[k], maxLabelLines)
		}
		l.tableCells = append(l.tableCells, cells)
		l.tableHeight += l.table.rowHeight(d, cells, false)
	}
	return l
}

func (l radarLayout) chartHeight() float64 { return l.top + l.bottom + legendH }

func (r Radar) measure(d *Document) (float64, float64) {
	l := r.layout(d)
	h := max(l.chartHeight(), l.tableHeight)
	return h, h
}

// radius maps a value on the scale to a distance from the centre, clamped
// so that an out-of-range value cannot draw outside the chart.
func radius(v float64) float64 {
	v = min(max(v, scaleMin), scaleMax)
	return radarR * (v - scaleMin) / (scaleMax - scaleMin)
}

func (r Radar) draw(d *Document) {
	if len(r.Axes) < 3 {
		return // a radar needs three axes to enclose anything; callers use Bars
	}
	pdf := d.pdf
	l := r.layout(d)
	y0 := pdf.GetY()
	h := max(l.chartHeight(), l.tableHeight)
	c := radarCentre{angles: l.angles, cx: l.cx, cy: y0 + l.top + (h-l.chartHeight())/2}
	r.drawGrid(d, c)
	r.drawSeries(d, c)
	r.drawRingValues(d, c)
	l.drawAxisLabels(d, c)
	r.drawLegend(d, c.cx, c.cy+l.bottom+legendH/2+1)
	// The number table, centred vertically beside the chart.
	ty := y0 + (h-l.tableHeight)/2
	for i, cells := range l.tableCells {
		ty = l.table.drawRow(d, ty, cells, i == 0)
	}
	pdf.SetXY(marginLeft, y0+h)
}

// radarCentre places values on a radar drawn around (cx, cy).
type radarCentre struct {
	angles []float64 // of each axis
	cx, cy float64
}

// point is where value v sits on axis i.
func (c radarCentre) point(i int, v float64) (float64, float64) {
	return c.cx + radius(v)*math.Cos(c.angles[i]), c.cy + radius(v)*math.Sin(c.angles[i])
}

// drawGrid draws rings at every scale point and a spoke per axis.
func (r Radar) drawGrid(d *Document, c radarCentre) {
	pdf := d.pdf
	d.stroke(colGrid)
	pdf.SetLineWidth(0.25)
	pdf.SetDashPattern(nil, 0)
	for v := scaleMin + 1; v <= scaleMax; v++ {
		var ring []gofpdf.PointType
		for i := range r.Axes {
			x, y := c.point(i, v)
			ring = append(ring, gofpdf.PointType{X: x, Y: y})
		}
		pdf.Polygon(ring, "D")
	}
	for i := range r.Axes {
		x, y := c.point(i, scaleMax)
		pdf.Line(c.cx, c.cy, x, y)
	}
}

// drawSeries draws the series, last first, so the first (self) is drawn on
// top. Runs of consecutive available values are joined; a missing value
// breaks the outline on both sides of its axis.
func (r Radar) drawSeries(d *Document, c radarCentre) {
	pdf := d.pdf
	for k := len(r.Series) - 1; k >= 0; k-- {
		s := r.Series[k]
		valid := func(i int) bool { i %= len(r.Axes); return i < len(s.Values) && s.Values[i].Valid }
		d.stroke(s.Style.color())
		pdf.SetLineWidth(0.7)
		d.dash(s.Style)
		for i := range r.Axes {
			if valid(i) && valid(i+1) {
				x1, y1 := c.point(i, s.Values[i].Value)
				j := (i + 1) % len(r.Axes)
				x2, y2 := c.point(j, s.Values[j].Value)
				pdf.Line(x1, y1, x2, y2)
			}
		}
		pdf.SetDashPattern(nil, 0)
		for i := range r.Axes {
			if valid(i) {
				x, y := c.point(i, s.Values[i].Value)
				d.marker(s.Style, x, y)
			}
		}
	}
}

// drawRingValues prints the ring values, so the scale is printed, not
// implied. They sit halfway between the first two spokes, where no marker
// can be, on a white patch drawn over the outlines so that a line never
// runs through a digit.
func (r Radar) drawRingValues(d *Document, c radarCentre) {
	pdf := d.pdf
	d.setFont(styleRingValue)
	d.ink(colMuted)
	bisect := c.angles[0] + math.Pi/float64(len(r.Axes))
	for v := scaleMin + 1; v <= scaleMax; v++ {
		// On a polygon ring, the point midway between two spokes is closer
		// to the centre than the spokes' ends by cos(π/n).
		rr := radius(v) * math.Cos(math.Pi/float64(len(r.Axes)))
		x, y := c.cx+rr*math.Cos(bisect), c.cy+rr*math.Sin(bisect)
		d.fill(colWhite)
		pdf.Rect(x-1.1, y-1.2, 2.2, 2.4, "F")
		pdf.SetXY(x-1.5, y-1.3)
		pdf.CellFormat(3, 2.6, strconv.Itoa(int(v)), "", 0, "C", false, 0, "")
	}
}

// drawAxisLabels places each axis label by which side of the chart its
// spoke points to.
func (l radarLayout) drawAxisLabels(d *Document, c radarCentre) {
	for i, lines := range l.labels {
		a := l.angles[i]
		cos, sin := math.Cos(a), math.Sin(a)
		ax, ay := c.cx+(radarR+radarGap)*cos, c.cy+(radarR+radarGap)*sin
		lh := styleSmall.lineHeight
		h := float64(len(lines)) * lh
		x, align := ax-radarLabelW/2, "C"
		switch {
		case cos > 0.3:
			x, align = ax, "L"
		case cos < -0.3:
			x, align = ax-radarLabelW, "R"
		}
		y := ay - h/2
		switch {
		case sin < -0.3:
			y = ay - h
		case sin > 0.3:
			y = ay
		}
		d.ink(colText)
		d.text(x, y, radarLabelW, lines[:l.bold[i]], styleSmallBold, align)
		d.ink(colMuted)
		d.text(x, y+float64(l.bold[i])*lh, radarLabelW, lines[l.bold[i]:], styleSmall, align)
	}
}

// drawLegend draws the legend centred on cx, at height ly.
func (r Radar) drawLegend(d *Document, cx, ly float64) {
	widths := 0.0
	names := make([]string, len(r.Series))
	for i, s := range r.Series {
		names[i] = d.fitStyle(clean(s.Name, false), 40, styleSmall)
		widths += 17 + d.pdf.GetStringWidth(names[i])
	}
	lx := max(marginLeft, cx-(widths-6)/2)
	for i, s := range r.Series {
		lx = d.legendEntry(s.Style, names[i], lx, ly)
	}
}
