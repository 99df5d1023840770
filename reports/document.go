// Package reports turns assessment results into documents people read: a
// leader's PDF report (Leader, drawn with gofpdf) and a CSV export of a
// scoring result (CSVRows, WriteCSV). It draws; it does not compute. Every
// number it prints arrives already aggregated and already suppressed, so this
// package cannot leak a rater by doing its own arithmetic.
//
// The PDF is built from blocks (Heading, Paragraph, Callout, Table, Radar,
// Bars) added to a Document in reading order. The Document
// owns pagination: blocks that must stay whole move to the next page, tables
// and paragraphs split, a heading never ends a page, and Keep holds a group
// of blocks (a title and its chart) on one page.
package reports

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/jung-kurt/gofpdf"
)

// Page geometry in millimetres (A4 portrait). The body starts below the
// running header and stops above the footer.
const (
	pageWidth    = 210.0
	pageHeight   = 297.0
	marginLeft   = 18.0
	marginRight  = 18.0
	marginTop    = 22.0
	marginBottom = 18.0
	headerY      = 9.0
	footerY      = pageHeight - 11.0
	contentWidth = pageWidth - marginLeft - marginRight
	bodyBottom   = pageHeight - marginBottom
	bodyHeight   = bodyBottom - marginTop

	blockGap = 5.0 // vertical space after every block except headings

	// nbAlias is replaced by gofpdf with the page count when the PDF is
	// written. Its digits are always drawn by the last page's own footer
	// ("Page 12 of 12"), so the font subset is sure to contain them.
	nbAlias = "{nb}"
)

// Options describe a whole document.
type Options struct {
	// Title and Leader appear in the running header of every page; Title is
	// also the PDF's metadata title.
	Title  string
	Leader string
	// Created is stamped into the PDF metadata. Pass the cycle's close time:
	// the report is a snapshot, and a fixed date makes re-rendering the same
	// snapshot byte-identical. The zero time means "now", which is never
	// reproducible.
	Created time.Time
}

// Document is a PDF under construction. It is not safe for concurrent use.
type Document struct {
	pdf    *gofpdf.Fpdf
	title  string
	leader string
	// font is the size and weight chosen last (zero: none yet). gofpdf
	// writes a font change into the page on every SetFont, even to the
	// font in use, and measuring a block chooses its font for every
	// paragraph it splits; setFont skips a choice already in force.
	font fontChoice
	// fonts are the font bytes gofpdf reads until the document is
	// written, then given back for the next document (nil after that).
	fonts *fontCopy
}

// New starts an A4 document with the running header and footer and opens
// the first page.
func New(opts Options) *Document {
	pdf := gofpdf.New("P", "mm", "A4", "")
	d := &Document{pdf: pdf, title: clean(opts.Title, false), leader: clean(opts.Leader, false), fonts: takeFonts()}

	// The alias must be set before the fonts are added: gofpdf sizes each
	// UTF-8 font's initial subset according to whether an alias exists.
	pdf.AliasNbPages(nbAlias)
	pdf.AddUTF8FontFromBytes(fontFamily, "", d.fonts.regular)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", d.fonts.bold)

	pdf.SetMargins(marginLeft, marginTop, marginRight)
	// Pagination is ours: gofpdf's automatic break cannot repeat a table
	// header or keep a title with its chart, and would split a chart in two.
	pdf.SetAutoPageBreak(false, marginBottom)
	// Text is positioned exactly; padding is added explicitly where wanted,
	// which keeps SplitText's measurements and the drawn text in agreement.
	pdf.SetCellMargin(0)
	// Sorted catalogs and fixed dates make the output a pure function of the
	// input: the same snapshot gives the same bytes.
	pdf.SetCatalogSort(true)
	// Pages are compressed after the fact (compressStreams): much faster.
	pdf.SetCompression(false)
	if !opts.Created.IsZero() {
		pdf.SetCreationDate(opts.Created)
		pdf.SetModificationDate(opts.Created)
	}
	pdf.SetTitle(d.title, true)
	pdf.SetCreator("lead360", true)
	pdf.SetHeaderFuncMode(d.header, true)
	pdf.SetFooterFunc(d.footer)
	pdf.AddPage()
	return d
}

// Write finishes the document and writes the PDF. It reports any error
// gofpdf met while drawing (gofpdf records the first and ignores the rest).
func (d *Document) Write(w io.Writer) error {
	var buf bytes.Buffer
	err := d.pdf.Output(&buf)
	// gofpdf has read the fonts for the last time (it subsets them while
	// writing): they can serve the next document.
	if d.fonts != nil {
		d.fonts.give()
		d.fonts = nil
	}
	if err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	out, err := compressStreams(buf.Bytes())
	if err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

// Block is one piece of the document's flow. Heading, Paragraph, Callout,
// Table, Radar and Bars are blocks.
type Block interface {
	// measure returns the block's full height and the height of its first
	// piece that cannot be split (equal to the full height for blocks that
	// never split), for the current page's fonts and width.
	measure(d *Document) (total, lead float64)
	// draw draws the block at the current position, breaking pages itself
	// if it splits, and leaves the position below it.
	draw(d *Document)
}

// Add draws blocks one after the other. A block that cannot be split and
// does not fit starts a new page; a Heading is kept with the headings that
// follow it and the start of the first other block (a section title, its
// question and the first lines of the first answer stay together).
func (d *Document) Add(blocks ...Block) {
	for i, b := range blocks {
		_, need := b.measure(d)
		if _, ok := b.(Heading); ok {
			need = 0
			for _, next := range blocks[i:] {
				total, lead := next.measure(d)
				if _, ok := next.(Heading); ok {
					need += total
					continue
				}
				need += lead
				break
			}
		}
		d.ensure(need)
		d.drawBlock(b)
	}
}

// Keep draws blocks on one page: if they do not fit in the space left, they
// start on a new page. Use it for a title and its chart, or a chart and its
// explanation. If they are taller than a whole page they are drawn as Add
// would draw them.
func (d *Document) Keep(blocks ...Block) {
	if total := d.height(blocks...); total <= bodyHeight {
		d.ensure(total)
	}
	d.Add(blocks...)
}

// height is how tall blocks are when drawn one after the other.
func (d *Document) height(blocks ...Block) float64 {
	total := 0.0
	for i, b := range blocks {
		h, _ := b.measure(d)
		total += h
		if _, ok := b.(Heading); !ok && i+1 < len(blocks) {
			total += blockGap
		}
	}
	return total
}

func (d *Document) drawBlock(b Block) {
	b.draw(d)
	switch b.(type) {
	case Heading, Room, PageBreak:
	default:
		d.pdf.SetY(min(d.pdf.GetY()+blockGap, bodyBottom))
	}
}

// ensure starts a new page unless h millimetres fit below the current
// position. At the top of a page it does nothing: a new page would be no
// roomier, and an empty page is worse than an overflow that the block
// itself handles by truncating.
func (d *Document) ensure(h float64) {
	if d.pdf.GetY()+h > bodyBottom+0.01 && !d.atTop() {
		d.pdf.AddPage()
	}
}

func (d *Document) atTop() bool { return d.pdf.GetY() <= marginTop+0.01 }

// header and footer run inside gofpdf's AddPage, which afterwards puts
// back the font chosen before the page break; so must d.font.
func (d *Document) header() {
	defer d.restoreFont(d.font)
	pdf := d.pdf
	d.setFont(styleSmall)
	pdf.SetTextColor(colText.r, colText.g, colText.b)
	half := contentWidth/2 - 3
	lh := styleSmall.lineHeight
	pdf.SetXY(marginLeft, headerY)
	d.setFont(styleSmallBold)
	pdf.CellFormat(half, lh, d.fit(d.title, half), "", 0, "L", false, 0, "")
	d.setFont(styleSmall)
	pdf.SetXY(pageWidth-marginRight-half, headerY)
	pdf.CellFormat(half, lh, d.fit(d.leader, half), "", 0, "R", false, 0, "")
	pdf.SetDrawColor(colRule.r, colRule.g, colRule.b)
	pdf.SetLineWidth(0.2)
	pdf.Line(marginLeft, headerY+lh+1, pageWidth-marginRight, headerY+lh+1)
}

func (d *Document) footer() {
	defer d.restoreFont(d.font)
	pdf := d.pdf
	d.setFont(styleSmall)
	pdf.SetTextColor(colText.r, colText.g, colText.b)
	// At the left margin: the alias is wider than the number that replaces
	// it, so centred or right-aligned text would end up off its mark.
	pdf.SetXY(marginLeft, footerY)
	pdf.CellFormat(contentWidth/2, styleSmall.lineHeight, fmt.Sprintf(textPageOf, pdf.PageNo(), nbAlias), "", 0, "L", false, 0, "")
}
