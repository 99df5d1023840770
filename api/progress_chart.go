package api

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/lead360/lead360/assessment"
)

// The progress page's "surveys submitted per day": a server-drawn bar
// chart of the whole cycle's submissions (never a leader's or a group's),
// with the same figures in a table beside it.

// dailyView is the chart and its table.
type dailyView struct {
	Chart   template.HTML
	Summary string
	Days    []dayView
}

type dayView struct {
	Day              string
	Submitted, SoFar int
}

// Chart geometry, in SVG user units: the viewBox scales to the page.
const (
	chartWidth  = 400.0
	chartHeight = 160.0
	chartBase   = 130.0 // the bars' baseline; the day labels sit below it
	chartTop    = 16.0
)

// newDailyView draws days; nil when the cycle has no day yet.
func newDailyView(days []assessment.DayCount) *dailyView {
	if len(days) == 0 {
		return nil
	}
	v := &dailyView{Days: make([]dayView, len(days))}
	busiest := days[0]
	for i, d := range days {
		v.Days[i] = dayView{Day: d.Day.Format("Mon 2 Jan"), Submitted: d.Submitted, SoFar: d.SoFar}
		if d.Submitted > busiest.Submitted {
			busiest = d
		}
	}
	last := days[len(days)-1]
	v.Summary = fmt.Sprintf("%d submitted over %d day%s", last.SoFar, len(days), plural(len(days)))
	if busiest.Submitted > 0 {
		v.Summary += fmt.Sprintf("; the most on %s (%d)", busiest.Day.Format("2 January"), busiest.Submitted)
	}
	v.Chart = dailySVG(days, busiest.Submitted, v.Summary)
	return v
}

// dailySVG draws one bar per day, labelling the first day, the last and
// about every seventh between them.
func dailySVG(days []assessment.DayCount, most int, summary string) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %.0f %.0f" class="daily-chart" role="img" aria-labelledby="daily-chart-title daily-chart-desc">`, chartWidth, chartHeight)
	fmt.Fprintf(&b, `<title id="daily-chart-title">Surveys submitted per day</title><desc id="daily-chart-desc">%s</desc>`, svgText(summary))
	slot := chartWidth / float64(len(days))
	// Bars at most 36 units wide: a cycle's first day is one bar, not a
	// block.
	bar := min(max(slot*0.7, 1), 36)
	fmt.Fprintf(&b, `<line x1="0" y1="%.1f" x2="%.0f" y2="%.1f" stroke="%s" stroke-width="1"/>`, chartBase, chartWidth, chartBase, svgGrid)
	step := max(1, (len(days)+5)/7)
	for i, d := range days {
		x := float64(i)*slot + (slot-bar)/2
		if d.Submitted > 0 {
			h := (chartBase - chartTop) * float64(d.Submitted) / float64(max(most, 1))
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x, chartBase-h, bar, h, svgSelf)
			if slot >= 20 {
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="13" text-anchor="middle" fill="%s">%d</text>`, x+bar/2, chartBase-h-3, svgInk, d.Submitted)
			}
		}
		if i == 0 || i == len(days)-1 || i%step == 0 && len(days)-1-i >= step/2 {
			anchor := "middle"
			switch i {
			case 0:
				anchor = "start"
			case len(days) - 1:
				anchor = "end"
			}
			lx := map[string]float64{"start": x, "middle": x + bar/2, "end": x + bar}[anchor]
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="13" text-anchor="%s" fill="%s">%s</text>`, lx, chartBase+18, anchor, svgMuted, d.Day.Format("2 Jan"))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // #nosec G203 -- numbers and our own date formats; svgText escapes the summary
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
