package api

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/lead360/lead360/assessment"
)

// Objects of the access matrix for invitation management and nominations,
// made on first use: per organisation, a draft cycle whose leaders
// nominate (in organisation X, leaders A and B lead it) with one invitation
// and one nomination.

type nominationObjects struct {
	cycleID, invitationID, nominationID string
}

var (
	nominationWorldsMu sync.Mutex
	nominationWorlds   = map[*accessWorld]map[string]nominationObjects{}
)

// nominationObjectsFor returns the objects of the actor's organisation
// (own) or of the other one.
func (w *accessWorld) nominationObjectsFor(a actor, own bool) nominationObjects {
	orgID := w.personFor(a, own).OrganizationID
	nominationWorldsMu.Lock()
	defer nominationWorldsMu.Unlock()
	byOrg := nominationWorlds[w]
	if byOrg == nil {
		byOrg = map[string]nominationObjects{}
		for org := range w.person {
			byOrg[org] = makeNominationObjects(w, org)
		}
		nominationWorlds[w] = byOrg
	}
	return byOrg[orgID]
}

func makeNominationObjects(w *accessWorld, orgID string) nominationObjects {
	h := w.h
	t := h.t
	ctx := context.Background()
	svc := h.fx.Service
	now := h.fx.Clock.Now()
	c, err := svc.CreateCycle(ctx, assessment.CycleDraft{OrganizationID: orgID, InstrumentID: h.fx.Instrument.ID,
		Name: "Access " + orgID, OpensAt: now, ClosesAt: now.AddDate(0, 0, 21)})
	if err != nil {
		t.Fatal(err)
	}
	mustNominate(t, h, c, assessment.GroupLimit{Relationship: assessment.Peer, Min: 0, Max: 5})
	leaders := []string{"access-leader@example.com"}
	if orgID == h.fx.Org.ID {
		leaders = []string{actorEmails[leaderA], actorEmails[leaderB]}
	}
	var first assessment.Participant
	for i, email := range leaders {
		p, err := svc.AddParticipant(ctx, orgID, c.ID, assessment.PersonInput{Name: "Leader " + email, Email: email})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = p
		}
	}
	self, err := h.fx.Store.Assignments(ctx, orgID, first.ID)
	if err != nil || len(self) == 0 {
		t.Fatalf("self assignment: %v", err)
	}
	hash := make([]byte, 32)
	_, _ = rand.Read(hash)
	inv := assessment.Invitation{OrganizationID: orgID, AssignmentID: self[0].ID, TokenHash: hash, CreatedAt: now}
	if err := h.fx.Store.CreateInvitation(ctx, &inv, ""); err != nil {
		t.Fatal(err)
	}
	n := assessment.Nomination{OrganizationID: orgID, CycleID: c.ID, ParticipantID: first.ID, Name: "Nominee",
		Email: "nominee@example.com", Relationship: assessment.Peer, CreatedAt: now}
	if err := h.fx.Store.AddNomination(ctx, &n); err != nil {
		t.Fatal(err)
	}
	return nominationObjects{cycleID: c.ID, invitationID: inv.ID, nominationID: n.ID}
}

// mustNominate turns nominations on for a cycle with the group limits.
func mustNominate(t testing.TB, h *harness, c assessment.Cycle, limits ...assessment.GroupLimit) {
	t.Helper()
	cs := assessment.DefaultCycleSettings(c.OrganizationID, c.ID)
	cs.LeadersNominate, cs.GroupLimits = true, limits
	if err := h.fx.Store.SaveCycleSettings(context.Background(), &cs, h.fx.Clock.Now()); err != nil {
		t.Fatal(err)
	}
}

func cyclePath(suffix string) func(w *accessWorld, a actor, own bool) string {
	return func(w *accessWorld, a actor, own bool) string {
		return "/cycles/" + w.nominationObjectsFor(a, own).cycleID + suffix
	}
}

func invitationPath(action string) func(w *accessWorld, a actor, own bool) string {
	return func(w *accessWorld, a actor, own bool) string {
		o := w.nominationObjectsFor(a, own)
		return "/cycles/" + o.cycleID + "/invitations/" + o.invitationID + "/" + action
	}
}

// nominationAccessRows are the matrix rows of invitations.go and
// nominations.go. Resend and revoke answer an admin of the organisation
// 409 here (the cycle is a draft); their success is tested with email.
var nominationAccessRows = []accessRow{
	{method: http.MethodGet, route: "/cycles/:id/invitations", path: cyclePath("/invitations"), allowed: []actor{adminX, adminY}},
	{method: http.MethodPost, route: "/cycles/:id/invitations/:iid/resend", path: invitationPath("resend"), allowed: []actor{adminX, adminY}},
	{method: http.MethodPost, route: "/cycles/:id/invitations/:iid/revoke", path: invitationPath("revoke"), allowed: []actor{adminX, adminY}},
	{method: http.MethodGet, route: "/cycles/:id/nominations", path: cyclePath("/nominations"), allowed: []actor{adminX, adminY}},
	{method: http.MethodPost, route: "/cycles/:id/nominations", path: cyclePath("/nominations"), allowed: []actor{adminX, adminY},
		form: url.Values{"participant_id": {"no-such-leader"}, "name": {"Eve"}, "email": {"eve@example.com"}, "relationship": {"peer"}}},
	{method: http.MethodPost, route: "/cycles/:id/nominations/approve", path: cyclePath("/nominations/approve"), allowed: []actor{adminX, adminY},
		form: url.Values{"participant_id": {"no-such-leader"}}},
	{method: http.MethodPost, route: "/cycles/:id/nominations/:nid/remove", allowed: []actor{adminX, adminY},
		path: func(w *accessWorld, a actor, own bool) string {
			o := w.nominationObjectsFor(a, own)
			return "/cycles/" + o.cycleID + "/nominations/" + o.nominationID + "/remove"
		}},
	{method: http.MethodGet, route: "/me/nominations", allowed: []actor{leaderA, leaderB}},
	{method: http.MethodGet, route: "/me/nominations/:cycleID", allowed: []actor{leaderA, leaderB},
		path: func(w *accessWorld, a actor, own bool) string {
			return "/me/nominations/" + w.nominationObjectsFor(a, own).cycleID
		}},
	{method: http.MethodPost, route: "/me/nominations/:cycleID", allowed: []actor{leaderA, leaderB},
		path: func(w *accessWorld, a actor, own bool) string {
			return "/me/nominations/" + w.nominationObjectsFor(a, own).cycleID
		},
		form: url.Values{"name_0": {"Pat Lee"}, "email_0": {"pat@example.com"}, "relationship_0": {"peer"}}},
}

// The rows join the matrix here, next to the objects they need, rather
// than inside access_test.go's literal that every area edits.
func init() { accessRows = append(accessRows, nominationAccessRows...) }
