package reports

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// realNames are people's names in the scripts the report must print. Each
// caught a different font in the past: Ë/Ł (Latin Extended-A), Serbian
// Cyrillic, Vietnamese stacked diacritics (Latin Extended Additional),
// Turkish dotless ı, Greek with tonos.
var realNames = []string{
	"Zoë Łukasiewicz",
	"Ђорђе Петровић",
	"Ngô Bảo Châu",
	"Ayşe Yılmaz",
	"Αλέξανδρος",
}

// TestFontCoversText parses the embedded faces independently of gofpdf and
// checks that each has a glyph for every rune of the names and the fixed
// text. gofpdf would draw an empty box for a missing glyph without an error.
func TestFontCoversText(t *testing.T) {
	texts := slices.Concat(realNames, fixedText, leaderText)
	for _, name := range []string{fontRegularFile, fontBoldFile} {
		f, err := sfnt.Parse(fontFile(name))
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		var buf sfnt.Buffer
		for _, text := range texts {
			// Names arrive from forms in any normal form; clean composes them
			// to NFC, so that is the form whose runes must have glyphs.
			for _, r := range norm.NFC.String(text) {
				gi, err := f.GlyphIndex(&buf, r)
				if err != nil || gi == 0 {
					t.Errorf("%s has no glyph for %q (U+%04X) in %q (err %v)", name, r, r, text, err)
				}
			}
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
		keepNewlines   bool
	}{
		{name: "names pass through", in: "Ngô Bảo Châu", want: "Ngô Bảo Châu"},
		{name: "decomposed input is composed", in: "Ngo\u0302 Ba\u0309o", want: "Ngô Bảo"},
		{name: "emoji outside the BMP is replaced", in: "Ana 😀", want: "Ana \uFFFD"},
		{name: "invalid UTF-8 is replaced", in: "a\xffb", want: "a\uFFFDb"},
		{name: "controls become spaces", in: "a\x00b\tc\rd", want: "a b c d"},
		{name: "newline dropped in one-line text", in: "a\nb", want: "a b"},
		{name: "newline kept in paragraphs", in: "a\r\nb", want: "a\nb", keepNewlines: true},
		{name: "no-break space becomes a space", in: "4\u00a0raters", want: "4 raters"},
		{name: "script without glyphs is visible", in: "王", want: "\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clean(tt.in, tt.keepNewlines); got != tt.want {
				t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestFontLicenceShipped guards the redistribution condition: the licence
// travels with the font files.
func TestFontLicenceShipped(t *testing.T) {
	b, err := os.ReadFile("fonts/LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Bitstream", "DejaVu changes are in public domain", "Permission is hereby granted"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("fonts/LICENSE does not mention %q", want)
		}
	}
}

// gofpdf writes into the font bytes it is given (it pads tables in place),
// so documents drawn at once must have bytes of their own (shared bytes made
// concurrent batch rendering a data race, seen under -race in cmd/lead360's
// zip test), and a copy given back must read as the embedded file again.
func TestEveryDocumentGetsItsOwnFontBytes(t *testing.T) {
	t.Parallel()
	a, b := takeFonts(), takeFonts()
	if &a.regular[0] == &b.regular[0] || &a.bold[0] == &b.bold[0] {
		t.Fatal("two documents share font bytes")
	}
	for _, c := range []*fontCopy{a, b} {
		if !bytes.Equal(c.regular, fontFile(fontRegularFile)) || !bytes.Equal(c.bold, fontFile(fontBoldFile)) {
			t.Error("a copy differs from the embedded files")
		}
	}
	a.regular[100] ^= 0xff // as gofpdf's padding might
	a.bold[len(a.bold)-1] ^= 0xff
	a.give()
	if !bytes.Equal(a.regular, fontFile(fontRegularFile)) || !bytes.Equal(a.bold, fontFile(fontBoldFile)) {
		t.Error("a copy given back still holds the changed bytes")
	}
	b.give()
}
