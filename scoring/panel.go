package scoring

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Cell values of a panel besides the answers 1..A.
const (
	cellMissing     int8 = 0  // no rating row for this rater and item
	cellNotObserved int8 = -1 // "not observed"
)

// panel is one leader's ratings as a dense raters x items matrix. It is the
// raw material of the anonymity function and nothing else reads it.
type panel struct {
	participant string
	raters      []string // sorted, so no result depends on input order
	groups      []group  // relationship of each rater
	cells       []int8   // raters x items, reverse keying applied
}

func (p *panel) row(r int, nItems int) []int8 { return p.cells[r*nItems : (r+1)*nItems] }

// panelScratch holds the buffers of buildPanels, panels included: they are
// read until Score returns and then reused by the next call.
type panelScratch struct {
	leaderOf, byLeader, order, rank, start, pos []int32
	itemOf                                      []int16
	groupOf, groups, seenGroups                 []group
	names, raters                               []string
	ids, raterIdx                               map[string]int32
	panels                                      []panel
	cells, seenCells                            []int8
}

var panelScratches = sync.Pool{New: func() any {
	return &panelScratch{ids: map[string]int32{}, raterIdx: map[string]int32{}}
}}

// release returns sc to the pool without references to the caller's ids.
func (sc *panelScratch) release() {
	clear(sc.ids)
	clear(sc.raterIdx)
	clear(sc.names)
	clear(sc.raters)
	clear(sc.panels)
	panelScratches.Put(sc)
}

// buildPanels validates the ratings and sorts them into one panel per
// leader, leaders sorted by participant id. The work is linear in the
// number of ratings: one map lookup per rating for the item and a cached one
// for the leader and rater. The panels live in sc.
func buildPanels(ratings []Rating, inst *instrument, sc *panelScratch) ([]panel, error) {
	names, err := sc.indexRatings(ratings, inst)
	if err != nil {
		return nil, err
	}
	sc.names = names
	order, start, byLeader := sc.bucketByLeader(names)

	// Every panel's raters (and their groups and cells) live in one slab.
	panels := grow(&sc.panels, len(names))
	sc.raters, sc.groups, sc.cells = sc.raters[:0], sc.groups[:0], sc.cells[:0]
	for l := range panels {
		p := &panels[l]
		p.participant = names[order[l]]
		from := len(sc.raters)
		if err := sc.collectRaters(ratings, byLeader[start[l]:start[l+1]], inst); err != nil {
			return nil, err
		}
		sc.placeRaters(p, from, len(inst.items))
	}
	return panels, nil
}

// indexRatings checks each rating on its own and records, in sc, its
// leader (numbered in order of first appearance), item and relationship. It
// returns the leaders' ids.
func (sc *panelScratch) indexRatings(ratings []Rating, inst *instrument) ([]string, error) {
	leaderOf := grow(&sc.leaderOf, len(ratings))
	itemOf := grow(&sc.itemOf, len(ratings))
	groupOf := grow(&sc.groupOf, len(ratings))
	ids := sc.ids
	clear(ids)
	names := sc.names[:0]
	last, lastIdx := "", int32(-1)
	nextItem := 0
	for i := range ratings {
		r := &ratings[i]
		switch {
		case r.ParticipantID == "":
			return nil, ratingError(i, r, "participant_id is empty")
		case r.RaterID == "":
			return nil, ratingError(i, r, "rater_id is empty")
		}
		g, ok := parseRelationship(r.Relationship)
		groupOf[i] = g
		if !ok {
			return nil, ratingError(i, r, fmt.Sprintf("unknown relationship %q: use self, manager, peer, direct_report or other", r.Relationship))
		}
		// Ratings usually come in instrument order: try the item after the
		// previous one before the map.
		it := nextItem
		if it >= len(inst.items) || inst.items[it].key != r.ItemKey {
			idx, ok := inst.itemIndex[r.ItemKey]
			if !ok {
				return nil, ratingError(i, r, fmt.Sprintf("unknown item %q", r.ItemKey))
			}
			it = int(idx)
		}
		nextItem = it + 1
		itemOf[i] = int16(it)
		if r.Value != NotObserved && (r.Value < 1 || int(r.Value) > inst.A) {
			return nil, ratingError(i, r, fmt.Sprintf("value %d is outside 1..%d", r.Value, inst.A))
		}
		if lastIdx < 0 || r.ParticipantID != last {
			idx, ok := ids[r.ParticipantID]
			if !ok {
				idx = int32(len(names))
				ids[r.ParticipantID] = idx
				names = append(names, r.ParticipantID)
			}
			last, lastIdx = r.ParticipantID, idx
		}
		leaderOf[i] = lastIdx
	}
	return names, nil
}

// bucketByLeader sorts the leaders by id and buckets the ratings (a
// counting sort): leader l (in id order) is names[order[l]], and its
// ratings, in input order, are byLeader[start[l]:start[l+1]]. sc.leaderOf
// is renumbered in id order.
func (sc *panelScratch) bucketByLeader(names []string) (order, start, byLeader []int32) {
	order = grow(&sc.order, len(names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(names[a], names[b]) })
	rank := grow(&sc.rank, len(names))
	for newIdx, old := range order {
		rank[old] = int32(newIdx)
	}
	leaderOf := sc.leaderOf
	start = grow(&sc.start, len(names)+1)
	for i := range leaderOf {
		leaderOf[i] = rank[leaderOf[i]]
		start[leaderOf[i]+1]++
	}
	for l := range names {
		start[l+1] += start[l]
	}
	pos := grow(&sc.pos, len(names))
	copy(pos, start)
	byLeader = grow(&sc.byLeader, len(leaderOf))
	for i, l := range leaderOf {
		byLeader[pos[l]] = int32(i)
		pos[l]++
	}
	return order, start, byLeader
}

// collectRaters reads one leader's ratings (idxs, in input order) in one
// pass, checking each as it comes, so the first problem in input order is
// the one reported. Raters are kept in the order they first appear: their
// ids appended to sc.raters, their groups in sc.seenGroups, a raters x
// items matrix of their cells in sc.seenCells, and each one's row number
// in sc.raterIdx.
func (sc *panelScratch) collectRaters(ratings []Rating, idxs []int32, inst *instrument) error {
	nItems := len(inst.items)
	groupOf, itemOf, raterIdx := sc.groupOf, sc.itemOf, sc.raterIdx
	clear(raterIdx)
	seenGroups, seenCells := sc.seenGroups[:0], sc.seenCells[:0]
	self := ""
	lastR, lastRI := "", -1
	for _, i := range idxs {
		r := &ratings[i]
		g := groupOf[i]
		if lastRI < 0 || r.RaterID != lastR {
			ri, ok := raterIdx[r.RaterID]
			if !ok {
				if g == gSelf {
					if self != "" {
						return ratingError(int(i), r, fmt.Sprintf("a second self rater (the first is %q)", self))
					}
					self = r.RaterID
				}
				ri = int32(len(seenGroups))
				raterIdx[r.RaterID] = ri
				sc.raters = append(sc.raters, r.RaterID)
				seenGroups = append(seenGroups, g)
				seenCells = append(seenCells, make([]int8, nItems)...)
			}
			lastR, lastRI = r.RaterID, int(ri)
		}
		if seenGroups[lastRI] != g {
			return ratingError(int(i), r, fmt.Sprintf("rater %q also rates this leader as %q; a rater has one relationship per leader", r.RaterID, groupNames[seenGroups[lastRI]]))
		}
		it := int(itemOf[i])
		c := &seenCells[lastRI*nItems+it]
		if *c != cellMissing {
			return ratingError(int(i), r, fmt.Sprintf("duplicate rating of item %q by rater %q", r.ItemKey, r.RaterID))
		}
		switch v := int(r.Value); {
		case r.Value == NotObserved:
			*c = cellNotObserved
		case inst.items[it].reverse:
			*c = int8(inst.A + 1 - v)
		default:
			*c = int8(v)
		}
	}
	sc.seenGroups, sc.seenCells = seenGroups, seenCells
	return nil
}

// placeRaters sorts the raters collectRaters appended from sc.raters[from]
// by id, and copies their groups and rows into p's share of the slab.
func (sc *panelScratch) placeRaters(p *panel, from, nItems int) {
	p.raters = sc.raters[from:len(sc.raters):len(sc.raters)]
	slices.Sort(p.raters)
	nR := len(p.raters)
	p.groups = extend(&sc.groups, nR)
	p.cells = extend(&sc.cells, nR*nItems)
	raterIdx, seenGroups, seenCells := sc.raterIdx, sc.seenGroups, sc.seenCells
	for n, id := range p.raters {
		ri := int(raterIdx[id])
		p.groups[n] = seenGroups[ri]
		copy(p.row(n, nItems), seenCells[ri*nItems:(ri+1)*nItems])
	}
}

// extend lengthens *slab by n elements, growing it as append does, and
// returns them. Slices taken before a growth keep the old backing array.
func extend[T any](slab *[]T, n int) []T {
	s := slices.Grow(*slab, n)
	l := len(s)
	*slab = s[:l+n]
	return s[l : l+n : l+n]
}

func ratingError(i int, r *Rating, msg string) error {
	return fmt.Errorf("%w: rating %d (participant %q, rater %q, item %q): %s", ErrInvalidInput, i, r.ParticipantID, r.RaterID, r.ItemKey, msg)
}
