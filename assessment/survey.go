package assessment

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// JobArgs is a background job's arguments. Kind names the worker; River's
// JobArgs has the same method, so these types are River jobs as they are.
// Args hold ids only, never tokens or addresses.
type JobArgs interface{ Kind() string }

// Job is a background job to record with the change that causes it.
type Job struct {
	Args JobArgs
	// At is when the job may run; zero means at once.
	At time.Time
	// Queue is the queue the job waits in; empty is the default queue,
	// whose workers send email.
	Queue string
	// MaxAttempts is how often the job is tried before it is given up;
	// zero is the queue's default (25, over about three weeks).
	MaxAttempts int
}

// MailKind tells an invitation email from a reminder.
type MailKind string

const (
	MailInvitation MailKind = "invitation"
	MailReminder   MailKind = "reminder"
)

// SurveyMailJob sends one email to one rater about all their invitations in
// a cycle: one message however many leaders they rate.
type SurveyMailJob struct {
	Mail           MailKind `json:"mail"`
	OrganizationID string   `json:"organization_id"`
	CycleID        string   `json:"cycle_id"`
	PersonID       string   `json:"person_id"`
	// Reminder is the index into Cycle.ReminderTimes for reminders.
	Reminder int `json:"reminder,omitempty"`
}

// Kind names the job for the queue.
func (SurveyMailJob) Kind() string { return "survey_mail" }

// CloseDueCyclesJob closes every open cycle whose close date has passed.
type CloseDueCyclesJob struct{}

// Kind names the job for the queue.
func (CloseDueCyclesJob) Kind() string { return "close_due_cycles" }

// errSurveyUnavailable is the one answer for a link that is unknown,
// revoked, or whose cycle closed: the page must not tell a guesser which
// tokens exist.
var errSurveyUnavailable = &Error{Code: CodeNotFound, Message: "This survey link cannot be used. " +
	"The survey may have closed, or a newer link may have been sent to you. " +
	"If you still want to give feedback, please contact the person who asked you."}

// OpenedCycle says what opening a cycle did.
type OpenedCycle struct {
	Cycle       Cycle
	Invitations int // one per rater assignment, self included
	Emails      int // one per rater
	Reminders   int // reminder emails scheduled, at most one per rater per reminder
}

// OpenCycle opens a draft cycle: in one transaction it moves the cycle to
// open (a compare-and-set), creates an invitation with a fresh token for
// every rater assignment, self included, and enqueues one invitation email
// per rater and that rater's reminders. If anything fails, nothing is sent.
//
// leaders, when not nil, gives the cycle's leaders their dashboard accounts
// in the same transaction (the server's and the command line's Accounts);
// tests of the survey alone pass nil.
func (s *Service) OpenCycle(ctx context.Context, orgID, cycleID, actorUserID string, leaders LeaderInviter) (OpenedCycle, error) {
	var out OpenedCycle
	err := s.store.InTx(ctx, func(tx Store) error {
		c, err := tx.Cycle(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		now := s.Now()
		if c.Status == StatusDraft && !now.Before(c.ClosesAt) {
			return Errorf(CodeConflict, "cycle %q was due to close on %s, which has passed", c.Name, c.ClosesAt.Format("2 January 2006"))
		}
		// Opened before its planned date, the cycle is open from now: every
		// page and report gives the dates the survey really ran, and so
		// does the cycle.opened webhook moveCycle records.
		// Reminders "days after opening" count from then too.
		early := now.Before(c.OpensAt)
		if early {
			c.OpensAt = now
		}
		if err := s.moveCycle(ctx, tx, &c, StatusOpen); err != nil {
			return err
		}
		if early {
			if err := tx.MoveCycleStart(ctx, orgID, cycleID, now, now); err != nil {
				return err
			}
		}
		parts, err := tx.Participants(ctx, orgID, cycleID)
		if err != nil {
			return err
		}
		if len(parts) == 0 {
			return Errorf(CodeConflict, "cycle %q has no leaders yet: add at least one before opening it", c.Name)
		}
		n, raters, err := s.createInvitations(ctx, tx, orgID, parts, now)
		if err != nil {
			return err
		}
		jobs := surveyMailJobs(&c, raters, now)
		out.Invitations, out.Reminders = n, len(jobs)-len(raters)
		out.Emails = len(raters)
		out.Cycle = c
		if leaders != nil {
			if err := leaders.InviteLeaders(ctx, tx, c, parts); err != nil {
				return fmt.Errorf("invite leaders: %w", err)
			}
		}
		if err := tx.AddAudit(ctx, &AuditEntry{OrganizationID: orgID, ActorUserID: actorUserID, Action: ActionCycleOpen,
			SubjectType: "cycle", SubjectID: cycleID, CreatedAt: now,
			Detail: fmt.Sprintf("Opened %q: invitations %d, emails queued %d", c.Name, out.Invitations, out.Emails)}); err != nil {
			return err
		}
		return tx.Enqueue(ctx, jobs...)
	})
	if err != nil {
		return OpenedCycle{}, fmt.Errorf("open cycle %s: %w", cycleID, err)
	}
	return out, nil
}

// createInvitations creates an invitation with a fresh token for every
// rater assignment of the leaders, self included, and returns how many it
// made and the raters, each once, in order.
func (s *Service) createInvitations(ctx context.Context, tx Store, orgID string, parts []Participant, now time.Time) (int, []string, error) {
	var (
		n      int
		raters []string
	)
	seen := map[string]bool{}
	for _, p := range parts {
		as, err := tx.Assignments(ctx, orgID, p.ID)
		if err != nil {
			return 0, nil, err
		}
		for _, a := range as {
			_, hash, sealed, err := s.tokens.mint()
			if err != nil {
				return 0, nil, err
			}
			inv := Invitation{OrganizationID: orgID, AssignmentID: a.ID, TokenHash: hash, CreatedAt: now}
			if err := tx.CreateInvitation(ctx, &inv, sealed); err != nil {
				return 0, nil, err
			}
			n++
			if !seen[a.PersonID] {
				seen[a.PersonID] = true
				raters = append(raters, a.PersonID)
			}
		}
	}
	return n, raters, nil
}

// surveyMailJobs is one invitation email per rater and, per reminder still
// ahead, one reminder per rater.
func surveyMailJobs(c *Cycle, raters []string, now time.Time) []Job {
	var jobs []Job
	for _, person := range raters {
		jobs = append(jobs, Job{Args: SurveyMailJob{Mail: MailInvitation, OrganizationID: c.OrganizationID, CycleID: c.ID, PersonID: person}})
	}
	for i, at := range c.ReminderTimes() {
		if !at.After(now) {
			continue // opened late: a reminder at the same time as the invitation helps nobody
		}
		for _, person := range raters {
			jobs = append(jobs, Job{At: at, Args: SurveyMailJob{Mail: MailReminder, OrganizationID: c.OrganizationID, CycleID: c.ID, PersonID: person, Reminder: i}})
		}
	}
	return jobs
}

// Survey is what a rater sees behind their link.
type Survey struct {
	Invitation Invitation
	Assignment Assignment
	Cycle      Cycle
	Instrument Instrument
	Leader     Person
	// Response is the saved draft or submission; Version 0 means nothing
	// is saved yet.
	Response Response
}

// SurveyLink is what a survey link opens, read together: the invitation,
// the rater's assignment, the cycle and the leader being rated.
type SurveyLink struct {
	Invitation Invitation
	Assignment Assignment
	Cycle      Cycle
	Leader     Person
}

// IsSelf reports whether the rater assesses themself.
func (sv *Survey) IsSelf() bool { return sv.Assignment.Relationship == Self }

// Survey opens the survey behind a link. It only reads: mail scanners open
// every link before people do. An unknown or revoked token, or a closed
// cycle, all give the same not-found error.
func (s *Service) Survey(ctx context.Context, token string) (Survey, error) {
	return s.survey(ctx, s.store, token)
}

// survey reads the survey behind a link from st (the store, or a
// transaction); a link that cannot be used is errSurveyUnavailable.
func (s *Service) survey(ctx context.Context, st Store, token string) (Survey, error) {
	sv, err := s.readSurvey(ctx, st, token)
	if ErrorCode(err) == CodeNotFound {
		return Survey{}, errSurveyUnavailable
	}
	return sv, err
}

func (s *Service) readSurvey(ctx context.Context, st Store, token string) (Survey, error) {
	hash, ok := HashToken(token)
	if !ok {
		return Survey{}, errSurveyUnavailable
	}
	link, err := st.SurveyLink(ctx, hash)
	if err != nil {
		return Survey{}, err
	}
	if link.Invitation.RevokedAt != nil || !link.Cycle.AcceptsAnswers(s.Now()) {
		return Survey{}, errSurveyUnavailable
	}
	sv := Survey{Invitation: link.Invitation, Assignment: link.Assignment, Cycle: link.Cycle, Leader: link.Leader}
	if sv.Instrument, err = st.Instrument(ctx, sv.Cycle.InstrumentID); err != nil {
		return Survey{}, err
	}
	org := sv.Invitation.OrganizationID
	sv.Response, err = st.ResponseByAssignment(ctx, org, sv.Assignment.ID)
	if ErrorCode(err) == CodeNotFound {
		sv.Response, err = Response{AssignmentID: sv.Assignment.ID, Status: ResponseDraft}, nil
	}
	return sv, err
}

// SurveyInput is what a rater sends from the survey form.
type SurveyInput struct {
	// Version is the response version the rater's page was built from (0
	// when nothing was saved yet).
	Version int
	Submit  bool
	// Step is the survey step the form showed (Instrument.Steps): its
	// answers and comments replace the saved ones of that step, and the
	// other steps keep theirs. 0 means the form showed the whole survey.
	Step     int
	Answers  []Answer
	Comments []Comment
}

// SaveSurvey saves a draft or submits the survey behind a link, guarded by
// the optimistic version: a stale version is a conflict, never a silent
// overwrite. Once submitted, a response stays submitted: later saves edit
// the submission until the cycle closes. Submitting the same answers twice
// (a double click) succeeds both times with one stored response.
func (s *Service) SaveSurvey(ctx context.Context, token string, in SurveyInput) (Survey, error) {
	var sv Survey
	var r Response
	// One transaction reads the survey's rows once and saves: the merge of
	// a step with the saved answers rests on the rows it replaces.
	err := s.store.InTx(ctx, func(tx Store) error {
		var err error
		if sv, err = s.survey(ctx, tx, token); err != nil {
			return err
		}
		r = Response{ID: sv.Response.ID, AssignmentID: sv.Assignment.ID, Version: in.Version,
			Status: ResponseDraft, Answers: in.Answers, Comments: in.Comments, CreatedAt: sv.Response.CreatedAt}
		if in.Step != 0 {
			r.Answers, r.Comments = mergeStep(&sv.Instrument, in.Step, sv.Response, in)
		}
		if in.Submit || sv.Response.Status == ResponseSubmitted {
			r.Status = ResponseSubmitted
		}
		if err := s.saveResponse(ctx, tx, &sv.Cycle, &sv.Instrument, sv.Assignment.Relationship, &r); err != nil {
			return err
		}
		if r.Status == ResponseSubmitted && sv.Response.Status != ResponseSubmitted {
			return s.announceResponseRate(ctx, tx, &sv.Cycle)
		}
		return nil
	})
	switch ErrorCode(err) {
	case "":
		if err == nil {
			sv.Response = r
			return sv, nil
		}
	case CodeGone:
		return Survey{}, errSurveyUnavailable
	case CodeConflict:
		if r.Status == ResponseSubmitted {
			// A double click: the first submit won; if it stored exactly
			// these answers, this one succeeded too.
			stored, lerr := s.store.ResponseByAssignment(ctx, sv.Invitation.OrganizationID, sv.Assignment.ID)
			if lerr == nil && stored.Status == ResponseSubmitted && sameAnswers(stored, r) {
				sv.Response = stored
				return sv, nil
			}
		}
		return Survey{}, &Error{Code: CodeConflict, Message: "Your answers were changed in another window or tab since this page was loaded. " +
			"Your answers below are not saved yet: save again to keep them, or reload the page to see the saved ones."}
	}
	return Survey{}, err
}

// sameAnswers reports whether two responses hold the same answers and
// comments, in any order.
func sameAnswers(a, b Response) bool {
	key := func(r Response) ([]string, []string) {
		as := make([]string, len(r.Answers))
		for i, x := range r.Answers {
			as[i] = fmt.Sprintf("%s=%d", x.ItemKey, x.Value)
		}
		cs := make([]string, 0, len(r.Comments))
		for _, c := range r.Comments {
			cs = append(cs, c.QuestionKey+"\x00"+c.Body)
		}
		slices.Sort(as)
		slices.Sort(cs)
		return as, cs
	}
	a1, c1 := key(a)
	a2, c2 := key(b)
	return slices.Equal(a1, a2) && slices.Equal(c1, c2)
}

// SurveyMail is what one invitation or reminder email says.
type SurveyMail struct {
	Job              SurveyMailJob
	Organization     Organization
	Cycle            Cycle
	Rater            Person
	EstimatedMinutes int
	Lines            []SurveyMailLine
}

// SurveyMailLine is one survey in an email.
type SurveyMailLine struct {
	InvitationID string
	Token        string // the raw token, for the link; never stored
	Leader       Person
	Relationship Relationship
}

// InvitationIDs lists the invitations the email is about.
func (m SurveyMail) InvitationIDs() []string {
	ids := make([]string, len(m.Lines))
	for i, l := range m.Lines {
		ids[i] = l.InvitationID
	}
	return ids
}

// SurveyMailFor gathers what the email of a job says, at the time it is sent:
// revoked invitations drop out, and a reminder lists only surveys not yet
// submitted and nothing at all once the cycle no longer accepts answers. An
// email with no lines is not sent.
func (s *Service) SurveyMailFor(ctx context.Context, job SurveyMailJob) (SurveyMail, error) {
	m := SurveyMail{Job: job}
	var err error
	if m.Organization, err = s.store.Organization(ctx, job.OrganizationID); err != nil {
		return SurveyMail{}, err
	}
	if m.Cycle, err = s.store.Cycle(ctx, job.OrganizationID, job.CycleID); err != nil {
		return SurveyMail{}, err
	}
	if !m.Cycle.AcceptsAnswers(s.Now()) {
		return m, nil
	}
	if m.Rater, err = s.store.Person(ctx, job.OrganizationID, job.PersonID); err != nil {
		return SurveyMail{}, err
	}
	in, err := s.store.Instrument(ctx, m.Cycle.InstrumentID)
	if err != nil {
		return SurveyMail{}, err
	}
	m.EstimatedMinutes = EstimatedMinutes(&in)
	invs, err := s.store.RaterInvitations(ctx, job.OrganizationID, job.CycleID, job.PersonID)
	if err != nil {
		return SurveyMail{}, err
	}
	for _, ri := range invs {
		if job.Mail == MailReminder && ri.Submitted {
			continue
		}
		token, err := s.tokens.open(ri.SealedToken, ri.Invitation.TokenHash)
		if err != nil {
			return SurveyMail{}, fmt.Errorf("invitation %s: %w", ri.Invitation.ID, err)
		}
		m.Lines = append(m.Lines, SurveyMailLine{InvitationID: ri.Invitation.ID, Token: token,
			Leader: ri.Leader, Relationship: ri.Assignment.Relationship})
	}
	return m, nil
}

// How long a rater needs, per question, for EstimatedMinutes: reading one
// behaviour and tapping an answer on a phone takes most people under ten
// seconds; an open question is optional, and about half of raters write a
// line or two.
const (
	secondsPerRatedItem    = 10
	secondsPerOpenQuestion = 30
)

// EstimatedMinutes is how long one survey of the instrument takes, rounded
// up to whole minutes. It is the one estimate every email and page gives.
func EstimatedMinutes(in *Instrument) int {
	secs := in.ItemCount()*secondsPerRatedItem + len(in.Questions)*secondsPerOpenQuestion
	return max(1, (secs+59)/60)
}

// ClaimReminder makes the job's message the one reminder email for its
// rater; false means another message holds it and this one must not go.
func (s *Service) ClaimReminder(ctx context.Context, job SurveyMailJob, messageID string) (bool, error) {
	ok, err := s.store.ClaimReminder(ctx, job.OrganizationID, job.CycleID, job.Reminder, job.PersonID, messageID, s.Now())
	if err != nil {
		return false, fmt.Errorf("claim reminder %d of cycle %s for %s: %w", job.Reminder, job.CycleID, job.PersonID, err)
	}
	return ok, nil
}

// MailSent records that the email about the invitations was accepted by the
// mail server.
func (s *Service) MailSent(ctx context.Context, m SurveyMail) error {
	err := s.store.MarkInvitations(ctx, m.Job.OrganizationID, m.InvitationIDs(), InvitationMark{At: s.Now(), Mail: m.Job.Mail})
	if err != nil {
		return fmt.Errorf("record %s sent: %w", m.Job.Mail, err)
	}
	return nil
}

// MaxFailureRunes bounds the failure text kept on an invitation.
const MaxFailureRunes = 500

// MailFailed records a permanent delivery failure on the invitations, for HR
// to see and act on (fix the address, resend), and the invitation.failed
// webhooks with it.
func (s *Service) MailFailed(ctx context.Context, m SurveyMail, failure string) error {
	now := s.Now()
	err := s.store.InTx(ctx, func(tx Store) error {
		err := tx.MarkInvitations(ctx, m.Job.OrganizationID, m.InvitationIDs(), InvitationMark{At: now, Mail: m.Job.Mail, Failure: cleanFailure(failure)})
		if err != nil {
			return err
		}
		return s.announceFailedInvitations(ctx, tx, m, now)
	})
	if err != nil {
		return fmt.Errorf("record %s failure: %w", m.Job.Mail, err)
	}
	return nil
}

// CloseDueCycles closes every open cycle whose close date has passed and
// returns those this call closed. Each close is a compare-and-set, so two
// processes running it at once close each cycle exactly once.
func (s *Service) CloseDueCycles(ctx context.Context) ([]Cycle, error) {
	due, err := s.store.DueCycles(ctx, s.Now())
	if err != nil {
		return nil, fmt.Errorf("find cycles to close: %w", err)
	}
	var closed []Cycle
	for _, c := range due {
		done, err := s.MoveCycle(ctx, c.OrganizationID, c.ID, StatusClosed)
		switch {
		case err == nil:
			closed = append(closed, done)
			s.Log.InfoContext(ctx, "cycle closed on its close date", "cycle", c.ID, "closes_at", c.ClosesAt)
		case ErrorCode(err) == CodeConflict:
			// Another process closed it first.
		default:
			return closed, err
		}
	}
	return closed, nil
}
