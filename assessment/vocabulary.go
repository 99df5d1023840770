package assessment

import (
	"strconv"
	"strings"

	"github.com/lead360/lead360/scoring"
)

// The vocabulary: the words every channel (survey, emails, web pages, PDF
// report, CSV notes) uses for the same thing. A word a person reads about
// groups, relationships, the scale or intervals comes from here, so that
// "All colleagues" in the PDF is "All colleagues" on the web; the
// vocabulary test renders each channel and compares. Skill names and
// descriptions, item wordings and the scale's answer labels come from the
// instrument (instruments/*.yaml), the other half of the vocabulary.

// Words a leader or HR reads for the groups of a result.
const (
	// WordYou names the leader's own ratings when the reader is the leader
	// (their PDF, their web results); WordSelf when it is someone else.
	WordYou  = "You"
	WordSelf = "Self"
	// WordAllColleagues is everyone who rated the leader except the leader.
	WordAllColleagues = "All colleagues"
	// WordColleagues heads a column of all colleagues' figures.
	WordColleagues = "Colleagues"
	// WordOtherColleagues is the pool of groups too small to show alone.
	WordOtherColleagues = "Other colleagues (combined)"
	// WordInterval names a 95% confidence interval everywhere it is shown.
	WordInterval = "95% interval"
	// WordNotObserved is the answer a rater gives when they have not seen a
	// behaviour.
	WordNotObserved = "Not observed"
	// WordBlindSpot and WordHiddenStrength name the two perception gaps.
	WordBlindSpot      = "Blind spot"
	WordHiddenStrength = "Hidden strength"
)

// GroupLabel names a result group as a heading or table label. The
// leader's own group is WordSelf here; pages that address the leader say
// WordYou (GroupLabelFor).
func GroupLabel(g scoring.Group) string {
	switch g {
	case scoring.GroupSelf:
		return WordSelf
	case scoring.GroupManager:
		return "Manager"
	case scoring.GroupPeer:
		return "Peers"
	case scoring.GroupDirectReport:
		return "Direct reports"
	case scoring.GroupOther:
		return "Others"
	case scoring.GroupOtherColleagues:
		return WordOtherColleagues
	case scoring.GroupAllOthers:
		return WordAllColleagues
	}
	return g.String()
}

// GroupLabelFor is GroupLabel for a reader: the leader reads their own
// ratings as WordYou.
func GroupLabelFor(g scoring.Group, leaderReads bool) string {
	if g == scoring.GroupSelf && leaderReads {
		return WordYou
	}
	return GroupLabel(g)
}

// Label names one rater's relationship, as in a table of raters:
// "Direct report".
func (r Relationship) Label() string {
	switch r {
	case Self:
		return WordSelf
	case Manager:
		return "Manager"
	case Peer:
		return "Peer"
	case DirectReport:
		return "Direct report"
	}
	return "Other"
}

// Plural names the relationship's group in a sentence: "direct reports".
func (r Relationship) Plural() string {
	switch r {
	case Manager:
		return "managers"
	case Peer:
		return "peers"
	case DirectReport:
		return "direct reports"
	}
	return "others"
}

// GroupLabel names the relationship's group as a heading: "Direct reports".
func (r Relationship) GroupLabel() string {
	if r == Self {
		return WordSelf
	}
	return GroupLabel(r.group())
}

// group is the result group a relationship's raters are shown in when the
// group is large enough.
func (r Relationship) group() scoring.Group {
	switch r {
	case Self:
		return scoring.GroupSelf
	case Manager:
		return scoring.GroupManager
	case Peer:
		return scoring.GroupPeer
	case DirectReport:
		return scoring.GroupDirectReport
	}
	return scoring.GroupOther
}

// RaterRole says, to a rater, in what role they answer about the leader,
// worded so that it cannot be read the wrong way round: a direct report is
// "someone on their team", never "a direct report" (which reads as if the
// leader reported to the rater). It follows "as" in a sentence: "You are
// asked about Maya Okafor, as someone on their team."
func (r Relationship) RaterRole() string {
	switch r {
	case Self:
		return "yourself"
	case Manager:
		return "their manager"
	case Peer:
		return "their peer"
	case DirectReport:
		return "someone on their team"
	}
	return "a colleague who works with them"
}

// ScaleText describes a rating scale from its labels:
// "1 Almost never to 5 Almost always".
func ScaleText(labels []string) string {
	if len(labels) < 2 {
		return "1 (low) to 5 (high)"
	}
	return "1 " + labels[0] + " to " + strconv.Itoa(len(labels)) + " " + labels[len(labels)-1]
}

// ScaleList lists every answer of a scale: "1 Almost never, 2 Rarely, ...".
func ScaleList(labels []string) string {
	parts := make([]string, len(labels))
	for i, l := range labels {
		parts[i] = strconv.Itoa(i+1) + " " + l
	}
	return strings.Join(parts, ", ")
}

// FlagLabel names a perception gap flag, or "" for none.
func FlagLabel(f scoring.Flag) string {
	switch f {
	case scoring.FlagBlindSpot:
		return WordBlindSpot
	case scoring.FlagHiddenStrength:
		return WordHiddenStrength
	}
	return ""
}
