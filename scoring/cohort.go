package scoring

import (
	"fmt"
	"math"
	"slices"

	"github.com/lead360/lead360/scoring/psychometrics"
)

// cohortStats computes the cohort statistics of every skill from the
// leaders' views, so they rest on exactly the raters the reports show. Only
// leaders whose all-others is reportable for the skill take part: their
// counted raters other than self (manager included) give the ICC groups and
// the alpha rows, and their S and O the self-other agreement categories.
// It also returns each leader's O per skill (NaN where not reportable).
func cohortStats(views []view, inst *instrument, set Settings) (Cohort, [][]float64, error) {
	c := Cohort{
		Leaders: len(views),
		Skills:  make([]CohortSkill, len(inst.skills)),
		Heatmap: Heatmap{Skills: make([]string, len(inst.skills)), Rows: make([]HeatmapRow, len(views))},
	}
	others := make([][]float64, len(views)) // [leader][skill]
	for li := range views {
		others[li] = make([]float64, len(inst.skills))
		c.Heatmap.Rows[li] = HeatmapRow{ParticipantID: views[li].participant, Others: make([]Number, len(inst.skills))}
	}
	for si, sk := range inst.skills {
		c.Heatmap.Skills[si] = sk.key
		cs := &c.Skills[si]
		cs.Skill = sk.key
		J := sk.end - sk.first
		var groups [][]float64
		var rows [][]float64
		var self, oth []float64
		var soaIDs []string
		for li := range views {
			u := &views[li].skills[si]
			if !u.reportable {
				others[li][si] = math.NaN()
				c.Heatmap.Rows[li].Others[si] = notAvailable(ReasonBelowThreshold)
				continue
			}
			ms := u.others()
			xs := ms.scores
			cells := make([]float64, ms.len()*J)
			for i, answers := range ms.rows {
				row := cells[i*J : (i+1)*J]
				for j, v := range answers {
					if v > 0 {
						row[j] = float64(v)
					} else {
						row[j] = math.NaN()
					}
				}
				rows = append(rows, row)
			}
			groups = append(groups, xs)
			o := mean(xs)
			others[li][si] = o
			c.Heatmap.Rows[li].Others[si] = num(o)
			if u.hasSelf {
				self = append(self, u.self)
				oth = append(oth, o)
				soaIDs = append(soaIDs, views[li].participant)
			}
		}
		var err error
		if cs.ICC, err = icc(groups); err != nil {
			return Cohort{}, nil, fmt.Errorf("skill %q: ICC: %w", sk.key, err)
		}
		if cs.Alpha, err = alpha(rows, inst.items[sk.first:sk.end], set.AlphaMinRows); err != nil {
			return Cohort{}, nil, fmt.Errorf("skill %q: alpha: %w", sk.key, err)
		}
		if cs.SelfOther, err = selfOther(self, oth, soaIDs, set.CohortMinLeaders); err != nil {
			return Cohort{}, nil, fmt.Errorf("skill %q: self-other agreement: %w", sk.key, err)
		}
	}
	return c, others, nil
}

func icc(groups [][]float64) (ICC, error) {
	r, err := psychometrics.OneWayICC(groups)
	if err != nil {
		return ICC{}, err
	}
	out := ICC{Leaders: r.Groups, N: r.N, KBar: r.KBar, DF1: r.Test.DF1, DF2: r.Test.DF2}
	if r.Reason != "" {
		why := notAvailable(reason(r.Reason))
		out.F, out.P, out.ICC1, out.ICC2 = why, why, why, why
		return out, nil
	}
	if r.Test.Available() {
		out.F, out.P = num(r.Test.F), num(r.Test.P)
	} else {
		out.F, out.P = notAvailable(reason(r.Test.Reason)), notAvailable(reason(r.Test.Reason))
	}
	out.ICC1, out.ICC2 = estimate(r.ICC1), estimate(r.ICC2)
	return out, nil
}

func alpha(rows [][]float64, items []cItem, minRows int) (Alpha, error) {
	if len(rows) == 0 {
		// CronbachAlpha needs the width of the matrix; with no rows there
		// is nothing to report.
		out := Alpha{Value: notAvailable(ReasonTooFew), K: len(items), CI: Interval{Reason: ReasonTooFew}, IfItemDeleted: []ItemAlpha{}}
		for _, it := range items {
			out.IfItemDeleted = append(out.IfItemDeleted, ItemAlpha{Item: it.key, Value: notAvailable(ReasonTooFew)})
		}
		return out, nil
	}
	a, err := psychometrics.CronbachAlpha(rows, minRows)
	if err != nil {
		return Alpha{}, err
	}
	out := Alpha{N: a.N, RowsDropped: a.RowsDropped, K: a.K, DF1: a.DF1, DF2: a.DF2, IfItemDeleted: make([]ItemAlpha, len(items))}
	if a.Reason != "" {
		out.Value, out.CI = notAvailable(reason(a.Reason)), Interval{Reason: reason(a.Reason)}
		for i, it := range items {
			out.IfItemDeleted[i] = ItemAlpha{Item: it.key, Value: notAvailable(reason(a.Reason))}
		}
		return out, nil
	}
	out.Value = num(a.Alpha)
	// The Feldt interval has two df; Interval carries the first, the second
	// is Alpha.DF2.
	out.CI = interval(a.CI, a.DF1)
	for i, it := range items {
		out.IfItemDeleted[i] = ItemAlpha{Item: it.key, Value: estimate(a.IfItemDeleted[i])}
	}
	return out, nil
}

func selfOther(self, others []float64, ids []string, minCohort int) (SelfOther, error) {
	r, err := psychometrics.SelfOtherAgreementCategories(self, others, minCohort)
	if err != nil {
		return SelfOther{}, err
	}
	out := SelfOther{N: r.N, Leaders: []SelfOtherRow{}}
	if r.Reason != "" {
		why := notAvailable(ReasonCohortTooSmall)
		out.MeanD, out.SDD, out.Upper, out.Lower, out.MeanOthers = why, why, why, why, why
		return out, nil
	}
	out.MeanD, out.SDD, out.Upper, out.Lower, out.MeanOthers = num(r.MeanD), num(r.SDD), num(r.Upper), num(r.Lower), num(r.MeanOthers)
	out.Leaders = make([]SelfOtherRow, len(r.Leaders))
	for i, l := range r.Leaders {
		out.Leaders[i] = SelfOtherRow{ParticipantID: ids[i], Self: l.Self, Others: l.Others, D: l.D, FourGroup: l.FourGroup(), SixGroup: l.SixGroup()}
	}
	return out, nil
}

// percentiles fills each leader's percentile per skill: the mid-rank
// percentile of their O among the O of every leader (themself included)
// whose all-others is reportable, when there are at least the cohort
// minimum of them.
func percentiles(leaders []Leader, others [][]float64, nSkills, minCohort int) error {
	for si := range nSkills {
		var cohort []float64
		for li := range leaders {
			if o := others[li][si]; !math.IsNaN(o) {
				cohort = append(cohort, o)
			}
		}
		rank := newRanker(cohort)
		for li := range leaders {
			sk := &leaders[li].Skills[si]
			o := others[li][si]
			switch {
			case math.IsNaN(o):
				sk.Percentile = notAvailable(ReasonBelowThreshold)
			case len(cohort) < minCohort:
				sk.Percentile, sk.PercentileN = notAvailable(ReasonCohortTooSmall), len(cohort)
			default:
				sk.Percentile, sk.PercentileN = num(rank.percentile(o)), len(cohort)
			}
		}
	}
	return nil
}

// ranker gives psychometrics.PercentileRank's answer, bit for bit, from a
// sorted copy of the cohort: one binary search per leader instead of a scan
// of the whole cohort, which for 10,000 leaders is the difference between
// 10^4 and 10^8 comparisons per skill. TestRankerMatchesPsychometrics
// checks it against PercentileRank; see docs/scoring.md, "Deviations".
type ranker struct{ sorted []float64 }

func newRanker(cohort []float64) ranker {
	s := slices.Clone(cohort)
	slices.Sort(s)
	return ranker{s}
}

func (r ranker) percentile(v float64) float64 {
	n := len(r.sorted)
	// PercentileRank's classes: tie if |x-v| <= 1e-9, else below if x < v,
	// else above. Both "below" and "not above" are monotone in sorted x.
	below, _ := slices.BinarySearchFunc(r.sorted, v, func(x, v float64) int {
		if math.Abs(x-v) > guard && x < v {
			return -1
		}
		return 1
	})
	notAbove, _ := slices.BinarySearchFunc(r.sorted, v, func(x, v float64) int {
		if math.Abs(x-v) > guard && x > v {
			return 1
		}
		return -1
	})
	ties := notAbove - below
	return 100 * (float64(below) + float64(ties)/2) / float64(n)
}
