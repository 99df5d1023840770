package reports

import (
	"strconv"
)

// PageBreak starts a new page, unless the current one is still empty. A
// report section that deserves its own page (each skill, the action plan)
// begins with one.
type PageBreak struct{}

func (PageBreak) measure(*Document) (float64, float64) { return 0, 0 }

func (PageBreak) draw(d *Document) {
	if !d.atTop() {
		d.pdf.AddPage()
	}
}

// Room starts a new page unless Height millimetres are left on this one.
// It draws nothing. Put it before a section whose start should not be
// stranded at the foot of a page, away from its first content.
type Room struct {
	Height float64
}

func (r Room) measure(*Document) (float64, float64) { return 0, r.Height }

func (Room) draw(*Document) {}

// Cover is the title block at the top of a report's first page: a title,
// a subtitle and lines of details under a rule. It is slim, so that the
// first page can also tell the report's story.
type Cover struct {
	Kicker  string // small text above the title
	Title   string
	Name    string
	Details []string
}

var (
	styleCoverKicker = textStyle{size: 10, bold: true, lineHeight: 5}
	styleCoverTitle  = textStyle{size: 20, bold: true, lineHeight: 9}
	styleCoverName   = textStyle{size: 13, lineHeight: 6.5}
)

func (c Cover) lines(d *Document) (kicker, title, name, details []string) {
	kicker = truncateLines(d.split(clean(c.Kicker, false), contentWidth, styleCoverKicker), 2)
	title = truncateLines(d.split(clean(c.Title, false), contentWidth, styleCoverTitle), 3)
	name = truncateLines(d.split(clean(c.Name, false), contentWidth, styleCoverName), 3)
	for _, l := range c.Details {
		details = append(details, truncateLines(d.split(clean(l, false), contentWidth, styleBody), 3)...)
	}
	return
}

func (c Cover) measure(d *Document) (float64, float64) {
	k, t, n, det := c.lines(d)
	h := float64(len(k))*styleCoverKicker.lineHeight + 2 + float64(len(t))*styleCoverTitle.lineHeight +
		3 + float64(len(n))*styleCoverName.lineHeight + 6 + float64(len(det))*styleBody.lineHeight
	return h, h
}

func (c Cover) draw(d *Document) {
	k, t, n, det := c.lines(d)
	y := d.pdf.GetY()
	d.ink(colSelf)
	d.text(marginLeft, y, contentWidth, k, styleCoverKicker, "L")
	y += float64(len(k))*styleCoverKicker.lineHeight + 2
	d.ink(colText)
	d.text(marginLeft, y, contentWidth, t, styleCoverTitle, "L")
	y += float64(len(t))*styleCoverTitle.lineHeight + 3
	d.text(marginLeft, y, contentWidth, n, styleCoverName, "L")
	y += float64(len(n))*styleCoverName.lineHeight + 3
	d.stroke(colSelf)
	d.pdf.SetLineWidth(0.6)
	d.pdf.SetDashPattern(nil, 0)
	d.pdf.Line(marginLeft, y, marginLeft+40, y)
	y += 3
	d.ink(colText)
	d.text(marginLeft, y, contentWidth, det, styleBody, "L")
	d.pdf.SetXY(marginLeft, y+float64(len(det))*styleBody.lineHeight)
}

// Quote is someone's words, set off by a bar on the left. Unlike a Callout it
// splits across pages line by line, so thirty long comments in a row flow
// like text; it never leaves a single line at the foot of a page.
type Quote struct {
	Text string
}

const (
	quoteIndent = 5.0
	quoteBar    = 0.8
	quoteGap    = 3.0 // vertical space after a quote, less than between blocks
)

func (q Quote) lines(d *Document) []string {
	return d.split(clean(q.Text, true), contentWidth-quoteIndent, styleBody)
}

func (q Quote) measure(d *Document) (float64, float64) {
	n := len(q.lines(d))
	return float64(n)*styleBody.lineHeight - (blockGap - quoteGap), float64(linesKept(0, n)) * styleBody.lineHeight
}

func (q Quote) draw(d *Document) {
	lines := q.lines(d)
	lh := styleBody.lineHeight
	pdf := d.pdf
	for i, line := range lines {
		d.ensure(float64(linesKept(i, len(lines))) * lh)
		y := pdf.GetY()
		d.fill(colRule)
		pdf.Rect(marginLeft+1, y+0.3, quoteBar, lh-0.6+0.6*boolf(i < len(lines)-1), "F")
		d.ink(colText)
		d.text(marginLeft+quoteIndent, y, contentWidth-quoteIndent, []string{line}, styleBody, "L")
		pdf.SetXY(marginLeft, y+lh)
	}
	// Quotes sit closer together than other blocks: they belong together.
	pdf.SetY(pdf.GetY() - (blockGap - quoteGap))
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Muted is a short note in small grey type, such as "not shown: fewer than
// 3 answers" or the source of a number. It splits like a paragraph.
type Muted struct {
	Text string
}

func (m Muted) measure(d *Document) (float64, float64) {
	n := len(d.split(clean(m.Text, true), contentWidth, styleSmall))
	return float64(n) * styleSmall.lineHeight, float64(linesKept(0, n)) * styleSmall.lineHeight
}

func (m Muted) draw(d *Document) {
	lines := d.split(clean(m.Text, true), contentWidth, styleSmall)
	for i, line := range lines {
		d.ensure(float64(linesKept(i, len(lines))) * styleSmall.lineHeight)
		y := d.pdf.GetY()
		d.ink(colMuted)
		d.text(marginLeft, y, contentWidth, []string{line}, styleSmall, "L")
		d.pdf.SetXY(marginLeft, y+styleSmall.lineHeight)
	}
	d.ink(colText)
}

// FillIn is a prompt with an empty ruled box to write in by hand, for the
// action plan. Hint is printed small under the prompt, for example a
// suggestion from the report. It is never split.
type FillIn struct {
	Prompt string
	Hint   string
	Lines  int // ruled lines in the box; at least 1
}

const fillLine = 8.0

func (f FillIn) parts(d *Document) (prompt, hint []string) {
	prompt = truncateLines(d.split(clean(f.Prompt, false), contentWidth, styleBodyBold), 3)
	hint = truncateLines(d.split(clean(f.Hint, false), contentWidth, styleSmall), 4)
	return
}

func (f FillIn) measure(d *Document) (float64, float64) {
	p, h := f.parts(d)
	total := float64(len(p))*styleBodyBold.lineHeight + float64(len(h))*styleSmall.lineHeight + 1.5 + float64(max(f.Lines, 1))*fillLine + 1
	return total, total
}

func (f FillIn) draw(d *Document) {
	p, h := f.parts(d)
	pdf := d.pdf
	y := pdf.GetY()
	d.ink(colText)
	d.text(marginLeft, y, contentWidth, p, styleBodyBold, "L")
	y += float64(len(p)) * styleBodyBold.lineHeight
	d.ink(colMuted)
	d.text(marginLeft, y, contentWidth, h, styleSmall, "L")
	y += float64(len(h))*styleSmall.lineHeight + 1.5
	n := max(f.Lines, 1)
	boxH := float64(n)*fillLine + 1
	d.stroke(colRule)
	pdf.SetLineWidth(0.3)
	pdf.SetDashPattern(nil, 0)
	pdf.Rect(marginLeft, y, contentWidth, boxH, "D")
	d.stroke(colGrid)
	pdf.SetLineWidth(0.2)
	for i := 1; i < n; i++ {
		ly := y + float64(i)*fillLine
		pdf.Line(marginLeft+3, ly, marginLeft+contentWidth-3, ly)
	}
	d.ink(colText)
	pdf.SetXY(marginLeft, y+boxH)
}

// ItemTable is the per-item table of a skill: the behaviour as raters read
// it, the leader's own answer, the others' mean with n and 95% interval, the
// gap, the others' answers as a small stacked strip with every count
// printed (see strip), and a flag. Rows split across pages with the header repeated.
type ItemTable struct {
	Rows []ItemRow
}

// ItemRow is one item. Missing numbers are the zero Num; Note replaces the
// others' figures (mean, n, interval, gap, answers) when they are not shown.
type ItemRow struct {
	Number string
	Text   string
	Self   Num
	Others Num
	N      int
	Low    Num
	High   Num
	Gap    Num
	// Counts are the others' answers 1..5 and, last, "not observed"; nil
	// when the engine disclosed no distribution.
	Counts []int
	Flag   string
	Note   string
}

// Column widths (mm) of the item table; the behaviour takes the rest.
var itemCols = struct{ num, self, others, n, ci, gap, answers, flag float64 }{5, 10, 16.5, 7, 19, 12, 31, 18}

func (t ItemTable) grid() grid {
	c := itemCols
	fixed := c.num + c.self + c.others + c.n + c.ci + c.gap + c.answers + c.flag
	return grid{
		x:         marginLeft,
		widths:    []float64{c.num, contentWidth - fixed, c.self, c.others, c.n, c.ci, c.gap, c.answers, c.flag},
		aligns:    []string{"R", "L", "R", "R", "R", "R", "R", "L", "L"},
		style:     styleSmall,
		headStyle: styleSmallBold,
	}
}

func (t ItemTable) header() []string {
	return []string{"#", textBehaviour, textYou, textOthers, "n", textCI, textGap, textAnswers, textFlag}
}

// cells returns the wrapped cells of a row; the answers column holds no
// text (the strip and its counts are drawn), only blank lines to reserve
// two lines of height.
func (t ItemTable) cells(d *Document, g grid, r ItemRow) [][]string {
	row := []string{r.Number, r.Text, r.Self.format(), "", "", "", "", "", r.Flag}
	if r.Note != "" {
		row[3] = ""
	} else {
		row[3] = r.Others.format()
		row[4] = strconv.Itoa(r.N)
		if r.Low.Valid && r.High.Valid {
			row[5] = scoreRange(r.Low, r.High)
		}
		row[6] = signed(r.Gap)
	}
	cells := g.cells(d, row, false)
	cells[7] = []string{"", ""}
	if r.Note != "" {
		// The note spans the others' columns, so it is wrapped to their width.
		w := g.widths[3] + g.widths[4] + g.widths[5] + g.widths[6] + g.widths[7] - 2*gridPadH
		cells[3] = d.split(clean(r.Note, false), w, styleSmall)
	}
	return cells
}

func (t ItemTable) measure(d *Document) (float64, float64) {
	g := t.grid()
	head := g.rowHeight(d, t.headCells(d, g), true)
	heights := make([]float64, len(t.Rows))
	for i, r := range t.Rows {
		heights[i] = g.rowHeight(d, t.cells(d, g, r), false)
	}
	return head + rowsHeight(heights, 0, len(heights)), head + rowsHeight(heights, 0, linesKept(0, len(heights)))
}

func (t ItemTable) headCells(d *Document, g grid) [][]string {
	cells := g.cells(d, t.header(), true)
	cells[7] = []string{textAnswers, ""} // the second line holds the answer values
	return cells
}

func (t ItemTable) drawHead(d *Document, g grid, y float64) float64 {
	cells := t.headCells(d, g)
	bottom := g.drawRow(d, y, cells, true)
	// Answer values over the count slots, doubling as the strip's legend.
	x := t.answersX(g)
	slotW := (g.widths[7] - 2*gridPadH) / 6
	ly := y + gridPadV + styleSmallBold.lineHeight
	for k := 0; k < 6; k++ {
		label := textNotObsShort
		if k < 5 {
			label = strconv.Itoa(k + 1)
			d.fill(colAnswers[k])
			d.pdf.Rect(x+float64(k)*slotW+0.3, ly+0.2, slotW-0.6, styleSmall.lineHeight-0.4, "F")
		}
		d.ink(colText)
		if k < 5 {
			d.ink(answerInk(k))
		}
		d.text(x+float64(k)*slotW, ly, slotW, []string{label}, styleSmall, "C")
	}
	d.ink(colText)
	return bottom
}

func (t ItemTable) answersX(g grid) float64 {
	x := g.x
	for _, w := range g.widths[:7] {
		x += w
	}
	return x + gridPadH
}

func (t ItemTable) draw(d *Document) {
	g := t.grid()
	headH := g.rowHeight(d, t.headCells(d, g), true)
	maxLines := int((bodyHeight - headH - 2*gridPadV) / g.style.lineHeight)
	rows := make([][][]string, len(t.Rows))
	heights := make([]float64, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = t.cells(d, g, r)
		for j := range rows[i] {
			rows[i][j] = truncateLines(rows[i][j], maxLines)
		}
		heights[i] = g.rowHeight(d, rows[i], false)
	}
	y := t.drawHead(d, g, d.pdf.GetY())
	for i, r := range t.Rows {
		cells := rows[i]
		if y+rowsHeight(heights, i, linesKept(i, len(rows))) > bodyBottom+0.01 && i > 0 {
			d.pdf.AddPage()
			y = t.drawHead(d, g, d.pdf.GetY())
		}
		if r.Note != "" {
			// Draw the note across the others' columns: blank them in the
			// grid and print the note at the others' column.
			note := cells[3]
			cells[3] = nil
			bottom := g.drawRow(d, y, cells, false)
			x := g.x + g.widths[0] + g.widths[1] + g.widths[2] + gridPadH
			w := g.widths[3] + g.widths[4] + g.widths[5] + g.widths[6] + g.widths[7] - 2*gridPadH
			d.ink(colMuted)
			d.text(x, y+gridPadV, w, note, styleSmall, "L")
			d.ink(colText)
			y = bottom
			continue
		}
		bottom := g.drawRow(d, y, cells, false)
		if r.Counts != nil {
			t.strip(d, g, r.Counts, y+gridPadV)
		}
		y = bottom
	}
	d.pdf.SetXY(marginLeft, y)
}

// strip draws the stacked answers strip on the first line of the answers
// cell, each answer's count printed on its segment. When a count is too
// narrow to print on its segment, every count is printed instead on the
// second line, one per slot under the header's legend, so no count is lost.
func (t ItemTable) strip(d *Document, g grid, counts []int, y float64) {
	pdf := d.pdf
	x := t.answersX(g)
	w := g.widths[7] - 2*gridPadH
	slotW := w / 6
	total := 0
	for _, c := range counts[:min(6, len(counts))] {
		total += max(c, 0)
	}
	sy, sh := y+0.7, styleSmall.lineHeight-1.4
	type segment struct {
		k    int
		x, w float64
	}
	var segs []segment
	onSegments := true
	if total > 0 {
		cx := x
		for k, c := range counts[:min(6, len(counts))] {
			if c <= 0 {
				continue
			}
			sw := w * float64(c) / float64(total)
			segs = append(segs, segment{k, cx, sw})
			d.setFont(styleSmall)
			if pdf.GetStringWidth(strconv.Itoa(c))+0.6 > sw {
				onSegments = false
			}
			cx += sw
		}
	}
	for i, s := range segs {
		if s.k < 5 {
			d.fill(colAnswers[s.k])
			pdf.Rect(s.x, sy, s.w, sh, "F")
		} else {
			d.hatch(s.x, sy, s.w, sh, colMuted)
		}
		if i > 0 {
			d.stroke(colWhite)
			pdf.SetLineWidth(0.35)
			pdf.Line(s.x, sy, s.x, sy+sh)
		}
	}
	d.stroke(colRule)
	pdf.SetLineWidth(0.2)
	pdf.Rect(x, sy, w, sh, "D")
	if onSegments {
		for _, s := range segs {
			d.ink(colText)
			if s.k < 5 {
				d.ink(answerInk(s.k))
			}
			d.text(s.x, y, s.w, []string{strconv.Itoa(counts[s.k])}, styleSmall, "C")
		}
		d.ink(colText)
		return
	}
	d.ink(colText)
	for k, c := range counts[:min(6, len(counts))] {
		d.text(x+float64(k)*slotW, y+styleSmall.lineHeight, slotW, []string{strconv.Itoa(c)}, styleSmall, "C")
	}
}

// signed prints a gap with its sign: "+1.25", "−0.40" (a true minus sign),
// "0.00", or "n/a".
func signed(n Num) string {
	if !n.Valid {
		return textNA
	}
	s := n.format()
	switch {
	case s == "0.00" || s == "-0.00":
		return "0.00"
	case s[0] == '-':
		return textMinus + s[1:]
	}
	return "+" + s
}
