package reports

import (
	"strings"
)

// textStyle is a font size (points), weight and the line height (mm) that
// goes with it. Line heights are about 1.4 times the font size.
type textStyle struct {
	size       float64
	bold       bool
	lineHeight float64
}

var (
	styleBody      = textStyle{size: 10, lineHeight: 5}
	styleBodyBold  = textStyle{size: 10, bold: true, lineHeight: 5}
	styleTable     = textStyle{size: 9, lineHeight: 4.4}
	styleTableBold = textStyle{size: 9, bold: true, lineHeight: 4.4}
	styleSmall     = textStyle{size: 8, lineHeight: 3.8}
	styleSmallBold = textStyle{size: 8, bold: true, lineHeight: 3.8}
	styleH1        = textStyle{size: 16, bold: true, lineHeight: 8}
	styleH2        = textStyle{size: 12.5, bold: true, lineHeight: 6.2}
	styleRingValue = textStyle{size: 6.5, lineHeight: 2.6} // the radar's ring values
)

// fontChoice is what a textStyle asks of the font.
type fontChoice struct {
	size float64
	bold bool
}

func (d *Document) setFont(s textStyle) {
	choice := fontChoice{size: s.size, bold: s.bold}
	if choice == d.font {
		return
	}
	d.font = choice
	weight := ""
	if s.bold {
		weight = "B"
	}
	d.pdf.SetFont(fontFamily, weight, s.size)
}

// restoreFont records that gofpdf has put back the font chosen before a
// page's header or footer.
func (d *Document) restoreFont(f fontChoice) { d.font = f }

// split wraps already-cleaned text to width w in style s. Measuring and
// drawing both go through it, so a computed height is the drawn height.
func (d *Document) split(text string, w float64, s textStyle) []string {
	d.setFont(s)
	if text == "" {
		return nil
	}
	return d.pdf.SplitText(text, w)
}

// fit shortens one line of text with an ellipsis until it fits width w in
// the current font. Used where wrapping is not possible (running header).
// gofpdf applies no kerning, so a string's width is the sum of its runes'
// widths, which keeps this linear however long the text.
func (d *Document) fit(text string, w float64) string {
	if d.pdf.GetStringWidth(text) <= w {
		return text
	}
	room := w - d.pdf.GetStringWidth(textEllipsis)
	used := 0.0
	for i, r := range text {
		used += d.pdf.GetStringWidth(string(r))
		if used > room {
			return strings.TrimRight(text[:i], " ") + textEllipsis
		}
	}
	return text
}

// truncateLines keeps at most n lines, marking the cut with an ellipsis, for
// the rare block that would not fit on an empty page.
func truncateLines(lines []string, n int) []string {
	if n < 1 {
		n = 1
	}
	if len(lines) <= n {
		return lines
	}
	lines = append([]string(nil), lines[:n]...)
	lines[n-1] += " " + textEllipsis
	return lines
}

// text draws lines from (x, y), each in a cell of width w with gofpdf's
// alignment letter ("L", "C" or "R").
func (d *Document) text(x, y, w float64, lines []string, s textStyle, align string) {
	d.setFont(s)
	for i, line := range lines {
		d.pdf.SetXY(x, y+float64(i)*s.lineHeight)
		d.pdf.CellFormat(w, s.lineHeight, line, "", 0, align, false, 0, "")
	}
}

// Heading is a section title. Level 1 is a main title, level 3 a bold line
// of body text (a question over its answers), any other level a subsection.
// Add keeps a heading on the same page as the block after it.
type Heading struct {
	Text  string
	Level int
}

const headingSpaceBefore = 2.0

func (h Heading) style() (textStyle, float64) {
	switch {
	case h.Level == 1:
		return styleH1, 2.5
	case h.Level >= 3:
		return styleBodyBold, 1.2
	}
	return styleH2, 1.5
}

// lines wraps the heading, cut at three lines: a heading that long is a
// data problem, and it must not push its block off the page.
func (h Heading) lines(d *Document, s textStyle) []string {
	return truncateLines(d.split(clean(h.Text, false), contentWidth, s), 3)
}

func (h Heading) measure(d *Document) (float64, float64) {
	s, after := h.style()
	n := len(h.lines(d, s))
	total := headingSpaceBefore + float64(n)*s.lineHeight + after
	return total, total
}

func (h Heading) draw(d *Document) {
	s, after := h.style()
	lines := h.lines(d, s)
	y := d.pdf.GetY()
	if !d.atTop() {
		y += headingSpaceBefore
	}
	d.pdf.SetTextColor(colText.r, colText.g, colText.b)
	d.text(marginLeft, y, contentWidth, lines, s, "L")
	d.pdf.SetXY(marginLeft, y+float64(len(lines))*s.lineHeight+after)
}

// Paragraph is body text, wrapped to the page width. Newlines in Text start
// new lines. Long paragraphs continue on the next page, never leaving a
// single line behind at the bottom.
type Paragraph struct {
	Text string
}

func (p Paragraph) measure(d *Document) (float64, float64) {
	n := len(d.split(clean(p.Text, true), contentWidth, styleBody))
	return float64(n) * styleBody.lineHeight, float64(linesKept(0, n)) * styleBody.lineHeight
}

// linesKept is how many lines (or table rows), from line i of n, must fit
// on the page before line i is drawn: a block never leaves its first line
// alone at the foot of a page (an orphan) nor its last line alone at the top
// of the next (a widow), and a block of three lines or fewer is not split.
func linesKept(i, n int) int {
	switch {
	case n <= 3:
		if i == 0 {
			return n
		}
		return 1
	case i == 0 || i == n-2:
		return 2
	}
	return 1
}

func (p Paragraph) draw(d *Document) {
	lines := d.split(clean(p.Text, true), contentWidth, styleBody)
	d.pdf.SetTextColor(colText.r, colText.g, colText.b)
	lh := styleBody.lineHeight
	for i, line := range lines {
		d.ensure(float64(linesKept(i, len(lines))) * lh)
		y := d.pdf.GetY()
		d.text(marginLeft, y, contentWidth, []string{line}, styleBody, "L")
		d.pdf.SetXY(marginLeft, y+lh)
	}
}

// Callout is a boxed note: an optional bold title and text, with a dark bar
// on the left so the box reads as a box in greyscale too. It is never split.
type Callout struct {
	Title string
	Text  string
}

const (
	calloutPad = 3.0
	calloutBar = 1.2
)

func (c Callout) lines(d *Document) (title, body []string) {
	w := contentWidth - calloutBar - 2*calloutPad
	title = d.split(clean(c.Title, false), w, styleBodyBold)
	body = d.split(clean(c.Text, true), w, styleBody)
	// A callout taller than a page would overflow it; cut the text instead.
	maxBody := int((bodyHeight - 2*calloutPad - float64(len(title))*styleBodyBold.lineHeight) / styleBody.lineHeight)
	return title, truncateLines(body, maxBody)
}

func (c Callout) height(title, body []string) float64 {
	return 2*calloutPad + float64(len(title))*styleBodyBold.lineHeight + float64(len(body))*styleBody.lineHeight
}

func (c Callout) measure(d *Document) (float64, float64) {
	h := c.height(c.lines(d))
	return h, h
}

func (c Callout) draw(d *Document) {
	title, body := c.lines(d)
	h := c.height(title, body)
	x, y := marginLeft, d.pdf.GetY()
	pdf := d.pdf
	pdf.SetFillColor(colCalloutFill.r, colCalloutFill.g, colCalloutFill.b)
	pdf.Rect(x, y, contentWidth, h, "F")
	pdf.SetFillColor(colSelf.r, colSelf.g, colSelf.b)
	pdf.Rect(x, y, calloutBar, h, "F")
	tx := x + calloutBar + calloutPad
	tw := contentWidth - calloutBar - 2*calloutPad
	ty := y + calloutPad
	pdf.SetTextColor(colText.r, colText.g, colText.b)
	d.text(tx, ty, tw, title, styleBodyBold, "L")
	ty += float64(len(title)) * styleBodyBold.lineHeight
	d.text(tx, ty, tw, body, styleBody, "L")
	pdf.SetXY(marginLeft, y+h)
}

// Table is a grid of wrapped text. Row heights grow to fit the longest cell;
// a table that reaches the foot of a page continues on the next one with its
// header repeated.
type Table struct {
	Columns []Column
	Rows    [][]string
}

// Column is one table column.
type Column struct {
	Header string
	// Width is relative: the columns share the page width in proportion to
	// their Widths (zero counts as 1).
	Width float64
	// Numeric right-aligns the column, so figures line up.
	Numeric bool
}

func (t Table) grid() grid {
	weights := make([]float64, len(t.Columns))
	sum := 0.0
	for i, c := range t.Columns {
		weights[i] = c.Width
		if weights[i] <= 0 {
			weights[i] = 1
		}
		sum += weights[i]
	}
	g := grid{x: marginLeft, widths: make([]float64, len(t.Columns)), aligns: make([]string, len(t.Columns)),
		style: styleTable, headStyle: styleTableBold}
	for i, c := range t.Columns {
		g.widths[i] = contentWidth * weights[i] / sum
		g.aligns[i] = "L"
		if c.Numeric {
			g.aligns[i] = "R"
		}
	}
	return g
}

func (t Table) header() []string {
	h := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		h[i] = c.Header
	}
	return h
}

func (t Table) measure(d *Document) (float64, float64) {
	if len(t.Columns) == 0 {
		return 0, 0
	}
	g := t.grid()
	head := g.rowHeight(d, g.cells(d, t.header(), true), true)
	heights := make([]float64, len(t.Rows))
	for i, r := range t.Rows {
		heights[i] = g.rowHeight(d, g.cells(d, r, false), false)
	}
	return head + rowsHeight(heights, 0, len(heights)), head + rowsHeight(heights, 0, linesKept(0, len(heights)))
}

// rowsHeight is the height of rows [from, from+n) of a table.
func rowsHeight(heights []float64, from, n int) float64 {
	h := 0.0
	for _, r := range heights[from:min(from+n, len(heights))] {
		h += r
	}
	return h
}

func (t Table) draw(d *Document) {
	if len(t.Columns) == 0 {
		return
	}
	g := t.grid()
	head := g.cells(d, t.header(), true)
	headH := g.rowHeight(d, head, true)
	// A row taller than an empty page below the header is cut to fit.
	maxLines := int((bodyHeight - headH - 2*gridPadV) / g.style.lineHeight)
	rows := make([][][]string, len(t.Rows))
	heights := make([]float64, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = g.cells(d, r, false)
		for j := range rows[i] {
			rows[i][j] = truncateLines(rows[i][j], maxLines)
		}
		heights[i] = g.rowHeight(d, rows[i], false)
	}
	y := d.pdf.GetY()
	y = g.drawRow(d, y, head, true)
	for i, cells := range rows {
		// The rows kept together (linesKept) must fit, so the table never
		// leaves one row alone on a page.
		if y+rowsHeight(heights, i, linesKept(i, len(rows))) > bodyBottom+0.01 && i > 0 {
			d.pdf.AddPage()
			y = g.drawRow(d, d.pdf.GetY(), head, true)
		}
		y = g.drawRow(d, y, cells, false)
	}
	d.pdf.SetXY(marginLeft, y)
}

// grid lays out rows of wrapped cells at a given x; Table uses it for the
// page flow and the charts for the number tables printed beside them.
type grid struct {
	x                float64
	widths           []float64
	aligns           []string
	style, headStyle textStyle
}

const (
	gridPadH = 1.5
	gridPadV = 1.2
)

func (g grid) width() float64 {
	w := 0.0
	for _, c := range g.widths {
		w += c
	}
	return w
}

// cells wraps each cell of a row to its column. Missing cells are blank and
// extra cells are ignored.
func (g grid) cells(d *Document, row []string, head bool) [][]string {
	s := g.style
	if head {
		s = g.headStyle
	}
	out := make([][]string, len(g.widths))
	for i, w := range g.widths {
		if i < len(row) {
			out[i] = d.split(clean(row[i], true), w-2*gridPadH, s)
		}
	}
	return out
}

func (g grid) rowHeight(d *Document, cells [][]string, head bool) float64 {
	s := g.style
	if head {
		s = g.headStyle
	}
	n := 1
	for _, c := range cells {
		n = max(n, len(c))
	}
	return float64(n)*s.lineHeight + 2*gridPadV
}

// drawRow draws one row with its top at y and returns the y of its bottom.
// The header row is shaded; every row is ruled below.
func (g grid) drawRow(d *Document, y float64, cells [][]string, head bool) float64 {
	pdf := d.pdf
	s := g.style
	if head {
		s = g.headStyle
	}
	h := g.rowHeight(d, cells, head)
	if head {
		pdf.SetFillColor(colHeadFill.r, colHeadFill.g, colHeadFill.b)
		pdf.Rect(g.x, y, g.width(), h, "F")
	}
	pdf.SetTextColor(colText.r, colText.g, colText.b)
	x := g.x
	for i, w := range g.widths {
		d.text(x+gridPadH, y+gridPadV, w-2*gridPadH, cells[i], s, g.aligns[i])
		x += w
	}
	pdf.SetDrawColor(colRule.r, colRule.g, colRule.b)
	pdf.SetLineWidth(0.2)
	if head {
		pdf.SetDrawColor(colText.r, colText.g, colText.b)
		pdf.SetLineWidth(0.3)
	}
	pdf.Line(g.x, y+h, g.x+g.width(), y+h)
	return y + h
}
