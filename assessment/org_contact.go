package assessment

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// The organisation's contact (issue #14, item 9): the person or team that
// answers leaders' and raters' questions. Every email names them under
// "Questions?" and sets Reply-To to their address, so a reply reaches a
// person rather than the sending mailbox. HR sets it on /org/contact;
// without one, emails name the configured sender as before.

// ActionOrgContact is the audit action of a saved or removed contact.
const ActionOrgContact = "org.contact"

// OrgContact is who answers questions about the organisation's feedback.
type OrgContact struct {
	Name  string // "Zoë Martin, People team"
	Email string // "people@example.com"
}

// IsZero reports whether no contact is set.
func (c OrgContact) IsZero() bool { return c == OrgContact{} }

// String is the contact as emails write it: "Zoë Martin, People team
// (people@example.com)".
func (c OrgContact) String() string {
	if c.IsZero() {
		return ""
	}
	return c.Name + " (" + c.Email + ")"
}

// CheckOrgContact trims the contact form and checks it; problems are keyed
// by field (contact_name, contact_email). Both fields empty is valid: it
// removes the contact.
func CheckOrgContact(in OrgContact) (OrgContact, error) {
	out := OrgContact{Name: strings.TrimSpace(in.Name), Email: strings.TrimSpace(in.Email)}
	if out.IsZero() {
		return out, nil
	}
	fe := fieldErrors{}
	if err := ValidateName("contact_name", out.Name); err != nil {
		msg := fieldMessage(err, "contact_name")
		if out.Name == "" {
			msg = "Enter the name emails show, like Zoë Martin, People team."
		}
		fe.add("contact_name", msg)
	}
	switch a, err := ParseAddress(out.Email); {
	case out.Email == "":
		fe.add("contact_email", "Enter the address replies go to, like people@example.com.")
	case err != nil:
		fe.add("contact_email", addressField(err))
	default:
		out.Email = a.String()
	}
	if err := fe.err("the contact was not saved"); err != nil {
		return OrgContact{}, err
	}
	return out, nil
}

// OrgContact loads the organisation's contact; the zero contact when none
// is set.
func (s *Service) OrgContact(ctx context.Context, orgID string) (OrgContact, error) {
	c, err := s.store.OrgContact(ctx, orgID)
	if err != nil {
		return OrgContact{}, fmt.Errorf("contact of organisation %s: %w", orgID, err)
	}
	return c, nil
}

// SetOrgContact saves the contact form (both fields empty removes the
// contact), with an audit entry; the form keeps what was typed on a
// problem.
func (s *Service) SetOrgContact(ctx context.Context, orgID string, in OrgContact, actorUserID string) (OrgContact, error) {
	c, err := CheckOrgContact(in)
	if err != nil {
		return OrgContact{}, err
	}
	err = s.store.InTx(ctx, func(tx Store) error {
		now := s.Now()
		if err := tx.SaveOrgContact(ctx, orgID, c, now); err != nil {
			return err
		}
		detail := "Contact removed: emails name the sender"
		if !c.IsZero() {
			detail = "Contact: " + c.String()
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionOrgContact,
			SubjectType: "organization", SubjectID: orgID, Detail: truncate(detail, 2000), CreatedAt: now})
	})
	if err != nil {
		return OrgContact{}, fmt.Errorf("save the contact of organisation %s: %w", orgID, err)
	}
	return c, nil
}

// MailStore is the persistence of what emails need beyond their own use
// case: the organisation's contact and the record of leaders asked to
// nominate (nomination_invite.go).
type MailStore interface {
	// OrgContact loads the contact; the zero contact when none is set.
	OrgContact(ctx context.Context, orgID string) (OrgContact, error)
	// SaveOrgContact inserts or replaces the contact; the zero contact
	// removes it.
	SaveOrgContact(ctx context.Context, orgID string, c OrgContact, at time.Time) error

	// CallNominations records that HR asked the draft cycle's leaders to
	// nominate; calling again keeps the first time.
	CallNominations(ctx context.Context, orgID, cycleID string, at time.Time) error
	// NominationsCalled reports whether HR asked the cycle's leaders to
	// nominate.
	NominationsCalled(ctx context.Context, orgID, cycleID string) (bool, error)
	// ClaimNominationInvite records that the leader is asked to nominate,
	// once: false when they had been already (by this transaction's rivals
	// too).
	ClaimNominationInvite(ctx context.Context, p Participant, at time.Time) (bool, error)
}
