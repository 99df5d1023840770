// Package psychometrics holds the statistics behind a lead360 report: the
// confidence interval of a group mean, within-group agreement (r_wg, r_wg(J)),
// internal consistency (Cronbach's alpha), intraclass correlations, the
// cohort-level self-other agreement typology and percentile ranks for internal
// norms. The formulas and their sources are in the scoring specification (SCORING.md), sections 3.3,
// 4 and 5; each function names the section it implements.
//
// The package is pure: float64 in, plain structs out, no I/O, no globals, no
// rounding (rounding is presentation). It imports only the standard library
// and gonum's distuv for t and F quantiles.
//
// Two kinds of failure are kept apart on purpose:
//
//   - An error means the caller passed something that can never be scored: a
//     ragged or unbalanced matrix, an infinite value, a rating outside 1..A, a
//     bad configuration value. It is a bug upstream, not a property of the data.
//   - A non-empty Reason means the input is valid but the statistic is not
//     defined for it (too few raters, zero variance in a denominator). The
//     report shows "not available" with that reason. Numeric fields of an
//     unavailable result are left at zero and must not be shown; no result
//     ever carries NaN or an infinity.
//
// Matrices are row-major: one row per response (rater), one column per item.
// Where missing answers are allowed, math.NaN() marks them; the doc comment
// of each function says whether it accepts them.
package psychometrics
