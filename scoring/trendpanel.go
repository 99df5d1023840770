package scoring

import "slices"

// This file holds the rule that withholds a trend when the raters behind it
// changed by fewer than k_min people (docs/scoring.md, "Trend"). When the
// others answer as before, a change between a panel of four peers and the
// same four plus one new peer is the new peer's answer divided by five, so a
// trend must compare panels that are either the same people or differ by at
// least k_min of them. Panels say who counted; they are identity, so they
// enter a Result nowhere (TRUST.md rule 6).

// LeaderPanels is who counted in each all-others figure of one leader:
// skills and items by key, only those whose all-others figure was shown.
type LeaderPanels struct {
	Skills map[string]Panel `json:"skills"`
	Items  map[string]Panel `json:"items"`
}

// Panel is the raters counted in one all-others figure, by rater id, sorted.
// Managers are listed apart from the anonymous members (peers, direct
// reports, others, other colleagues) because the trend rule counts both ways
// (withheldByPanel).
type Panel struct {
	Managers  []string `json:"managers,omitempty"`
	Anonymous []string `json:"anonymous,omitempty"`
}

// Panels returns, for each leader of a cycle (by participant id), who counted
// in each shown all-others figure. It applies the same anonymity rules as
// Score (disclose), so a rater is in a panel exactly when their answers are
// in that figure. Rater ids are in.Ratings' own: to compare two cycles, both
// must use ids that mean the same person in both.
func Panels(in Input) (map[string]LeaderPanels, error) {
	inst, set, panels, ps, err := prepare(in)
	if err != nil {
		return nil, err
	}
	defer ps.release()
	sc := discloseScratches.Get().(*discloseScratch)
	defer discloseScratches.Put(sc)
	out := make(map[string]LeaderPanels, len(panels))
	for i := range panels {
		p := &panels[i]
		v := disclose(p, inst, set.KMin, sc)
		lp := LeaderPanels{Skills: map[string]Panel{}, Items: map[string]Panel{}}
		for si := range v.skills {
			if u := &v.skills[si]; u.reportable {
				lp.Skills[inst.skills[si].key] = panelOf(u, p.raters)
			}
		}
		for it := range v.items {
			if u := &v.items[it]; u.reportable {
				lp.Items[inst.items[it].key] = panelOf(u, p.raters)
			}
		}
		out[p.participant] = lp
	}
	return out, nil
}

// panelOf is who counts in u's all-others figure.
func panelOf(u *unit, raters []string) Panel {
	ids := func(m members) []string {
		out := make([]string, m.len())
		for i, r := range m.raters {
			out[i] = raters[r]
		}
		slices.Sort(out)
		return out
	}
	return Panel{
		Managers:  ids(u.group(gManager)),
		Anonymous: ids(u.members.slice(int(u.start[gPeer]), u.members.len())),
	}
}

// withholdPanelTrends applies the panel rule to every trend of l that would
// show a change, comparing each unit's panel in v (raters are the panel's
// rater ids) with its previous one.
func withholdPanelTrends(l *Leader, v *view, raters []string, prev LeaderPanels, k int) {
	for si := range l.Skills {
		sk := &l.Skills[si]
		withholdByPanel(sk.Trend, panelOf(&v.skills[si], raters), prev.Skills[sk.Skill], k)
	}
	for it := range l.Items {
		r := &l.Items[it]
		withholdByPanel(r.Trend, panelOf(&v.items[it], raters), prev.Items[r.Item], k)
	}
}

// withholdByPanel withholds t's previous figure and change when they could
// point at one rater:
//
//   - previous_panel_unknown: the previous panel does not have as many
//     raters as the previous figure (no panels were given, or the previous
//     figure was made from other ratings than the panel), so nothing can be
//     checked;
//   - panel_changed_below_threshold: between 1 and k-1 people joined or left,
//     counting managers like everyone else, or between 1 and k-1 counting
//     the anonymous members alone. The second count stops a change of
//     manager from lifting a one-peer change to k: the manager's figures,
//     shown under their own label in both reports, can be subtracted again.
//
// The self change stays: it is the leader's own answer.
func withholdByPanel(t *Trend, cur, prev Panel, k int) {
	if t == nil || !t.Change.Available() {
		return
	}
	var why Reason
	switch {
	case t.PreviousN != len(prev.Managers)+len(prev.Anonymous):
		why = ReasonPreviousPanelUnknown
	case changedBelow(k, slices.Concat(prev.Managers, prev.Anonymous), slices.Concat(cur.Managers, cur.Anonymous)),
		changedBelow(k, prev.Anonymous, cur.Anonymous):
		why = ReasonPanelChanged
	default:
		return
	}
	*t = Trend{Previous: notAvailable(why), Change: notAvailable(why), CI: Interval{Reason: why}, SelfChange: t.SelfChange}
}

// changedBelow reports whether between 1 and k-1 people are in one of the
// two lists and not in the other.
func changedBelow(k int, prev, cur []string) bool {
	left := make(map[string]bool, len(prev))
	for _, id := range prev {
		left[id] = true
	}
	changed := 0
	for _, id := range cur {
		if left[id] {
			delete(left, id)
		} else {
			changed++
		}
	}
	changed += len(left)
	return changed >= 1 && changed < k
}
