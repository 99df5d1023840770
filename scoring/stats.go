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

// reason maps a psychometrics reason to the engine's code of the same name.
func reason(r psychometrics.Reason) Reason {
	switch r {
	case "":
		return 0
	case psychometrics.ReasonTooFew:
		return ReasonTooFew
	case psychometrics.ReasonTooFewItems:
		return ReasonTooFewItems
	case psychometrics.ReasonZeroVariance:
		return ReasonZeroVariance
	case psychometrics.ReasonZeroDenominator:
		return ReasonZeroDenominator
	}
	panic("scoring: psychometrics reason " + string(r) + " has no engine code")
}

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
