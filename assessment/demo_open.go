package assessment

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// The demo's second cycle is open, six days in: the dashboard home, the
// progress page and its chart have a cycle in motion to show, with leaders
// who are on their way, two who will not reach the threshold at this pace,
// and two bounced emails to fix.

const demoOpenCycleName = "New leads, autumn review"

// demoNewLead is a leader of the open cycle and how far their raters have
// got: how many of each group submitted, and whether the leader rated
// themself yet.
type demoNewLead struct {
	name, email string
	placement   Placement
	selfDone    bool
	// answered counts submissions per group, out of one manager, three
	// peers and four direct reports.
	answered map[Relationship]int
	// bounced is how many of the leader's peers have an address that
	// refused the invitation.
	bounced int
}

var demoNewLeads = []demoNewLead{
	{name: "Lena Fischer", email: "lena.fischer@example.com", placement: Placement{Department: "Platform", ManagerEmail: "leader.2@example.com", Location: "Berlin"},
		selfDone: true, answered: map[Relationship]int{Manager: 1, Peer: 3, DirectReport: 4}},
	{name: "Rahul Mehta", email: "rahul.mehta@example.com", placement: Placement{Department: "Platform", ManagerEmail: "leader.2@example.com", Location: "Remote"},
		selfDone: true, answered: map[Relationship]int{Manager: 1, Peer: 2, DirectReport: 3}},
	{name: "Chloé Martin", email: "chloe.martin@example.com", placement: Placement{Department: "Product", ManagerEmail: "leader.5@example.com", Location: "Lisbon"},
		selfDone: true, answered: map[Relationship]int{Peer: 1, DirectReport: 1}},
	{name: "Kwame Asante", email: "kwame.asante@example.com", placement: Placement{Department: "Product", ManagerEmail: "leader.5@example.com", Location: "Berlin"},
		answered: map[Relationship]int{Manager: 1, Peer: 3, DirectReport: 2}},
	{name: "Sofia Rossi", email: "sofia.rossi@example.com", placement: Placement{Department: "Data", ManagerEmail: "leader.9@example.com", Location: "Berlin"},
		selfDone: true, answered: map[Relationship]int{Peer: 3, DirectReport: 4}},
	{name: "Mateo García", email: "mateo.garcia@example.com", placement: Placement{Department: "Data", ManagerEmail: "leader.9@example.com", Location: "Remote"},
		answered: map[Relationship]int{DirectReport: 2}, bounced: 2},
}

// loadOpenDemoCycle adds the open cycle to the demo organisation, in the
// demo's transaction. Its raters' managers are the department heads of the
// closed cycle, so one person rates in both, as in a real organisation.
func (s *Service) loadOpenDemoCycle(ctx context.Context, tx Store, orgID string, in *Instrument) (Cycle, error) {
	now := s.Now()
	opens := now.AddDate(0, 0, -6).Truncate(24 * time.Hour)
	closes := now.AddDate(0, 0, 8).Truncate(24 * time.Hour)
	c, err := s.CreateCycle(ctx, CycleDraft{OrganizationID: orgID, InstrumentID: in.ID, Name: demoOpenCycleName, OpensAt: opens, ClosesAt: closes})
	if err != nil {
		return Cycle{}, err
	}
	heads := map[string]string{}
	for _, l := range demoCohort() {
		heads[l.email] = l.name
	}
	var plan []demoAssignment
	for i, l := range demoNewLeads {
		as, err := s.addNewLead(ctx, tx, orgID, c.ID, len(demoCohort())+2+i, l, heads)
		if err != nil {
			return Cycle{}, err
		}
		plan = append(plan, as...)
	}
	if c, err = s.MoveCycle(ctx, orgID, c.ID, StatusOpen); err != nil {
		return Cycle{}, err
	}
	if err := s.inviteDemoRaters(ctx, tx, &c, plan); err != nil {
		return Cycle{}, err
	}
	rng := rand.New(rand.NewPCG(2026, 12))
	submitted := map[string]time.Time{}
	for _, pl := range plan {
		at, ok := pl.submittedAt(rng, opens, now)
		if !ok {
			continue
		}
		r := demoResponse(rng, in, pl.leader, pl.Assignment, nil)
		if err := s.WithClock(func() time.Time { return at }).SaveAnswers(ctx, orgID, &r); err != nil {
			return Cycle{}, err
		}
		submitted[pl.ID] = at
	}
	if err := s.startDemoDrafts(ctx, orgID, in, plan, now); err != nil {
		return Cycle{}, err
	}
	return c, s.scheduleDemoReminders(ctx, tx, &c, plan, submitted, now)
}

// addNewLead adds the leaderNo-th demo leader, of the open cycle, with their department
// head as manager, three peers and four direct reports, and returns every
// assignment, the self-assessment first, saying whose rater has submitted.
func (s *Service) addNewLead(ctx context.Context, tx Store, orgID, cycleID string, leaderNo int, l demoNewLead, heads map[string]string) ([]demoAssignment, error) {
	p, err := s.AddParticipant(ctx, orgID, cycleID, PersonInput{Name: l.name, Email: l.email, Placement: l.placement})
	if err != nil {
		return nil, err
	}
	self, err := tx.Assignments(ctx, orgID, p.ID)
	if err != nil {
		return nil, err
	}
	profile := demoLeader{name: l.name, email: l.email, levels: [5]float64{3.4, 3.1, 3.8, 3.3, 3.6}, selfLevels: [5]float64{3.9, 3.6, 3.9, 3.5, 4.0}}
	plan := []demoAssignment{{leader: profile, Assignment: self[0], answers: l.selfDone}}
	boss := PersonInput{Name: heads[l.placement.ManagerEmail], Email: l.placement.ManagerEmail}
	a, err := s.AddRater(ctx, orgID, p.ID, boss, Manager)
	if err != nil {
		return nil, err
	}
	plan = append(plan, demoAssignment{leader: profile, Assignment: a, answers: l.answered[Manager] > 0})
	for _, g := range []struct {
		rel Relationship
		n   int
	}{{Peer, 3}, {DirectReport, 4}} {
		for i := range g.n {
			a, err := s.AddRater(ctx, orgID, p.ID, demoRater(g.rel, leaderNo, i, l.name), g.rel)
			if err != nil {
				return nil, err
			}
			plan = append(plan, demoAssignment{leader: profile, Assignment: a,
				answers: i < l.answered[g.rel], bounces: g.rel == Peer && i < l.bounced})
		}
	}
	return plan, nil
}

// submittedAt is when the rater submitted, if they have: more in the first
// days after the invitation than later, as real cycles go.
func (pl demoAssignment) submittedAt(rng *rand.Rand, opens, now time.Time) (time.Time, bool) {
	if !pl.answers {
		return time.Time{}, false
	}
	u := rng.Float64()
	return opens.Add(time.Hour + time.Duration(u*u*float64(now.Sub(opens)-2*time.Hour))), true
}

// inviteDemoRaters gives every assignment of c an invitation sent when the
// cycle opened, as OpenCycle and the mail worker would have, without
// queueing the invitation emails themselves: the demo's raters are made up.
// The assignments in plan that bounce have a failed email instead.
func (s *Service) inviteDemoRaters(ctx context.Context, tx Store, c *Cycle, plan []demoAssignment) error {
	parts, err := tx.Participants(ctx, c.OrganizationID, c.ID)
	if err != nil {
		return err
	}
	if _, _, err := s.createInvitations(ctx, tx, c.OrganizationID, parts, c.OpensAt); err != nil {
		return err
	}
	invs, err := tx.CycleInvitations(ctx, c.OrganizationID, c.ID)
	if err != nil {
		return err
	}
	bounces := map[string]bool{}
	for _, pl := range plan {
		bounces[pl.ID] = pl.bounces
	}
	var sent, failed []string
	for _, inv := range invs {
		if bounces[inv.Assignment.ID] {
			failed = append(failed, inv.Invitation.ID)
		} else {
			sent = append(sent, inv.Invitation.ID)
		}
	}
	if err := tx.MarkInvitations(ctx, c.OrganizationID, sent, InvitationMark{At: c.OpensAt.Add(time.Minute), Mail: MailInvitation}); err != nil {
		return err
	}
	if len(failed) == 0 {
		return nil
	}
	return tx.MarkInvitations(ctx, c.OrganizationID, failed, InvitationMark{At: c.OpensAt.Add(2 * time.Minute), Mail: MailInvitation,
		Failure: "550 5.1.1 The email account that you tried to reach does not exist"})
}

// startDemoDrafts leaves every other rater who has not submitted with a
// survey half done, saved in the last days.
func (s *Service) startDemoDrafts(ctx context.Context, orgID string, in *Instrument, plan []demoAssignment, now time.Time) error {
	for i, pl := range plan {
		if pl.answers || pl.bounces || i%2 == 0 {
			continue
		}
		r := Response{AssignmentID: pl.ID, Status: ResponseDraft}
		for _, it := range in.Skills[0].Items {
			r.Answers = append(r.Answers, Answer{ItemKey: it.Key, Value: 3})
		}
		at := now.Add(-time.Duration(i) * time.Hour)
		if err := s.WithClock(func() time.Time { return at }).SaveAnswers(ctx, orgID, &r); err != nil {
			return err
		}
	}
	return nil
}

// scheduleDemoReminders records the reminders of the schedule that are past
// as sent to the raters who had not submitted by then, and queues those
// still ahead, as OpenCycle does.
func (s *Service) scheduleDemoReminders(ctx context.Context, tx Store, c *Cycle, plan []demoAssignment, submitted map[string]time.Time, now time.Time) error {
	invs, err := tx.CycleInvitations(ctx, c.OrganizationID, c.ID)
	if err != nil {
		return err
	}
	for round, at := range c.ReminderTimes() {
		if at.After(now) {
			continue // queued below, as OpenCycle queues them
		}
		var due []string
		for _, inv := range invs {
			if done, ok := submitted[inv.Assignment.ID]; (!ok || done.After(at)) && inv.State() == InvitationSent {
				due = append(due, inv.Invitation.ID)
			}
		}
		if err := tx.MarkInvitations(ctx, c.OrganizationID, due, InvitationMark{At: at, Mail: MailReminder}); err != nil {
			return fmt.Errorf("demo reminder %d: %w", round+1, err)
		}
	}
	var ahead []Job
	for _, j := range surveyMailJobs(c, demoRaters(plan), now) {
		if args, ok := j.Args.(SurveyMailJob); ok && args.Mail == MailReminder {
			ahead = append(ahead, j)
		}
	}
	return tx.Enqueue(ctx, ahead...)
}

// demoRaters are the people who rate in plan, each once.
func demoRaters(plan []demoAssignment) []string {
	var out []string
	seen := map[string]bool{}
	for _, pl := range plan {
		if !seen[pl.PersonID] {
			seen[pl.PersonID] = true
			out = append(out, pl.PersonID)
		}
	}
	return out
}
