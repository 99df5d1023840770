package assessment

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Excluding a rater's submitted answers: HR's way to undo a planted or
// mistaken rater after they answered. An excluded response stays stored
// but counts nowhere (the store's queries of counted answers skip it:
// scoring input, comments, progress counts), its link is revoked, and the
// audit log says who excluded whom. Only before release: a released report
// would need a new version, which this does not make.
//
// Because an exclusion can push a group below the anonymity threshold
// (its answers are then pooled or left out), the cycle is not released
// until HR has seen, per leader, which groups fell (ReleaseCheck).

// ErrRevokeSubmitted answers a revoke of a link whose rater has submitted:
// revoking alone would leave the answers counted, so it is an exclusion,
// which needs its own confirmation.
var ErrRevokeSubmitted = &Error{Code: CodeConflict, Message: "This rater has already submitted. Revoking the link alone would leave their answers counted: exclude their answers instead, which also revokes the link."}

// ErrExclusionsNotSeen refuses a release while excluded answers push a
// group below the threshold and HR has not confirmed it has read which.
var ErrExclusionsNotSeen = &Error{Code: CodeConflict, Message: "Excluded answers change what some leaders' reports show. Read the list below and confirm it before releasing.",
	Fields: map[string]string{"confirm_exclusions": "Tick the box to confirm you have read what the excluded answers change."}}

// ExcludedGroup is one leader's group with at least one excluded response.
type ExcludedGroup struct {
	ParticipantID string
	LeaderName    string
	Relationship  Relationship
	// Counted are the submitted responses that count; Excluded those
	// excluded, Unseen of which no release confirmation has seen yet.
	Counted, Excluded, Unseen int
}

// ExclusionConsequence is a group that excluded answers push below the
// cycle's anonymity threshold.
type ExclusionConsequence struct {
	Leader       string
	Relationship Relationship
	From, To     int
	Unseen       bool
}

// String says it in a sentence: "Maya Okafor: peers fall from 3 to 2 and
// will be pooled or left out".
func (c ExclusionConsequence) String() string {
	return fmt.Sprintf("%s: %s fall from %d to %d and will be pooled or left out", c.Leader, c.Relationship.Plural(), c.From, c.To)
}

// fallsBelow reports whether a group of a relationship shown only from k
// raters goes from shown to not shown when it loses excluded answers.
func fallsBelow(rel Relationship, counted, excluded, k int) bool {
	return !rel.Identifiable() && counted < k && counted+excluded >= k
}

// ReleaseCheck is what excluded answers change in a cycle about to be
// released, with a digest of it that the confirmation carries, so a
// confirmation covers exactly what HR read.
type ReleaseCheck struct {
	Consequences []ExclusionConsequence
	Digest       string
}

// NeedsConfirmation reports whether a consequence was not confirmed yet.
func (r ReleaseCheck) NeedsConfirmation() bool {
	for _, c := range r.Consequences {
		if c.Unseen {
			return true
		}
	}
	return false
}

// ReleaseCheck lists the groups that excluded answers push below the
// threshold in a cycle not released yet.
func (s *Service) ReleaseCheck(ctx context.Context, orgID, cycleID string) (ReleaseCheck, error) {
	c, err := s.store.Cycle(ctx, orgID, cycleID)
	if err != nil {
		return ReleaseCheck{}, fmt.Errorf("release check of cycle %s: %w", cycleID, err)
	}
	rc, err := releaseCheck(ctx, s.store, c)
	if err != nil {
		return ReleaseCheck{}, fmt.Errorf("release check of cycle %s: %w", cycleID, err)
	}
	return rc, nil
}

// excludedCount is how many of the cycle's responses are excluded.
func excludedCount(ctx context.Context, st Store, c Cycle) (int, error) {
	groups, err := st.ExcludedGroups(ctx, c.OrganizationID, c.ID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, g := range groups {
		n += g.Excluded
	}
	return n, nil
}

func releaseCheck(ctx context.Context, st Store, c Cycle) (ReleaseCheck, error) {
	groups, err := st.ExcludedGroups(ctx, c.OrganizationID, c.ID)
	if err != nil {
		return ReleaseCheck{}, err
	}
	var rc ReleaseCheck
	h := sha256.New()
	for _, g := range groups {
		if !fallsBelow(g.Relationship, g.Counted, g.Excluded, c.AnonymityThreshold) {
			continue
		}
		x := ExclusionConsequence{Leader: g.LeaderName, Relationship: g.Relationship, From: g.Counted + g.Excluded, To: g.Counted, Unseen: g.Unseen > 0}
		rc.Consequences = append(rc.Consequences, x)
		fmt.Fprintf(h, "%s\x00%s\x00%d\x00%d\n", g.ParticipantID, g.Relationship, g.Counted, g.Excluded)
	}
	if len(rc.Consequences) > 0 {
		rc.Digest = hex.EncodeToString(h.Sum(nil)[:16])
	}
	return rc, nil
}

// requireExclusionsSeen is the release guard: ErrExclusionsNotSeen while
// a consequence was not confirmed.
func requireExclusionsSeen(ctx context.Context, st Store, c Cycle) error {
	rc, err := releaseCheck(ctx, st, c)
	if err != nil {
		return err
	}
	if rc.NeedsConfirmation() {
		return ErrExclusionsNotSeen
	}
	return nil
}

// ConfirmExclusions records that HR read the consequences whose digest the
// release page showed; a digest that no longer matches (an exclusion since)
// is a conflict, so HR reads the new list.
func (s *Service) ConfirmExclusions(ctx context.Context, orgID, cycleID, digest, actorUserID string) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		c, err := tx.Cycle(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		rc, err := releaseCheck(ctx, tx, c)
		if err != nil {
			return err
		}
		if rc.Digest != digest {
			return &Error{Code: CodeConflict, Message: "The excluded answers changed since this page was shown. Read the list again before releasing.",
				Fields: map[string]string{"confirm_exclusions": "The list changed: read it again, then tick the box."}}
		}
		if len(rc.Consequences) == 0 {
			return nil
		}
		now := s.Now()
		if err := tx.MarkExclusionsSeen(ctx, orgID, cycleID, now); err != nil {
			return err
		}
		lines := make([]string, len(rc.Consequences))
		for i, x := range rc.Consequences {
			lines[i] = x.String()
		}
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionExclusionsSeen,
			SubjectType: "cycle", SubjectID: cycleID, Detail: truncate(strings.Join(lines, "; "), 2000), CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("confirm exclusions of cycle %s: %w", cycleID, err)
	}
	return nil
}

// ExclusionPreview is what HR reads before excluding a rater's answers.
type ExclusionPreview struct {
	Cycle  Cycle
	Status InvitationStatus
	// Submitted: there are answers to exclude. Excluded: already done.
	Submitted, Excluded bool
	// Counted is how many answers of the rater's group count now.
	Counted int
}

// After is how many answers of the group count once these are excluded.
func (p ExclusionPreview) After() int { return p.Counted - 1 }

// FallsBelow reports whether the exclusion hides the group in the report.
func (p ExclusionPreview) FallsBelow() bool {
	return fallsBelow(p.Status.Assignment.Relationship, p.Counted-1, 1, p.Cycle.AnonymityThreshold)
}

// Problem is why the answers cannot be excluded, or "".
func (p ExclusionPreview) Problem() string {
	switch {
	case p.Cycle.Status == StatusReleased:
		return "The results of this cycle are released. Excluding answers now would need a new version of every report, which lead360 cannot make yet."
	case p.Status.Assignment.Relationship == Self:
		return "This is the leader's self-assessment: it is shown apart from everyone else's and cannot be excluded."
	case p.Excluded:
		return "These answers are already excluded: they count in no figure."
	case !p.Submitted:
		return "This rater has not submitted any answers, so there is nothing to exclude. Revoke the link if they should not answer."
	}
	return ""
}

// ExclusionPreview loads what excluding the answers behind an invitation
// of the cycle would change.
func (s *Service) ExclusionPreview(ctx context.Context, orgID, cycleID, invitationID string) (ExclusionPreview, error) {
	p, err := s.exclusionPreview(ctx, s.store, orgID, cycleID, invitationID)
	if err != nil {
		return ExclusionPreview{}, fmt.Errorf("preview exclusion of invitation %s: %w", invitationID, err)
	}
	return p, nil
}

func (s *Service) exclusionPreview(ctx context.Context, st Store, orgID, cycleID, invitationID string) (ExclusionPreview, error) {
	c, inv, a, err := cycleInvitation(ctx, st, orgID, cycleID, invitationID)
	if err != nil {
		return ExclusionPreview{}, err
	}
	p := ExclusionPreview{Cycle: c, Status: InvitationStatus{Invitation: inv, Assignment: a}}
	part, err := st.Participant(ctx, orgID, a.ParticipantID)
	if err != nil {
		return ExclusionPreview{}, err
	}
	if p.Status.Leader, err = st.Person(ctx, orgID, part.PersonID); err != nil {
		return ExclusionPreview{}, err
	}
	if p.Status.Rater, err = st.Person(ctx, orgID, a.PersonID); err != nil {
		return ExclusionPreview{}, err
	}
	if p.Submitted, p.Excluded, err = responseState(ctx, st, orgID, a.ID); err != nil {
		return ExclusionPreview{}, err
	}
	counts, err := st.GroupProgress(ctx, orgID, cycleID, []string{part.ID})
	if err != nil {
		return ExclusionPreview{}, err
	}
	for _, g := range counts {
		if g.Relationship == a.Relationship {
			p.Counted = g.Submitted
		}
	}
	return p, nil
}

// ExcludeResponse excludes the submitted answers behind an invitation of
// a cycle not released yet: they count in no figure from now on, the
// rater's link is revoked, and the audit log records it.
func (s *Service) ExcludeResponse(ctx context.Context, orgID, cycleID, invitationID, actorUserID string) error {
	err := s.store.InTx(ctx, func(tx Store) error {
		p, err := s.exclusionPreview(ctx, tx, orgID, cycleID, invitationID)
		if err != nil {
			return err
		}
		if msg := p.Problem(); msg != "" {
			return &Error{Code: CodeConflict, Message: msg}
		}
		now := s.Now()
		// Take the cycle's row, as a release does when it moves the cycle:
		// an exclusion and a release never overlap. Of the two, the one
		// that comes second either sees the cycle released (here) or sees
		// the exclusion and starts again (ReleaseCycle).
		if err := tx.UpdateCycleStatus(ctx, orgID, cycleID, p.Cycle.Status, p.Cycle.Status, now); err != nil {
			if ErrorCode(err) == CodeConflict {
				return Errorf(CodeConflict, "The results of %q were released while you were excluding these answers: the released report stays as it is.", p.Cycle.Name)
			}
			return err
		}
		r, err := tx.ResponseByAssignment(ctx, orgID, p.Status.Assignment.ID)
		if err != nil {
			return err
		}
		if err := tx.ExcludeResponse(ctx, orgID, r.ID, now); err != nil {
			return err
		}
		if err := tx.RevokeLiveInvitations(ctx, orgID, p.Status.Assignment.ID, now); err != nil {
			return err
		}
		detail := fmt.Sprintf("Excluded the answers of %s (%s) about %s as %s: %s now count %d",
			p.Status.Rater.Name, p.Status.Rater.Email, p.Status.Leader.Name, strings.ToLower(p.Status.Assignment.Relationship.Label()),
			p.Status.Assignment.Relationship.Plural(), p.After())
		return tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionResponseExclude,
			SubjectType: "assignment", SubjectID: p.Status.Assignment.ID, Detail: truncate(detail, 2000), CreatedAt: now})
	})
	if err != nil {
		return fmt.Errorf("exclude the answers of invitation %s: %w", invitationID, err)
	}
	return nil
}

// responseState reports whether the assignment's answers were submitted,
// and whether they were excluded since.
func responseState(ctx context.Context, st Store, orgID, assignmentID string) (submitted, excluded bool, err error) {
	r, err := st.ResponseByAssignment(ctx, orgID, assignmentID)
	switch {
	case ErrorCode(err) == CodeNotFound:
		return false, false, nil
	case err != nil:
		return false, false, err
	}
	return r.Status == ResponseSubmitted, r.ExcludedAt != nil, nil
}
