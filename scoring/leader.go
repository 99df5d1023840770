package scoring

import (
	"github.com/lead360/lead360/scoring/psychometrics"
)

// scorer holds what every leader's scoring shares, plus scratch buffers; one
// scorer is used by one goroutine at a time.
type scorer struct {
	inst *instrument
	set  Settings
	// disclose is the scratch of the second disclose pass of large cycles.
	disclose discloseScratch
	self     [1]float64
	totals   []int64 // skillMeanCI's scratch
	// answerCounts is the distribution stats works on.
	answerCounts []int32
	row          [1][]int8
	// Per-leader slabs: one allocation each instead of one per group.
	gs     []GroupStats
	dists  []Distribution
	counts []int32
	items  []ItemAgreement
	scales []ScaleAgreement
}

// release returns s to the pool, without the slabs, which back the Result
// of the last leader it scored.
func (s *scorer) release() {
	s.inst = nil
	s.gs, s.dists, s.counts, s.items, s.scales = nil, nil, nil, nil, nil
	scorers.Put(s)
}

// slabs sizes the per-leader allocations for v, counting exactly what
// unitStats and stats will take.
func (s *scorer) slabs(v *view) {
	groups, dists, scales, items := 0, 0, 0, 0
	count := func(u *unit, skill bool) {
		agreements := 0
		if u.hasSelf {
			groups++
			if skill {
				dists++
			}
		}
		for g := gManager; g < numGroups; g++ {
			n := u.group(g).len()
			if n == 0 {
				continue
			}
			groups++
			if !(g == gManager && n == 1) {
				dists++
			}
			if n >= minAgreementN {
				agreements++
			}
		}
		if u.reportable {
			dists++
			agreements++
		}
		if skill {
			scales += agreements
		} else {
			items += agreements
		}
	}
	for i := range v.skills {
		count(&v.skills[i], true)
	}
	for i := range v.items {
		count(&v.items[i], false)
	}
	s.gs = make([]GroupStats, 0, groups)
	s.dists = make([]Distribution, 0, dists)
	s.counts = make([]int32, 0, dists*s.inst.A)
	s.scales = make([]ScaleAgreement, 0, scales)
	s.items = make([]ItemAgreement, 0, items)
}

// take returns the next n elements of a slab, growing it if the sizing was
// short (it never is; the fallback only keeps a mistake from panicking).
func take[T any](slab *[]T, n int) []T {
	if len(*slab)+n > cap(*slab) {
		*slab = make([]T, 0, max(n, cap(*slab)))
	}
	l := len(*slab)
	*slab = (*slab)[:l+n]
	return (*slab)[l : l+n : l+n]
}

// minAgreementN is the smallest group for which r_wg is computed
// (SCORING.md 4.2: shown groups with n >= 3, never a single manager).
const minAgreementN = 3

// leader scores one leader from their view. Reliability and percentiles,
// which need the cohort, are filled in by Score afterwards.
func (s *scorer) leader(v *view, prev *Leader) (Leader, error) {
	inst := s.inst
	s.slabs(v)
	l := Leader{
		ParticipantID: v.participant,
		Skills:        make([]SkillResult, len(inst.skills)),
		Items:         make([]ItemResult, len(inst.items)),
		HasPrevious:   prev != nil,
		Suppressed:    v.suppressed,
	}
	for it := range inst.items {
		ci := &inst.items[it]
		u := &v.items[it]
		r := &l.Items[it]
		r.Item, r.Skill, r.Reverse, r.Lineage = ci.key, inst.skills[ci.skill].key, ci.reverse, ci.lineage
		var err error
		if r.Groups, err = s.unitStats(u, false, &r.AllOthers); err != nil {
			return Leader{}, err
		}
		r.Gap = s.gap(u, &r.AllOthers)
	}
	for si := range inst.skills {
		sk := &inst.skills[si]
		u := &v.skills[si]
		r := &l.Skills[si]
		r.Skill, r.Name = sk.key, sk.name
		var err error
		if r.Groups, err = s.unitStats(u, true, &r.AllOthers); err != nil {
			return Leader{}, err
		}
		items := l.Items[sk.first:sk.end]
		for i := range r.Groups {
			if r.Groups[i].Group != GroupSelf {
				sumDistributions(&r.Groups[i], items)
			}
		}
		sumDistributions(&r.AllOthers, items)
		r.Gap = s.gap(u, &r.AllOthers)
		r.Reliability = notAvailable(ReasonBelowThreshold)
		r.Percentile = notAvailable(ReasonBelowThreshold)
	}
	l.Disclosure = disclosure(v, inst)
	if prev != nil {
		s.trends(&l, prev)
	}
	l.ProfileMean = profileMean(l.Skills)
	l.TopItems, l.BottomItems = topBottom(l.Items)
	l.LeastAgreement = leastAgreement(l.Items)
	l.Focus = focus(l.Skills, l.ProfileMean, s.set.InterplayMargin)
	l.Interplay = interplay(l.Skills, l.ProfileMean, s.set.InterplayMargin)
	return l, nil
}

// unitStats returns the shown groups of one skill or item and writes its
// "all others" into *all. Both are filled in place rather than copied: a
// GroupStats is about 100 bytes and a leader has about 180 of them.
func (s *scorer) unitStats(u *unit, skill bool, all *GroupStats) ([]GroupStats, error) {
	n := 0
	if u.hasSelf {
		n++
	}
	for g := gManager; g < numGroups; g++ {
		if u.start[g+1] > u.start[g] {
			n++
		}
	}
	groups := take(&s.gs, n)
	next := 0
	if u.hasSelf {
		self := members{scores: s.self[:]}
		s.self[0] = u.self
		if skill {
			s.row[0] = u.selfRow
			self.rows = s.row[:]
		}
		if err := s.stats(&groups[next], GroupSelf, self, int(u.notObserved[gSelf]), skill, skill, false); err != nil {
			return nil, err
		}
		next++
	}
	for g := gManager; g < numGroups; g++ {
		if u.start[g+1] == u.start[g] {
			continue
		}
		ms := u.group(g)
		// SCORING.md 2, rule 7: no distribution for a manager group of one.
		dist := !(g == gManager && ms.len() == 1)
		if err := s.stats(&groups[next], groupNames[g], ms, int(u.notObserved[g]), skill, dist, true); err != nil {
			return nil, err
		}
		next++
	}
	if !u.reportable {
		*all = GroupStats{
			Group: GroupAllOthers,
			N:     u.others().len(),
			Mean:  notAvailable(ReasonBelowThreshold),
			SD:    notAvailable(ReasonBelowThreshold),
			CI:    Interval{Reason: ReasonBelowThreshold},
		}
		return groups, nil
	}
	no := 0
	for g := gManager; g < numGroups; g++ {
		no += int(u.notObserved[g])
	}
	return groups, s.stats(all, GroupAllOthers, u.others(), no, skill, true, true)
}

// stats describes one group: mean, SD and CI of its scores, and optionally
// the distribution of its answers and its r_wg. An item group's answers are
// integers, so its figures come from their distribution (exact sums); a
// skill group's come from its members' shown answers (skillMeanCI).
func (s *scorer) stats(gs *GroupStats, name Group, ms members, notObserved int, skill, dist, agreement bool) error {
	counts := grow(&s.answerCounts, s.inst.A)
	if skill {
		// The members' shown answers, for skillMeanCI. The distribution a
		// skill group prints is the sum of its item distributions
		// (sumDistributions, once the items are done): the same counts,
		// except that all others leaves out an item where it is not
		// reportable while a manager's answer there still counts (the
		// manager's own item table shows it).
		answerCounts(ms.rows, counts)
	} else {
		for _, x := range ms.scores {
			counts[int(x)-1]++
		}
	}
	var e psychometrics.MeanEstimate
	basis := BasisRaters
	var err error
	switch {
	case !skill:
		e, err = psychometrics.MeanCICounts(counts)
	case name == GroupSelf:
		e, err = psychometrics.MeanCI(ms.scores)
	default:
		e, basis, err = skillMeanCI(ms.rows, counts, &s.totals)
	}
	if err != nil {
		return err
	}
	*gs = GroupStats{Group: name, N: e.N}
	switch {
	case e.N == 0:
		gs.Mean = notAvailable(ReasonNoRatings)
	default:
		gs.Mean = num(e.Mean)
	}
	if e.N >= 2 {
		gs.SD = num(e.SD)
		gs.CI = Interval{Lower: e.Lower, Upper: e.Upper, DF: e.DF}
		gs.SDBasis = basis
	} else {
		gs.SD = notAvailable(ReasonTooFew)
		gs.CI = Interval{Reason: ReasonTooFew}
	}
	if dist {
		d := &take(&s.dists, 1)[0]
		*d = Distribution{Counts: take(&s.counts, s.inst.A), NotObserved: int32(notObserved)}
		copy(d.Counts, counts)
		for i, c := range d.Counts {
			if c > 0 {
				if d.Min == 0 {
					d.Min = int32(i + 1)
				}
				d.Max = int32(i + 1)
			}
		}
		gs.Distribution = d
	}
	if agreement && ms.len() >= minAgreementN {
		var err error
		if skill {
			gs.RwgJ, err = s.scaleAgreement(ms)
		} else {
			gs.Rwg, err = s.itemAgreement(counts)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// answerCounts fills counts (zeroed, one per scale point) with the answers
// in rows; masked and "not observed" cells (0, -1) are not answers.
func answerCounts(rows [][]int8, counts []int32) {
	for _, row := range rows {
		for _, c := range row {
			if c > 0 {
				counts[c-1]++
			}
		}
	}
}

// skillMeanCI is a skill group's mean, SD and interval from its members'
// shown answers (rows, masked by disclose; counts, their distribution).
// The mean weighs every shown answer alike: the shown item sums over the
// shown item counts, so it discloses nothing the item tables do not
// (docs/scoring.md, "Skill means").
//
// The spread depends on whether the group is balanced, every member
// showing answers on the same items. Then members are interchangeable:
// swapping two members' rows changes no item table and no figure, so the
// spec's spread of the raters' skill scores (SCORING.md 4.4) cannot point
// at one of them (BasisRaters). Otherwise a member with a different set of
// items can be told apart, and the spread of the raters' scores would pin
// their answers (issue #10: p1's only answer from the peer SD); the SD is
// then that of the group's answers, a function of its distribution alone,
// with the interval still over raters (BasisAnswers, MeanCIAnswers).
// Both use exact integer sums, so a figure does not change in its last bit
// when members swap answers. totals is scratch.
func skillMeanCI(rows [][]int8, counts []int32, totals *[]int64) (psychometrics.MeanEstimate, SDBasis, error) {
	if !balanced(rows) {
		e, err := psychometrics.MeanCIAnswers(counts, len(rows))
		return e, BasisAnswers, err
	}
	t := grow(totals, len(rows))
	answers := 0
	for i, row := range rows {
		for _, c := range row {
			if c > 0 {
				t[i] += int64(c)
				if i == 0 {
					answers++
				}
			}
		}
	}
	if len(rows) == 0 {
		answers = 1 // no raters: MeanCIEqualCounts reports too few
	}
	e, err := psychometrics.MeanCIEqualCounts(t, answers)
	return e, BasisRaters, err
}

// balanced reports whether every row shows answers on the same items.
func balanced(rows [][]int8) bool {
	for _, row := range rows[min(1, len(rows)):] {
		for j, c := range row {
			if (c > 0) != (rows[0][j] > 0) {
				return false
			}
		}
	}
	return true
}

func (s *scorer) scaleAgreement(ms members) (*ScaleAgreement, error) {
	// Masked rows hold 0 or -1 wherever an answer is hidden or missing.
	a, err := psychometrics.RWGJ(ms.rows, s.inst.A)
	if err != nil {
		return nil, err
	}
	r := &take(&s.scales, 1)[0]
	*r = ScaleAgreement{N: a.N, J: a.J}
	if a.Reason != "" {
		r.Value, r.Lindell = notAvailable(reason(a.Reason)), notAvailable(reason(a.Reason))
	} else {
		r.Value, r.Lindell = num(a.Value), num(a.Lindell)
	}
	return r, nil
}

func (s *scorer) itemAgreement(counts []int32) (*ItemAgreement, error) {
	a, err := psychometrics.RWG(counts)
	if err != nil {
		return nil, err
	}
	r := &take(&s.items, 1)[0]
	*r = ItemAgreement{N: a.N}
	if a.Reason != "" {
		r.Value, r.Untruncated = notAvailable(reason(a.Reason)), notAvailable(reason(a.Reason))
	} else {
		r.Value, r.Untruncated = num(a.Value), num(a.Untruncated)
	}
	return r, nil
}

// gap is G = S - O with the blind-spot / hidden-strength flag of SCORING.md
// 3.2 (strict, with the 1e-9 guard) and the "robust" mark.
func (s *scorer) gap(u *unit, all *GroupStats) Gap {
	g := Gap{N: all.N, Others: all.Mean}
	if u.hasSelf {
		g.Self = num(u.self)
	} else {
		g.Self = notAvailable(ReasonNoSelfScore)
	}
	switch {
	case !g.Others.Available():
		g.Value = notAvailable(g.Others.Reason)
		return g
	case !g.Self.Available():
		g.Value = notAvailable(ReasonNoSelfScore)
		return g
	}
	v := g.Self.Value - g.Others.Value
	g.Value = num(v)
	T := s.set.BlindSpotThreshold
	switch {
	case v-T > guard:
		g.Flag = FlagBlindSpot
	case -v-T > guard:
		g.Flag = FlagHiddenStrength
	default:
		g.Flag = FlagNone
	}
	if all.CI.Available() {
		g.Robust = g.Self.Value-all.CI.Upper > guard || all.CI.Lower-g.Self.Value > guard
	}
	return g
}

// sumDistributions makes a skill group's distribution the sum of the same
// group's distributions on the skill's items. The item tables already show
// those answers; counting at skill level anything they hide (answers of a
// group suppressed on one item) would let a reader recover the hidden
// answers by subtraction. Without any item distribution it is absent.
func sumDistributions(gs *GroupStats, items []ItemResult) {
	d := gs.Distribution
	if d == nil {
		return
	}
	clear(d.Counts)
	d.NotObserved, d.Min, d.Max = 0, 0, 0
	found := false
	for i := range items {
		var src *Distribution
		if gs.Group == GroupAllOthers {
			src = items[i].AllOthers.Distribution
		} else if g := groupOf(items[i].Groups, gs.Group); g != nil {
			src = g.Distribution
		}
		if src == nil {
			continue
		}
		found = true
		for j, c := range src.Counts {
			d.Counts[j] += c
		}
		d.NotObserved += src.NotObserved
	}
	if !found {
		gs.Distribution = nil
		return
	}
	for i, c := range d.Counts {
		if c > 0 {
			if d.Min == 0 {
				d.Min = int32(i + 1)
			}
			d.Max = int32(i + 1)
		}
	}
}

func groupOf(gs []GroupStats, g Group) *GroupStats {
	for i := range gs {
		if gs[i].Group == g {
			return &gs[i]
		}
	}
	return nil
}

// relationshipNames maps the internal relationship codes back to their
// input spelling (gSelf..gOther).
var relationshipNames = [...]Relationship{Self, Manager, Peer, DirectReport, Other}

// disclosure turns disclose's routing into the leader's Disclosure: one
// backing array for all skills, so it costs two allocations per leader.
func disclosure(v *view, inst *instrument) []SkillDisclosure {
	out := make([]SkillDisclosure, len(inst.skills))
	slab := make([]RelationshipGroup, 0, len(inst.skills)*len(relationshipNames))
	for si := range inst.skills {
		start := len(slab)
		if v.skills[si].hasSelf {
			slab = append(slab, RelationshipGroup{Self, GroupSelf})
		}
		for g := gManager; g <= gOther; g++ {
			dest := v.routes[si][g]
			if g == gManager {
				dest = gManager // managers are shown whatever their number
			}
			if v.rated[si][g] == 0 || dest == gExcluded {
				continue
			}
			slab = append(slab, RelationshipGroup{relationshipNames[g], groupNames[dest]})
		}
		out[si] = SkillDisclosure{Skill: inst.skills[si].key, Shown: slab[start:len(slab):len(slab)]}
	}
	return out
}
