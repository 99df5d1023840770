package assessment

// Relationship is how a rater knows the leader they rate.
type Relationship string

const (
	Self         Relationship = "self"
	Manager      Relationship = "manager"
	Peer         Relationship = "peer"
	DirectReport Relationship = "direct_report"
	Other        Relationship = "other"
)

// Relationships lists every relationship in the order reports show them.
var Relationships = []Relationship{Self, Manager, Peer, DirectReport, Other}

// ParseRelationship accepts the stored form and the common spellings people
// type in a CSV ("direct report", "Direct-Report").
func ParseRelationship(s string) (Relationship, error) {
	norm := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c == ' ' || c == '-':
			c = '_'
		}
		norm = append(norm, c)
	}
	r := Relationship(norm)
	for _, known := range Relationships {
		if r == known {
			return r, nil
		}
	}
	return "", Errorf(CodeInvalid, "unknown relationship %q: use self, manager, peer, direct_report or other", s)
}

// Label is the relationship as a person reads it in a sentence.
func (r Relationship) Label() string {
	switch r {
	case Self:
		return "Self"
	case Manager:
		return "Manager"
	case Peer:
		return "Peer"
	case DirectReport:
		return "Direct report"
	default:
		return "Other"
	}
}

// Plural names the relationship's group in a sentence: "peers".
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

// Identifiable reports whether answers in this relationship can be traced to
// the rater by design; raters are told so in their invitation.
func (r Relationship) Identifiable() bool { return r == Self || r == Manager }
