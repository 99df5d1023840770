package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
)

// LogSender "sends" by writing the message to a logger: recipient,
// subject and the whole text body, survey links included. It is the
// sender of a development set-up without an SMTP server, so links can be
// followed from the log; never in production, where the links are
// secrets (FailingSender stands in there).
type LogSender struct {
	Logger *slog.Logger
}

// NewLogSender returns a LogSender writing to logger (slog.Default if nil).
func NewLogSender(logger *slog.Logger) *LogSender {
	if logger == nil {
		logger = slog.Default()
	}
	return &LogSender{Logger: logger}
}

// Send validates msg like SMTPSender does, so a message that works here
// also passes the real sender's checks, then logs it at Info level.
func (s *LogSender) Send(ctx context.Context, msg Message) error {
	if msg.From.Email == "" {
		msg.From = Address{Email: "lead360@localhost"}
	}
	if err := msg.Validate(); err != nil {
		return fmt.Errorf("send %s: %w", msg.MessageID, err)
	}
	logger := s.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.WarnContext(ctx, "email not sent (development mode, no SMTP server configured); logged instead, link included",
		slog.String("message_id", msg.MessageID),
		slog.String("to", msg.To.String()),
		slog.String("subject", msg.Subject),
		slog.String("text", msg.TextBody),
	)
	return nil
}

// FailingSender sends nothing and writes nothing of the message anywhere:
// every message fails for good with Reason (IsTemporary is false), so the
// outbox records the failure where HR sees it. It is the sender when no
// SMTP server is configured outside development mode: an email that
// cannot go out must not leave its link in a log instead.
type FailingSender struct {
	Reason string
}

// Send refuses msg.
func (s FailingSender) Send(context.Context, Message) error { return errors.New(s.Reason) }

var (
	_ Sender = (*SMTPSender)(nil)
	_ Sender = (*LogSender)(nil)
	_ Sender = FailingSender{}
)
