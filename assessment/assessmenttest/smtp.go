package assessmenttest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPServer is an in-process SMTP server on 127.0.0.1 that keeps every
// message it accepts. It can be stopped and restarted on the same port to
// play an SMTP outage, and told to refuse given recipients with 4xx or 5xx.
// It speaks plain SMTP only (no STARTTLS): senders use tls=none.
type SMTPServer struct {
	t    testing.TB
	addr string // fixed at the first start, reused by Restart

	mu       sync.Mutex
	srv      *smtp.Server
	ln       net.Listener
	done     chan struct{} // closed when the current Serve returns
	msgs     []SMTPMessage
	arrived  chan struct{} // closed and replaced on each accepted message
	fail     map[string]int
	user     string
	password string
	attempts int
}

// SMTPMessage is one accepted message: the envelope, the raw data and
// the parts a test usually wants, decoded.
type SMTPMessage struct {
	EnvelopeFrom string
	EnvelopeTo   []string
	Data         []byte // exactly as received (CRLF line ends)

	Header    mail.Header // parsed with net/mail
	Subject   string      // RFC 2047 decoded
	MessageID string      // with angle brackets, as in the header
	Text      string      // the text/plain part, transfer-decoded
	HTML      string      // the text/html part, transfer-decoded ("" if none)
	ParseErr  error       // non-nil if Data could not be parsed as above
}

var urlPattern = regexp.MustCompile(`https?://[^\s<>"']+`)

// URLs lists the http(s) links in the text part, in order.
func (m SMTPMessage) URLs() []string {
	found := urlPattern.FindAllString(m.Text, -1)
	for i, u := range found {
		found[i] = strings.TrimRight(u, ".,;:!?)]")
	}
	return found
}

// URL is the first link in the text part that starts with prefix ("" for
// any link), or "" when there is none.
func (m SMTPMessage) URL(prefix string) string {
	for _, u := range m.URLs() {
		if strings.HasPrefix(u, prefix) {
			return u
		}
	}
	return ""
}

// StartSMTP starts a server on 127.0.0.1 with a free port and stops it
// when the test ends.
func StartSMTP(t testing.TB) *SMTPServer {
	t.Helper()
	s := &SMTPServer{t: t, addr: "127.0.0.1:0", arrived: make(chan struct{}), fail: map[string]int{}}
	if err := s.start(); err != nil {
		t.Fatalf("start SMTP server: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// Addr is host:port of the server; it does not change across restarts.
func (s *SMTPServer) Addr() string { return s.addr }

// URL is an smtp:// URL for mail.ParseSMTPURL, without TLS, with
// credentials when RequireAuth was called.
func (s *SMTPServer) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := "smtp://"
	if s.user != "" {
		u += s.user + ":" + s.password + "@"
	}
	u += s.addr + "?tls=none"
	if s.user != "" {
		u += "&auth=plain"
	}
	return u
}

// RequireAuth makes the server offer AUTH PLAIN (even without TLS) and
// refuse mail from clients that did not log in with user and password.
// Use letters and digits only, URL() does not escape them.
func (s *SMTPServer) RequireAuth(user, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user, s.password = user, password
}

// FailRecipient makes RCPT TO addr answer code (4xx temporary, 5xx
// permanent; 451 and 550 are typical); code 0 accepts addr again.
func (s *SMTPServer) FailRecipient(addr string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(addr)
	if code == 0 {
		delete(s.fail, key)
		return
	}
	if code < 400 || code > 599 {
		s.t.Fatalf("FailRecipient(%q, %d): want a 4xx or 5xx code", addr, code)
	}
	s.fail[key] = code
}

// Messages returns a copy of the messages accepted so far, in order.
func (s *SMTPServer) Messages() []SMTPMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SMTPMessage(nil), s.msgs...)
}

// Attempts counts MAIL FROM commands, accepted or not: a dispatcher test
// can check it retried.
func (s *SMTPServer) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// WaitFor waits until at least n messages were accepted and returns them;
// it fails the test after timeout. Call it from the test goroutine.
func (s *SMTPServer) WaitFor(n int, timeout time.Duration) []SMTPMessage {
	s.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		got, arrived := len(s.msgs), s.arrived
		if got >= n {
			msgs := append([]SMTPMessage(nil), s.msgs...)
			s.mu.Unlock()
			return msgs
		}
		s.mu.Unlock()
		select {
		case <-arrived:
		case <-deadline.C:
			s.t.Fatalf("SMTP server: got %d messages after %v, want %d", got, timeout, n)
			return nil
		}
	}
}

// Stop closes the listener and every open connection; clients then get
// "connection refused". Stopping a stopped server does nothing.
func (s *SMTPServer) Stop() {
	s.mu.Lock()
	srv, ln, done := s.srv, s.ln, s.done
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv == nil {
		return
	}
	_ = srv.Close() // closes the connections it knows of
	// Close the listener ourselves too: srv.Close only closes listeners
	// Serve has registered, and Serve may not have run yet.
	_ = ln.Close()
	<-done
}

// Restart starts a stopped server again on the same address, keeping the
// messages and settings. It fails the test if the port was taken meanwhile.
func (s *SMTPServer) Restart() {
	s.t.Helper()
	s.mu.Lock()
	running := s.srv != nil
	s.mu.Unlock()
	if running {
		s.t.Fatalf("SMTP server Restart: still running, call Stop first")
	}
	var err error
	for range 50 { // the port can take a moment to become free again
		if err = s.start(); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("restart SMTP server on %s: %v", s.addr, err)
}

func (s *SMTPServer) start() error {
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return err
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &smtpSession{server: s}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 50
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	done := make(chan struct{})

	s.mu.Lock()
	s.addr = ln.Addr().String()
	s.srv, s.ln, s.done = srv, ln, done
	s.mu.Unlock()

	go func() {
		defer close(done)
		_ = srv.Serve(ln) // returns smtp.ErrServerClosed on Stop
	}()
	return nil
}

func (s *SMTPServer) accept(m SMTPMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

type smtpSession struct {
	server *SMTPServer
	authed bool
	from   string
	to     []string
}

func (ss *smtpSession) AuthMechanisms() []string {
	ss.server.mu.Lock()
	defer ss.server.mu.Unlock()
	if ss.server.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *smtpSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, user, password string) error {
		ss.server.mu.Lock()
		defer ss.server.mu.Unlock()
		if user != ss.server.user || password != ss.server.password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	ss.server.mu.Lock()
	defer ss.server.mu.Unlock()
	ss.server.attempts++
	if ss.server.user != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.server.mu.Lock()
	code := ss.server.fail[strings.ToLower(to)]
	ss.server.mu.Unlock()
	switch {
	case code >= 500:
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable (test)"}
	case code >= 400:
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{4, 2, 0}, Message: "Try again later (test)"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := parseSMTPMessage(data)
	m.EnvelopeFrom, m.EnvelopeTo = ss.from, append([]string(nil), ss.to...)
	ss.server.accept(m)
	return nil
}

func (ss *smtpSession) Reset() { ss.from, ss.to = "", nil }

func (ss *smtpSession) Logout() error { return nil }

// parseSMTPMessage decodes the header and the text and HTML parts of a
// single-part or (nested) multipart message.
func parseSMTPMessage(data []byte) SMTPMessage {
	m := SMTPMessage{Data: data}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		m.ParseErr = fmt.Errorf("read message: %w", err)
		return m
	}
	m.Header = msg.Header
	dec := new(mime.WordDecoder)
	if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		m.ParseErr = fmt.Errorf("decode subject: %w", err)
	}
	m.MessageID = msg.Header.Get("Message-ID")
	if err := m.walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body); err != nil && m.ParseErr == nil {
		m.ParseErr = err
	}
	return m
}

func (m *SMTPMessage) walk(contentType, encoding string, body io.Reader) error {
	if contentType == "" {
		contentType = "text/plain"
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content type %q: %w", contentType, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart() // raw: we decode the transfer encoding ourselves
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("multipart: %w", err)
			}
			if err := m.walk(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body) // ignores CR and LF
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return fmt.Errorf("%s body: %w", mediaType, err)
	}
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	switch mediaType {
	case "text/plain":
		if m.Text == "" {
			m.Text = text
		}
	case "text/html":
		if m.HTML == "" {
			m.HTML = text
		}
	}
	return nil
}
