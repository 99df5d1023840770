package scoring

import "github.com/lead360/lead360/scoring/psychometrics"

// mean is the plain mean, summed in order: the one definition of every
// group mean, so the same raters always give the same bits.
func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func reason(r psychometrics.Reason) Reason { return Reason(r) }

func estimate(e psychometrics.Estimate) Number {
	if !e.Available() {
		return notAvailable(reason(e.Reason))
	}
	return num(e.Value)
}

func interval(i psychometrics.Interval, df int) Interval {
	if !i.Available() {
		return Interval{Reason: reason(i.Reason)}
	}
	return Interval{Lower: i.Lower, Upper: i.Upper, DF: df}
}
