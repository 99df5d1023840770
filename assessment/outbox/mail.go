package outbox

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/mail"
	"github.com/lead360/lead360/templates"
)

// mailWorker sends one invitation or reminder email to one rater.
type mailWorker struct {
	river.WorkerDefaults[assessment.SurveyMailJob]
	q *Queue
}

// Work sends the email of a job. The Message-ID comes from the job id, so
// every attempt carries the same one. Temporary failures return the error
// (River retries with backoff); permanent ones, and the last attempt, are
// recorded on the invitations for HR and end the job.
func (w *mailWorker) Work(ctx context.Context, job *river.Job[assessment.SurveyMailJob]) error {
	q := w.q
	svc := q.cfg.Service
	m, err := svc.SurveyMailFor(ctx, job.Args)
	if err != nil {
		return err
	}
	if len(m.Lines) == 0 {
		return nil // all revoked, all submitted, or the cycle closed
	}
	msgID := fmt.Sprintf("%s.%d.%s@%s", job.Args.Mail, job.ID, job.CreatedAt.UTC().Format("20060102150405"), q.host)
	if job.Args.Mail == assessment.MailReminder {
		mine, err := svc.ClaimReminder(ctx, job.Args, msgID)
		if err != nil {
			return err
		}
		if !mine {
			q.log.InfoContext(ctx, "reminder already sent by another job", slog.Int64("job", job.ID))
			return nil
		}
	}
	contact, err := q.contact(ctx, job.Args.OrganizationID)
	if err != nil {
		return err
	}
	msg, err := q.message(m, msgID, svc.Now(), contact)
	if err != nil {
		// A template that cannot render will not render on retry either.
		_ = svc.MailFailed(ctx, m, err.Error())
		return river.JobCancel(err)
	}
	return q.deliver(ctx, msg, job.Attempt, job.MaxAttempts,
		func() error { return svc.MailSent(ctx, m) },
		func(failure string) error { return svc.MailFailed(ctx, m, failure) })
}

// message renders the email of m.
func (q *Queue) message(m assessment.SurveyMail, msgID string, now time.Time, contact replyContact) (mail.Message, error) {
	view := templates.InvitationEmail{
		RaterName:        m.Rater.Name,
		OrganizationName: m.Organization.Name,
		SenderName:       q.senderName(),
		Contact:          contact.Text,
		CycleName:        m.Cycle.Name,
		ClosesAt:         m.Cycle.ClosesAt.UTC().Format("Monday 2 January 2006, 15:04 UTC"),
		EstimatedMinutes: m.EstimatedMinutes,
		Threshold:        m.Cycle.AnonymityThreshold,
		DaysLeft:         max(0, int(m.Cycle.ClosesAt.Sub(now).Hours()/24)),
	}
	for _, l := range m.Lines {
		view.Invitations = append(view.Invitations, templates.InvitationLine{
			LeaderName: l.Leader.Name, Relationship: l.Relationship.RaterRole(),
			IsSelf: l.Relationship == assessment.Self, IsManager: l.Relationship == assessment.Manager,
			URL: SurveyURL(q.cfg.BaseURL, l.Token),
		})
	}
	return q.render(string(m.Job.Mail), view, mail.Address{Name: m.Rater.Name, Email: m.Rater.Email}, msgID, contact)
}

// render renders an email template for one recipient, from the configured
// sender, replying to the organisation's contact, under the job's stable
// Message-ID.
func (q *Queue) render(template string, view any, to mail.Address, msgID string, contact replyContact) (mail.Message, error) {
	subject, text, html, err := q.emails.Render(template, view)
	if err != nil {
		return mail.Message{}, err
	}
	return mail.Message{From: q.cfg.From, ReplyTo: contact.ReplyTo, To: to, Subject: subject, TextBody: text, HTMLBody: html, MessageID: msgID}, nil
}

// replyContact is who an email names under "Questions?" and where replies
// go.
type replyContact struct {
	Text string
	// ReplyTo is empty without an organisation contact: replies go to
	// the sender, as before.
	ReplyTo mail.Address
}

// contact is the organisation's contact, or the sender's name when it set
// none. A database error is returned for a retry: the email must not go
// without the contact HR set.
func (q *Queue) contact(ctx context.Context, orgID string) (replyContact, error) {
	c, err := q.cfg.Service.OrgContact(ctx, orgID)
	if err != nil {
		return replyContact{}, err
	}
	if c.IsZero() {
		return replyContact{Text: q.senderName()}, nil
	}
	return replyContact{Text: c.String(), ReplyTo: mail.Address{Name: c.Name, Email: c.Email}}, nil
}

// senderName is who asks, in the emails' words: the sender's name, or HR.
func (q *Queue) senderName() string {
	if q.cfg.From.Name == "" {
		return "HR"
	}
	return q.cfg.From.Name
}

// SurveyURL is the link of a survey token under the configured base URL.
func SurveyURL(baseURL, token string) string {
	return strings.TrimRight(baseURL, "/") + "/s/" + token
}
