package scoring

import (
	"fmt"
	"math"
	"slices"

	"github.com/lead360/lead360/scoring/psychometrics"
)

// cohortLeader is what the cohort statistics need of one leader's view:
// per skill, the figures of a reportable all-others and the answers of its
// complete groups, and the self score. It is a copy, so the view (and its
// scratch) can go.
type cohortLeader struct {
	participant string
	skills      []cohortSkill // instrument order
}

type cohortSkill struct {
	reportable, hasSelf bool
	self                float64
	// others is the leader's all-others n, mean and SD, exactly as their
	// report shows them (skillMeanCI): through the mean, the heatmap,
	// percentiles and self-other agreement, and the ICC's group when
	// balanced, i.e. when the SD is that of the raters' skill scores.
	others   psychometrics.GroupSummary
	balanced bool
	// cells are the answers to the skill's J items, row-major (n x J), of
	// the members of the leader's complete groups: shown groups (the
	// managers included) whose every member shows an answer to every item.
	// The rows are sorted, so their order says nothing about who gave
	// them. dropped counts the other members of all others. Both are empty
	// when the skill is not reportable.
	cells   []int8
	dropped int
}

// summarize copies from a view what cohortStats reads, in two allocations.
//
// Alpha takes whole groups or nothing: a listwise-complete subset of a
// group is the group minus its members who skipped an item, so figures of
// the subset, subtracted from the item tables, would give the skipper's
// answers away (docs/scoring.md, "Cohort").
func summarize(v *view, inst *instrument) (cohortLeader, error) {
	out := cohortLeader{participant: v.participant, skills: make([]cohortSkill, len(inst.skills))}
	nCells := 0
	for si, sk := range inst.skills {
		if u := &v.skills[si]; u.reportable {
			nCells += u.members.len() * (sk.end - sk.first)
		}
	}
	cells := make([]int8, 0, nCells)
	var (
		totals []int64
		counts []int32
		rows   [][]int8
	)
	for si := range inst.skills {
		u := &v.skills[si]
		cs := cohortSkill{reportable: u.reportable, hasSelf: u.hasSelf, self: u.self}
		if u.reportable {
			ms := u.others()
			counts = grow(&counts, inst.A)
			answerCounts(ms.rows, counts)
			e, basis, err := skillMeanCI(ms.rows, counts, &totals)
			if err != nil {
				return cohortLeader{}, fmt.Errorf("leader %q, skill %q: %w", v.participant, inst.skills[si].key, err)
			}
			cs.others = psychometrics.GroupSummary{N: e.N, Mean: e.Mean, SD: e.SD}
			cs.balanced = basis == BasisRaters
			rows = rows[:0]
			for g := gManager; g < numGroups; g++ {
				if grp := u.group(g); complete(grp.rows) {
					rows = append(rows, grp.rows...)
				} else {
					cs.dropped += grp.len()
				}
			}
			slices.SortFunc(rows, slices.Compare)
			b := len(cells)
			for _, row := range rows {
				cells = append(cells, row...)
			}
			cs.cells = cells[b:len(cells):len(cells)]
		}
		out.skills[si] = cs
	}
	return out, nil
}

// complete reports whether every row shows an answer to every item.
func complete(rows [][]int8) bool {
	for _, row := range rows {
		for _, c := range row {
			if c <= 0 {
				return false
			}
		}
	}
	return true
}

// cohortStats computes the cohort statistics of every skill from what
// summarize kept of each leader, so they rest on exactly the raters the
// reports show and disclose nothing those reports do not (docs/scoring.md,
// "Cohort"). Only leaders whose all-others is reportable for the skill take
// part: the n, mean and SD of their all-others make the ICC when its SD is
// that of the raters' skill scores (balanced), the rows of their complete
// groups the alpha, and their S and O the self-other agreement categories.
// It also returns each leader's O per skill (NaN where not reportable).
func cohortStats(leaders []cohortLeader, inst *instrument, set Settings) (Cohort, [][]float64, error) {
	nS := len(inst.skills)
	c := Cohort{
		Leaders: len(leaders),
		Skills:  make([]CohortSkill, nS),
		Heatmap: Heatmap{Skills: make([]string, nS), Rows: make([]HeatmapRow, len(leaders))},
	}
	others := make([][]float64, len(leaders)) // [leader][skill]
	oSlab := make([]float64, len(leaders)*nS)
	hSlab := make([]Number, len(leaders)*nS)
	for li := range leaders {
		others[li] = oSlab[li*nS : (li+1)*nS : (li+1)*nS]
		c.Heatmap.Rows[li] = HeatmapRow{ParticipantID: leaders[li].participant, Others: hSlab[li*nS : (li+1)*nS : (li+1)*nS]}
	}
	// The buffers are sized for the largest skill and reused from skill to
	// skill: the psychometrics functions keep no reference to them. They
	// are made here rather than in a constructor because the compiler keeps
	// a small slice that does not escape on the stack: a one-leader Score
	// then allocates none of them.
	maxCells, maxRows, maxGroups := cohortSkillSizes(leaders, inst)
	cells := make([]float64, maxCells) // backs d.rows
	d := cohortSkillData{
		rows:   make([][]float64, 0, maxRows),
		groups: make([]psychometrics.GroupSummary, 0, maxGroups),
		self:   make([]float64, 0, maxGroups),
		oth:    make([]float64, 0, maxGroups),
		soaIDs: make([]string, 0, maxGroups),
	}
	for si, sk := range inst.skills {
		c.Heatmap.Skills[si] = sk.key
		cs := &c.Skills[si]
		cs.Skill = sk.key
		d = d.gather(leaders, si, sk.end-sk.first, cells, others, c.Heatmap.Rows)
		var err error
		if cs.ICC, err = icc(d.groups); err != nil {
			return Cohort{}, nil, fmt.Errorf("skill %q: ICC: %w", sk.key, err)
		}
		if cs.Alpha, err = alpha(d.rows, d.dropped, inst.items[sk.first:sk.end], set.AlphaMinRows); err != nil {
			return Cohort{}, nil, fmt.Errorf("skill %q: alpha: %w", sk.key, err)
		}
		if cs.SelfOther, err = selfOther(d.self, d.oth, d.soaIDs, set.CohortMinLeaders); err != nil {
			return Cohort{}, nil, fmt.Errorf("skill %q: self-other agreement: %w", sk.key, err)
		}
	}
	return c, others, nil
}

// cohortSkillData is what the cohort statistics of one skill are computed
// from, gathered from the leaders whose all-others is reportable for it.
type cohortSkillData struct {
	rows    [][]float64 // complete rows of answers, for alpha
	dropped int         // all-others rows held back from alpha
	// groups are the all-others summaries whose SD is that of the raters'
	// skill scores, for the ICC.
	groups []psychometrics.GroupSummary
	// self and oth are the S and O of the leaders with a self score, and
	// soaIDs their ids, for self-other agreement.
	self, oth []float64
	soaIDs    []string
}

// cohortSkillSizes returns the largest number of cells, rows and leaders
// any one skill gives cohortSkillData.
func cohortSkillSizes(leaders []cohortLeader, inst *instrument) (maxCells, maxRows, maxGroups int) {
	for si, sk := range inst.skills {
		nRows, nGroups := 0, 0
		for li := range leaders {
			if l := &leaders[li].skills[si]; l.reportable {
				nRows += len(l.cells) / (sk.end - sk.first)
				nGroups++
			}
		}
		maxCells = max(maxCells, nRows*(sk.end-sk.first))
		maxRows, maxGroups = max(maxRows, nRows), max(maxGroups, nGroups)
	}
	return maxCells, maxRows, maxGroups
}

// gather returns d refilled, in its own buffers (the rows in cells), from
// skill si (of J items) of every leader, and records each leader's O for
// the skill in others and the heatmap rows (NaN and not available where
// their all-others is not reportable). d is passed and returned by value,
// and cells apart, so that d's buffers do not escape (see cohortStats).
func (d cohortSkillData) gather(leaders []cohortLeader, si, J int, cells []float64, others [][]float64, heatmap []HeatmapRow) cohortSkillData {
	rows, groups, self, oth, soaIDs := d.rows[:0], d.groups[:0], d.self[:0], d.oth[:0], d.soaIDs[:0]
	off, dropped := 0, 0
	for li := range leaders {
		l := &leaders[li].skills[si]
		if !l.reportable {
			others[li][si] = math.NaN()
			heatmap[li].Others[si] = notAvailable(ReasonBelowThreshold)
			continue
		}
		// Only complete rows are kept: every cell is an answer.
		for i := range len(l.cells) / J {
			row := cells[off : off+J : off+J]
			off += J
			for j, v := range l.cells[i*J : (i+1)*J] {
				row[j] = float64(v)
			}
			rows = append(rows, row)
		}
		dropped += l.dropped
		// An SD of answers is not a spread of rater scores: mixing the
		// two would make the ANOVA's within-leader term mean nothing.
		if l.balanced {
			groups = append(groups, l.others)
		}
		o := l.others.Mean
		others[li][si] = o
		heatmap[li].Others[si] = num(o)
		if l.hasSelf {
			self = append(self, l.self)
			oth = append(oth, o)
			soaIDs = append(soaIDs, leaders[li].participant)
		}
	}
	d.rows, d.groups, d.self, d.oth, d.soaIDs, d.dropped = rows, groups, self, oth, soaIDs, dropped
	return d
}

func icc(groups []psychometrics.GroupSummary) (ICC, error) {
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

// alpha is Cronbach's alpha of the rows; dropped counts the all-others rows
// held back (members of a group that is not complete), reported with the
// rows CronbachAlpha itself drops.
func alpha(rows [][]float64, dropped int, items []cItem, minRows int) (Alpha, error) {
	if len(rows) == 0 {
		// CronbachAlpha needs the width of the matrix; with no rows there
		// is nothing to report.
		out := Alpha{Value: notAvailable(ReasonTooFew), RowsDropped: dropped, K: len(items), CI: Interval{Reason: ReasonTooFew}, IfItemDeleted: []ItemAlpha{}}
		for _, it := range items {
			out.IfItemDeleted = append(out.IfItemDeleted, ItemAlpha{Item: it.key, Value: notAvailable(ReasonTooFew)})
		}
		return out, nil
	}
	a, err := psychometrics.CronbachAlpha(rows, minRows)
	if err != nil {
		return Alpha{}, err
	}
	out := Alpha{N: a.N, RowsDropped: a.RowsDropped + dropped, K: a.K, DF1: a.DF1, DF2: a.DF2, IfItemDeleted: make([]ItemAlpha, len(items))}
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
// minimum of them (psychometrics.PercentileRanks: PercentileRank of every
// member in one sort).
func percentiles(leaders []Leader, others [][]float64, nSkills, minCohort int) error {
	cohort := make([]float64, 0, len(leaders))
	member := make([]int, 0, len(leaders))
	for si := range nSkills {
		cohort, member = cohort[:0], member[:0]
		for li := range leaders {
			if o := others[li][si]; !math.IsNaN(o) {
				cohort = append(cohort, o)
				member = append(member, li)
			} else {
				leaders[li].Skills[si].Percentile = notAvailable(ReasonBelowThreshold)
			}
		}
		if len(cohort) < minCohort {
			for _, li := range member {
				sk := &leaders[li].Skills[si]
				sk.Percentile, sk.PercentileN = notAvailable(ReasonCohortTooSmall), len(cohort)
			}
			continue
		}
		ranks, err := psychometrics.PercentileRanks(cohort)
		if err != nil {
			return fmt.Errorf("skill %d: %w", si, err)
		}
		for i, li := range member {
			sk := &leaders[li].Skills[si]
			sk.Percentile, sk.PercentileN = num(ranks[i].Value), len(cohort)
		}
	}
	return nil
}
