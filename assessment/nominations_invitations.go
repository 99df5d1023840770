package assessment

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// Invitation management: HR sees every survey invitation of a cycle with
// its delivery status, failed emails first, and resends or revokes one.
// Whether a rater has answered is not shown here: HR chases delivery, not
// people (progress pages count per group).

// InvitationState is where an invitation's email stands.
type InvitationState string

const (
	InvitationFailed  InvitationState = "failed"
	InvitationQueued  InvitationState = "queued"
	InvitationSent    InvitationState = "sent"
	InvitationRevoked InvitationState = "revoked"
)

// State is the invitation's delivery status. A failure after the last
// successful send wins: HR must act on it.
func (s InvitationStatus) State() InvitationState {
	inv := s.Invitation
	switch {
	case inv.RevokedAt != nil:
		return InvitationRevoked
	case inv.FailedAt != nil && (inv.SentAt == nil || inv.FailedAt.After(*inv.SentAt)):
		return InvitationFailed
	case inv.SentAt != nil:
		return InvitationSent
	}
	return InvitationQueued
}

// CycleInvitations lists the cycle's invitations for HR: failed emails
// first, then by leader and rater name.
//
// viewer is the admin's email: an admin assessed in the cycle does not see
// their own raters' invitations, whose "answered" would tell them who has
// answered about them (TRUST.md rule 3), as on the progress page.
func (s *Service) CycleInvitations(ctx context.Context, orgID, cycleID, viewer string) (Cycle, []InvitationStatus, error) {
	c, err := s.store.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return Cycle{}, nil, fmt.Errorf("invitations of cycle %s: %w", cycleID, err)
	}
	list, err := s.store.CycleInvitations(ctx, orgID, cycleID)
	if err != nil {
		return Cycle{}, nil, fmt.Errorf("invitations of cycle %s: %w", cycleID, err)
	}
	own, err := s.ViewerParticipation(ctx, orgID, cycleID, viewer)
	if err != nil {
		return Cycle{}, nil, fmt.Errorf("invitations of cycle %s: %w", cycleID, err)
	}
	list = slices.DeleteFunc(list, func(st InvitationStatus) bool { return own != "" && st.Assignment.ParticipantID == own })
	rank := map[InvitationState]int{InvitationFailed: 0, InvitationQueued: 1, InvitationSent: 1, InvitationRevoked: 2}
	slices.SortStableFunc(list, func(a, b InvitationStatus) int {
		return cmp.Or(cmp.Compare(rank[a.State()], rank[b.State()]), cmp.Compare(a.Leader.Name, b.Leader.Name),
			cmp.Compare(a.Rater.Name, b.Rater.Name), cmp.Compare(a.Invitation.ID, b.Invitation.ID))
	})
	return c, list, nil
}

// cycleInvitation loads an invitation of the cycle the page addresses with
// its assignment: an id from another cycle or organisation is not found.
func cycleInvitation(ctx context.Context, tx Store, orgID, cycleID, invitationID string) (Cycle, Invitation, Assignment, error) {
	c, err := tx.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return Cycle{}, Invitation{}, Assignment{}, err
	}
	inv, err := tx.Invitation(ctx, orgID, invitationID)
	if err != nil {
		return Cycle{}, Invitation{}, Assignment{}, err
	}
	a, err := tx.Assignment(ctx, orgID, inv.AssignmentID)
	if err != nil {
		return Cycle{}, Invitation{}, Assignment{}, err
	}
	p, err := tx.Participant(ctx, orgID, a.ParticipantID)
	if err != nil {
		return Cycle{}, Invitation{}, Assignment{}, err
	}
	if p.CycleID != cycleID {
		return Cycle{}, Invitation{}, Assignment{}, Errorf(CodeNotFound, "invitation %s is not in this cycle", invitationID)
	}
	return c, inv, a, nil
}

// managedInvitation loads an invitation of the cycle the page addresses
// (cycleInvitation), in a cycle that still accepts answers.
func (s *Service) managedInvitation(ctx context.Context, tx Store, orgID, cycleID, invitationID, what string) (Invitation, Assignment, error) {
	c, inv, a, err := cycleInvitation(ctx, tx, orgID, cycleID, invitationID)
	if err != nil {
		return Invitation{}, Assignment{}, err
	}
	if !c.AcceptsAnswers(s.Now()) {
		return Invitation{}, Assignment{}, Errorf(CodeConflict, "cycle %q is not open: invitations can only be %s while it is open", c.Name, what)
	}
	return inv, a, nil
}

// ResendInvitation replaces an invitation's link with a new one and emails
// it: the old link stops working at once (TRUST.md: a resend issues a new
// token and revokes the old one). The email lists every live survey of the
// rater in the cycle, as the first one did.
func (s *Service) ResendInvitation(ctx context.Context, orgID, cycleID, invitationID, actorUserID string) (Invitation, error) {
	var fresh Invitation
	err := s.store.InTx(ctx, func(tx Store) error {
		old, a, err := s.managedInvitation(ctx, tx, orgID, cycleID, invitationID, "resent")
		if err != nil {
			return err
		}
		if _, excluded, err := responseState(ctx, tx, orgID, a.ID); err != nil {
			return err
		} else if excluded {
			return Errorf(CodeConflict, "this rater's answers were excluded, so no new link is sent: it would let them answer again")
		}
		now := s.Now()
		if old.RevokedAt == nil {
			if err := tx.RevokeInvitation(ctx, orgID, old.ID, now); err != nil {
				return err
			}
		}
		_, hash, sealed, err := s.tokens.mint()
		if err != nil {
			return err
		}
		fresh = Invitation{OrganizationID: orgID, AssignmentID: a.ID, TokenHash: hash, CreatedAt: now}
		if err := tx.CreateInvitation(ctx, &fresh, sealed); err != nil {
			if ErrorCode(err) == CodeConflict {
				return Errorf(CodeConflict, "a newer link was sent for this survey in the meantime; reload the page")
			}
			return err
		}
		if err := tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: "invitation.resend",
			SubjectType: "invitation", SubjectID: fresh.ID, Detail: "replaces " + old.ID, CreatedAt: now}); err != nil {
			return err
		}
		return tx.Enqueue(ctx, Job{Args: SurveyMailJob{Mail: MailInvitation, OrganizationID: orgID, CycleID: cycleID, PersonID: a.PersonID}})
	})
	if err != nil {
		return Invitation{}, fmt.Errorf("resend invitation %s: %w", invitationID, err)
	}
	return fresh, nil
}

// RevokeInvitation stops an invitation's link without sending a new one
// (a rater asked by mistake); a resend can issue a new link later. A rater
// who has submitted is ErrRevokeSubmitted: revoking would leave their
// answers counted, so that is ExcludeResponse, with its own confirmation.
func (s *Service) RevokeInvitation(ctx context.Context, orgID, cycleID, invitationID, actorUserID string) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		inv, a, err := s.managedInvitation(ctx, tx, orgID, cycleID, invitationID, "revoked")
		if err != nil {
			return err
		}
		if inv.RevokedAt != nil {
			return Errorf(CodeConflict, "this link was already revoked")
		}
		if submitted, excluded, err := responseState(ctx, tx, orgID, a.ID); err != nil {
			return err
		} else if submitted && !excluded && a.Relationship != Self {
			return ErrRevokeSubmitted
		}
		now := s.Now()
		if err := tx.RevokeInvitation(ctx, orgID, inv.ID, now); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: "invitation.revoke",
			SubjectType: "invitation", SubjectID: inv.ID, CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("revoke invitation %s: %w", invitationID, err)
	}
	return nil
}

// ViewerParticipation is the participation in the cycle of the admin with
// this email, or "" when the cycle does not assess them.
func (s *Service) ViewerParticipation(ctx context.Context, orgID, cycleID, viewer string) (string, error) {
	mine, err := s.viewerParticipations(ctx, orgID, viewer)
	if err != nil {
		return "", err
	}
	return mine[cycleID], nil
}

// ViewersOwnInvitation reports whether the invitation is one of the
// viewer's own raters': the invitation pages refuse it as not found, so an
// assessed admin can neither read nor act on who has answered about them.
func (s *Service) ViewersOwnInvitation(ctx context.Context, orgID, cycleID, invitationID, viewer string) (bool, error) {
	own, err := s.ViewerParticipation(ctx, orgID, cycleID, viewer)
	if err != nil || own == "" {
		return false, err
	}
	_, _, a, err := cycleInvitation(ctx, s.store, orgID, cycleID, invitationID)
	if err != nil {
		return false, err
	}
	return a.ParticipantID == own, nil
}
