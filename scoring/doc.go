// Package scoring turns the ratings of one closed cycle into everything a
// lead360 report, export or API may show: per-leader group means with their
// n, SD, 95% interval and distribution, self-other gaps and flags, agreement
// (r_wg), the focus skill, skill-interplay insights and trends; and per
// cohort Cronbach's alpha, ICC(1)/ICC(2), self-other agreement categories, a
// heatmap and percentiles.
//
// Score is the entry point. It applies the anonymity rules of SCORING.md 2
// once, in disclose, before any figure is computed; every number in a Result
// comes from what disclose lets through (TRUST.md rules 1, 2 and 7).
//
// The package is pure: plain structs in and out, no I/O, no clock, no
// mutable globals, results independent of input order, no rounding.
// Undefined figures are Number or Interval values with a Reason, never 0 or
// NaN. The statistics themselves live in scoring/psychometrics. The rules
// this package chose are in docs/scoring.md.
package scoring
