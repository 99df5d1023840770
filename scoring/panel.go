package scoring

import (
	"fmt"
	"slices"
	"strings"
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

// buildPanels validates the ratings and sorts them into one panel per
// leader, leaders sorted by participant id. The work is linear in the
// number of ratings: one map lookup per rating for the item and a cached one
// for the leader and rater.
func buildPanels(ratings []Rating, inst *instrument) ([]panel, error) {
	nItems := len(inst.items)
	leaderOf := make([]int32, len(ratings))
	itemOf := make([]int16, len(ratings))
	groupOf := make([]group, len(ratings))
	ids := map[string]int32{}
	var names []string
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

	// Sort leaders by id and bucket the ratings (a counting sort).
	order := make([]int32, len(names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(names[a], names[b]) })
	rank := make([]int32, len(names))
	for newIdx, old := range order {
		rank[old] = int32(newIdx)
	}
	start := make([]int32, len(names)+1)
	for i := range leaderOf {
		leaderOf[i] = rank[leaderOf[i]]
		start[leaderOf[i]+1]++
	}
	for l := range names {
		start[l+1] += start[l]
	}
	pos := slices.Clone(start[:len(names)])
	byLeader := make([]int32, len(ratings))
	for i, l := range leaderOf {
		byLeader[pos[l]] = int32(i)
		pos[l]++
	}

	panels := make([]panel, len(names))
	raterIdx := map[string]int32{}
	largest := int32(0)
	for l := range names {
		largest = max(largest, start[l+1]-start[l])
	}
	tmp := make([]int32, 0, largest)
	for l := range panels {
		idxs := byLeader[start[l]:start[l+1]]
		p := &panels[l]
		p.participant = names[order[l]]
		clear(raterIdx)
		var raters []string
		tmp = tmp[:0]
		lastR, lastRI := "", int32(-1)
		for _, i := range idxs {
			id := ratings[i].RaterID
			if lastRI < 0 || id != lastR {
				ri, ok := raterIdx[id]
				if !ok {
					ri = int32(len(raters))
					raterIdx[id] = ri
					raters = append(raters, id)
				}
				lastR, lastRI = id, ri
			}
			tmp = append(tmp, lastRI)
		}
		// Re-number raters in id order.
		perm := make([]int32, len(raters))
		for i := range perm {
			perm[i] = int32(i)
		}
		slices.SortFunc(perm, func(a, b int32) int { return strings.Compare(raters[a], raters[b]) })
		newOf := make([]int32, len(raters))
		p.raters = make([]string, len(raters))
		for n, o := range perm {
			newOf[o] = int32(n)
			p.raters[n] = raters[o]
		}
		p.groups = make([]group, len(raters))
		seen := make([]bool, len(raters))
		p.cells = make([]int8, len(raters)*nItems)
		selfRater := -1
		for j, i := range idxs {
			r := &ratings[i]
			ri := int(newOf[tmp[j]])
			g := groupOf[i]
			switch {
			case !seen[ri]:
				seen[ri] = true
				p.groups[ri] = g
				if g == gSelf {
					if selfRater >= 0 {
						return nil, ratingError(int(i), r, fmt.Sprintf("a second self rater (the first is %q)", p.raters[selfRater]))
					}
					selfRater = ri
				}
			case p.groups[ri] != g:
				return nil, ratingError(int(i), r, fmt.Sprintf("rater %q also rates this leader as %q; a rater has one relationship per leader", r.RaterID, groupNames[p.groups[ri]]))
			}
			it := int(itemOf[i])
			c := &p.cells[ri*nItems+it]
			if *c != cellMissing {
				return nil, ratingError(int(i), r, fmt.Sprintf("duplicate rating of item %q by rater %q", r.ItemKey, r.RaterID))
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
	}
	return panels, nil
}

func ratingError(i int, r *Rating, msg string) error {
	return fmt.Errorf("%w: rating %d (participant %q, rater %q, item %q): %s", ErrInvalidInput, i, r.ParticipantID, r.RaterID, r.ItemKey, msg)
}
