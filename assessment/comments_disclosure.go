package assessment

import (
	"cmp"
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"

	"github.com/lead360/lead360/scoring"
)

// Comments: which of a leader's comments a report may show, and as whose.

// ShownComment is a comment as a report may show it: the group it is shown
// under and the text, with no rater, time or id (TRUST.md rule 4).
type ShownComment struct {
	QuestionKey string
	Group       scoring.Group
	Body        string
}

// LeaderComments are the comments about one leader that a report may show.
type LeaderComments struct {
	// Self are the leader's own comments, shown apart, in question order.
	Self []ShownComment
	// Others are the colleagues' comments, by question in instrument order,
	// and within a question in an order that does not follow submission.
	Others []ShownComment
}

// DiscloseComments applies the comment rules of TRUST.md rule 4 to one
// leader, following the engine's own anonymity decision (leader.Disclosure,
// made once by scoring's disclose), so that comments and numbers obey one
// suppression function (rule 2):
//
//   - a comment on a skill's question is shown only if its relationship is
//     shown for that skill, and under the group that shows it (a pooled
//     relationship appears as other_colleagues);
//   - a comment on a question without a skill (the overall question) is
//     shown only if its relationship is shown on every skill, under
//     other_colleagues if it is pooled on any of them;
//   - self comments are returned apart; a comment on a question the
//     instrument does not have is dropped;
//   - within a question, comments are sorted by SHA-256(salt, text), with
//     the snapshot's input hash as salt: stable for one snapshot, unrelated
//     to who wrote first.
func DiscloseComments(in *Instrument, leader *scoring.Leader, comments []CycleComment, salt string) LeaderComments {
	order := map[string]int{}
	for i, q := range in.Questions {
		order[q.Key] = i
	}
	type keyed struct {
		ShownComment
		q   int
		key [sha256.Size]byte
	}
	var self, others []keyed
	for _, c := range comments {
		qi, ok := order[c.QuestionKey]
		if c.ParticipantID != leader.ParticipantID || !ok {
			continue
		}
		k := keyed{ShownComment: ShownComment{QuestionKey: c.QuestionKey, Body: c.Body}, q: qi,
			key: sha256.Sum256([]byte(salt + "\x00" + c.Body))}
		if c.Relationship == Self {
			k.Group = scoring.GroupSelf
			self = append(self, k)
			continue
		}
		g, ok := commentGroup(leader, in.Questions[qi].Skill, scoring.Relationship(c.Relationship))
		if !ok {
			continue
		}
		k.Group = g
		others = append(others, k)
	}
	sortKeyed := func(ks []keyed) []ShownComment {
		slices.SortFunc(ks, func(a, b keyed) int {
			return cmp.Or(cmp.Compare(a.q, b.q), strings.Compare(string(a.key[:]), string(b.key[:])), strings.Compare(a.Body, b.Body))
		})
		out := make([]ShownComment, len(ks))
		for i, k := range ks {
			out[i] = k.ShownComment
		}
		return out
	}
	return LeaderComments{Self: sortKeyed(self), Others: sortKeyed(others)}
}

// commentGroup is where a comment of rel on a question of skill is shown.
func commentGroup(leader *scoring.Leader, skill string, rel scoring.Relationship) (scoring.Group, bool) {
	if skill != "" {
		return leader.ShownAs(skill, rel)
	}
	if len(leader.Disclosure) == 0 {
		return 0, false
	}
	var group scoring.Group
	for _, d := range leader.Disclosure {
		g, ok := leader.ShownAs(d.Skill, rel)
		if !ok {
			return 0, false
		}
		if group == 0 || g == scoring.GroupOtherColleagues {
			group = g
		}
	}
	return group, true
}

// CycleComments loads the cycle's comments for DiscloseComments; like
// every result, they exist only once the cycle is closed (TRUST.md rule 3).
func (s *Service) CycleComments(ctx context.Context, orgID, cycleID string) ([]CycleComment, error) {
	c, err := s.store.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return nil, fmt.Errorf("comments of cycle %s: %w", cycleID, err)
	}
	if c.Status != StatusClosed && c.Status != StatusReleased {
		return nil, Errorf(CodeConflict, "cycle %q is %s: results exist only after the cycle closes", c.Name, c.Status)
	}
	cs, err := s.store.CycleComments(ctx, orgID, cycleID)
	if err != nil {
		return nil, fmt.Errorf("comments of cycle %s: %w", cycleID, err)
	}
	return cs, nil
}
