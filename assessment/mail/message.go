package mail

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Sender delivers one message. SMTPSender and LogSender implement it; the
// outbox dispatcher depends on this interface only.
type Sender interface {
	// Send delivers msg or returns an error; IsTemporary tells whether a
	// retry may succeed. Send never modifies msg.
	Send(ctx context.Context, msg Message) error
}

// Message is one email to one person, with a plain-text part and an
// optional HTML alternative.
type Message struct {
	From    Address // empty Email: the Config's From
	ReplyTo Address // optional, e.g. the HR contact
	To      Address
	Subject string
	// TextBody is required: every message has a plain-text part.
	TextBody string
	// HTMLBody, when set, is sent as a multipart/alternative with TextBody.
	HTMLBody string
	// MessageID is required and stable: the outbox stores it with the
	// message so a retry carries the same ID and receivers can drop
	// duplicates. Without angle brackets: "outbox-42.7f3a@lead360.example".
	MessageID string
	// Headers are extra header fields (e.g. "Auto-Submitted"). Names must
	// be plain field names and must not replace the headers above or the
	// MIME ones; values are single-line and encoded when not ASCII.
	Headers map[string]string
}

// ErrInvalidMessage wraps every validation failure; such a message can
// never be sent, so IsTemporary reports false.
var ErrInvalidMessage = errors.New("invalid message")

// reservedHeaders are written by Send from the Message fields or by go-mail.
var reservedHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "reply-to": true, "sender": true,
	"subject": true, "message-id": true, "date": true, "mime-version": true,
	"content-type": true, "content-transfer-encoding": true, "content-disposition": true,
	"return-path": true, "received": true,
}

// Validate reports the first reason msg cannot be sent safely, wrapped in
// ErrInvalidMessage. It rejects line breaks in every header input, so no
// user-supplied text can add a header.
func (m Message) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidMessage, fmt.Sprintf(format, args...))
	}
	if err := m.To.validate("To"); err != nil {
		return bad("%v", err)
	}
	if m.From.Email != "" || m.From.Name != "" {
		if err := m.From.validate("From"); err != nil {
			return bad("%v", err)
		}
	}
	if m.ReplyTo.Email != "" || m.ReplyTo.Name != "" {
		if err := m.ReplyTo.validate("Reply-To"); err != nil {
			return bad("%v", err)
		}
	}
	if strings.TrimSpace(m.Subject) == "" {
		return bad("subject is empty")
	}
	if err := singleLine("subject", m.Subject); err != nil {
		return bad("%v", err)
	}
	if strings.TrimSpace(m.TextBody) == "" {
		return bad("text body is empty")
	}
	if !utf8.ValidString(m.TextBody) || !utf8.ValidString(m.HTMLBody) {
		return bad("body is not valid UTF-8")
	}
	if err := validMessageID(m.MessageID); err != nil {
		return bad("%v", err)
	}
	for name, value := range m.Headers {
		if !validFieldName(name) {
			return bad("header name %q is not a valid field name", name)
		}
		if reservedHeaders[strings.ToLower(name)] {
			return bad("header %q is set from the message fields, not Headers", name)
		}
		if err := singleLine("header "+name, value); err != nil {
			return bad("%v", err)
		}
	}
	return nil
}

func singleLine(what, s string) error {
	if strings.ContainsAny(s, "\r\n\x00") {
		return fmt.Errorf("%s contains a line break or NUL", what)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", what)
	}
	return nil
}

// validMessageID accepts id-left "@" id-right in printable ASCII with no
// spaces or brackets (RFC 5322 msg-id, dot-atom form, loosely).
func validMessageID(id string) error {
	if id == "" {
		return errors.New("message ID is empty (the caller supplies a stable one)")
	}
	left, right, ok := strings.Cut(id, "@")
	if !ok || left == "" || right == "" || strings.Contains(right, "@") {
		return fmt.Errorf("message ID %q: want left@right, without angle brackets", id)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c <= ' ' || c > '~' || strings.IndexByte(`<>()[]\",;:`, c) >= 0 {
			return fmt.Errorf("message ID %q contains %q", id, c)
		}
	}
	return nil
}

// validFieldName is RFC 5322 ftext: printable ASCII except the colon.
func validFieldName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	return true
}
