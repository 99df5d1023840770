package assessment

import (
	"context"
	"fmt"
	"strings"
)

// The admins of an organisation, managed by its admins: invite one (a new
// account, or the admin role added to a leader's account) and remove one
// (the role only: the account stays, so the audit log keeps naming who did
// what, and a leader keeps their own pages).

// AdminInvite is what the admins page asks for to invite an admin.
type AdminInvite struct {
	Name  string
	Email string
}

// Admins lists the organisation's admins by name, with their last sign-in.
func (a *Accounts) Admins(ctx context.Context, orgID string) ([]User, error) {
	admins, err := a.store().Admins(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("list admins: %w", err)
	}
	return admins, nil
}

// InviteAdmin makes the person an admin of the actor's organisation: a new
// account, or the admin role added to the account their address already
// has there (a leader). An account without a password gets the invitation
// email with a link to set one, in the same transaction; an account that
// can already sign in is told nothing new (they see the admin pages at
// their next sign-in). An address that is already an admin's is refused
// next to the field.
func (a *Accounts) InviteAdmin(ctx context.Context, actor User, in AdminInvite) (User, error) {
	u, err := validateAdminInvite(in)
	if err != nil {
		return User{}, err
	}
	u.OrganizationID, u.CreatedAt = actor.OrganizationID, a.Now()
	err = a.store().InTx(ctx, func(tx Store) error {
		found, err := tx.UserByEmail(ctx, u.OrganizationID, u.Email)
		switch {
		case ErrorCode(err) == CodeNotFound:
			u.Roles = []Role{RoleAdmin}
			if err := tx.CreateUser(ctx, &u); err != nil {
				return err
			}
		case err != nil:
			return err
		case found.Has(RoleAdmin):
			return &Error{Code: CodeConflict, Message: "this person is already an admin",
				Fields: map[string]string{"email": "This person is already an admin of the organisation."}}
		default:
			if err := tx.AddRole(ctx, u.OrganizationID, found.ID, RoleAdmin, ""); err != nil {
				return err
			}
			found.Roles = RolesOf(true, found.Has(RoleLeader))
			u = found
		}
		if err := tx.AddAudit(ctx, &AuditEntry{OrganizationID: u.OrganizationID, ActorUserID: actor.ID, Action: "admin.invite",
			SubjectType: "user", SubjectID: u.ID, Detail: u.Email, CreatedAt: a.Now()}); err != nil {
			return err
		}
		if hasPassword(u) {
			return nil
		}
		return a.issuePasswordLink(ctx, tx, u, PurposeInvite, InviteLinkLifetime, "")
	})
	if err != nil {
		return User{}, fmt.Errorf("invite admin %s: %w", u.Email, err)
	}
	return u, nil
}

// validateAdminInvite checks both fields at once, so the form shows every
// problem in one round trip.
func validateAdminInvite(in AdminInvite) (User, error) {
	fe := fieldErrors{}
	if err := ValidateName("name", in.Name); err != nil {
		fe.add("name", fieldMessage(err, "name"))
	}
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		fe.add("email", "Enter an email address like name@example.com.")
	}
	if err := fe.err("the admin cannot be invited"); err != nil {
		return User{}, err
	}
	return User{Email: email, Name: strings.TrimSpace(in.Name)}, nil
}

// RemoveAdmin takes the admin role from one of the organisation's
// accounts. Nobody removes themself (another admin must, so an
// organisation is never left by mistake) and the last admin stays. Every
// session of the account ends, and its unused password links stop
// working: whoever was signed in as that admin is out at once. A leader
// keeps their leader role and signs in again to their own pages.
func (a *Accounts) RemoveAdmin(ctx context.Context, actor User, userID string) error {
	if userID == actor.ID {
		return Errorf(CodeConflict, "You cannot remove yourself. Ask another admin to remove you.")
	}
	err := a.store().InTx(ctx, func(tx Store) error {
		if err := tx.RemoveAdmin(ctx, actor.OrganizationID, userID); err != nil {
			if ErrorCode(err) == CodeConflict {
				return Errorf(CodeConflict, "This is the organisation's last admin. Invite another admin first.")
			}
			return err
		}
		now := a.Now()
		if err := tx.DeleteUserSessions(ctx, userID); err != nil {
			return err
		}
		if err := tx.RevokePasswordTokens(ctx, userID, now); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: actor.OrganizationID, ActorUserID: actor.ID, Action: "admin.remove",
			SubjectType: "user", SubjectID: userID, CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("remove admin %s: %w", userID, err)
	}
	return nil
}

// RecordSignIn stamps the account's last sign-in, for the admins page.
func (a *Accounts) RecordSignIn(ctx context.Context, userID string) error {
	if err := a.store().RecordSignIn(ctx, userID, a.Now()); err != nil {
		return fmt.Errorf("record sign-in: %w", err)
	}
	return nil
}
