package assessment

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// An organisation's email domains: the domains of its own people's
// addresses, which HR sets (/org/domains). They decide three things:
// leaders may nominate anyone at these domains (and otherwise only people
// HR already added), a sub-address tag ("ana+360@") is removed from an
// address at these domains, and an address whose domain only looks like
// one of them is refused.

// MaxEmailDomains bounds the list: an organisation has a few.
const MaxEmailDomains = 50

// Audit actions of rater addresses and exclusions.
const (
	ActionEmailDomains    = "org.email_domains"
	ActionResponseExclude = "response.exclude"
	ActionExclusionsSeen  = "cycle.exclusions_seen"
)

// EmailDomains are an organisation's domains in their IDNA Unicode form,
// sorted.
type EmailDomains struct {
	Domains []string
	// Seeded is true until HR saves the list: until then the domains are
	// those of the organisation's admins and of the leaders HR put in its
	// cycles, the addresses HR itself vouched for (never "any domain").
	Seeded bool
}

// Has reports whether domain is one of the organisation's.
func (d EmailDomains) Has(domain string) bool { return slices.Contains(d.Domains, domain) }

// Canonical is the address as lead360 stores it: at the organisation's
// domains without its sub-address tag, which the mail server delivers to
// the same mailbox; elsewhere as typed, since other servers may not.
func (d EmailDomains) Canonical(a Address) Address {
	if d.Has(a.Domain) {
		return a.untagged()
	}
	return a
}

// imitated is the organisation's domain that a's domain only looks like
// ("acrne.test" for "acme.test"), or "".
func (d EmailDomains) imitated(a Address) string {
	sk := a.skeleton().Domain
	for _, own := range d.Domains {
		if own != a.Domain && (Address{Domain: own}).skeleton().Domain == sk {
			return own
		}
	}
	return ""
}

// String lists the domains for a sentence: "acme.test and acme.example".
func (d EmailDomains) String() string {
	switch n := len(d.Domains); n {
	case 0:
		return "none yet"
	case 1:
		return d.Domains[0]
	default:
		return strings.Join(d.Domains[:n-1], ", ") + " and " + d.Domains[n-1]
	}
}

// ParseEmailDomains reads the settings form: domains separated by new
// lines, commas or spaces, with or without a leading "@". Problems come
// back on the "domains" field, every bad entry named.
func ParseEmailDomains(text string) ([]string, error) {
	fields := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\r' || r == '\n' })
	var out, bad []string
	for _, f := range fields {
		d, msg := parseOrgDomain(strings.TrimPrefix(f, "@"))
		if msg != "" {
			bad = append(bad, msg)
			continue
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	switch {
	case len(bad) > 0:
		return nil, fieldError("domains", strings.Join(bad, " "))
	case len(out) > MaxEmailDomains:
		return nil, fieldError("domains", fmt.Sprintf("List at most %d domains (this has %d).", MaxEmailDomains, len(out)))
	}
	slices.Sort(out)
	return out, nil
}

// parseOrgDomain checks one domain of the list and returns its stored
// form, or what is wrong with it in words.
func parseOrgDomain(s string) (string, string) {
	d, err := parseDomainName(s)
	if err != nil || strings.ContainsAny(s, "@/:") {
		return "", fmt.Sprintf("'%s' is not a domain name: write it like example.com.", clip(s))
	}
	if !strings.Contains(strings.Trim(d, "."), ".") {
		return "", fmt.Sprintf("'%s' needs the part after the dot too, like %s.com.", clip(s), clip(d))
	}
	for _, label := range strings.Split(d, ".") {
		if msg := addressProblemIn(label, d); msg != "" {
			return "", strings.Replace(msg, "This address", "'"+clip(s)+"'", 1)
		}
	}
	return d, ""
}

// EmailDomains loads the organisation's domains, seeded until HR saves them.
func (s *Service) EmailDomains(ctx context.Context, orgID string) (EmailDomains, error) {
	d, err := emailDomains(ctx, s.store, orgID)
	if err != nil {
		return EmailDomains{}, fmt.Errorf("email domains: %w", err)
	}
	return d, nil
}

func emailDomains(ctx context.Context, st Store, orgID string) (EmailDomains, error) {
	saved, ok, err := st.EmailDomains(ctx, orgID)
	if err != nil {
		return EmailDomains{}, err
	}
	if ok {
		return EmailDomains{Domains: saved}, nil
	}
	addrs, err := st.StaffAddresses(ctx, orgID)
	if err != nil {
		return EmailDomains{}, err
	}
	d := EmailDomains{Seeded: true}
	for _, raw := range addrs {
		if a, err := ParseAddress(raw); err == nil && !d.Has(a.Domain) {
			d.Domains = append(d.Domains, a.Domain)
		}
	}
	slices.Sort(d.Domains)
	return d, nil
}

// SetEmailDomains saves the organisation's domains from the settings
// form's text, with an audit entry; the form keeps the text on a problem.
func (s *Service) SetEmailDomains(ctx context.Context, orgID, text, actorUserID string) (EmailDomains, error) {
	domains, err := ParseEmailDomains(text)
	if err != nil {
		return EmailDomains{}, err
	}
	err = s.store.InTx(ctx, func(tx Store) error {
		now := s.Now()
		if err := tx.SaveEmailDomains(ctx, orgID, domains, now); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionEmailDomains,
			SubjectType: "organization", SubjectID: orgID, Detail: truncate("Email domains: "+EmailDomains{Domains: domains}.String(), 2000), CreatedAt: now})
	})
	if err != nil {
		return EmailDomains{}, fmt.Errorf("save email domains: %w", err)
	}
	return EmailDomains{Domains: domains}, nil
}

// addressBook is what the use cases that add people share within one
// transaction: the organisation's domains, loaded once, and each leader's
// own addresses, loaded on first use. A 5,000-row import reads each once.
type addressBook struct {
	st      Store
	orgID   string
	domains EmailDomains
	own     map[string][]Address // leader person id -> their addresses
}

func newAddressBook(ctx context.Context, st Store, orgID string) (*addressBook, error) {
	d, err := emailDomains(ctx, st, orgID)
	if err != nil {
		return nil, err
	}
	return &addressBook{st: st, orgID: orgID, domains: d, own: map[string][]Address{}}, nil
}

// parse reads a typed address (ParseAddress) and returns its stored form
// (Canonical), refusing one whose domain imitates the organisation's.
func (b *addressBook) parse(raw string) (Address, error) {
	a, err := ParseAddress(raw)
	if err != nil {
		return Address{}, err
	}
	if own := b.domains.imitated(a); own != "" {
		return Address{}, Errorf(CodeInvalid, "This address's domain '%s' looks like %s but is a different one; check the spelling.", a.Domain, own)
	}
	return b.domains.Canonical(a), nil
}

// leaderOwn reports whether a is one of the leader's own addresses: the
// person's address or a dashboard account's, with any tag, or one that
// reads the same (SameMailbox).
func (b *addressBook) leaderOwn(ctx context.Context, leaderPersonID string, a Address) (bool, error) {
	own, ok := b.own[leaderPersonID]
	if !ok {
		byPerson, err := b.st.PersonAddresses(ctx, b.orgID, []string{leaderPersonID})
		if err != nil {
			return false, err
		}
		for _, raw := range byPerson[leaderPersonID] {
			if x, err := ParseAddress(raw); err == nil {
				own = append(own, x)
			}
		}
		b.own[leaderPersonID] = own
	}
	return slices.ContainsFunc(own, func(x Address) bool { return SameMailbox(a, x) }), nil
}

// addressField is an address problem as the message next to the field.
func addressField(err error) string {
	if e, ok := err.(*Error); ok && e != ErrNotAnAddress {
		return e.Message
	}
	return ErrNotAnAddress.Message
}

// leaderOwnMessage answers an address that is the leader's own.
const leaderOwnMessage = "This is one of the leader's own addresses: their self-assessment is already included."

// RaterStore is the persistence of the rules about raters: the
// organisation's email domains and the exclusion of submitted answers
// (email_domains.go, exclusions.go).
type RaterStore interface {
	// EmailDomains loads the domains HR saved; ok is false when HR never
	// saved any (an empty saved list is ok and empty).
	EmailDomains(ctx context.Context, orgID string) (domains []string, ok bool, err error)
	SaveEmailDomains(ctx context.Context, orgID string, domains []string, at time.Time) error
	// StaffAddresses lists the addresses of the organisation's admins and
	// of the people who lead in its cycles.
	StaffAddresses(ctx context.Context, orgID string) ([]string, error)
	// PersonAddresses lists each person's addresses: their own and their
	// dashboard accounts', by person id.
	PersonAddresses(ctx context.Context, orgID string, personIDs []string) (map[string][]string, error)

	// ExcludeResponse marks a submitted response excluded, once: a second
	// exclusion, or a draft, is a CodeConflict error.
	ExcludeResponse(ctx context.Context, orgID, responseID string, at time.Time) error
	// RevokeLiveInvitations revokes the assignment's live invitation, if
	// it has one.
	RevokeLiveInvitations(ctx context.Context, orgID, assignmentID string, at time.Time) error
	// ExcludedGroups counts, per leader and relationship of the cycle with
	// at least one excluded response, the submitted responses that count,
	// those excluded and those excluded but not yet seen at a release.
	ExcludedGroups(ctx context.Context, orgID, cycleID string) ([]ExcludedGroup, error)
	// MarkExclusionsSeen stamps the cycle's excluded responses as seen at a
	// release.
	MarkExclusionsSeen(ctx context.Context, orgID, cycleID string, at time.Time) error
}
