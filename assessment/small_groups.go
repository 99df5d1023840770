package assessment

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lead360/lead360/scoring"
)

// Small groups, seen before anyone answers: a leader whose peers, direct
// reports or others are invited in a group under the threshold will have
// that group pooled with other colleagues or left out of their report,
// however many answer. HR is warned on the import preview and before
// opening, from the invited counts and the engine's own rule
// (scoring.PlanGroups). Invited counts are HR's own data, so the warning
// tells nobody anything about answers.

// SmallGroups is one leader whose report, as invited, would pool or leave
// out a group or show no "all colleagues" figure; Notes say what, in
// words, in report order.
type SmallGroups struct {
	Leader string
	Notes  []string
}

// String is the leader and the notes on one line.
func (g SmallGroups) String() string { return g.Leader + ": " + strings.Join(g.Notes, "; ") }

// invitedGroups is a leader's invited raters, counted by relationship.
type invitedGroups struct {
	leader Person
	counts map[Relationship]int
}

// planSmallGroups is the SmallGroups of every leader whose invited counts
// plan a report that pools or leaves something out at threshold k, by
// leader name.
func planSmallGroups(k int, invited []invitedGroups) []SmallGroups {
	k = max(k, MinAnonymityThreshold)
	var out []SmallGroups
	for _, lg := range invited {
		counts := lg.counts
		byEngine := map[scoring.Relationship]int{}
		for rel, n := range counts {
			byEngine[scoring.Relationship(rel)] = n
		}
		plan := scoring.PlanGroups(byEngine, k)
		var notes []string
		for _, rel := range []Relationship{Peer, DirectReport, Other} {
			n := counts[rel]
			switch plan.Groups[scoring.Relationship(rel)] {
			case scoring.SuppressedPooled:
				notes = append(notes, fmt.Sprintf("%s %d invited, fewer than %d: they count within “%s”", rel.Plural(), n, k, WordOtherColleagues))
			case scoring.SuppressedExcluded:
				notes = append(notes, fmt.Sprintf("%s %d invited, fewer than %d and too few to combine: left out of every figure", rel.Plural(), n, k))
			}
		}
		if !plan.AllOthers {
			notes = append(notes, fmt.Sprintf("fewer than %d colleagues in all: no “%s” figure and no gaps, only their own and their manager’s ratings", k, WordAllColleagues))
		}
		if len(notes) > 0 {
			out = append(out, SmallGroups{Leader: leaderName(lg.leader), Notes: notes})
		}
	}
	slices.SortStableFunc(out, func(a, b SmallGroups) int { return strings.Compare(a.Leader, b.Leader) })
	return out
}

// SmallGroups is planSmallGroups of the cycle's leaders as they stand, for
// the confirmation before opening it.
func (o CycleOverview) SmallGroups() []SmallGroups {
	var invited []invitedGroups
	for _, l := range o.Leaders {
		counts := map[Relationship]int{}
		for _, r := range l.Raters {
			counts[r.Assignment.Relationship]++
		}
		invited = append(invited, invitedGroups{leader: l.Leader, counts: counts})
	}
	return planSmallGroups(o.Cycle.AnonymityThreshold, invited)
}

// leaderName is how warnings name a leader: by name, or by address when
// the organisation has no name for them.
func leaderName(p Person) string {
	if p.Name != "" {
		return p.Name
	}
	return p.Email
}
