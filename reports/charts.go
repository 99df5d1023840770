package reports

import (
	"strconv"

	"github.com/jung-kurt/gofpdf"

	"github.com/lead360/lead360/scoring"
)

// maxLabelLines bounds a chart label: charts never split across pages, so
// an unexpectedly long label is cut rather than pushed off the page.
const maxLabelLines = 3

// The rating scale every chart is drawn on.
const (
	scaleMin = 1.0
	scaleMax = 5.0
)

// Num is a number that may be "not available": the zero Num. Scoring never
// turns a missing result into 0, and the charts never draw one as 0; they
// print "n/a" and leave a visible gap.
type Num struct {
	Value float64
	Valid bool
}

// Val is an available number.
func Val(v float64) Num { return Num{Value: v, Valid: true} }

// format prints a number the way the whole report does: two decimals, or
// "n/a". Rounding belongs to presentation, so it happens here and only here.
func (n Num) format() string {
	if !n.Valid {
		return textNA
	}
	return strconv.FormatFloat(n.Value, 'f', 2, 64)
}

// Intervals are printed cut at the ends of the scale and with one decimal
// (docs/scoring.md, "Intervals on the scale"). The engine's t interval is
// kept whole in the JSON result, but with few raters it can pass 1 or 5,
// where no score can be; and a second decimal claims a precision that three
// raters cannot give.

// rangeText prints an interval for people: each bound cut to [floor, ceil]
// and printed with one decimal, joined by sep; "n/a" when a bound is
// missing.
func rangeText(lo, hi Num, floor, ceil float64, sep string) string {
	if !lo.Valid || !hi.Valid {
		return textNA
	}
	f1 := func(v float64) string {
		s := strconv.FormatFloat(min(max(v, floor), ceil), 'f', 1, 64)
		if s == "-0.0" {
			return "0.0"
		}
		return s
	}
	return f1(lo.Value) + sep + f1(hi.Value)
}

// scoreRange prints a score's 95% interval on the rating scale.
func scoreRange(lo, hi Num) string { return rangeText(lo, hi, scaleMin, scaleMax, textDash) }

// IntervalText prints a score's 95% interval the way the report does, with
// sep between the bounds: the web pages print their intervals with it.
func IntervalText(i scoring.Interval, sep string) string {
	lo, hi := interval(i)
	return rangeText(lo, hi, scaleMin, scaleMax, sep)
}

// OnScale cuts a score's interval at the ends of the scale, for outputs that
// print bounds as numbers (the CSV export).
func OnScale(lo, hi Num) (Num, Num) {
	if lo.Valid {
		lo.Value = min(max(lo.Value, scaleMin), scaleMax)
	}
	if hi.Valid {
		hi.Value = min(max(hi.Value, scaleMin), scaleMax)
	}
	return lo, hi
}

// Style says whose number a series or bar shows. Each style differs in
// lightness and in shape or pattern as well as in hue, so charts read in
// greyscale and for colour-blind readers, and every chart prints its
// numbers as text besides.
type Style int

const (
	// StyleOthers (the zero value): mid-tone red, solid line, circle
	// markers, solid bars. For rater groups and "all others".
	StyleOthers Style = iota
	// StyleSelf: dark blue, dashed line, square markers, solid bars.
	StyleSelf
	// StyleManager: light yellow, dotted line, triangle markers, hatched
	// bars with a dark outline.
	StyleManager
)

type rgb struct{ r, g, b int }

// Paul Tol's "high contrast" scheme: blue, red and yellow are far apart in
// lightness (greyscale about 55, 117 and 172 of 255) and distinct for every
// common colour-vision deficiency.
var (
	colSelf        = rgb{0, 68, 136}
	colOthers      = rgb{187, 85, 102}
	colManager     = rgb{221, 170, 51}
	colText        = rgb{33, 33, 33}
	colMuted       = rgb{100, 100, 100}
	colRule        = rgb{190, 190, 190}
	colGrid        = rgb{215, 215, 215}
	colHeadFill    = rgb{236, 236, 236}
	colCalloutFill = rgb{234, 240, 246}
	colWhite       = rgb{255, 255, 255}
	// Answers 1..5: five samples of viridis from light to dark. Their
	// lightness steps (greyscale about 219, 165, 115, 80 and 30 of 255) keep
	// every answer apart in greyscale print and for common colour-vision
	// deficiencies, which one hue from pale to dark did not (the three
	// palest blues ran together).
	colAnswers = [5]rgb{{253, 231, 37}, {94, 201, 98}, {33, 145, 140}, {59, 82, 139}, {68, 1, 84}}
)

// answerInk is the colour of a count printed on answer k's colour: white
// on the two darkest, the text colour on the rest.
func answerInk(k int) rgb {
	if k >= 3 {
		return colWhite
	}
	return colText
}

func (s Style) color() rgb {
	switch s {
	case StyleSelf:
		return colSelf
	case StyleManager:
		return colManager
	default:
		return colOthers
	}
}

func (d *Document) fill(c rgb)   { d.pdf.SetFillColor(c.r, c.g, c.b) }
func (d *Document) stroke(c rgb) { d.pdf.SetDrawColor(c.r, c.g, c.b) }
func (d *Document) ink(c rgb)    { d.pdf.SetTextColor(c.r, c.g, c.b) }

// dash sets the line pattern of a style; solid for StyleOthers.
func (d *Document) dash(s Style) {
	switch s {
	case StyleSelf:
		d.pdf.SetDashPattern([]float64{1.8, 1.0}, 0)
	case StyleManager:
		d.pdf.SetDashPattern([]float64{0.4, 0.9}, 0)
	default:
		d.pdf.SetDashPattern(nil, 0)
	}
}

// marker draws the style's marker centred on (x, y), with a white rim so it
// stays visible where it crosses a line.
func (d *Document) marker(s Style, x, y float64) {
	pdf := d.pdf
	d.fill(s.color())
	d.stroke(colWhite)
	pdf.SetLineWidth(0.25)
	pdf.SetDashPattern(nil, 0)
	switch s {
	case StyleSelf:
		pdf.Rect(x-1.05, y-1.05, 2.1, 2.1, "FD")
	case StyleManager:
		d.stroke(colText)
		pdf.Polygon([]gofpdf.PointType{{X: x, Y: y - 1.3}, {X: x + 1.25, Y: y + 0.9}, {X: x - 1.25, Y: y + 0.9}}, "FD")
	default:
		pdf.Circle(x, y, 1.15, "FD")
	}
}

// hatch fills a rectangle with diagonal lines, clipped to it: the pattern
// that tells manager bars apart without colour.
func (d *Document) hatch(x, y, w, h float64, c rgb) {
	pdf := d.pdf
	pdf.ClipRect(x, y, w, h, false)
	d.stroke(c)
	pdf.SetLineWidth(0.2)
	pdf.SetDashPattern(nil, 0)
	for off := -h; off < w; off += 1.1 {
		pdf.Line(x+off, y+h, x+off+h, y)
	}
	pdf.ClipEnd()
}

// bar draws a horizontal bar in a style: solid, or outlined and hatched.
func (d *Document) bar(s Style, x, y, w, h float64) {
	pdf := d.pdf
	d.fill(s.color())
	pdf.Rect(x, y, w, h, "F")
	if s == StyleManager {
		d.hatch(x, y, w, h, colText)
		d.stroke(colText)
		pdf.SetLineWidth(0.25)
		pdf.Rect(x, y, w, h, "D")
	}
}

// legendEntry draws a style's line sample and marker followed by its name,
// starting at x, and returns the x after it.
func (d *Document) legendEntry(s Style, name string, x, y float64) float64 {
	pdf := d.pdf
	d.stroke(s.color())
	pdf.SetLineWidth(0.6)
	d.dash(s)
	pdf.Line(x, y, x+9, y)
	pdf.SetDashPattern(nil, 0)
	d.marker(s, x+4.5, y)
	d.setFont(styleSmall)
	d.ink(colText)
	w := pdf.GetStringWidth(name)
	pdf.SetXY(x+11, y-styleSmall.lineHeight/2)
	pdf.CellFormat(w, styleSmall.lineHeight, name, "", 0, "L", false, 0, "")
	return x + 11 + w + 6
}

// Bars is a horizontal bar chart of one skill: one bar per source (self,
// manager, each group shown), each with an optional 95% confidence
// interval. The score and interval of every bar are printed beside it. It is
// never split across pages.
type Bars struct {
	Rows []Bar
}

// Bar is one bar of a Bars chart.
type Bar struct {
	Label string
	// N is the number of raters behind the value, printed as "(n=4)" after
	// the label; zero leaves it out (self, manager).
	N     int
	Style Style
	Value Num
	// Low and High bound the 95% confidence interval, drawn as a whisker
	// when both are available. The whisker is clipped to the scale (an arrow
	// marks a clipped end), and the printed interval is cut there too.
	Low, High Num
	// Note replaces the bar when Value is not available, to say why
	// (for example, too few raters to show).
	Note string
}

const (
	barsLabelW = 48.0
	barsGap    = 3.0
	barsScoreW = 13.0
	barsCIW    = 22.0
	barsPlotW  = contentWidth - barsLabelW - 2*barsGap - barsScoreW - barsCIW
	barsPlotX  = marginLeft + barsLabelW + barsGap
	barsMinRow = 7.0
	barsThick  = 3.6
	barsAxisH  = 5.0
)

func barsX(v float64) float64 {
	v = min(max(v, scaleMin), scaleMax)
	return barsPlotX + barsPlotW*(v-scaleMin)/(scaleMax-scaleMin)
}

func (b Bar) label() string {
	s := clean(b.Label, false)
	if b.N > 0 {
		s += " (n=" + strconv.Itoa(b.N) + ")"
	}
	return s
}

func (b Bars) rowHeights(d *Document) ([][]string, []float64) {
	var labels [][]string
	var heights []float64
	for _, r := range b.Rows {
		lines := truncateLines(d.split(r.label(), barsLabelW, styleSmall), maxLabelLines)
		labels = append(labels, lines)
		heights = append(heights, max(barsMinRow, float64(len(lines))*styleSmall.lineHeight+2))
	}
	return labels, heights
}

func (b Bars) measure(d *Document) (float64, float64) {
	_, heights := b.rowHeights(d)
	h := styleSmall.lineHeight + 1 + barsAxisH
	for _, rh := range heights {
		h += rh
	}
	return h, h
}

func (b Bars) draw(d *Document) {
	pdf := d.pdf
	labels, heights := b.rowHeights(d)
	y0 := pdf.GetY()
	scoreX := barsPlotX + barsPlotW + barsGap
	ciX := scoreX + barsScoreW

	// Column titles over the printed numbers.
	d.ink(colText)
	d.text(scoreX, y0, barsScoreW, []string{textScore}, styleSmallBold, "R")
	d.text(ciX, y0, barsCIW, []string{textCI}, styleSmallBold, "R")
	top := y0 + styleSmall.lineHeight + 1
	bottom := top
	for _, h := range heights {
		bottom += h
	}

	// Gridlines at every scale point, under the bars.
	d.stroke(colGrid)
	pdf.SetLineWidth(0.25)
	pdf.SetDashPattern(nil, 0)
	for v := scaleMin; v <= scaleMax; v++ {
		pdf.Line(barsX(v), top, barsX(v), bottom)
	}

	y := top
	for i, r := range b.Rows {
		h := heights[i]
		mid := y + h/2
		d.ink(colText)
		d.text(marginLeft, mid-float64(len(labels[i]))*styleSmall.lineHeight/2, barsLabelW, labels[i], styleSmall, "L")
		if r.Value.Valid {
			// Bars start at the bottom of the scale, not at zero: the scale
			// has no zero.
			w := max(barsX(r.Value.Value)-barsPlotX, 0.4)
			d.bar(r.Style, barsPlotX, mid-barsThick/2, w, barsThick)
			if r.Low.Valid && r.High.Valid {
				d.whisker(r.Low.Value, r.High.Value, mid)
			}
		} else {
			// The note sits on a white patch so the gridlines do not strike
			// through its words.
			note := d.fitStyle(clean(r.Note, false), barsPlotW-1.5, styleSmall)
			d.fill(colWhite)
			pdf.Rect(barsPlotX+1, mid-styleSmall.lineHeight/2, pdf.GetStringWidth(note)+1, styleSmall.lineHeight, "F")
			d.ink(colMuted)
			d.text(barsPlotX+1.5, mid-styleSmall.lineHeight/2, barsPlotW-1.5, []string{note}, styleSmall, "L")
		}
		d.ink(colText)
		d.text(scoreX, mid-styleSmall.lineHeight/2, barsScoreW, []string{r.Value.format()}, styleSmallBold, "R")
		ci := ""
		if r.Low.Valid && r.High.Valid {
			ci = scoreRange(r.Low, r.High)
		}
		d.text(ciX, mid-styleSmall.lineHeight/2, barsCIW, []string{ci}, styleSmall, "R")
		y += h
	}

	// Scale axis below the bars.
	d.stroke(colText)
	pdf.SetLineWidth(0.3)
	pdf.Line(barsPlotX, bottom, barsPlotX+barsPlotW, bottom)
	for v := scaleMin; v <= scaleMax; v++ {
		pdf.Line(barsX(v), bottom, barsX(v), bottom+1)
		d.ink(colText)
		d.text(barsX(v)-5, bottom+1.2, 10, []string{strconv.Itoa(int(v))}, styleSmall, "C")
	}
	pdf.SetXY(marginLeft, bottom+barsAxisH)
}

// fitStyle is fit in a given style.
func (d *Document) fitStyle(text string, w float64, s textStyle) string {
	d.setFont(s)
	return d.fit(text, w)
}

// whisker draws a confidence interval centred vertically on y: a black line
// on a white halo, so it reads on dark and light bars alike, with caps at
// ends inside the scale and arrowheads at ends clipped to it.
func (d *Document) whisker(low, high, y float64) {
	pdf := d.pdf
	if low > high {
		low, high = high, low
	}
	x1, x2 := barsX(low), barsX(high)
	const capH = 2.4
	pdf.SetDashPattern(nil, 0)
	for pass, c := range []rgb{colWhite, colText} {
		d.stroke(c)
		d.fill(c)
		pdf.SetLineWidth([]float64{0.9, 0.3}[pass])
		pdf.Line(x1, y, x2, y)
		for _, end := range []struct {
			x       float64
			clipped bool
			dir     float64
		}{{x1, low < scaleMin, -1}, {x2, high > scaleMax, 1}} {
			if end.clipped {
				pdf.Polygon([]gofpdf.PointType{{X: end.x, Y: y}, {X: end.x - end.dir*1.6, Y: y - 0.9}, {X: end.x - end.dir*1.6, Y: y + 0.9}}, "FD")
			} else {
				pdf.Line(end.x, y-capH/2, end.x, y+capH/2)
			}
		}
	}
}
