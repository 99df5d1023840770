package assessment

import (
	"math"
	"time"
)

// Pace is how fast a cycle's raters have been answering: the share of the
// surveys still to submit that get submitted per day. It treats each
// invitation as answered after a waiting time with a constant daily rate,
// estimated from the whole cycle so far (the number of submissions over
// the days that invitations have been waiting, answered or not). One rate
// for the cycle, never per leader or group: a leader's few raters give no
// estimate worth the name, and the cycle's rate reveals nobody.
type Pace struct {
	// PerDay is the estimated rate; valid only when Known.
	PerDay float64
	// Known is false in the cycle's first day, when no rate can be
	// estimated yet.
	Known bool
}

// paceAfter is how long a cycle runs before its pace is estimated: within
// the first day, the morning's answers say little about the week.
const paceAfter = 24 * time.Hour

// CyclePace estimates the pace of a cycle that opened at opens, at now,
// from the moments its surveys were submitted and how many are still
// waiting.
func CyclePace(opens, now time.Time, submitted []time.Time, waiting int) Pace {
	if now.Sub(opens) < paceAfter {
		return Pace{}
	}
	days := func(d time.Duration) float64 { return max(0, d.Hours()/24) }
	exposure := float64(waiting) * days(now.Sub(opens))
	for _, t := range submitted {
		exposure += days(t.Sub(opens))
	}
	if exposure == 0 {
		return Pace{}
	}
	return Pace{PerDay: float64(len(submitted)) / exposure, Known: true}
}

// Expected is how many answers a group would have by the close date, left
// from now, at this pace: those submitted, plus the share of the reachable
// waiting invitations (sent, not failed) that the pace answers in that time.
func (p Pace) Expected(submitted, reachable int, left time.Duration) float64 {
	if !p.Known || left <= 0 {
		return float64(submitted)
	}
	answered := 1 - math.Exp(-p.PerDay*left.Hours()/24)
	return float64(submitted) + float64(reachable)*answered
}

// DailyShare is the share of the surveys waiting at the start of a day that
// are submitted by its end, at this pace: the rate in words a person reads.
func (p Pace) DailyShare() float64 {
	if !p.Known {
		return 0
	}
	return 1 - math.Exp(-p.PerDay)
}
