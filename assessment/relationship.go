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

// Identifiable reports whether answers in this relationship can be traced to
// the rater by design; raters are told so in their invitation.
func (r Relationship) Identifiable() bool { return r == Self || r == Manager }
