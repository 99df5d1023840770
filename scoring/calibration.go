package scoring

import (
	"fmt"

	"github.com/lead360/lead360/scoring/psychometrics"
)

// Calibration is the six Shrout & Fleiss (1979) intraclass correlations of
// a balanced calibration study, where the same raters rate every target
// (for example rater training on video cases; SCORING.md 4.3).
type Calibration struct {
	Targets int     `json:"targets"`
	Raters  int     `json:"raters"`
	MSB     float64 `json:"msb"`
	MSJ     float64 `json:"msj"`
	MSE     float64 `json:"mse"`
	MSW     float64 `json:"msw"`
	// V is the non-integer df of the ICC(2,1) interval, 0 when unavailable.
	V     float64          `json:"v"`
	Forms []CalibrationICC `json:"forms"` // ICC(1,1), ICC(2,1), ICC(3,1), ICC(1,k), ICC(2,k), ICC(3,k)
	// Reason is set (and Forms empty) with fewer than 2 targets or raters.
	Reason Reason `json:"reason,omitempty"`
}

// CalibrationICC is one form with its F test and 95% interval.
type CalibrationICC struct {
	Form  string   `json:"form"`
	Value Number   `json:"value"`
	F     Number   `json:"f"`
	DF1   int      `json:"df1"`
	DF2   int      `json:"df2"`
	P     Number   `json:"p"`
	CI    Interval `json:"ci95"`
}

// CalibrationICCs computes the six forms for ratings[target][rater]. It is
// separate from Score because a 360 cycle is not balanced (each leader has
// their own raters); unbalanced or missing data is refused with an error
// wrapping ErrInvalidInput.
func CalibrationICCs(ratings [][]float64) (Calibration, error) {
	s, err := psychometrics.ShroutFleiss(ratings)
	if err != nil {
		return Calibration{}, fmt.Errorf("%w: calibration ICC: %w", ErrInvalidInput, err)
	}
	c := Calibration{Targets: s.N, Raters: s.K, MSB: s.MSB, MSJ: s.MSJ, MSE: s.MSE, MSW: s.MSW, V: s.V, Forms: []CalibrationICC{}}
	if s.Reason != "" {
		c.Reason = reason(s.Reason)
		return c, nil
	}
	for _, f := range s.Forms() {
		ci := CalibrationICC{Form: f.Form, DF1: f.Test.DF1, DF2: f.Test.DF2}
		if f.Available() {
			ci.Value = num(f.Value)
		} else {
			ci.Value = notAvailable(reason(f.Reason))
		}
		if f.Test.Available() {
			ci.F, ci.P = num(f.Test.F), num(f.Test.P)
		} else {
			ci.F, ci.P = notAvailable(reason(f.Test.Reason)), notAvailable(reason(f.Test.Reason))
		}
		ci.CI = interval(f.CI, 0)
		c.Forms = append(c.Forms, ci)
	}
	return c, nil
}
