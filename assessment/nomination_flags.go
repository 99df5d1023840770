package assessment

import (
	"context"
	"slices"
)

// What HR's review of nominations flags, in words on the page: raters a
// leader chose are where a planted address would hide, so the review
// points at the ones to look at twice.

// NominationFlags are what HR should look at twice in a nomination.
type NominationFlags struct {
	// External: the address is not at one of the organisation's domains
	// (an admin added it, or HR imported the person before).
	External bool
	// New: nobody had this address in lead360 before the nomination.
	New bool
	// LooksLike are the addresses it reads like (LooksLike), the leader's
	// or another rater's of the same leader.
	LooksLike []Resemblance
}

// Resemblance is an address a nomination reads like, and whose it is.
type Resemblance struct {
	Email    string
	OfLeader bool
}

// Any reports whether there is something to look at.
func (f NominationFlags) Any() bool { return f.External || f.New || len(f.LooksLike) > 0 }

// flagNominations sets r.Domains and each leader's Flags, with a fixed
// number of queries: the nominees' people, the leaders' addresses and the
// cycle's raters.
func (s *Service) flagNominations(ctx context.Context, orgID string, r *NominationReview, all []Nomination) error {
	var err error
	if r.Domains, err = emailDomains(ctx, s.store, orgID); err != nil {
		return err
	}
	emails := make([]string, len(all))
	for i, n := range all {
		emails[i] = n.Email
	}
	known, err := s.store.PeopleByEmail(ctx, orgID, emails)
	if err != nil {
		return err
	}
	leaderIDs := make([]string, len(r.Leaders))
	for i, l := range r.Leaders {
		leaderIDs[i] = l.Leader.ID
	}
	leaderAddrs, err := s.store.PersonAddresses(ctx, orgID, leaderIDs)
	if err != nil {
		return err
	}
	roster, err := s.store.CycleRoster(ctx, orgID, r.Cycle.ID)
	if err != nil {
		return err
	}
	raters := map[string][]string{} // participant id -> raters' addresses
	for _, l := range roster {
		for _, rr := range l.Raters {
			if rr.Assignment.Relationship != Self {
				raters[l.Participant.ID] = append(raters[l.Participant.ID], rr.Person.Email)
			}
		}
	}
	for i := range r.Leaders {
		l := &r.Leaders[i]
		others := raters[l.Participant.ID]
		for _, n := range l.Nominations {
			others = append(others, n.Email)
		}
		l.Flags = make(map[string]NominationFlags, len(l.Nominations))
		for _, n := range l.Nominations {
			f := NominationFlags{External: !r.Domains.Has(DomainOf(n.Email))}
			p, ok := known[n.Email]
			f.New = !ok || !p.CreatedAt.Before(n.CreatedAt)
			f.LooksLike = resemblances(n.Email, leaderAddrs[l.Leader.ID], others)
			l.Flags[n.ID] = f
		}
	}
	return nil
}

// resemblances lists the leader's addresses and the other raters'
// addresses that email reads like; an address that does not parse (stored
// before today's rules) resembles nothing.
func resemblances(email string, leader, raters []string) []Resemblance {
	a, err := ParseAddress(email)
	if err != nil {
		return nil
	}
	var out []Resemblance
	add := func(other string, ofLeader bool) {
		b, err := ParseAddress(other)
		if err != nil || other == email || !LooksLike(a, b) ||
			slices.ContainsFunc(out, func(r Resemblance) bool { return r.Email == other }) {
			return
		}
		out = append(out, Resemblance{Email: other, OfLeader: ofLeader})
	}
	for _, x := range leader {
		add(x, true)
	}
	for _, x := range raters {
		add(x, false)
	}
	return out
}
