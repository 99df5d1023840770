package scoring

// This file holds the one function that applies the anonymity rules of
// SCORING.md 2 (TRUST.md rules 1, 2 and 7). Every number of a Result is
// computed from the view it returns and from nothing else: a rater it leaves
// out is absent from the view, so no later code can use, and no subtraction
// can recover, their answers.

// view is what the anonymity rules let the rest of the engine see of one
// leader.
type view struct {
	participant string
	skills      []unit // instrument order
	items       []unit // instrument order
	suppressed  []Suppression
	// routes[skill][relationship] is where that relationship's raters are
	// counted for the skill (their own group, gPool, or gExcluded), and
	// rated[skill][relationship] how many of them have a skill score. Other
	// outputs (comments) follow this decision instead of making their own.
	routes [][numGroups]group
	rated  [][numGroups]int
}

// unit is one skill or one item of one leader after the anonymity rules.
type unit struct {
	hasSelf bool
	self    float64 // self's skill score or answer
	selfRow []int8  // self's answers to the skill's items; nil for an item
	// members are the raters other than self who count, grouped in report
	// order (manager, peer, direct_report, other, other_colleagues) and by
	// rater id within a group; members of group g are
	// members[start[g]:start[g+1]].
	members members
	start   [numGroups + 1]int32
	// reportable: "all others" (every member) has at least k_min raters.
	reportable bool
	// notObserved counts the "not observed" answers of each shown group's
	// raters (for a skill, of its members; for an item, of the raters of the
	// relationships that make up the group).
	notObserved [numGroups]int32
}

// members are counted raters: for an item their answers (scores, rows nil),
// for a skill their answers to its items where their group is shown (rows,
// masked by disclose; scores nil), from which every skill figure is made:
// mean, spread, distribution, r_wg(J), alpha. A skill has no per-rater
// score figure: which one may be shown depends on the whole group
// (skillMeanCI). raters holds each member's row in the panel, so that
// trends can tell who counted (trendpanel.go); no figure is computed from
// it.
type members struct {
	scores []float64
	rows   [][]int8
	raters []int32
}

func (m members) len() int {
	if m.rows != nil {
		return len(m.rows)
	}
	return len(m.scores)
}

func (m members) slice(a, b int) members {
	out := members{raters: m.raters[a:b:b]}
	if m.rows != nil {
		out.rows = m.rows[a:b:b]
	} else {
		out.scores = m.scores[a:b:b]
	}
	return out
}

func (u *unit) group(g group) members {
	return u.members.slice(int(u.start[g]), int(u.start[g+1]))
}

// others are all members: manager, shown groups and a shown pool.
func (u *unit) others() members { return u.members }

// disclose applies SCORING.md 2 to one leader, per skill and again per item.
// Per skill:
//
//  1. self is always shown; 2. managers are shown whatever their number;
//  3. peer, direct_report and other are shown with n >= k;
//  4. those under k (but not empty) are pooled into other_colleagues, shown
//     if the pool has n >= k;
//  5. otherwise the pool's raters are left out of every number;
//  6. all others = managers + shown groups + shown pool, reportable if n >= k.
//
// A rater is eligible for a skill if they answered at least ceil(J/2) of its
// J items (SCORING.md 1.2).
//
// Per item, a rater counts if they answered it, and every relationship keeps
// the place the skill gave it (its own group, the pool, or exclusion): an
// item never pools differently from its skill, because a different pool
// could be subtracted from the skill's groups to isolate one rater (TRUST.md
// rule 7). A group (or the pool) with fewer than k answers to the item is
// left out of that item's numbers, all others included.
//
// A counted rater's answers (self apart) enter the skill's figures only on
// the skill's items where their group is shown, not every answer: an answer
// an item table hides must not come back through a skill-level figure. If
// every group member answered m items, the hidden answer would otherwise be
// m*n*(group skill mean) minus the shown item sums (differencing_test.go).
// A rater with no shown answer left leaves the skill; that can drop their
// group under k and change the routes, so routing, item routing and masking
// repeat until membership stops changing (it only shrinks, so this ends).
//
// It also records what was held back, without counts.
func disclose(p *panel, inst *instrument, k int, sc *discloseScratch) view {
	if sc == nil {
		sc = &discloseScratch{} // every buffer is then a new allocation
	}
	d := newDiscloseState(p, inst, k, sc)
	d.markEligible()
	d.routeUntilStable()
	nR, nS, nItems := len(p.raters), len(inst.skills), len(inst.items)
	v := view{
		participant: p.participant,
		skills:      grow(&sc.skills, nS),
		items:       grow(&sc.items, nItems),
	}
	slab := &memberSlab{
		scores: grow(&sc.scores, nR*nItems)[:0],
		rows:   grow(&sc.rows, nR*nS)[:0],
		raters: grow(&sc.memberRaters, nR*(nS+nItems))[:0],
	}
	d.placeItems(v.items, slab)
	d.placeSkills(v.skills, slab)
	v.suppressed = d.sup.list(inst)
	v.routes, v.rated = d.skillDest, d.skillN
	return v
}

// discloseState is the working state of one disclose call: one leader's panel
// and what the rules have decided of it so far, held in the buffers of a
// discloseScratch. Per skill and rater, a flag or score sits at
// [skill*nR+rater].
type discloseState struct {
	p          *panel
	inst       *instrument
	k          int
	nR, nItems int
	sc         *discloseScratch
	// eligible: the rater answered at least ceil(J/2) of the skill's items
	// (SCORING.md 1.2). skillHas starts equal and loses the raters that
	// masking leaves with no shown answer.
	eligible, skillHas []bool
	selfScores         []float64 // only self's are set and read
	// Where each relationship goes, and how many of its raters count, per
	// skill and per item.
	skillDest, itemDest [][numGroups]group
	skillN, itemN       [][numGroups]int
	// masked is raters x items: every non-self answer, missing where the
	// rater's group is left out of the item.
	masked []int8
	has    []bool // per rater: counts for the unit at hand
	sup    *suppressions
}

func newDiscloseState(p *panel, inst *instrument, k int, sc *discloseScratch) discloseState {
	nItems, nS, nR := len(inst.items), len(inst.skills), len(p.raters)
	return discloseState{
		p: p, inst: inst, k: k, nR: nR, nItems: nItems, sc: sc,
		eligible:   grow(&sc.eligible, nS*nR),
		skillHas:   grow(&sc.skillHas, nS*nR),
		selfScores: grow(&sc.selfScores, nS*nR),
		skillDest:  grow(&sc.skillDest, nS),
		skillN:     grow(&sc.skillN, nS),
		itemDest:   grow(&sc.itemDest, nItems),
		itemN:      grow(&sc.itemN, nItems),
		masked:     grow(&sc.masked, nR*nItems),
		has:        grow(&sc.raterHas, nR),
	}
}

// markEligible applies SCORING.md 1.2: a rater counts for a skill if they
// answered at least ceil(J/2) of its J items. Self's skill score is taken
// here, on every self answer.
func (d *discloseState) markEligible() {
	p, nR, nItems := d.p, d.nR, d.nItems
	skillHas, eligible, selfScores := d.skillHas, d.eligible, d.selfScores
	for si, sk := range d.inst.skills {
		for r := range nR {
			sum, n := 0, 0
			for _, c := range p.row(r, nItems)[sk.first:sk.end] {
				if c > 0 {
					sum += int(c)
					n++
				}
			}
			if n >= sk.minAnswers && n > 0 {
				skillHas[si*nR+r] = true
				eligible[si*nR+r] = true
				if p.groups[r] == gSelf {
					selfScores[si*nR+r] = float64(sum) / float64(n)
				}
			}
		}
	}
}

// routeUntilStable routes and masks until no rater leaves a skill (see
// disclose). The suppressions are those of the last round.
func (d *discloseState) routeUntilStable() {
	for {
		d.route()
		if !d.mask() {
			return
		}
	}
}

// route decides where each relationship goes per skill, then per item.
// Items follow their skill's routing; a group under k on an item is left
// out of that item.
func (d *discloseState) route() {
	p, inst, nR, nItems := d.p, d.inst, d.nR, d.nItems
	has, eligible := d.has, d.eligible
	sup := newSuppressions()
	d.sup = sup
	for si := range inst.skills {
		d.skillDest[si], d.skillN[si] = route(p, d.skillHas[si*nR:(si+1)*nR], d.k, nil, func(g group, why string) { sup.add(g, why, si, false) })
	}
	for it := range nItems {
		si := inst.items[it].skill
		for r := range nR {
			has[r] = p.cells[r*nItems+it] > 0 && eligible[si*nR+r]
		}
		d.itemDest[it], d.itemN[it] = route(p, has, d.k, &d.skillDest[si], func(g group, why string) { sup.add(g, why, it, true) })
	}
}

// mask hides every non-self answer on an item where the rater's group is
// left out, and takes a skill from a counted rater with no answer left. A
// rater whose relationship the skill excludes counts nowhere and keeps their
// flag, so the suppressions still name their relationship. It reports
// whether any rater left a skill.
func (d *discloseState) mask() bool {
	p, nR, nItems := d.p, d.nR, d.nItems
	masked, itemDest := d.masked, d.itemDest
	changed := false
	for si, sk := range d.inst.skills {
		for r := range nR {
			g := p.groups[r]
			if g == gSelf {
				continue
			}
			src := p.row(r, nItems)[sk.first:sk.end]
			dst := masked[r*nItems+sk.first : r*nItems+sk.end]
			n := 0
			for j, c := range src {
				if itemDest[sk.first+j][g] == gExcluded {
					c = cellMissing
				}
				dst[j] = c
				if c > 0 {
					n++
				}
			}
			i := si*nR + r
			if d.skillHas[i] && d.skillDest[si][g] != gExcluded && n == 0 {
				d.skillHas[i] = false
				changed = true
			}
		}
	}
	return changed
}

// placeItems fills each item's unit from the raters who answered it, with
// the "not observed" answers of the raters of each shown group.
func (d *discloseState) placeItems(items []unit, slab *memberSlab) {
	p, inst, nR, nItems, sup := d.p, d.inst, d.nR, d.nItems, d.sup
	scores, has, eligible := grow(&d.sc.raterScores, nR), d.has, d.eligible
	for it := range nItems {
		si := inst.items[it].skill
		for r := range nR {
			c := p.cells[r*nItems+it]
			has[r] = c > 0 && eligible[si*nR+r]
			scores[r] = float64(c)
		}
		u := &items[it]
		dest := d.itemDest[it]
		place(u, slab, p, scores, has, nil, d.k, dest, d.itemN[it], func(g group, why string) { sup.add(g, why, it, true) })
		for r := range nR {
			if p.cells[r*nItems+it] != cellNotObserved || !eligible[si*nR+r] {
				continue
			}
			if g := dest[p.groups[r]]; g != gExcluded {
				u.notObserved[g]++
			}
		}
	}
}

// placeSkills fills each skill's unit. Skill members keep their masked
// answers for distributions, r_wg(J) and alpha; self keeps every answer.
func (d *discloseState) placeSkills(skills []unit, slab *memberSlab) {
	p, nR, nItems, sup := d.p, d.nR, d.nItems, d.sup
	rows, masked := grow(&d.sc.raterRows, nR), d.masked
	for si, sk := range d.inst.skills {
		for r := range nR {
			if p.groups[r] == gSelf {
				rows[r] = p.row(r, nItems)[sk.first:sk.end]
				continue
			}
			rows[r] = masked[r*nItems+sk.first : r*nItems+sk.end : r*nItems+sk.end]
		}
		u := &skills[si]
		place(u, slab, p, d.selfScores[si*nR:(si+1)*nR], d.skillHas[si*nR:(si+1)*nR], rows, d.k, d.skillDest[si], d.skillN[si], func(g group, why string) { sup.add(g, why, si, false) })
		countSkillNotObserved(u)
	}
}

// countSkillNotObserved counts the "not observed" answers in the rows of a
// skill's self and members, per group.
func countSkillNotObserved(u *unit) {
	for g := gSelf; g < numGroups; g++ {
		var rs [][]int8
		if g == gSelf {
			if u.hasSelf {
				rs = [][]int8{u.selfRow}
			}
		} else {
			rs = u.group(g).rows
		}
		for _, row := range rs {
			for _, c := range row {
				if c == cellNotObserved {
					u.notObserved[g]++
				}
			}
		}
	}
}

// discloseScratch holds the buffers of one disclose call so that a large
// cycle can run disclose twice per leader (once for the cohort, once for the
// leader's own figures) without keeping 10,000 views in memory. A view built
// in a scratch is valid until the scratch is used again.
type discloseScratch struct {
	skills, items       []unit
	scores, selfScores  []float64
	raterScores         []float64
	rows, raterRows     [][]int8
	skillHas, raterHas  []bool
	eligible            []bool
	skillDest, itemDest [][numGroups]group
	skillN, itemN       [][numGroups]int
	masked              []int8
	memberRaters        []int32
}

// grow returns buf resized to n zeroed elements, reallocating only when
// its capacity is short.
func grow[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
		return *buf
	}
	*buf = (*buf)[:n]
	clear(*buf)
	return *buf
}

// route decides, for one unit, where each relationship's raters go: their
// own shown group, the pool, or exclusion (gExcluded, also for nobody).
// With fixed (an item), relationships go where the skill put them, and a
// resulting group under k is excluded instead of pooled.
func route(p *panel, has []bool, k int, fixed *[numGroups]group, suppress func(group, string)) ([numGroups]group, [numGroups]int) {
	var n [numGroups]int
	for r, g := range p.groups {
		if has[r] {
			n[g]++
		}
	}
	var dest [numGroups]group
	if fixed != nil {
		dest = *fixed
		var size [numGroups]int
		for g := gPeer; g <= gOther; g++ {
			if dest[g] != gExcluded {
				size[dest[g]] += n[g]
			}
		}
		for d := gPeer; d < numGroups; d++ {
			if size[d] == 0 || size[d] >= k {
				continue
			}
			suppress(d, SuppressedExcluded)
			for g := gPeer; g <= gOther; g++ {
				if dest[g] == d {
					dest[g] = gExcluded
				}
			}
		}
		return dest, n
	}
	dest = routeGroups(n, k)
	for g := gPeer; g <= gOther; g++ {
		switch {
		case n[g] == 0 || n[g] >= k:
		case dest[g] == gPool:
			suppress(g, SuppressedPooled)
		default:
			suppress(g, SuppressedExcluded)
		}
	}
	return dest, n
}

// routeGroups is the rule itself, over the number of raters of each
// relationship: self and the manager are shown as themselves; a colleague
// group of k or more is shown as itself; smaller ones are pooled as "other
// colleagues", and a pool still under k is left out, with its raters.
func routeGroups(n [numGroups]int, k int) [numGroups]group {
	var dest [numGroups]group
	dest[gSelf], dest[gManager], dest[gPool] = gSelf, gManager, gPool
	pool := 0
	for g := gPeer; g <= gOther; g++ {
		switch {
		case n[g] >= k:
			dest[g] = g
		case n[g] > 0:
			dest[g] = gPool
			pool += n[g]
		default:
			dest[g] = gExcluded
		}
	}
	if pool > 0 && pool < k {
		for g := gPeer; g <= gOther; g++ {
			if dest[g] == gPool {
				dest[g] = gExcluded
			}
		}
		pool = 0
	}
	if pool == 0 {
		dest[gPool] = gExcluded
	}
	return dest
}

// GroupPlan is where a leader's colleague groups would go in their report:
// Groups maps each colleague relationship that is not shown as itself to
// SuppressedPooled (into "other colleagues") or SuppressedExcluded; AllOthers
// says whether "all colleagues", and with it every self-other gap, is shown.
type GroupPlan struct {
	Groups    map[Relationship]string
	AllOthers bool
}

// PlanGroups plans a leader's report as if each relationship had the given
// number of raters (self, manager, peer, direct_report, other) and every
// one answered: the engine's own rule (routeGroups), for a warning before
// anyone answers. Fewer answers can only move a group from shown to pooled
// to left out. kMin below the minimum counts as the minimum.
func PlanGroups(counts map[Relationship]int, kMin int) GroupPlan {
	k := max(kMin, DefaultKMin)
	var n [numGroups]int
	for r, c := range counts {
		if g, ok := parseRelationship(r); ok {
			n[g] = c
		}
	}
	dest := routeGroups(n, k)
	plan := GroupPlan{Groups: map[Relationship]string{}}
	others := n[gManager]
	for _, r := range []Relationship{Peer, DirectReport, Other} {
		g, _ := parseRelationship(r)
		switch {
		case n[g] == 0:
		case dest[g] == g:
			others += n[g]
		case dest[g] == gPool:
			plan.Groups[r] = SuppressedPooled
			others += n[g]
		default:
			plan.Groups[r] = SuppressedExcluded
		}
	}
	plan.AllOthers = others >= k
	return plan
}

// place fills u from the decided destination of each relationship. For an
// item (rows nil) members take their answers from scores; for a skill they
// take their rows, and scores gives only self's skill score.
func place(u *unit, slab *memberSlab, p *panel, scores []float64, has []bool, rows [][]int8, k int, dest [numGroups]group, n [numGroups]int, suppress func(group, string)) {

	var size [numGroups]int
	total := 0
	for g := gManager; g <= gOther; g++ {
		if dest[g] != gExcluded {
			size[dest[g]] += n[g]
			total += n[g]
		}
	}
	u.members.raters = take(&slab.raters, total)
	if rows == nil {
		u.members.scores = take(&slab.scores, total)
	} else {
		u.members.rows = take(&slab.rows, total)
	}
	u.start[gSelf], u.start[gManager] = 0, 0
	for g := gManager; g < numGroups; g++ {
		u.start[g+1] = u.start[g] + int32(size[g])
	}
	fill := u.start
	for r, g := range p.groups {
		if !has[r] {
			continue
		}
		if g == gSelf {
			u.hasSelf, u.self = true, scores[r]
			if rows != nil {
				u.selfRow = rows[r]
			}
			continue
		}
		d := dest[g]
		if d == gExcluded {
			continue
		}
		u.members.raters[fill[d]] = int32(r)
		if rows == nil {
			u.members.scores[fill[d]] = scores[r]
		} else {
			u.members.rows[fill[d]] = rows[r]
		}
		fill[d]++
	}
	u.reportable = total >= k
	if !u.reportable {
		suppress(gAllOthers, SuppressedBelowThreshold)
	}
}

// memberSlab is the backing store of one leader's members.
type memberSlab struct {
	scores []float64
	rows   [][]int8
	raters []int32
}

// gAllOthers is used only to key suppressions.
const gAllOthers = numGroups

var suppressionReasons = [...]string{SuppressedPooled, SuppressedExcluded, SuppressedBelowThreshold}

type suppressions struct {
	// skills[g][reason] and items[g][reason] list unit indexes.
	skills, items [numGroups + 1][len(suppressionReasons)][]int
}

func newSuppressions() *suppressions { return &suppressions{} }

func (s *suppressions) add(g group, why string, unit int, item bool) {
	ri := 0
	for i, r := range suppressionReasons {
		if r == why {
			ri = i
		}
	}
	if item {
		s.items[g][ri] = append(s.items[g][ri], unit)
	} else {
		s.skills[g][ri] = append(s.skills[g][ri], unit)
	}
}

func (s *suppressions) list(inst *instrument) []Suppression {
	out := []Suppression{}
	for g := range numGroups + 1 {
		name := GroupAllOthers
		if g < numGroups {
			name = groupNames[g]
		}
		for ri, why := range suppressionReasons {
			sk, it := s.skills[g][ri], s.items[g][ri]
			if len(sk) == 0 && len(it) == 0 {
				continue
			}
			e := Suppression{Group: name, Reason: why}
			for _, i := range sk {
				e.Skills = append(e.Skills, inst.skills[i].key)
			}
			for _, i := range it {
				e.Items = append(e.Items, inst.items[i].key)
			}
			out = append(out, e)
		}
	}
	return out
}
