package mail

import (
	"context"
	"fmt"
	"log/slog"
)

// LogSender "sends" by writing the message to a logger: recipient,
// subject and the whole text body, survey links included. It is the
// sender when no SMTP server is configured, so the demo works out of the
// box; it must not be used in production, where the links are secrets.
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
	logger.InfoContext(ctx, "email not sent (no SMTP server configured); logged instead",
		slog.String("message_id", msg.MessageID),
		slog.String("to", msg.To.String()),
		slog.String("subject", msg.Subject),
		slog.String("text", msg.TextBody),
	)
	return nil
}

var (
	_ Sender = (*SMTPSender)(nil)
	_ Sender = (*LogSender)(nil)
)
