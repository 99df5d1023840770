package reports

import (
	"bytes"
	"flag"
	"fmt"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lead360/lead360/assessment/assessmenttest/ci"
)

var outDir = flag.String("out", "", "also write the test PDFs (sample.pdf, hostile.pdf) to this directory, to look at them")

// keep writes a rendered PDF to t.TempDir() and, with -out, to that directory too.
func keep(t *testing.T, name string, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if *outDir != "" {
		if err := os.WriteFile(filepath.Join(*outDir, name), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// requireTool skips the test when an external tool is missing, except in CI
// (CI=true), where a missing tool is a broken set-up and must fail rather
// than let the checks silently not run.
func requireTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		ci.Missing(t, "%s is not installed (Debian: apt-get install poppler-utils qpdf): %v", name, err)
	}
	return path
}

var sampleCreated = time.Date(2025, 3, 31, 17, 0, 0, 0, time.UTC)

var skills = []string{"Delegation", "Coaching", "Feedback", "Conflict resolution", "Emotional intelligence"}

// renderSample draws every primitive with hard-coded data, including the
// awkward cases: a missing value, a clipped interval, a hidden group, an
// item nobody answered, a table long enough to continue on another page.
func renderSample(tb testing.TB) []byte {
	tb.Helper()
	d := New(Options{Title: "360° leadership report · Spring 2025", Leader: "Ngô Bảo Châu", Created: sampleCreated})
	d.Add(
		Heading{Text: "360° leadership report", Level: 1},
		Paragraph{Text: "This report compares how Ngô Bảo Châu rates their own leadership with how others rate it. " +
			"Raters included Zoë Łukasiewicz, Ђорђе Петровић, Ayşe Yılmaz and Αλέξανδρος, among others; " +
			"group results are shown only where at least three people answered.\n" +
			"Scores run from 1 (low) to 5 (high). Every chart prints its numbers beside it."},
		Callout{Title: "How to read the gaps", Text: "A gap of 0.50 or more between your own score and the others' is worth a conversation. " +
			"Confidence intervals that overlap mean the difference may be chance."},
	)
	d.Keep(
		Heading{Text: "Overview"},
		Radar{Axes: skills, Series: []Series{
			{Name: "Self", Style: StyleSelf, Values: []Num{Val(4.5), Val(3.75), Num{}, Val(4), Val(4.25)}},
			{Name: "All others", Style: StyleOthers, Values: []Num{Val(3.82), Val(3.1), Val(3.64), Val(2.96), Val(4.01)}},
		}},
	)
	for i, skill := range skills {
		d.Keep(
			Heading{Text: skill + " " + textDash + " scores by source"},
			Bars{Rows: []Bar{
				{Label: "Self", Style: StyleSelf, Value: Val(4.5 - float64(i)*0.25)},
				{Label: "Manager", Style: StyleManager, Value: Val(3.5 + float64(i)*0.1)},
				{Label: "Peers", N: 4, Value: Val(3.81), Low: Val(3.12), High: Val(4.5)},
				{Label: "Direct reports", N: 7, Value: Val(4.62), Low: Val(4.05), High: Val(5.19)},
				{Label: "Others", N: 2, Note: "Not shown: fewer than 3 raters"},
				{Label: "All others", N: 11, Value: Val(4.31), Low: Val(3.95), High: Val(4.67)},
			}},
		)
	}

	rows := [][]string{}
	for i := range 45 {
		name := realNames[i%len(realNames)]
		rows = append(rows, []string{strconv.Itoa(i + 1), name,
			"Gives clear, specific feedback soon after the event; could ask more questions before offering a view.",
			strconv.FormatFloat(3+float64(i%5)*0.37, 'f', 2, 64)})
	}
	d.Add(
		Heading{Text: "Comment themes"},
		Table{Columns: []Column{{Header: "#", Width: 0.5, Numeric: true}, {Header: "Rater name", Width: 2}, {Header: "Comment theme", Width: 5}, {Header: "Score", Width: 1, Numeric: true}}, Rows: rows},
	)
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func writeSample(t *testing.T) string {
	t.Helper()
	return keep(t, "sample.pdf", renderSample(t))
}

// pageTexts runs pdftotext on each page, so a test can say what is on which page.
func pageTexts(t *testing.T, path string) []string {
	t.Helper()
	requireTool(t, "pdftotext")
	requireTool(t, "qpdf")
	out, err := exec.Command("qpdf", "--show-npages", path).Output()
	if err != nil {
		t.Fatalf("qpdf --show-npages: %v", err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	for p := 1; p <= n; p++ {
		out, err := exec.Command("pdftotext", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), "-layout", path, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext page %d: %v", p, err)
		}
		pages = append(pages, string(out))
	}
	return pages
}

// maxSampleSize guards font subsetting: the two embedded faces are 1.4 MB,
// and the sample is about 65 KB because gofpdf embeds only the glyphs used.
const maxSampleSize = 150_000

func TestSampleIsValidPDF(t *testing.T) {
	requireTool(t, "qpdf")
	path := writeSample(t)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() > maxSampleSize {
		t.Errorf("sample PDF is %d bytes, want at most %d: are the fonts still subset?", fi.Size(), maxSampleSize)
	}
	out, err := exec.Command("qpdf", "--check", path).CombinedOutput()
	if err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check:\n%s", out)
	}
}

func TestSampleText(t *testing.T) {
	path := writeSample(t)
	pages := pageTexts(t, path)
	all := strings.Join(pages, "\n")
	if len(pages) < 3 {
		t.Fatalf("sample has %d pages, want several (the table should continue)", len(pages))
	}

	for i, page := range pages {
		if want := fmt.Sprintf("Page %d of %d", i+1, len(pages)); !strings.Contains(page, want) {
			t.Errorf("page %d lacks footer %q", i+1, want)
		}
		for _, want := range []string{"Ngô Bảo Châu", "360° leadership report"} {
			if !strings.Contains(page, want) {
				t.Errorf("page %d lacks running header text %q", i+1, want)
			}
		}
	}
	for _, name := range realNames {
		if !strings.Contains(all, name) {
			t.Errorf("text lacks name %q", name)
		}
	}
	// Numbers beside the charts: radar table (including n/a), bar scores and
	// intervals with one decimal, cut at the scale's end (5.19 prints as
	// 5.0).
	for _, want := range []string{
		"4.50", "3.82", "2.96", "n/a", "Self: n/a",
		"(n=4)", "3.1–4.5", "4.0–5.0", "Not shown: fewer than 3 raters", textCI,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("text lacks %q", want)
		}
	}
}

// TestSampleLayout checks the pagination promises on the rendered text: a
// heading is on the same page as its chart, and a continued table repeats
// its header.
func TestSampleLayout(t *testing.T) {
	pages := pageTexts(t, writeSample(t))
	pageOf := func(s string) int {
		for i, p := range pages {
			if strings.Contains(p, s) {
				return i
			}
		}
		t.Fatalf("%q is on no page", s)
		return -1
	}
	for _, skill := range skills {
		heading := skill + " – scores by source"
		p := pageOf(heading)
		// The chart's column titles and last row come after the heading on the same page.
		rest := pages[p][strings.Index(pages[p], heading):]
		if !strings.Contains(rest, textCI) || !strings.Contains(rest, "(n=11)") {
			t.Errorf("heading %q is separated from its chart (page %d)", heading, p+1)
		}
	}
	if p := pageOf("Overview"); !strings.Contains(pages[p], "Emotional") {
		t.Errorf("radar is not on the page of its heading")
	}

	header := regexp.MustCompile(`#\s+Rater name\s+Comment theme\s+Score`)
	first := pageOf("Comment themes")
	continued := 0
	for i := first; i < len(pages); i++ {
		if !header.MatchString(pages[i]) {
			t.Errorf("page %d has table rows but no table header", i+1)
		}
		continued++
	}
	if continued < 2 {
		t.Errorf("the comment table fits on one page; make it longer to test header repetition")
	}
}

func TestDeterministic(t *testing.T) {
	a, b := renderSample(t), renderSample(t)
	if !bytes.Equal(a, b) {
		t.Fatalf("two renders of the same input differ (%d and %d bytes)", len(a), len(b))
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20250331170000")) {
		t.Errorf("fixed creation date not in the PDF")
	}
}

// TestHostileText feeds the primitives what a form can contain: text the
// font cannot draw, invalid UTF-8, control characters, and cells and
// paragraphs longer than a page. Nothing may panic or fail, and the output
// must still be a valid PDF.
func TestHostileText(t *testing.T) {
	long := strings.Repeat("Ünïcødé wörds and a very-long-unbreakable-"+strings.Repeat("x", 300)+" ", 200)
	hostile := "😀 \xff\xfe =cmd|' /C calc'!A0 <script>(unbalanced \\) \x00\x1b[31m 王 مرحبا עברית"
	d := New(Options{Title: hostile, Leader: long, Created: sampleCreated})
	d.Add(
		Heading{Text: hostile, Level: 1},
		Paragraph{Text: long},
		Callout{Title: hostile, Text: long},
		Table{Columns: []Column{{Header: hostile}, {Header: "", Width: 0}}, Rows: [][]string{{long, hostile, "extra cell"}, {}}},
		Radar{Axes: []string{hostile, "b", "c"}, Series: []Series{{Name: hostile, Values: []Num{Val(-3), Val(99)}}}},
		Radar{Axes: []string{"too few axes"}},
		Table{},
		Bars{Rows: []Bar{{Label: long, N: -1, Value: Val(7), Low: Val(9), High: Val(-2)}, {Label: hostile, Note: long}}},
	)
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		t.Fatal(err)
	}
	path := keep(t, "hostile.pdf", buf.Bytes())
	requireTool(t, "qpdf")
	if out, err := exec.Command("qpdf", "--check", path).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
}

// TestImports keeps the dependency arrows honest: reports draws documents
// and touches no database, HTTP or environment.
func TestImports(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{"gorm.io/", "github.com/labstack/echo", "net/http", "database/sql", "os/exec",
		"github.com/lead360/lead360/api", "github.com/lead360/lead360/cmd", "github.com/lead360/lead360/assessment/store"}
	for _, imp := range pkg.Imports {
		for _, f := range forbidden {
			if strings.HasPrefix(imp, f) {
				t.Errorf("reports imports %s", imp)
			}
		}
	}
}

func BenchmarkSample(b *testing.B) {
	b.ReportAllocs()
	var size int
	for b.Loop() {
		size = len(renderSample(b))
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}
