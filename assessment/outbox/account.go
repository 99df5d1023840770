package outbox

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/mail"
	"github.com/lead360/lead360/templates"
)

// AccountMailer records account emails (password resets, leader
// invitations, "your cycle opened" notes) as jobs in the transaction that
// stores their link; the queue's workers send them. It implements
// assessment.AccountMailer.
type AccountMailer struct {
	svc *assessment.Service
}

// NewAccountMailer returns the outbox mailer of the service: its token key
// seals the links inside the jobs.
func NewAccountMailer(svc *assessment.Service) *AccountMailer { return &AccountMailer{svc: svc} }

// SendAccountEmail enqueues the email in tx.
func (m *AccountMailer) SendAccountEmail(ctx context.Context, tx assessment.Store, e assessment.AccountEmail) error {
	job, err := m.svc.AccountMailJob(e)
	if err != nil {
		return err
	}
	return tx.Enqueue(ctx, job)
}

// accountWorker sends one account email.
type accountWorker struct {
	river.WorkerDefaults[assessment.AccountMailJob]
	q *Queue
}

// Work sends the email of a job unless its link died in the meantime; the
// Message-ID comes from the job, so every attempt carries the same one.
func (w *accountWorker) Work(ctx context.Context, job *river.Job[assessment.AccountMailJob]) error {
	q := w.q
	svc := q.cfg.Service
	m, err := svc.AccountMailFor(ctx, job.Args)
	if err != nil {
		return err
	}
	if m.Stale {
		q.log.InfoContext(ctx, "account email not sent: its link was used, expired or replaced",
			slog.Int64("job", job.ID), slog.String("mail", string(job.Args.Mail)))
		return nil
	}
	msgID := fmt.Sprintf("account.%s.%d.%s@%s", job.Args.Mail, job.ID, job.CreatedAt.UTC().Format("20060102150405"), q.host)
	contact, err := q.contact(ctx, job.Args.OrganizationID)
	if err != nil {
		return err
	}
	msg, err := q.accountMessage(m, msgID, contact)
	if err != nil {
		_ = svc.AccountMailFailed(ctx, m, err.Error())
		return river.JobCancel(err)
	}
	return q.deliver(ctx, msg, job.Attempt, job.MaxAttempts,
		func() error { return nil },
		func(failure string) error { return svc.AccountMailFailed(ctx, m, failure) })
}

// resetRequestWorker works a "forgot password" request: the accounts of
// the address are looked up here, away from the request, which answered
// before doing any work that depends on the address.
type resetRequestWorker struct {
	river.WorkerDefaults[assessment.PasswordResetJob]
	q *Queue
}

// Work issues one reset link per account of the address; their emails are
// account mail jobs of their own.
func (w *resetRequestWorker) Work(ctx context.Context, job *river.Job[assessment.PasswordResetJob]) error {
	return w.q.cfg.Accounts.SendPasswordResets(ctx, job.Args)
}

// nominationInviteWorker asks a leader added to a cycle whose leaders were
// asked to nominate; the email itself is an account mail job of its own.
type nominationInviteWorker struct {
	river.WorkerDefaults[assessment.NominationInviteJob]
	q *Queue
}

// Work asks the leader, once.
func (w *nominationInviteWorker) Work(ctx context.Context, job *river.Job[assessment.NominationInviteJob]) error {
	return w.q.cfg.Service.InviteAddedLeader(ctx, job.Args, w.q.cfg.Accounts)
}

// deliver sends msg and classifies the outcome: temporary failures return
// the error (River retries with backoff) until the last attempt; permanent
// ones, and the last attempt, are recorded with failed and end the job.
func (q *Queue) deliver(ctx context.Context, msg mail.Message, attempt, maxAttempts int, sent func() error, failed func(string) error) error {
	err := q.cfg.Sender.Send(ctx, msg)
	if err == nil {
		// One line per email, naming no person: with several replicas it
		// shows which process sent what.
		q.log.InfoContext(ctx, "email sent", slog.String("message_id", msg.MessageID))
		// The server has the message: failing to note it must not send
		// it again, so a bookkeeping error is logged, not retried.
		if err := sent(); err != nil {
			q.log.ErrorContext(ctx, "email sent but not recorded", slog.String("message_id", msg.MessageID), slog.Any("err", err))
		}
		return nil
	}
	if mail.IsTemporary(err) && attempt < maxAttempts {
		q.log.WarnContext(ctx, "email not sent yet; will retry", slog.String("message_id", msg.MessageID),
			slog.Int("attempt", attempt), slog.Any("err", err))
		return err
	}
	q.log.ErrorContext(ctx, "email failed for good", slog.String("message_id", msg.MessageID), slog.Any("err", err))
	if rerr := failed(err.Error()); rerr != nil {
		return rerr // retry: the failure must reach HR
	}
	return river.JobCancel(err)
}

// accountMessage renders the email of m.
func (q *Queue) accountMessage(m assessment.AccountMail, msgID string, contact replyContact) (mail.Message, error) {
	base := strings.TrimRight(q.cfg.BaseURL, "/")
	template, page := accountTemplate(m.Job)
	view := templates.AccountEmail{
		Name:             m.User.Name,
		OrganizationName: m.Organization.Name,
		SenderName:       q.senderName(),
		Contact:          contact.Text,
		CycleName:        m.Cycle.Name,
		LoginURL:         base + "/login",
		ForgotURL:        base + "/password/forgot",
		SelfOnly:         m.Job.Mail == assessment.PurposeResultsSelfOnly,
	}
	if page != "" {
		view.PageURL = base + page
		view.LoginURL += "?next=" + url.QueryEscape(page)
	}
	if !m.Cycle.ClosesAt.IsZero() {
		view.ClosesAt = m.Cycle.ClosesAt.UTC().Format("Monday 2 January 2006, 15:04 UTC")
	}
	if m.Cycle.Status == assessment.StatusDraft && m.Cycle.OpensAt.After(q.cfg.Service.Now()) {
		view.OpensAt = m.Cycle.OpensAt.UTC().Format("Monday 2 January 2006, 15:04 UTC")
	}
	if m.Token != "" {
		view.Link = PasswordURL(q.cfg.BaseURL, m.Token)
		view.ExpiresIn = lifetimePhrase(m.Lifetime)
		view.ExpiresAt = m.ExpiresAt.UTC().Format("Monday 2 January 2006, 15:04 UTC")
	}
	return q.render(template, view, mail.Address{Name: m.User.Name, Email: m.User.Email}, msgID, contact)
}

// accountTemplate is the template of an account email and the dashboard
// page it leads to after sign-in ("" for the dashboard's own start).
func accountTemplate(job assessment.AccountMailJob) (template, page string) {
	switch job.Mail {
	case assessment.PurposeNominate, assessment.PurposeNominateInvite:
		return "account_" + string(job.Mail), "/me/nominations/" + job.CycleID
	case assessment.PurposeResultsReady, assessment.PurposeResultsSelfOnly:
		return "account_results_ready", "/me/cycles/" + job.CycleID
	}
	return "account_" + string(job.Mail), ""
}

// PasswordURL is the link of a password token under the configured base URL.
func PasswordURL(baseURL, token string) string {
	return strings.TrimRight(baseURL, "/") + "/password/reset/" + token
}

// lifetimePhrase says how long a link lives, in the words of its email.
func lifetimePhrase(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d < 2*time.Hour:
		return fmt.Sprintf("%d minutes", int(d.Round(time.Minute).Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Round(time.Hour).Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Round(24*time.Hour).Hours()/24))
}
