package assessment

import (
	"context"
	"fmt"
)

// Asking leaders to nominate (issue #14, item 8). Leader accounts used to
// be made only when a cycle opens, but nominations close then: a leader
// without an account never nominated. HR now asks the leaders of a draft
// cycle that lets them nominate: each gets an account if they have none and
// one email with the way to their nominations page, once; a leader added to
// the cycle afterwards is asked when added (a NominationInviteJob recorded
// with them).

// Emails of an invitation to nominate: PurposeNominateInvite carries a link
// that sets a password (its token is an invitation's); PurposeNominate is
// the note to a leader who can already sign in.
const (
	PurposeNominateInvite PasswordPurpose = "nominate_invite"
	PurposeNominate       PasswordPurpose = "nominate"
)

// ActionNominationsInvite is the audit action of asking leaders to
// nominate.
const ActionNominationsInvite = "cycle.nominations_invite"

// stored is the purpose a link's token is stored under: an invitation to
// nominate sets a password as any invitation does.
func (p PasswordPurpose) stored() PasswordPurpose {
	if p == PurposeNominateInvite {
		return PurposeInvite
	}
	return p
}

// NominationInviter gives leaders of a draft cycle a way to their
// nominations. The use cases call it inside their transaction, so the
// accounts and emails exist if and only if the invitation is recorded.
type NominationInviter interface {
	InviteToNominate(ctx context.Context, tx Store, c Cycle, parts []Participant) error
}

// InviteToNominate creates the accounts the leaders lack and mails each the
// way to their nominations: a link that sets a password, or a sign-in link.
func (a *Accounts) InviteToNominate(ctx context.Context, tx Store, c Cycle, parts []Participant) error {
	return a.inviteLeaders(ctx, tx, c, parts, leaderMails{Link: PurposeNominateInvite, Note: PurposeNominate})
}

// NominationInviteJob asks one leader added to a cycle after HR asked its
// leaders to nominate.
type NominationInviteJob struct {
	OrganizationID string `json:"organization_id"`
	CycleID        string `json:"cycle_id"`
	ParticipantID  string `json:"participant_id"`
}

// Kind names the job for the queue.
func (NominationInviteJob) Kind() string { return "nomination_invite" }

// NominationInvites is what asking the leaders did.
type NominationInvites struct {
	// Invited counts the leaders emailed now; Already those emailed before.
	Invited, Already int
}

// InviteToNominate asks the leaders of a draft cycle that lets them
// nominate, each once: a second call (or two at once) emails only leaders
// never asked, and says how many had been. It is audited, and leaders
// added later are asked when added.
func (s *Service) InviteToNominate(ctx context.Context, orgID, cycleID, actorUserID string, leaders NominationInviter) (NominationInvites, error) {
	var out NominationInvites
	err := s.store.InTx(ctx, func(tx Store) error {
		c, err := nominatingDraft(ctx, tx, orgID, cycleID)
		if err != nil {
			return err
		}
		now := s.Now()
		if err := tx.CallNominations(ctx, orgID, cycleID, now); err != nil {
			return err
		}
		parts, err := tx.Participants(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		var fresh []Participant
		for _, p := range parts {
			claimed, err := tx.ClaimNominationInvite(ctx, p, now)
			if err != nil {
				return err
			}
			if claimed {
				fresh = append(fresh, p)
			}
		}
		out = NominationInvites{Invited: len(fresh), Already: len(parts) - len(fresh)}
		if err := leaders.InviteToNominate(ctx, tx, c, fresh); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionNominationsInvite,
			SubjectType: "cycle", SubjectID: cycleID, CreatedAt: now,
			Detail: truncate(fmt.Sprintf("Asked the leaders of %q to nominate: %d emailed now, %d asked before", c.Name, out.Invited, out.Already), 2000)})
	})
	if err != nil {
		return NominationInvites{}, fmt.Errorf("invite the leaders of cycle %s to nominate: %w", cycleID, err)
	}
	return out, nil
}

// nominatingDraft loads a cycle whose leaders may be asked to nominate: a
// draft that lets them.
func nominatingDraft(ctx context.Context, tx Store, orgID, cycleID string) (Cycle, error) {
	c, err := tx.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return Cycle{}, err
	}
	if c.Status != StatusDraft {
		return Cycle{}, Errorf(CodeConflict, "%q has opened: leaders nominate only while a cycle is a draft.", c.Name)
	}
	settings, err := tx.CycleSettings(ctx, orgID, cycleID)
	if err != nil {
		return Cycle{}, err
	}
	if !settings.LeadersNominate {
		return Cycle{}, Errorf(CodeConflict, "%q does not let leaders nominate their raters. Turn it on in the cycle's settings first.", c.Name)
	}
	return c, nil
}

// askIfCalled records a NominationInviteJob for a leader added to a cycle
// whose leaders were asked to nominate.
func askIfCalled(ctx context.Context, tx Store, p Participant) error {
	called, err := tx.NominationsCalled(ctx, p.OrganizationID, p.CycleID)
	if err != nil || !called {
		return err
	}
	return tx.Enqueue(ctx, Job{Args: NominationInviteJob{OrganizationID: p.OrganizationID, CycleID: p.CycleID, ParticipantID: p.ID}})
}

// InviteAddedLeader works a NominationInviteJob: the leader is asked unless
// they were already, left the cycle, or the cycle opened or stopped taking
// nominations meanwhile.
func (s *Service) InviteAddedLeader(ctx context.Context, job NominationInviteJob, leaders NominationInviter) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		c, err := nominatingDraft(ctx, tx, job.OrganizationID, job.CycleID)
		if ErrorCode(err) == CodeConflict || ErrorCode(err) == CodeNotFound {
			return nil
		}
		if err != nil {
			return err
		}
		p, err := tx.Participant(ctx, job.OrganizationID, job.ParticipantID)
		if ErrorCode(err) == CodeNotFound || err == nil && p.CycleID != c.ID {
			return nil
		}
		if err != nil {
			return err
		}
		claimed, err := tx.ClaimNominationInvite(ctx, p, s.Now())
		if err != nil || !claimed {
			return err
		}
		if err := leaders.InviteToNominate(ctx, tx, c, []Participant{p}); err != nil {
			return err
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: c.OrganizationID, Action: ActionNominationsInvite,
			SubjectType: "participant", SubjectID: p.ID, CreatedAt: s.Now(),
			Detail: truncate(fmt.Sprintf("Asked a leader added to %q to nominate", c.Name), 2000)})
	})
	if err != nil {
		return fmt.Errorf("invite leader %s to nominate: %w", job.ParticipantID, err)
	}
	return nil
}
