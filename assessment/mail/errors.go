package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/textproto"
	"syscall"

	gomail "github.com/wneessen/go-mail"
)

// IsTemporary reports whether sending again later may succeed, so the
// outbox retries with backoff; false means give up and show HR the error.
//
// Temporary: SMTP 4xx replies (greeting, EHLO, AUTH, MAIL, RCPT, DATA),
// connection refused or reset, timeouts, DNS failures (even "no such
// host"), a connection lost
// mid-session, a cancelled context (shutdown). Permanent: SMTP 5xx
// replies, an invalid message, a certificate the server does not pass,
// and anything unrecognised (a bug or a setting to fix; retrying would
// only hide it).
//
// go-mail (v0.8.1) returns a *gomail.SendError for failures after the
// connection is up; its IsTemp is "the reply text starts with 4", so a
// connection dropped mid-session has IsTemp false and ErrorCode 0. Dial,
// EHLO, STARTTLS and AUTH failures come back as the plain error, wrapped
// ("dial failed: ...").
func IsTemporary(err error) bool {
	if err == nil || errors.Is(err, ErrInvalidMessage) {
		return false
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}

	// An SMTP reply: 4xx temporary, 5xx permanent.
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code >= 400 && tp.Code < 500
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		if se.IsTemp() {
			return true
		}
		if code := se.ErrorCode(); code != 0 {
			return code >= 400 && code < 500
		}
		switch se.Reason {
		case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
			return false // the message or the server's features, not the weather
		default:
			// No SMTP code: the connection failed under the command
			// (ErrConnCheck is go-mail's NOOP after dial; the others are
			// I/O errors). The server may or may not have taken the
			// message; delivery is at-least-once with a stable Message-ID.
			return true
		}
	}

	// Certificate problems need a person, not a retry.
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) {
		return false
	}

	// Network trouble.
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return true
	}
	// DNS failures, "no such host" included: a resolver that is not ready
	// at boot says so too, and a misspelt host fails every message alike,
	// which the dispatcher's backoff and alerting surface better than
	// hundreds of permanently failed invitations.
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return true
	}
	var opErr *net.OpError
	return errors.As(err, &opErr)
}
