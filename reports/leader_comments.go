package reports

import (
	"fmt"
	"slices"
	"strings"
)

// comments prints what people wrote: peers, direct reports and others
// (anonymous, when their group is large enough), then the manager's and the
// leader's own.
func (v *leaderView) comments(d *Document) {
	in := v.in
	k := max(in.CommentThreshold, v.k)
	intro := []Block{Heading{Text: secComments, Level: 1},
		Paragraph{Text: fmt.Sprintf("Comments from peers, direct reports and others appear only when at least %d people in that group answered; "+
			"a group smaller than that counts together with other colleagues when together they are at least %d. They appear without names, "+
			"in alphabetical order rather than the order they were written. Read them for patterns rather than single remarks. "+
			"Your manager's comments are shown as theirs, under “%s”, and your own follow at the end.", k, k, secMgrComm)}}
	groups := sortedComments(in.Comments, v.order())
	manager := sortedComments(in.ManagerComments, v.order())
	self := sortedComments(in.SelfComments, v.order())
	switch {
	case len(groups)+len(manager)+len(self) == 0:
		// Nothing to read: a title and one line, not a page of rules about
		// comments that are not there.
		d.Keep(Heading{Text: secComments, Level: 1}, Paragraph{Text: fmt.Sprintf("No comments can be shown: none were written, "+
			"or, for peers, direct reports and others, fewer than %d people answered in their group, too few to keep them anonymous.", k)})
		return
	case len(groups) == 0:
		d.Keep(append(intro, Paragraph{Text: "No comments from peers, direct reports or others can be shown: none were written, " +
			"or too few people answered in their group to keep them anonymous."})...)
	default:
		d.Add(Room{Height: 80})
		d.Add(intro...)
	}
	v.commentGroups(d, groups)
	if len(manager) > 0 {
		d.Add(Heading{Text: secMgrComm, Level: 1})
		v.commentGroups(d, manager)
	}
	if len(self) > 0 {
		d.Add(Heading{Text: secSelfComm, Level: 1})
		v.commentGroups(d, self)
	}
}

// order ranks question keys by their place in the instrument.
func (v *leaderView) order() map[string]int {
	o := map[string]int{}
	for i, q := range v.in.Instrument.Questions {
		o[q.Key] = i
	}
	return o
}

// sortedComments copies the groups in question order with their bodies
// sorted, so no order of submission can survive into the report whatever
// order the caller used.
func sortedComments(in []CommentGroup, order map[string]int) []CommentGroup {
	out := make([]CommentGroup, 0, len(in))
	for _, g := range in {
		if len(g.Bodies) == 0 {
			continue
		}
		g.Bodies = slices.Clone(g.Bodies)
		slices.Sort(g.Bodies)
		out = append(out, g)
	}
	slices.SortStableFunc(out, func(a, b CommentGroup) int {
		oa, okA := order[a.QuestionKey]
		ob, okB := order[b.QuestionKey]
		switch {
		case okA && okB:
			return oa - ob
		case okA != okB:
			if okA {
				return -1
			}
			return 1
		}
		return strings.Compare(a.QuestionKey, b.QuestionKey)
	})
	return out
}

func (v *leaderView) commentGroups(d *Document, groups []CommentGroup) {
	lastSkill := "\x00"
	for _, g := range groups {
		var blocks []Block
		if g.SkillKey != lastSkill {
			name := secOverall
			if g.SkillKey != "" {
				name = v.skillName(g.SkillKey)
			}
			blocks = append(blocks, Heading{Text: name, Level: 2})
			lastSkill = g.SkillKey
		}
		q := g.Question
		if q == "" {
			q = g.QuestionKey
		}
		blocks = append(blocks, Heading{Text: q, Level: 3})
		for _, b := range g.Bodies {
			if strings.TrimSpace(b) != "" {
				blocks = append(blocks, Quote{Text: strings.TrimSpace(b)})
			}
		}
		d.Add(blocks...)
	}
}
