package scoring

// TRUST.md bar A1 (thresholds) and A2 (differencing), tried on the engine's
// Result: every output (HTML, PDF, CSV, JSON) is drawn from it (TRUST.md
// rule 2), so a number the Result does not disclose cannot reach a reader,
// and a rater the Result does not let anyone solve for stays hidden.
//
// The attacker is a leader reading their own result (or HR reading every
// leader: raters are per leader, so HR's system is the union of independent
// per-leader systems and the same check covers it). We make the attacker
// stronger than any real one: they know who rated them in which relationship,
// exactly which items each rater marked "not observed" (so every coefficient
// below is known to them), and their own self answers.
//
// The unknowns of one leader and one skill are the answers a_{r,i} of every
// rater r other than self on every item i of the skill they answered. Every
// disclosed figure implies linear equations in them:
//
//   - an item mean of a group G with n raters: sum_{r in G} a_{r,i} = mean*n;
//   - an item distribution: for each answer value v, the number of r in G
//     with a_{r,i} = v. Over the indicator unknowns x_{r,i,v} that is the same
//     0/1 row as the sum. Mixing count rows, sum rows and the identity
//     sum_v x_{r,i,v} = 1, a cell's answer sum_v v*x_{r,i,v} is determined
//     exactly when the unit vector of the cell lies in the span of the cell
//     rows of both kinds (apply a functional phi on R^5 with phi(1..5)=1,
//     phi(1,..,1)=0 to any certificate), so one span over cells suffices;
//   - a skill mean of G: every answer of G's members that G's item tables
//     show, weighted alike: sum of those a_{r,i} = mean*M, where M is how many
//     there are (engine 1.3.0). Engines that weighted raters alike gave
//     sum_{r in G} (1/m_r) sum_i a_{r,i} = mean*n instead, m_r being r's
//     count; when the m_r differ that row is new information, and the
//     checker flags it and hands it to the attacker;
//   - a skill distribution is the sum of the group's item distributions over
//     the items where the group is shown (checked below), so it adds nothing;
//   - item SDs, CIs and r_wg follow from the item distributions; the gap, the
//     profile mean, the item rankings and the heatmap repeat the means.
//
// A rater's answer on an item is derivable whatever the answers are iff the
// unit vector of that cell is in the row space of those equations, which we
// decide exactly with math/big.Rat (reduced row echelon form: e_c is in the
// row space iff some reduced row has its only non-zero entry in column c).
//
// Not covered, by design: value-dependent inferences that any shown group of
// k allows (a unanimous distribution of three peers names each peer's answer;
// integrality and the 1..5 bounds can pin an extreme sum), the price of
// showing a group at all, and non-linear figures (skill SDs are sums of
// squared skill scores; cohort ICC, alpha and percentiles mix leaders),
// which inference_test.go tries by enumeration on small cycles.
//
// Each disclosed figure's membership is reconstructed from the input and
// Leader.Disclosure and then verified against the figure's value (mean within
// 1e-9, distribution counts exactly), so an equation is only used when it is
// known to be what the engine computed; a figure that fits no membership is
// reported. Excluded cells (in no equation) are then altered and the whole
// Result must stay byte-identical, which catches any dependence the
// equations do not model.

import (
	"flag"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// dRater is one rater of one leader; ans is in instrument item order, as
// given (before reverse keying), 0 for "not observed".
type dRater struct {
	id  string
	rel Relationship
	ans []int
}

// dCycle is a generated cycle kept in a form the checker can read back.
type dCycle struct {
	inst    Instrument
	reverse []bool
	first   []int // first item index of each skill, plus the end
	leaders []string
	raters  map[string][]dRater
}

func (c *dCycle) ratings() []Rating {
	var rs []Rating
	var keys []string
	for _, s := range c.inst.Skills {
		for _, it := range s.Items {
			keys = append(keys, it.Key)
		}
	}
	for _, l := range c.leaders {
		for _, r := range c.raters[l] {
			for i, a := range r.ans {
				rs = append(rs, Rating{ParticipantID: l, RaterID: r.id, Relationship: r.rel, ItemKey: keys[i], Value: Answer(a)})
			}
		}
	}
	return rs
}

func newDCycle(inst Instrument) *dCycle {
	c := &dCycle{inst: inst, raters: map[string][]dRater{}}
	for _, s := range inst.Skills {
		c.first = append(c.first, len(c.reverse))
		for _, it := range s.Items {
			c.reverse = append(c.reverse, it.Reverse)
		}
	}
	c.first = append(c.first, len(c.reverse))
	return c
}

// genDiffCycle: 1-2 leaders, 2-3 skills of 5-8 items, self (usually),
// 0-2 managers, 0-8 peers, direct reports and others, 10-20% "not observed",
// and now and then a rater who skips most items (no skill score, or a
// different m_r, which is what makes skill means weigh raters unequally).
func genDiffCycle(rng *rand.Rand) *dCycle {
	inst := Instrument{Key: "diff", Version: 1, ScalePoints: 5}
	for s := range 2 + rng.IntN(2) {
		sk := Skill{Key: fmt.Sprint("s", s), Name: fmt.Sprint("Skill ", s)}
		j := 5 + rng.IntN(4)
		for i := range j {
			key := fmt.Sprintf("s%d.%d", s, i)
			sk.Items = append(sk.Items, Item{Key: key, Lineage: "L-" + key, Reverse: i == j-1})
		}
		inst.Skills = append(inst.Skills, sk)
	}
	c := newDCycle(inst)
	pNO := 0.10 + 0.10*rng.Float64()
	for l := range 1 + rng.IntN(2) {
		lid := fmt.Sprint("leader-", l)
		c.leaders = append(c.leaders, lid)
		add := func(id string, rel Relationship) {
			p := pNO
			if rel != Self && rng.Float64() < 0.08 {
				p = 0.6
			}
			ans := make([]int, len(c.reverse))
			for i := range ans {
				if rng.Float64() >= p {
					ans[i] = 1 + rng.IntN(5)
				}
			}
			c.raters[lid] = append(c.raters[lid], dRater{id: lid + "-" + id, rel: rel, ans: ans})
		}
		if rng.Float64() < 0.85 {
			add("self", Self)
		}
		for i := range rng.IntN(3) {
			add(fmt.Sprint("m", i), Manager)
		}
		for _, rel := range []Relationship{Peer, DirectReport, Other} {
			for i := range rng.IntN(9) {
				add(fmt.Sprint(rel, i), rel)
			}
		}
	}
	return c
}

// dSystem is the linear system of one leader and one skill over its cells.
type dSystem struct {
	leader, skill string
	col           map[[2]int]int // (rater, item) -> column
	cells         [][2]int       // column -> (rater, item)
	rows          [][]big.Rat
}

func (s *dSystem) addRow(coef map[[2]int]*big.Rat) {
	row := make([]big.Rat, len(s.cells))
	for c, v := range coef {
		row[s.col[c]].Set(v)
	}
	s.rows = append(s.rows, row)
}

// derivable returns the columns whose unit vector is in the row space.
func (s *dSystem) derivable() []int {
	m := s.rows
	n := len(s.cells)
	var f, t big.Rat
	pr := 0
	for c := 0; c < n && pr < len(m); c++ {
		p := -1
		for r := pr; r < len(m); r++ {
			if m[r][c].Sign() != 0 {
				p = r
				break
			}
		}
		if p < 0 {
			continue
		}
		m[pr], m[p] = m[p], m[pr]
		f.Inv(&m[pr][c])
		for j := c; j < n; j++ {
			if m[pr][j].Sign() != 0 {
				m[pr][j].Mul(&m[pr][j], &f)
			}
		}
		for r := range m {
			if r == pr || m[r][c].Sign() == 0 {
				continue
			}
			f.Set(&m[r][c])
			for j := c; j < n; j++ {
				if m[pr][j].Sign() != 0 {
					t.Mul(&f, &m[pr][j])
					m[r][j].Sub(&m[r][j], &t)
				}
			}
		}
		pr++
	}
	var out []int
	for r := range pr {
		nz, at := 0, -1
		for j := range n {
			if m[r][j].Sign() != 0 {
				nz++
				at = j
			}
		}
		if nz == 1 {
			out = append(out, at)
		}
	}
	return out
}

// dCheck is what one check of one Result found.
type dCheck struct {
	problems  []string
	systems   int
	cells     int
	equations int
	// managerDerivable counts derivable manager cells: a single manager's
	// item answer is shown by design (SCORING.md 2, rule 2), so a working
	// detector must find some; it is the built-in positive control.
	managerDerivable int
	// hidden lists, per leader, the cells that are in no equation.
	hidden map[string][][2]int
}

func (d *dCheck) fail(format string, a ...any) {
	d.problems = append(d.problems, fmt.Sprintf(format, a...))
}

func anonymous(rel Relationship) bool { return rel == Peer || rel == DirectReport || rel == Other }

// checkDifferencing runs A1 and A2 on one Result of cycle c.
func checkDifferencing(c *dCycle, res Result, k int) *dCheck {
	d := &dCheck{hidden: map[string][][2]int{}}
	if len(res.Leaders) != len(c.leaders) {
		d.fail("result has %d leaders, cycle %d", len(res.Leaders), len(c.leaders))
	}
	heat := map[string][]Number{}
	for _, row := range res.Cohort.Heatmap.Rows {
		heat[row.ParticipantID] = row.Others
	}
	for li := range res.Leaders {
		l := &res.Leaders[li]
		raters := c.raters[l.ParticipantID]
		val := func(r, i int) int { // reverse-keyed answer
			a := raters[r].ans[i]
			if a != 0 && c.reverse[i] {
				a = 6 - a
			}
			return a
		}
		for _, rk := range slices.Concat(l.TopItems, l.BottomItems, l.LeastAgreement) {
			if rk.N < k {
				d.fail("A1 %s: ranked item %s rests on %d raters", l.ParticipantID, rk.Item, rk.N)
			}
		}
		for si, sk := range c.inst.Skills {
			first, end := c.first[si], c.first[si+1]
			j := end - first
			sys := &dSystem{leader: l.ParticipantID, skill: sk.Key, col: map[[2]int]int{}}
			for r, rt := range raters {
				if rt.rel == Self {
					continue
				}
				for i := first; i < end; i++ {
					if rt.ans[i] != 0 {
						sys.col[[2]int{r, i}] = len(sys.cells)
						sys.cells = append(sys.cells, [2]int{r, i})
					}
				}
			}
			// groupOf is where r is shown for this skill ("" = nowhere).
			groupOf := func(r int) Group {
				switch raters[r].rel {
				case Self:
					return GroupSelf
				case Manager:
					return GroupManager // on items whatever the skill level says
				}
				g, _ := l.ShownAs(sk.Key, raters[r].rel)
				return g
			}
			// shownOn[i] holds the groups shown on item i: a counted
			// rater's answer enters their skill score only there (an
			// answer an item hides must not come back through a skill
			// mean). It is filled by the item pass below, before any skill
			// figure is read.
			shownOn := map[int]map[Group]bool{}
			// counts: does r's answer to i enter r's skill score? Raw
			// scores (every answer) model an engine that ignores the item
			// masking; raters shown nowhere are scored raw too (they can
			// only enter a figure through a rule-6 breach).
			counts := func(r, i int, raw bool) bool {
				if raters[r].ans[i] == 0 {
					return false
				}
				g := groupOf(r)
				return raw || g == 0 || shownOn[i][g]
			}
			mOf := func(r int, raw bool) int {
				n := 0
				for i := first; i < end; i++ {
					if counts(r, i, raw) {
						n++
					}
				}
				return n
			}
			// Eligibility (SCORING.md 1.2) is on every answer; a counted
			// rater also needs at least one shown answer.
			eligible := func(r int) bool { n := mOf(r, true); return n > 0 && n >= (j+1)/2 }
			hasSkill := func(r int) bool { return eligible(r) && mOf(r, false) > 0 }
			scoreOf := func(raw bool) func(int) float64 {
				return func(r int) float64 {
					s := 0
					for i := first; i < end; i++ {
						if counts(r, i, raw) {
							s += val(r, i)
						}
					}
					return float64(s) / float64(mOf(r, raw))
				}
			}
			// A skill mean is either pooled (every counted answer weighted
			// alike: the engine) or per rater (the mean of skill scores: the
			// engines before 1.3.0), over shown or raw answers.
			pooledMean := func(raw bool) func([]int) float64 {
				return func(ms []int) float64 {
					s, n := 0, 0
					for _, r := range ms {
						for i := first; i < end; i++ {
							if counts(r, i, raw) {
								s += val(r, i)
								n++
							}
						}
					}
					return float64(s) / float64(n)
				}
			}
			raterMean := func(raw bool) func([]int) float64 {
				score := scoreOf(raw)
				return func(ms []int) float64 {
					s := 0.0
					for _, r := range ms {
						s += score(r)
					}
					return s / float64(len(ms))
				}
			}
			itemMean := func(i int) func([]int) float64 {
				return func(ms []int) float64 {
					s := 0
					for _, r := range ms {
						s += val(r, i)
					}
					return float64(s) / float64(len(ms))
				}
			}
			used := map[[2]int]bool{}
			// itemRow/skillRow are the equation of a membership on one unit.
			itemRow := func(i int, ms []int) map[[2]int]*big.Rat {
				row := map[[2]int]*big.Rat{}
				for _, r := range ms {
					row[[2]int{r, i}] = big.NewRat(1, 1)
					used[[2]int{r, i}] = true
				}
				return row
			}
			rowOf := func(raw, perRater bool) func([]int) map[[2]int]*big.Rat {
				return func(ms []int) map[[2]int]*big.Rat {
					row := map[[2]int]*big.Rat{}
					for _, r := range ms {
						m := int64(1)
						if perRater {
							m = int64(mOf(r, raw))
						}
						for i := first; i < end; i++ {
							if counts(r, i, raw) {
								row[[2]int{r, i}] = big.NewRat(1, m)
								used[[2]int{r, i}] = true
							}
						}
					}
					return row
				}
			}
			// skillModel is one way of making a skill mean: the engine's
			// (first) or a leaky one the checker recognises, flags and
			// hands to the attacker as an equation.
			type skillModel struct {
				leak string // "" for the engine's own rule
				mean func([]int) float64
				row  func([]int) map[[2]int]*big.Rat
			}
			skillModels := []skillModel{
				{"", pooledMean(false), rowOf(false, false)},
				{"weighs its raters alike although their counts of shown answers differ", raterMean(false), rowOf(false, true)},
				{"uses answers its items hide", raterMean(true), rowOf(true, true)},
				{"uses answers its items hide", pooledMean(true), rowOf(true, false)},
			}
			// fits: does the figure equal what membership ms gives?
			fits := func(gs *GroupStats, ms []int, mean func([]int) float64, item int) bool {
				if gs.N != len(ms) || len(ms) == 0 {
					return false
				}
				if gs.Mean.Available() && math.Abs(gs.Mean.Value-mean(ms)) > 1e-9 {
					return false
				}
				if item >= 0 && gs.Distribution != nil {
					counts := make([]int32, 5)
					for _, r := range ms {
						counts[val(r, item)-1]++
					}
					if !slices.Equal(counts, gs.Distribution.Counts) {
						return false
					}
				}
				return true
			}
			// a1 checks the threshold rules on one shown group.
			a1 := func(unit string, gs *GroupStats) {
				switch {
				case gs.Group == GroupSelf:
				case gs.Group == GroupManager:
					if gs.N == 1 && gs.Distribution != nil {
						d.fail("A1 %s %s: distribution of a single manager", l.ParticipantID, unit)
					}
				case gs.N < k:
					d.fail("A1 %s %s: group %s shown with n=%d < k=%d", l.ParticipantID, unit, gs.Group, gs.N, k)
				}
				if gs.Group != GroupSelf && gs.N < minAgreementN && (gs.Rwg != nil || gs.RwgJ != nil) {
					d.fail("A1 %s %s: r_wg of group %s with n=%d", l.ParticipantID, unit, gs.Group, gs.N)
				}
			}
			a1Others := func(unit string, gs *GroupStats, gap *Gap) {
				if gs.N >= k {
					if gap.Others.Available() && gap.N != gs.N {
						d.fail("A1 %s %s: gap uses n=%d, all others n=%d", l.ParticipantID, unit, gap.N, gs.N)
					}
					return
				}
				if gs.Mean.Available() || gs.SD.Available() || gs.CI.Available() || gs.Distribution != nil || gs.Rwg != nil || gs.RwgJ != nil || gap.Others.Available() || gap.Value.Available() {
					d.fail("A1 %s %s: all others shown with n=%d < k=%d", l.ParticipantID, unit, gs.N, k)
				}
			}
			// allOthers adds the all-others equation: its members must be
			// the shown groups' members (rule 6); if the figure only fits
			// with every rater of the unit, that is a rule-6 breach whose
			// equation the attacker still gets.
			allOthers := func(unit string, gs *GroupStats, shown, everyone []int, mean func([]int) float64, item int, row func([]int) map[[2]int]*big.Rat) {
				if !gs.Mean.Available() {
					return
				}
				switch {
				case fits(gs, shown, mean, item):
					sys.addRow(row(shown))
				default:
					// The engine routes by relationship: try the shown
					// members plus the hidden raters of each set of
					// relationships.
					for mask := 1; mask < 8; mask++ {
						ms := slices.Clone(shown)
						for _, r := range everyone {
							ri := slices.Index([]Relationship{Peer, DirectReport, Other}, raters[r].rel)
							if ri >= 0 && mask&(1<<ri) != 0 && !slices.Contains(shown, r) {
								ms = append(ms, r)
							}
						}
						slices.Sort(ms)
						if len(ms) > len(shown) && fits(gs, ms, mean, item) {
							d.fail("A1 %s %s: all others counts raters outside every shown group (SCORING.md 2, rules 5-6)", l.ParticipantID, unit)
							sys.addRow(row(ms))
							return
						}
					}
					d.fail("A2 %s %s: all others (n=%d) fits no membership: unexplained figure", l.ParticipantID, unit, gs.N)
				}
			}

			itemMembers := map[int]map[Group][]int{}
			itemAll := map[int][]int{}
			for i := first; i < end; i++ {
				ir := &l.Items[i]
				unit := "item " + ir.Item
				itemMembers[i] = map[Group][]int{}
				shownOn[i] = map[Group]bool{}
				for _, gs := range ir.Groups {
					shownOn[i][gs.Group] = true
				}
				var shown, everyone []int
				for gi := range ir.Groups {
					gs := &ir.Groups[gi]
					a1(unit, gs)
					if gs.Group == GroupSelf {
						continue
					}
					var ms []int
					for r := range raters {
						if raters[r].ans[i] != 0 && eligible(r) && groupOf(r) == gs.Group {
							ms = append(ms, r)
						}
					}
					if !fits(gs, ms, itemMean(i), i) {
						d.fail("A2 %s %s: group %s (n=%d) fits no membership: unexplained figure", l.ParticipantID, unit, gs.Group, gs.N)
						continue
					}
					if gs.Distribution != nil {
						itemMembers[i][gs.Group] = ms // counted in the skill's distribution
					}
					shown = append(shown, ms...)
					if gs.Mean.Available() {
						sys.addRow(itemRow(i, ms))
					}
				}
				for r := range raters {
					if raters[r].rel != Self && raters[r].ans[i] != 0 {
						everyone = append(everyone, r)
					}
				}
				slices.Sort(shown)
				a1Others(unit, &ir.AllOthers, &ir.Gap)
				allOthers(unit, &ir.AllOthers, shown, everyone, itemMean(i), i,
					func(ms []int) map[[2]int]*big.Rat { return itemRow(i, ms) })
				if ir.AllOthers.Distribution != nil {
					itemAll[i] = shown
				}
			}

			sr := &l.Skills[si]
			unit := "skill " + sk.Key
			// skillDist is what a skill distribution must be: the sum of the
			// same group's item distributions (nothing the items hide).
			skillDist := func(ms func(i int) ([]int, bool)) []int32 {
				counts := make([]int32, 5)
				for i := first; i < end; i++ {
					if rs, ok := ms(i); ok {
						for _, r := range rs {
							counts[val(r, i)-1]++
						}
					}
				}
				return counts
			}
			var shown, everyone []int
			for gi := range sr.Groups {
				gs := &sr.Groups[gi]
				a1(unit, gs)
				if gs.Group == GroupSelf {
					continue
				}
				var ms []int
				for r := range raters {
					if hasSkill(r) && groupOf(r) == gs.Group {
						ms = append(ms, r)
					}
				}
				model := slices.IndexFunc(skillModels, func(m skillModel) bool { return fits(gs, ms, m.mean, -1) })
				if model < 0 {
					d.fail("A2 %s %s: group %s (n=%d) fits no membership: unexplained figure", l.ParticipantID, unit, gs.Group, gs.N)
					continue
				}
				if m := skillModels[model]; m.leak != "" {
					d.fail("A2 %s %s: group %s skill mean %s", l.ParticipantID, unit, gs.Group, m.leak)
				}
				if gs.Distribution != nil {
					want := skillDist(func(i int) ([]int, bool) { rs, ok := itemMembers[i][gs.Group]; return rs, ok })
					if !slices.Equal(want, gs.Distribution.Counts) {
						d.fail("A2 %s %s: distribution of %s is not the sum of its shown item distributions", l.ParticipantID, unit, gs.Group)
					}
				}
				shown = append(shown, ms...)
				if gs.Mean.Available() {
					sys.addRow(skillModels[model].row(ms))
				}
			}
			for r := range raters {
				if raters[r].rel != Self && hasSkill(r) {
					everyone = append(everyone, r)
				}
			}
			slices.Sort(shown)
			a1Others(unit, &sr.AllOthers, &sr.Gap)
			leaky := -1
			if gs := &sr.AllOthers; gs.Mean.Available() && !fits(gs, shown, skillModels[0].mean, -1) {
				leaky = slices.IndexFunc(skillModels[1:], func(m skillModel) bool { return fits(gs, shown, m.mean, -1) })
			}
			if leaky >= 0 {
				m := skillModels[1+leaky]
				d.fail("A2 %s %s: all others skill mean %s", l.ParticipantID, unit, m.leak)
				sys.addRow(m.row(shown))
			} else {
				allOthers(unit, &sr.AllOthers, shown, everyone, skillModels[0].mean, -1, skillModels[0].row)
			}
			if sr.AllOthers.Distribution != nil {
				want := skillDist(func(i int) ([]int, bool) { rs, ok := itemAll[i]; return rs, ok })
				if !slices.Equal(want, sr.AllOthers.Distribution.Counts) {
					d.fail("A2 %s %s: all-others distribution is not the sum of the shown item distributions", l.ParticipantID, unit)
				}
			}
			if h, ok := heat[l.ParticipantID]; ok && si < len(h) && h[si].Available() {
				if !sr.AllOthers.Mean.Available() || h[si].Value != sr.AllOthers.Mean.Value {
					d.fail("A1 %s %s: heatmap shows a value the report does not", l.ParticipantID, unit)
				}
			}

			for _, cell := range sys.cells {
				if !used[cell] {
					d.hidden[l.ParticipantID] = append(d.hidden[l.ParticipantID], cell)
				}
			}
			d.systems++
			d.cells += len(sys.cells)
			d.equations += len(sys.rows)
			for _, col := range sys.derivable() {
				cell := sys.cells[col]
				rt := raters[cell[0]]
				if !anonymous(rt.rel) {
					d.managerDerivable++
					continue
				}
				d.fail("A2 %s %s: the answer of %s (%s) to item %s is derivable from the disclosed figures (%d equations over %d answers)",
					l.ParticipantID, unit, rt.id, rt.rel, c.inst.Skills[si].Items[cell[1]-first].Key, len(sys.rows), len(sys.cells))
			}
		}
	}
	return d
}

// residualCycle is the smallest case of the leak the generated cycles found
// in the first engine (seed 187 and others): four peers answer three of four
// items each, p1 alone answers q3, so peers are hidden on q3 but were
// counted on the skill. Every peer has m = 3, so 3 x 4 x (peer skill mean)
// minus the shown peer sums of q1, q2 and q4 was p1's answer to q3:
// 36 - (14 + 10 + 7) = 5.
func residualCycle() *dCycle {
	c := newDCycle(oneSkill(items("q1", "q2", "q3", "q4")...))
	c.leaders = []string{"L"}
	c.raters["L"] = []dRater{
		{"m", Manager, []int{3, 3, 3, 3}},
		{"p1", Peer, []int{4, 2, 5, 0}},
		{"p2", Peer, []int{3, 3, 0, 1}},
		{"p3", Peer, []int{5, 1, 0, 2}},
		{"p4", Peer, []int{2, 4, 0, 4}},
	}
	return c
}

// unequalCountsCycle is the smallest case of the leak engine 1.2.0 had
// (seed 746 of a 4,000-cycle run and 12 others): four peers are shown on
// both items of a two-item skill, p1 skips q2. A peer skill mean that
// weighs raters alike is (a + (b1+b2)/2 + (c1+c2)/2 + (d1+d2)/2)/4, so p1's
// q1 answer a = 2 x 4 x mean - S1 - S2 = 2 x 4 x 3.25 - 14 - 8 = 4.
func unequalCountsCycle() *dCycle {
	c := newDCycle(oneSkill(items("q1", "q2")...))
	c.leaders = []string{"L"}
	c.raters["L"] = []dRater{
		{"p1", Peer, []int{4, 0}},
		{"p2", Peer, []int{3, 5}},
		{"p3", Peer, []int{2, 2}},
		{"p4", Peer, []int{5, 1}},
	}
	return c
}

var differencingCycles = flag.Int("differencing.cycles", 2000, "generated cycles TestDifferencing checks")

// TestDifferencing is TRUST.md bar A1 and A2 on generated cycles.
func TestDifferencing(t *testing.T) {
	t.Parallel()
	const k = DefaultKMin
	const chunks = 8
	perChunk := uint64((*differencingCycles + chunks - 1) / chunks)
	var cycles, systems, cells, equations, managers, hidden atomic.Int64
	for name, c := range map[string]*dCycle{"skill_mean_residual": residualCycle(), "unequal_shown_counts": unequalCountsCycle()} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := checkDifferencing(c, mustScore(t, Input{Instrument: c.inst, Ratings: c.ratings()}), k)
			for _, p := range d.problems {
				t.Error(p)
			}
		})
	}
	t.Run("cycles", func(t *testing.T) {
		for chunk := range uint64(chunks) {
			t.Run(fmt.Sprint(chunk), func(t *testing.T) {
				t.Parallel()
				for n := range perChunk {
					seed := chunk*perChunk + n
					rng := rand.New(rand.NewPCG(seed, 0xd1ff))
					c := genDiffCycle(rng)
					res := mustScore(t, Input{Instrument: c.inst, Ratings: c.ratings()})
					d := checkDifferencing(c, res, k)
					for _, p := range d.problems {
						t.Errorf("seed %d: %s", seed, p)
					}
					cycles.Add(1)
					systems.Add(int64(d.systems))
					cells.Add(int64(d.cells))
					equations.Add(int64(d.equations))
					managers.Add(int64(d.managerDerivable))
					// Excluded cells are in no equation: altering them must
					// leave every figure of the Result as it was (the
					// "not observed" pattern is kept, so every count is too).
					before := mustJSON(t, res)
					changed := 0
					for _, l := range c.leaders {
						for _, cell := range d.hidden[l] {
							a := &c.raters[l][cell[0]].ans[cell[1]]
							*a = 1 + (*a+rng.IntN(4))%5 // any other answer
							changed++
						}
					}
					if changed == 0 {
						continue
					}
					hidden.Add(int64(changed))
					if after := mustJSON(t, mustScore(t, Input{Instrument: c.inst, Ratings: c.ratings()})); after != before {
						t.Errorf("seed %d: changing %d answers that no disclosed figure may use changed the Result", seed, changed)
					}
				}
			})
		}
	})
	t.Logf("%d cycles, %d leader-skill systems, %d unknown answers, %d equations, %d altered hidden answers, %d manager answers derivable (by design)",
		cycles.Load(), systems.Load(), cells.Load(), equations.Load(), hidden.Load(), managers.Load())
	// The detector must be able to find something: a single manager's item
	// answer is shown by design, so some manager cells are derivable.
	if managers.Load() == 0 {
		t.Error("no manager answer was derivable; the detector is not detecting")
	}
	if hidden.Load() == 0 {
		t.Error("no excluded answer was altered; the exclusion property is not tested")
	}
}

// TestDifferencingDetectorCatchesLeak is the positive control: the checker
// passes the engine's own result for a small cycle, then flags deliberately
// leaky versions of it.
func TestDifferencingDetectorCatchesLeak(t *testing.T) {
	t.Parallel()
	keys := []string{"k1", "k2", "k3", "k4", "k5"}
	c := newDCycle(oneSkill(items(keys...)...))
	c.leaders = []string{"L"}
	full := []int{4, 3, 5, 2, 4}
	row := func(id string, rel Relationship, ans ...int) dRater { return dRater{id: id, rel: rel, ans: ans} }
	c.raters["L"] = []dRater{
		row("self", Self, full...),
		row("m", Manager, 2, 4, 4, 3, 5),
		row("p1", Peer, 5, 2, 3, 4, 1),
		row("p2", Peer, 1, 3, 5, 2, 4),
		row("p3", Peer, 0, 4, 2, 5, 3), // skips k1: peers have 2 answers there
		row("d1", DirectReport, 3, 3, 4, 1, 2),
		row("d2", DirectReport, 4, 5, 1, 3, 3),
		row("d3", DirectReport, 2, 1, 2, 4, 5),
		row("o1", Other, 5, 5, 3, 2, 1), // alone: excluded everywhere (rule 5)
	}
	score := func() Result { return mustScore(t, Input{Instrument: c.inst, Ratings: c.ratings()}) }
	has := func(ps []string, parts ...string) bool {
		for _, p := range ps {
			ok := true
			for _, s := range parts {
				ok = ok && strings.Contains(p, s)
			}
			if ok {
				return true
			}
		}
		return false
	}
	if d := checkDifferencing(c, score(), DefaultKMin); len(d.problems) > 0 {
		t.Fatalf("the engine's own result was flagged: %q", d.problems)
	}
	// k1 answers of m, p1, p2, d1-d3, o1 (no reverse items).
	mean := func(vs ...int) Number {
		s := 0
		for _, v := range vs {
			s += v
		}
		return num(float64(s) / float64(len(vs)))
	}

	// Leak 1: the lone other is left inside all others on k1 while the
	// manager and direct reports are shown: o1 = 5*O - m - (d1+d2+d3).
	res := score()
	it := &res.Leaders[0].Items[0]
	if it.Item != "k1" || groupOf(it.Groups, GroupPeer) != nil || it.AllOthers.N != 4 {
		t.Fatalf("unexpected engine result for k1: groups %v, all others n=%d", groupNamesOf(it.Groups), it.AllOthers.N)
	}
	it.AllOthers = GroupStats{Group: GroupAllOthers, N: 5, Mean: mean(2, 3, 4, 2, 5)}
	d := checkDifferencing(c, res, DefaultKMin)
	t.Logf("leak 1 flagged: %q", d.problems)
	if !has(d.problems, "A2", "answer of o1", "k1", "derivable") {
		t.Errorf("leak 1 (excluded rater left in all others) not detected: %q", d.problems)
	}

	// Leak 2: a peer group of 2 shown on k1 next to an all-others that
	// still counts o1: the peer sum is disclosed and so is o1 again.
	res = score()
	it = &res.Leaders[0].Items[0]
	it.Groups = slices.Insert(it.Groups, 2, GroupStats{Group: GroupPeer, N: 2, Mean: mean(5, 1)})
	it.AllOthers = GroupStats{Group: GroupAllOthers, N: 7, Mean: mean(2, 5, 1, 3, 4, 2, 5)}
	d = checkDifferencing(c, res, DefaultKMin)
	t.Logf("leak 2 flagged: %q", d.problems)
	if !has(d.problems, "A1", "peer", "n=2") || !has(d.problems, "A2", "answer of o1", "derivable") {
		t.Errorf("leak 2 (peer group of 2 next to all others) not detected: %q", d.problems)
	}

	// Leak 3: the residualCycle case with the peer skill mean taken over
	// every answer of each counted peer, p1's q3 included (the engine
	// before 1.2.0): 3 x 4 x 3 - (14 + 10 + 7) = 5 is p1's q3 answer.
	r := residualCycle()
	res = mustScore(t, Input{Instrument: r.inst, Ratings: r.ratings()})
	if d := checkDifferencing(r, res, DefaultKMin); len(d.problems) > 0 {
		t.Fatalf("the engine's own result was flagged: %q", d.problems)
	}
	sk := &res.Leaders[0].Skills[0]
	peers := groupOf(sk.Groups, GroupPeer)
	if peers == nil || peers.N != 4 {
		t.Fatalf("unexpected engine result for the skill: groups %v", groupNamesOf(sk.Groups))
	}
	peers.Mean = num((11.0/3 + 7.0/3 + 8.0/3 + 10.0/3) / 4)
	d = checkDifferencing(r, res, DefaultKMin)
	t.Logf("leak 3 flagged: %q", d.problems)
	if !has(d.problems, "A2", "group peer skill mean uses answers its items hide") || !has(d.problems, "A2", "answer of p1", "q3", "derivable") {
		t.Errorf("leak 3 (hidden answers in a skill mean) not detected: %q", d.problems)
	}

	// Leak 4: the unequalCountsCycle case with the peer and all-others
	// skill means weighing raters alike (engine 1.2.0): p1's q1 answer
	// is 2 x 4 x 3.25 - 14 - 8 = 4.
	u := unequalCountsCycle()
	res = mustScore(t, Input{Instrument: u.inst, Ratings: u.ratings()})
	if d := checkDifferencing(u, res, DefaultKMin); len(d.problems) > 0 {
		t.Fatalf("the engine's own result was flagged: %q", d.problems)
	}
	sk = &res.Leaders[0].Skills[0]
	if peers = groupOf(sk.Groups, GroupPeer); peers == nil || peers.N != 4 || peers.Mean.Value != 22.0/7 {
		t.Fatalf("unexpected engine result for the skill: %+v", peers)
	}
	peers.Mean = num((4 + 4 + 2 + 3) / 4.0)
	sk.AllOthers.Mean = peers.Mean
	d = checkDifferencing(u, res, DefaultKMin)
	t.Logf("leak 4 flagged: %q", d.problems)
	if !has(d.problems, "A2", "group peer skill mean weighs its raters alike") || !has(d.problems, "A2", "answer of p1", "q1", "derivable") {
		t.Errorf("leak 4 (raters weighed alike with unequal counts) not detected: %q", d.problems)
	}
}
