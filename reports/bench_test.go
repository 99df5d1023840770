package reports

import (
	"bytes"
	"fmt"
	"html"

	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lead360/lead360/scoring"
)

// BenchmarkLeader renders the demo leader's report (15 pages) with the
// embedded font. p50-ms is the median of the iterations.
func BenchmarkLeader(b *testing.B) {
	in := mayaReport(b)
	var buf bytes.Buffer
	var times []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		start := time.Now()
		if err := Leader(&buf, in); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	b.ReportMetric(median(times), "p50-ms")
	b.ReportMetric(float64(buf.Len()), "pdf-bytes")
}

func median(ts []time.Duration) float64 {
	s := slices.Clone(ts)
	slices.Sort(s)
	return float64(s[len(s)/2].Microseconds()) / 1000
}

// cycleReports scores a generated cycle of n leaders, each with three
// comments per question, and assembles their reports.
func cycleReports(tb testing.TB, n int) []LeaderReport {
	tb.Helper()
	in, _ := builtin(tb)
	rng := rand.New(rand.NewPCG(1000, 1))
	leaders := make([]genLeader, n)
	for i := range leaders {
		l := genLeader{id: fmt.Sprintf("lead-%05d", i), managers: 1, peers: 3 + rng.IntN(3), dirs: 3 + rng.IntN(6), notObserved: 0.05}
		for k := range l.levels {
			l.levels[k] = max(1.2, min(4.8, 3.4+rng.NormFloat64()*0.6))
			l.self[k] = max(1.2, min(4.8, l.levels[k]+0.3+rng.NormFloat64()*0.6))
		}
		leaders[i] = l
	}
	res := scoreCycle(tb, in, leaders, 1000)
	out := make([]LeaderReport, n)
	for i, l := range leaders {
		out[i] = report(tb, res, l.id, fmt.Sprintf("Leader %d", i), mayaComments, mayaSelfComments)
	}
	return out
}

// BenchmarkLeaders1000 renders 1,000 different leaders' reports on
// GOMAXPROCS goroutines, as `lead360 report --all` does. peak-MB is the
// largest Go runtime footprint (runtime/metrics total) seen while rendering,
// sampled every 5 ms; the inputs (the scored cycle, about 130 MB for
// 1,000 leaders) are part of it.
func BenchmarkLeaders1000(b *testing.B) {
	ins := cycleReports(b, 1000)
	// The same soft limit as `lead360 report --all` (cmd/lead360/report.go).
	if debug.SetMemoryLimit(-1) == math.MaxInt64 {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(250 << 20))
	}
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				runtime.ReadMemStats(&m)
				if v := m.Sys - m.HeapReleased; v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	b.ReportAllocs()
	for b.Loop() {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				var buf bytes.Buffer
				for {
					i := int(next.Add(1)) - 1
					if i >= len(ins) {
						return
					}
					buf.Reset()
					if err := Leader(&buf, ins[i]); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
	}
	close(stop)
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-MB")
}

// BenchmarkChromium prints the same report, written as HTML with inline SVG
// charts, to PDF with headless Chromium, which is how most tools make PDFs.
// Every run starts a fresh browser with a fresh profile, as a batch job
// without a browser pool would.
func BenchmarkChromium(b *testing.B) {
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		b.Skip("no chromium installed")
	}
	dir := b.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, []byte(htmlReport(mayaReport(b))), 0o644); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "report.pdf")
	var times []time.Duration
	n := 0
	for b.Loop() {
		n++
		profile := filepath.Join(dir, fmt.Sprintf("profile-%d", n))
		start := time.Now()
		cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir="+profile, "--no-pdf-header-footer", "--print-to-pdf="+out, "file://"+page)
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("chromium: %v\n%s", err, msg)
		}
		times = append(times, time.Since(start))
		os.RemoveAll(profile)
	}
	b.ReportMetric(median(times), "p50-ms")
	if fi, err := os.Stat(out); err == nil {
		b.ReportMetric(float64(fi.Size()), "pdf-bytes")
	}
}

// htmlReport writes the report's content as one HTML page: the same
// sections, tables, comments and suggestions, and SVG for the radar, the
// bars and the answer strips. It exists for the Chromium comparison.
func htmlReport(in LeaderReport) string {
	v := newLeaderView(in)
	var w strings.Builder
	e := html.EscapeString
	fmt.Fprintf(&w, `<!doctype html><html><head><meta charset="utf-8"><title>360° leadership report</title><style>
body{font-family:"DejaVu Sans",sans-serif;font-size:10pt;color:#212121;margin:0}
h1{font-size:16pt;page-break-before:always}h1.first{page-break-before:avoid;font-size:24pt}
h2{font-size:12.5pt}table{border-collapse:collapse;width:100%%;font-size:9pt}th{background:#ececec;text-align:left}
td,th{padding:3px 5px;border-bottom:1px solid #bebebe}td.n{text-align:right}blockquote{border-left:3px solid #bebebe;margin:6px 0;padding-left:10px}
.callout{background:#eaf0f6;border-left:4px solid #004488;padding:8px}.box{border:1px solid #bebebe;height:24mm;margin-bottom:8px}
@page{size:A4;margin:22mm 18mm 18mm 18mm}</style></head><body>`)
	fmt.Fprintf(&w, `<p>360° LEADERSHIP REPORT</p><h1 class="first">%s</h1><h2>%s</h2><p>%s<br>%s – %s</p>`,
		e(textCoverTitle), e(in.LeaderName), e(in.CycleName), date(in.OpensAt), date(in.ClosesAt))
	w.WriteString(`<h2>Who responded</h2><table><tr><th>Group</th><th>Responses</th></tr>`)
	for _, r := range v.responded() {
		fmt.Fprintf(&w, `<tr><td>%s</td><td>%s</td></tr>`, e(r[0]), e(r[1]))
	}
	w.WriteString(`</table><h1>How to read this report</h1>`)
	for _, p := range []string{"The scale: 1 Almost never to 5 Almost always.", "“All others” is everyone who rated you except yourself.",
		"Anonymity: groups are shown only with at least 3 raters.", "n and the 95% confidence interval.", "Gaps are perception gaps, not verdicts."} {
		fmt.Fprintf(&w, "<p>%s</p>", e(p))
	}
	fmt.Fprintf(&w, `<h1>Summary</h1><div class="callout"><b>Your focus</b><br>%s</div>`, e(in.Leader.Focus.Sentence))
	// Radar: two polygons on five axes.
	w.WriteString(`<svg width="300" height="260" viewBox="-130 -120 260 240">`)
	for ring := 1.0; ring <= 4; ring++ {
		w.WriteString(`<polygon fill="none" stroke="#d7d7d7" points="`)
		for i := range v.skills {
			a := -math.Pi/2 + 2*math.Pi*float64(i)/float64(len(v.skills))
			fmt.Fprintf(&w, "%.1f,%.1f ", 25*ring*math.Cos(a), 25*ring*math.Sin(a))
		}
		w.WriteString(`"/>`)
	}
	for k, col := range []string{"#004488", "#bb5566"} {
		fmt.Fprintf(&w, `<polygon fill="none" stroke="%s" stroke-width="2" points="`, col)
		for i, s := range v.skills {
			val := s.res.Gap.Self.Value
			if k == 1 {
				val = s.res.AllOthers.Mean.Value
			}
			a := -math.Pi/2 + 2*math.Pi*float64(i)/float64(len(v.skills))
			fmt.Fprintf(&w, "%.1f,%.1f ", 25*(val-1)*math.Cos(a), 25*(val-1)*math.Sin(a))
		}
		w.WriteString(`"/>`)
	}
	w.WriteString(`</svg><table><tr><th>Skill</th><th>You</th><th>All others</th><th>n</th><th>95% CI</th><th>Gap</th><th>Perception gap</th></tr>`)
	for _, s := range v.skills {
		fmt.Fprintf(&w, `<tr><td>%s</td><td class="n">%s</td><td class="n">%s</td><td class="n">%d</td><td class="n">%s</td><td class="n">%s</td><td>%s</td></tr>`,
			e(s.name), num(s.res.Gap.Self).format(), num(s.res.AllOthers.Mean).format(), s.res.AllOthers.N, ciText(s.res.AllOthers.CI), signed(num(s.res.Gap.Value)), flagText(s.res.Gap.Flag))
	}
	w.WriteString(`</table>`)
	for _, s := range v.skills {
		fmt.Fprintf(&w, `<h1>%s</h1><p>%s</p><svg width="600" height="%d">`, e(s.name), e(s.description), 24*(len(s.res.Groups)+1))
		for i, g := range append(slices.Clone(s.res.Groups), s.res.AllOthers) {
			fmt.Fprintf(&w, `<text x="0" y="%d" font-size="11">%s</text><rect x="150" y="%d" width="%.0f" height="12" fill="#bb5566"/><text x="520" y="%d" font-size="11">%s</text>`,
				24*i+14, e(groupLabel(g.Group)), 24*i+4, 80*(g.Mean.Value-1), 24*i+14, num(g.Mean).format())
		}
		w.WriteString(`</svg><table><tr><th>#</th><th>Behaviour</th><th>You</th><th>Others</th><th>n</th><th>95% CI</th><th>Gap</th><th>Answers</th><th>Flag</th></tr>`)
		for j, it := range s.items {
			fmt.Fprintf(&w, `<tr><td>%d</td><td>%s</td><td class="n">%s</td><td class="n">%s</td><td class="n">%d</td><td class="n">%s</td><td class="n">%s</td><td><svg width="90" height="10">`,
				j+1, e(v.items[it.Item].text), num(it.Gap.Self).format(), num(it.AllOthers.Mean).format(), it.AllOthers.N, ciText(it.AllOthers.CI), signed(num(it.Gap.Value)))
			if d := it.AllOthers.Distribution; d != nil {
				x, total := 0.0, 0
				for _, c := range d.Counts {
					total += int(c)
				}
				for k, c := range d.Counts {
					wd := 90 * float64(c) / float64(max(total, 1))
					fmt.Fprintf(&w, `<rect x="%.1f" width="%.1f" height="10" fill="rgb(%d,%d,%d)"/>`, x, wd, colAnswers[k].r, colAnswers[k].g, colAnswers[k].b)
					x += wd
				}
			}
			fmt.Fprintf(&w, `</svg></td><td>%s</td></tr>`, flagText(it.Gap.Flag))
		}
		w.WriteString(`</table>`)
	}
	w.WriteString(`<h1>` + e(secGaps) + `</h1><table>`)
	for _, it := range in.Leader.Items {
		if it.Gap.Flag == scoring.FlagBlindSpot || it.Gap.Flag == scoring.FlagHiddenStrength {
			fmt.Fprintf(&w, `<tr><td>%s</td><td>%s</td><td class="n">%s</td></tr>`, e(v.items[it.Item].text), flagText(it.Gap.Flag), signed(num(it.Gap.Value)))
		}
	}
	w.WriteString(`</table><h1>` + e(secComments) + `</h1>`)
	for _, g := range append(slices.Clone(in.Comments), in.SelfComments...) {
		fmt.Fprintf(&w, `<h3>%s</h3>`, e(g.Question))
		for _, body := range g.Bodies {
			fmt.Fprintf(&w, `<blockquote>%s</blockquote>`, e(body))
		}
	}
	w.WriteString(`<h1>` + e(secIdeas) + `</h1>`)
	for _, key := range v.ideaSkills() {
		sg, _ := in.Suggestions.For(key)
		fmt.Fprintf(&w, `<h2>%s</h2><p>%s</p>`, e(v.skillName(key)), e(sg.Why))
		for _, bh := range sg.Behaviours {
			fmt.Fprintf(&w, `<h3>%s</h3><p>%s</p><p><small>Practise it in: %s<br>Ask for feedback: %s</small></p>`, e(bh.Title), e(bh.How), e(bh.PractiseIn), e(bh.AskForFeedback))
		}
	}
	w.WriteString(`<h1>` + e(secPlan) + `</h1>`)
	for _, p := range []string{"The one skill", "The one behaviour", "The next real situation", "Who to ask for feedback", "When to check progress"} {
		fmt.Fprintf(&w, `<p><b>%s</b></p><div class="box"></div>`, p)
	}
	w.WriteString(`</body></html>`)
	return w.String()
}
