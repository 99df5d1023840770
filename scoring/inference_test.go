package scoring

// TRUST.md bar A2 for every printed number, linear or not: an enumeration
// inference checker. differencing_test.go decides exactly what linear
// equations (means, sums, distributions) give away; SDs, intervals, r_wg,
// alpha, ICCs and percentiles are not linear, so here we let an attacker
// try every possibility instead.
//
// The attacker reads the whole Result, serialised as the JSON API, the
// reports and `lead360 score` write it (every output draws on it, TRUST.md
// rule 2), at full precision and rounded to the two decimals reports print.
// They know the full response pattern of one target leader (who rated them
// in which relationship, who answered which item and who marked it "not
// observed"), every self and manager answer, and every answer of the other
// leaders of the cycle (who may share raters with the target): everything
// but the target's anonymous answers. That is stronger than any real
// reader. Their unknowns are the target's peer, direct report and other
// answers. The item tables a report shows (each shown group's distribution
// on each item) leave open every assignment that permutes each table's
// answers among the group's members who answered that item; answers in no
// table (an excluded rater, a group hidden on an item) may be anything in
// 1..A. The checker scores every such assignment and groups them by the
// output they give. Each group (class) is what the attacker is left with
// when they read that output, whichever assignment was the truth. It fails
// when, in some class, an answer has one value while the item tables alone
// leave it more than one: the output then pins an answer the tables do not.
// A unanimous table (three peers who all answered 4) pins its answers by
// itself; that is the accepted price of showing a group at all and is not
// counted, because the answer is constant over every assignment too.
//
// What it does not cover: an attacker who knows some of the target's
// anonymous answers (a colleague who tells), priors over answers (people
// answer as they did last cycle, issue #10 item 7), cycles larger than the
// enumeration bound, and outputs that are not in the Result (comments,
// completion counts; other tests cover those).

import (
	"flag"
	"fmt"
	"hash/maphash"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var (
	inferenceScenarios = flag.Int("inference.scenarios", 40, "generated scenarios TestInference enumerates completely")
	inferenceLimit     = flag.Int("inference.limit", 1500, "largest enumeration, in assignments, TestInference runs")
)

// smallCohort lowers the cohort minimums so that a cycle of three leaders
// has every cohort figure: self-other categories, percentiles and alpha.
func smallCohort(s *Settings) { s.CohortMinLeaders, s.AlphaMinRows = 3, 4 }

// infScenario is a cycle, the leader whose anonymous answers are unknown,
// and the previous results (and who counted in them) its trends compare
// with.
type infScenario struct {
	c              *dCycle
	target         string
	previous       map[string]Leader
	previousPanels map[string]LeaderPanels
}

// extraOutput appends to an output more figures, computed from the cycle
// and the Result: the positive controls add what an older engine printed.
type extraOutput func(c *dCycle, res *Result, b []byte) ([]byte, error)

// infReport is what checkInference found.
type infReport struct {
	skipped     bool // the enumeration was over the limit
	assignments int
	cells       int // the target's anonymous answers
	hidden      int // of which in no item table
	open        int // cells with more than one value over all assignments
	// raterSDs counts the target's anonymous skill groups and all-others
	// whose SD is the spread of their raters' scores (balanced groups), and
	// trends its shown trends with an interval.
	raterSDs, trends int
	// classes and pins are per precision: full, then two decimals. pins
	// lists every (class, cell) whose value the output pins although the
	// item tables leave it open; truePins those of the true output's class.
	classes  [2]int
	pins     [2][]string
	truePins [2][]string
}

func (r *infReport) pinned() bool { return len(r.pins[0])+len(r.pins[1]) > 0 }

var precisions = [2]string{"full precision", "two decimals"}

// infCell is one anonymous answer of the target: rater r, item i, and its
// index in the ratings.
type infCell struct{ r, i, at int }

// infTable is one shown item table of an anonymous group: its cells and
// every distinct order of its raw answers among them.
type infTable struct {
	cells  []int
	orders [][]int8
}

// infUnknowns is what the attacker does not know: the cells, the tables
// that show some of them, the cells in no table (hidden), and per cell the
// set of raw answers the tables allow (bit v-1 for answer v).
type infUnknowns struct {
	cells   []infCell
	tables  []infTable
	hidden  []int
	allowed []uint8
}

// unknownsOf reads the target's item tables off the true Result l, as the
// attacker would, and checks each against the engine's counts.
func unknownsOf(c *dCycle, target string, base int, l *Leader) (infUnknowns, error) {
	var u infUnknowns
	raters := c.raters[target]
	cellOf := map[[2]int]int{}
	for r, rt := range raters {
		for i, a := range rt.ans {
			if anonymous(rt.rel) && a != 0 {
				cellOf[[2]int{r, i}] = len(u.cells)
				u.cells = append(u.cells, infCell{r, i, base + r*len(rt.ans) + i})
			}
		}
	}
	u.allowed = make([]uint8, len(u.cells))
	for si, sk := range c.inst.Skills {
		for i := c.first[si]; i < c.first[si+1]; i++ {
			for _, gs := range l.Items[i].Groups {
				if gs.Group == GroupSelf || gs.Group == GroupManager {
					continue
				}
				var tb infTable
				var vals []int8
				counts := make([]int32, c.inst.ScalePoints)
				for r, rt := range raters {
					if g, ok := l.ShownAs(sk.Key, rt.rel); ok && g == gs.Group && rt.ans[i] != 0 && eligibleFor(c, target, si, r) {
						tb.cells = append(tb.cells, cellOf[[2]int{r, i}])
						vals = append(vals, int8(rt.ans[i]))
						counts[recoded(c, rt.ans[i], i)-1]++
					}
				}
				// The membership is what the attacker infers from the
				// output; check it is what the engine counted.
				if len(tb.cells) != gs.N || gs.Distribution == nil || !slices.Equal(counts, gs.Distribution.Counts) {
					return u, fmt.Errorf("item %s, group %s: the checker's members (%d) are not the table's (n %d)", l.Items[i].Item, gs.Group, len(tb.cells), gs.N)
				}
				tb.orders = distinctOrders(vals)
				for _, ci := range tb.cells {
					for _, v := range vals {
						u.allowed[ci] |= 1 << (v - 1)
					}
				}
				u.tables = append(u.tables, tb)
			}
		}
	}
	for ci, m := range u.allowed {
		if m == 0 {
			u.hidden = append(u.hidden, ci)
			u.allowed[ci] = 1<<c.inst.ScalePoints - 1
		}
	}
	return u, nil
}

// size is the number of assignments consistent with the tables.
func (u *infUnknowns) size(A int) float64 {
	n := math.Pow(float64(A), float64(len(u.hidden)))
	for _, tb := range u.tables {
		n *= float64(len(tb.orders))
	}
	return n
}

// each calls f with every assignment consistent with the tables (answers
// per cell, raw): an odometer over each table's orders and each hidden
// cell's answers.
func (u *infUnknowns) each(A int, f func(val []int8) error) error {
	radix := make([]int, 0, len(u.tables)+len(u.hidden))
	for _, tb := range u.tables {
		radix = append(radix, len(tb.orders))
	}
	for range u.hidden {
		radix = append(radix, A)
	}
	digit := make([]int, len(radix))
	val := make([]int8, len(u.cells))
	for {
		for k, tb := range u.tables {
			for j, ci := range tb.cells {
				val[ci] = tb.orders[digit[k]][j]
			}
		}
		for k, ci := range u.hidden {
			val[ci] = int8(digit[len(u.tables)+k] + 1)
		}
		if err := f(val); err != nil {
			return err
		}
		k := 0
		for ; k < len(digit); k++ {
			if digit[k]++; digit[k] < radix[k] {
				break
			}
			digit[k] = 0
		}
		if k == len(digit) {
			return nil
		}
	}
}

// infClass is one output's assignments: how many, and per cell the set of
// raw answers seen (bit v-1 for answer v).
type infClass struct {
	size int
	seen []uint8
}

func (cl *infClass) add(size int, seen []uint8) {
	cl.size += size
	for ci, m := range seen {
		cl.seen[ci] |= m
	}
}

// checkInference enumerates the target's anonymous answers of s (at most
// limit assignments, else it reports skipped), groups the assignments by
// the output they give, and reports every answer an output pins.
func checkInference(s infScenario, limit int, extra extraOutput) (infReport, error) {
	c := s.c
	A := c.inst.ScalePoints
	rs := c.ratings()
	raters := c.raters[s.target]
	in := Input{Instrument: c.inst, Ratings: rs, Previous: s.previous, PreviousPanels: s.previousPanels}
	var buf []byte
	output := func() (Result, []byte, error) {
		res, err := score(in, keepViews, smallCohort)
		if err != nil {
			return Result{}, nil, err
		}
		if buf, err = res.AppendJSON(buf[:0]); err != nil {
			return Result{}, nil, err
		}
		if extra != nil {
			if buf, err = extra(c, &res, buf); err != nil {
				return Result{}, nil, err
			}
		}
		return res, buf, nil
	}

	res, trueOut, err := output()
	if err != nil {
		return infReport{}, err
	}
	seed := maphash.MakeSeed()
	trueKey := [2]uint64{maphash.Bytes(seed, trueOut), maphash.Bytes(seed, roundNumbers(nil, trueOut))}
	// Classes mean something only if one input gives one output.
	if _, again, err := output(); err != nil || maphash.Bytes(seed, again) != trueKey[0] {
		return infReport{}, fmt.Errorf("scoring the same input twice gave different outputs (%v)", err)
	}
	l := &res.Leaders[slices.IndexFunc(res.Leaders, func(l Leader) bool { return l.ParticipantID == s.target })]
	u, err := unknownsOf(c, s.target, slices.IndexFunc(rs, func(r Rating) bool { return r.ParticipantID == s.target }), l)
	if err != nil {
		return infReport{}, err
	}
	rep := infReport{cells: len(u.cells), hidden: len(u.hidden)}
	for _, m := range u.allowed {
		if bits.OnesCount8(m) > 1 {
			rep.open++
		}
	}
	for _, it := range l.Items {
		if it.Trend != nil && it.Trend.CI.Available() {
			rep.trends++
		}
	}
	for _, sr := range l.Skills {
		if sr.Trend != nil && sr.Trend.CI.Available() {
			rep.trends++
		}
		for _, gs := range append(slices.Clone(sr.Groups), sr.AllOthers) {
			if gs.Group != GroupSelf && gs.Group != GroupManager && gs.SDBasis == BasisRaters {
				rep.raterSDs++
			}
		}
	}
	if u.size(A) > float64(limit) {
		rep.skipped = true
		return rep, nil
	}

	// Rounding only merges outputs, so each distinct full output is
	// rounded once and the two-decimal classes are unions of full ones.
	classes := [2]map[uint64]*infClass{{}, {}}
	roundedKey := map[uint64]uint64{}
	var rounded []byte
	truth := make([]int, len(u.cells))
	for ci, cl := range u.cells {
		truth[ci] = raters[cl.r].ans[cl.i]
	}
	err = u.each(A, func(val []int8) error {
		for ci, cl := range u.cells {
			rs[cl.at].Value = Answer(val[ci])
			raters[cl.r].ans[cl.i] = int(val[ci]) // what extra reads
		}
		_, full, err := output()
		if err != nil {
			return err
		}
		key := maphash.Bytes(seed, full)
		cl := classes[0][key]
		if cl == nil {
			cl = &infClass{seen: make([]uint8, len(u.cells))}
			classes[0][key] = cl
			rounded = roundNumbers(rounded[:0], full)
			roundedKey[key] = maphash.Bytes(seed, rounded)
		}
		cl.size++
		for ci, v := range val {
			cl.seen[ci] |= 1 << (v - 1)
		}
		rep.assignments++
		return nil
	})
	for ci, cl := range u.cells { // leave the cycle as it was
		raters[cl.r].ans[cl.i] = truth[ci]
	}
	if err != nil {
		return rep, err
	}
	if classes[0][trueKey[0]] == nil {
		return rep, fmt.Errorf("no assignment gave the true output: the enumeration misses the truth")
	}
	for key, cl := range classes[0] {
		r := classes[1][roundedKey[key]]
		if r == nil {
			r = &infClass{seen: make([]uint8, len(u.cells))}
			classes[1][roundedKey[key]] = r
		}
		r.add(cl.size, cl.seen)
	}

	for p := range classes {
		rep.classes[p] = len(classes[p])
		for key, cl := range classes[p] {
			for ci, seen := range cl.seen {
				if bits.OnesCount8(seen) != 1 || bits.OnesCount8(u.allowed[ci]) < 2 {
					continue
				}
				cc := u.cells[ci]
				pin := fmt.Sprintf("%s: %s (%s) answered %d to %s in each of the %d assignments that give one output; the item tables allow %d values",
					precisions[p], raters[cc.r].id, raters[cc.r].rel, bits.TrailingZeros8(seen)+1, l.Items[cc.i].Item, cl.size, bits.OnesCount8(u.allowed[ci]))
				rep.pins[p] = append(rep.pins[p], pin)
				if key == trueKey[p] {
					rep.truePins[p] = append(rep.truePins[p], pin)
				}
			}
		}
		slices.Sort(rep.pins[p])
		slices.Sort(rep.truePins[p])
	}
	return rep, nil
}

// eligibleFor: rater r of leader answered at least ceil(J/2) of skill si's
// J items (SCORING.md 1.2), which the attacker can see from the pattern.
func eligibleFor(c *dCycle, leader string, si, r int) bool {
	n := 0
	for _, a := range c.raters[leader][r].ans[c.first[si]:c.first[si+1]] {
		if a != 0 {
			n++
		}
	}
	j := c.first[si+1] - c.first[si]
	return n > 0 && n >= (j+1)/2
}

// recoded is answer a to item i after reverse keying.
func recoded(c *dCycle, a, i int) int {
	if c.reverse[i] {
		return c.inst.ScalePoints + 1 - a
	}
	return a
}

// distinctOrders lists every distinct order of a multiset, the sorted one
// first (the next-permutation algorithm skips repeats).
func distinctOrders(vals []int8) [][]int8 {
	p := slices.Clone(vals)
	slices.Sort(p)
	out := [][]int8{slices.Clone(p)}
	for {
		i := len(p) - 2
		for i >= 0 && p[i] >= p[i+1] {
			i--
		}
		if i < 0 {
			return out
		}
		j := len(p) - 1
		for p[j] <= p[i] {
			j--
		}
		p[i], p[j] = p[j], p[i]
		slices.Reverse(p[i+1:])
		out = append(out, slices.Clone(p))
	}
}

// roundNumbers appends src, a JSON document, with every number written to
// two decimals, as the reports print figures. Whole numbers get decimals
// too ("4" and "4.001" both read "4.00"), so one printed value is one text.
func roundNumbers(dst, src []byte) []byte {
	inString := false
	for i := 0; i < len(src); i++ {
		ch := src[i]
		switch {
		case inString:
			dst = append(dst, ch)
			if ch == '\\' {
				i++
				dst = append(dst, src[i])
			} else if ch == '"' {
				inString = false
			}
		case ch == '"':
			inString = true
			dst = append(dst, ch)
		case ch == '-' || ch >= '0' && ch <= '9':
			j := i + 1
			for j < len(src) && strings.IndexByte("+-.eE0123456789", src[j]) >= 0 {
				j++
			}
			v, err := strconv.ParseFloat(string(src[i:j]), 64)
			if err != nil {
				panic(fmt.Sprintf("number %q in JSON: %v", src[i:j], err))
			}
			dst = strconv.AppendFloat(dst, v, 'f', 2, 64)
			i = j - 1
		default:
			dst = append(dst, ch)
		}
	}
	return dst
}

// genInferenceScenario: three leaders L0-L2 who rate one another and share
// the raters u00-u13; one or two skills of two or three items on a scale of
// 3, 4 or 5 points, now and then a reverse-keyed item; per leader self
// (usually), 0-2 managers, 0-5 peers, 0-4 direct reports, 0-2 others;
// 0-30% "not observed" (none in a quarter of the scenarios) and now and
// then a rater who skips half; answers near a leader's own centre, so
// tables have ties. Half the scenarios have a previous cycle, for trends.
func genInferenceScenario(rng *rand.Rand) infScenario {
	A := 3 + rng.IntN(3)
	inst := Instrument{Key: "inference", Version: 1, ScalePoints: A}
	for s := range 1 + rng.IntN(2) {
		sk := Skill{Key: fmt.Sprint("s", s), Name: fmt.Sprint("Skill ", s)}
		j := 2 + rng.IntN(2)
		for i := range j {
			key := fmt.Sprintf("s%d.%d", s, i)
			sk.Items = append(sk.Items, Item{Key: key, Lineage: "L-" + key, Reverse: i == j-1 && rng.IntN(3) == 0})
		}
		inst.Skills = append(inst.Skills, sk)
	}
	leaders := []string{"L0", "L1", "L2"}
	people := slices.Clone(leaders)
	for i := range 14 {
		people = append(people, fmt.Sprintf("u%02d", i))
	}
	pNO := 0.0
	if rng.IntN(4) > 0 {
		pNO = 0.3 * rng.Float64()
	}
	cycle := func() *dCycle {
		c := newDCycle(inst)
		c.leaders = leaders
		for _, lid := range leaders {
			centre := 1 + rng.IntN(A)
			used := map[string]bool{lid: true}
			add := func(id string, rel Relationship) {
				p := pNO
				if rel != Self && rng.Float64() < 0.1 {
					p = 0.5
				}
				ans := make([]int, len(c.reverse))
				for i := range ans {
					if rng.Float64() >= p {
						ans[i] = min(A, max(1, centre+rng.IntN(3)-1))
					}
				}
				c.raters[lid] = append(c.raters[lid], dRater{id: id, rel: rel, ans: ans})
			}
			person := func() string {
				for {
					if p := people[rng.IntN(len(people))]; !used[p] {
						used[p] = true
						return p
					}
				}
			}
			if rng.Float64() < 0.8 {
				add(lid, Self)
			}
			for _, g := range []struct {
				rel Relationship
				max int
			}{{Manager, 2}, {Peer, 5}, {DirectReport, 4}, {Other, 2}} {
				for range rng.IntN(g.max + 1) {
					add(person(), g.rel)
				}
			}
		}
		return c
	}
	s := infScenario{target: leaders[rng.IntN(len(leaders))]}
	if rng.IntN(2) == 0 {
		prev := Input{Instrument: inst, Ratings: cycle().ratings()}
		res, err := score(prev, keepViews, smallCohort)
		if err != nil {
			panic(err)
		}
		s.previous = map[string]Leader{}
		for _, l := range res.Leaders {
			s.previous[l.ParticipantID] = l
		}
		if s.previousPanels, err = Panels(prev); err != nil {
			panic(err)
		}
	}
	s.c = cycle()
	return s
}

// TestInference is TRUST.md bar A2 for every printed figure: the enumeration
// checker on generated scenarios. Scenarios over the enumeration limit, and
// those with no answer the tables leave open, are skipped and counted; the
// test fails if too few ran.
func TestInference(t *testing.T) {
	t.Parallel()
	const workers = 4
	var ran, skipped, trivial, assignments, cells, hidden, classes, raterSDs, trends atomic.Int64
	var next atomic.Uint64
	start := time.Now()
	maxSeeds := uint64(*inferenceScenarios) * 20
	for w := range workers {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			t.Parallel()
			for ran.Load() < int64(*inferenceScenarios) {
				seed := next.Add(1) - 1
				if seed >= maxSeeds {
					return
				}
				s := genInferenceScenario(rand.New(rand.NewPCG(seed, 0x1f3)))
				rep, err := checkInference(s, *inferenceLimit, nil)
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				switch {
				case rep.skipped:
					skipped.Add(1)
					continue
				case rep.open == 0:
					trivial.Add(1)
					continue
				}
				ran.Add(1)
				assignments.Add(int64(rep.assignments))
				cells.Add(int64(rep.cells))
				hidden.Add(int64(rep.hidden))
				classes.Add(int64(rep.classes[0]))
				raterSDs.Add(int64(rep.raterSDs))
				trends.Add(int64(rep.trends))
				for p := range rep.pins {
					for _, pin := range rep.pins[p] {
						t.Errorf("seed %d, leader %s: %s", seed, s.target, pin)
					}
				}
			}
		})
	}
	t.Cleanup(func() {
		t.Logf("%d scenarios enumerated (%d over the limit of %d assignments, %d with no open answer skipped): %d assignments, %d anonymous answers (%d in no table), %d skill groups (all others included) with the raters' SD, %d shown trends, %d distinct outputs, in %v",
			ran.Load(), skipped.Load(), *inferenceLimit, trivial.Load(), assignments.Load(), cells.Load(), hidden.Load(), raterSDs.Load(), trends.Load(), classes.Load(), time.Since(start).Round(time.Millisecond))
		if ran.Load() < int64(*inferenceScenarios) {
			t.Errorf("only %d of %d scenarios ran within %d seeds: the generator makes too many that are over the limit", ran.Load(), *inferenceScenarios, maxSeeds)
		}
	})
}
