package api

import (
	"html/template"
	"strings"
	"time"
	_ "time/tzdata" // browsers name IANA zones; a server image may have no zoneinfo

	"github.com/lead360/lead360/assessment"
)

// Times are stored in UTC and shown in the viewer's zone. Moment renders
// <time datetime="...Z">UTC text</time>: the text is the fallback without
// JavaScript, and static/localtime.js rewrites it in the browser's zone.
// Forms take a datetime-local value plus the browser's zone in a hidden
// "tz" field that static/time.js fills (UTC without JavaScript).

// Moment is an instant for a page: {{.ClosesAt.HTML}}.
type Moment time.Time

// HTML is the <time> element; a zero time reads as a dash.
func (m Moment) HTML() template.HTML {
	t := time.Time(m)
	if t.IsZero() {
		return "—"
	}
	t = t.UTC()
	// Both strings come from time formatting, never from user input.
	return template.HTML(`<time datetime="` + t.Format(time.RFC3339) + `">` + t.Format("2 Jan 2006, 15:04 UTC") + `</time>`)
}

// Time is the instant itself.
func (m Moment) Time() time.Time { return time.Time(m) }

// localInputLayout is the value format of <input type="datetime-local">.
const localInputLayout = "2006-01-02T15:04"

// inputValue is t as a datetime-local value in UTC, for a form built from
// stored data (time.js moves it into the browser's zone).
func inputValue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(localInputLayout)
}

// utcAttr is t for a data-utc attribute, which tells time.js the instant.
func utcAttr(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// parseLocalTime reads a datetime-local value in the named zone (empty or
// unknown means UTC: what the page said without JavaScript). A problem is
// a message for the field.
func parseLocalTime(value, zone string) (time.Time, string) {
	value = strings.TrimSpace(value)
	if value == "" {
		return time.Time{}, ""
	}
	loc := time.UTC
	if zone = strings.TrimSpace(zone); zone != "" && zone != "UTC" && len(zone) < 64 {
		if l, err := time.LoadLocation(zone); err == nil {
			loc = l
		}
	}
	for _, layout := range []string{localInputLayout, "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, value, loc); err == nil {
			return t.UTC(), ""
		}
	}
	return time.Time{}, "Enter a date and time like 2026-03-31 17:00."
}

// zoneLabel is the zone a form's times are read in, for its hint.
func zoneLabel(zone string) string {
	if zone == "" {
		return "UTC"
	}
	if _, err := time.LoadLocation(zone); err != nil || len(zone) >= 64 {
		return "UTC"
	}
	return zone
}

// cycleStatusLabel is a cycle status as a word on a badge; the word carries the
// meaning, so colour is never needed to read it.
func cycleStatusLabel(s assessment.CycleStatus) string {
	switch s {
	case assessment.StatusDraft:
		return "Draft"
	case assessment.StatusOpen:
		return "Open"
	case assessment.StatusClosed:
		return "Closed"
	case assessment.StatusReleased:
		return "Released"
	}
	return string(s)
}
