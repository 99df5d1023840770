package reports

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/lead360/lead360/assessment"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// fontFiles holds DejaVu Sans (Bitstream Vera licence, see fonts/LICENSE).
// It is embedded rather than read from the system so that a report renders
// the same on every machine, and because the core PDF fonts only cover
// Latin-1: names such as "Ngô Bảo Châu" or "Ђорђе" need a Unicode font.
//
//go:embed fonts/DejaVuSans.ttf fonts/DejaVuSans-Bold.ttf
var fontFiles embed.FS

const (
	fontFamily      = "DejaVuSans"
	fontRegularFile = "fonts/DejaVuSans.ttf"
	fontBoldFile    = "fonts/DejaVuSans-Bold.ttf"
)

// fontCopy is one document's copy of the embedded font files. gofpdf
// writes into the font bytes it is given (utf8FontFile.generateChecksum
// pads a table by appending into the slice it read, which runs into the
// next table's bytes), so documents drawn at once must not share bytes.
// A fresh 1.4 MB copy per document cost about a twelfth of a report's
// time (the new pages are faulted in and cleared), so a document returns
// its copy when it is written, made whole again, for the next one.
type fontCopy struct{ regular, bold []byte }

var fontCopies = sync.Pool{New: func() any {
	return &fontCopy{regular: bytes.Clone(fontFile(fontRegularFile)), bold: bytes.Clone(fontFile(fontBoldFile))}
}}

// takeFonts returns font bytes no other document is using.
func takeFonts() *fontCopy { return fontCopies.Get().(*fontCopy) }

// give puts the copy back for another document, first restoring any byte
// gofpdf changed, so the next document reads exactly the embedded file.
func (c *fontCopy) give() {
	for _, f := range []struct {
		copy []byte
		name string
	}{{c.regular, fontRegularFile}, {c.bold, fontBoldFile}} {
		if orig := fontFile(f.name); !bytes.Equal(f.copy, orig) {
			copy(f.copy, orig)
		}
	}
	fontCopies.Put(c)
}

// fontFile returns the bytes of the embedded font file name, read once;
// callers must not change them. The names are constants checked by the tests, so a
// failure here is a build defect.
func fontFile(name string) []byte {
	if b, ok := fontCache()[name]; ok {
		return b
	}
	panic(fmt.Sprintf("reports: embedded font %s is not in the cache", name))
}

var fontCache = sync.OnceValue(func() map[string][]byte {
	m := map[string][]byte{}
	for _, name := range []string{fontRegularFile, fontBoldFile} {
		b, err := fontFiles.ReadFile(name)
		if err != nil {
			panic(fmt.Sprintf("reports: embedded font %s: %v", name, err))
		}
		m[name] = b
	}
	return m
})

// Fixed strings drawn by the primitives themselves. They are constants so that
// FixedText can list them and the font test can check every rune.
const (
	textNA          = "n/a"
	textNotObserved = "not observed"
	textNotObsShort = "n/o"
	textScore       = "Score"
	textCI          = assessment.WordInterval
	textPageOf      = "Page %d of %s"
	textEllipsis    = "…"
	textDash        = "–"
	textReplacement = "\uFFFD"
	textScaleLow    = "1 = low"
	textScaleHigh   = "5 = high"
	textSkill       = "Skill"
	textAnswers     = "Answers"
)

// fixedText lists every fixed string the report prints. The composition phase
// appends its headings, legends and explanations here so that
// TestFontCoversFixedText proves the embedded font can draw them all (gofpdf
// silently draws an empty box for a missing glyph).
var fixedText = []string{
	textNA, textNotObserved, textNotObsShort, textScore, textCI,
	fmt.Sprintf(textPageOf, 1234567890, "0"), textEllipsis, textDash, textReplacement,
	textScaleLow, textScaleHigh, textSkill, textAnswers,
	"n=0123456789", "[0.00, 5.00]", "+-−.,:;()·",
	// Skills and rater groups, as shown in charts.
	"Delegation", "Coaching", "Feedback", "Conflict resolution", "Emotional intelligence",
	"Self", "You", "Manager", "Peers", "Direct reports", "Others", "All colleagues", "Colleagues",
}

// coverage records which runes both embedded faces can draw. gofpdf neither
// reports a missing glyph nor copes with runes outside the Basic Multilingual
// Plane (it indexes a 65536-entry width table and encodes text as UCS-2), so
// every string is checked against this before it reaches gofpdf.
var coverage = sync.OnceValue(func() []bool {
	covered := make([]bool, 0x10000)
	for i := range covered {
		covered[i] = true
	}
	for _, name := range []string{fontRegularFile, fontBoldFile} {
		f, err := sfnt.Parse(fontFile(name))
		if err != nil {
			panic(fmt.Sprintf("reports: parse embedded font %s: %v", name, err))
		}
		var buf sfnt.Buffer
		for r := range covered {
			if !covered[r] {
				continue
			}
			gi, err := f.GlyphIndex(&buf, rune(r))
			covered[r] = err == nil && gi != 0
		}
	}
	return covered
})

// clean makes user-supplied text safe and visible in the PDF: it repairs
// invalid UTF-8, composes to NFC (gofpdf places no combining marks, so
// "e"+U+0302 would print badly where "ê" prints well), turns tabs and other
// control characters into spaces (keeping '\n' when keepNewlines), and
// replaces any rune the font cannot draw with U+FFFD, so a missing glyph is a
// visible "�" rather than a silent blank.
func clean(s string, keepNewlines bool) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, textReplacement)
	}
	s = norm.NFC.String(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	covered := coverage()
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' && keepNewlines:
			b.WriteRune(r)
		case unicode.IsControl(r) || unicode.IsSpace(r):
			// Every kind of space becomes a plain space: SplitText only breaks
			// lines on spaces it recognises, and widths stay predictable.
			b.WriteByte(' ')
		case r < 0x10000 && covered[r]:
			b.WriteRune(r)
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
			// A combining mark that did not compose, or an invisible format
			// character (zero-width joiner, bidi mark): drop it rather than
			// print a replacement box after an otherwise readable letter.
		default:
			b.WriteString(textReplacement)
		}
	}
	return b.String()
}
