package mail_test

import (
	"bytes"
	htmltemplate "html/template"
	"path/filepath"
	"strings"
	"testing"
	texttemplate "text/template"

	"github.com/lead360/lead360/assessment/mail"
)

// This test parses the email templates from the file system to catch
// template errors early; the templates package will later embed and
// render them, and this test can then move there.

const emailDir = "../../templates/email"

// The view models documented at the top of the templates.
type invitationLine struct {
	LeaderName, Relationship string
	IsSelf, IsManager        bool
	URL                      string
}

type invitationEmail struct {
	RaterName, OrganizationName, SenderName, CycleName, ClosesAt string
	Contact                                                      string
	EstimatedMinutes, Threshold                                  int
	Invitations                                                  []invitationLine
	DaysLeft                                                     int // reminder only
}

func sampleEmail(lines ...invitationLine) invitationEmail {
	return invitationEmail{
		RaterName: "Sam Lee", OrganizationName: "Acme", SenderName: "Zoë Martin (People team)",
		Contact:   "Zoë Martin, People team (people@example.com)",
		CycleName: "Spring 2026 leadership feedback", ClosesAt: "Friday 20 March 2026",
		EstimatedMinutes: 12, Threshold: 3, Invitations: lines, DaysLeft: 3,
	}
}

var (
	self    = invitationLine{LeaderName: "Sam Lee", Relationship: "yourself", IsSelf: true, URL: "https://lead360.example/s/self-tok"}
	manager = invitationLine{LeaderName: "Bo Chen", Relationship: "their manager", IsManager: true, URL: "https://lead360.example/s/mgr-tok"}
	peer    = invitationLine{LeaderName: "Ana Lima", Relationship: "a peer", URL: "https://lead360.example/s/peer-tok"}
	report  = invitationLine{LeaderName: `Dee "<b>" O'Hara`, Relationship: "someone on their team", URL: "https://lead360.example/s/dr-tok?x=1&y=2"}
	other   = invitationLine{LeaderName: "Eli Park", Relationship: "a colleague", URL: "https://lead360.example/s/other-tok"}
)

type rendered struct{ subject, text, html string }

func render(t *testing.T, name string, vm invitationEmail) rendered {
	t.Helper()
	txt, err := texttemplate.New(name + ".txt.tmpl").Option("missingkey=error").ParseFiles(filepath.Join(emailDir, name+".txt.tmpl"))
	if err != nil {
		t.Fatalf("parse %s.txt.tmpl: %v", name, err)
	}
	html, err := htmltemplate.New(name + ".html.tmpl").Option("missingkey=error").ParseFiles(filepath.Join(emailDir, name+".html.tmpl"))
	if err != nil {
		t.Fatalf("parse %s.html.tmpl: %v", name, err)
	}
	var subject, text, body bytes.Buffer
	if err := txt.ExecuteTemplate(&subject, "subject", vm); err != nil {
		t.Fatalf("%s subject: %v", name, err)
	}
	if err := txt.Execute(&text, vm); err != nil {
		t.Fatalf("%s text: %v", name, err)
	}
	if err := html.Execute(&body, vm); err != nil {
		t.Fatalf("%s html: %v", name, err)
	}
	r := rendered{subject.String(), text.String(), body.String()}
	// Whatever the templates produce must be sendable.
	msg := mail.Message{
		To: mail.Address{Name: vm.RaterName, Email: "sam@example.org"}, Subject: r.subject,
		TextBody: r.text, HTMLBody: r.html, MessageID: "t.1@lead360.example",
	}
	if err := msg.Validate(); err != nil {
		t.Errorf("%s: rendered message invalid: %v", name, err)
	}
	for _, s := range []string{r.text, r.html} {
		if strings.Contains(s, "<no value>") || strings.Contains(s, "%!") {
			t.Errorf("%s: rendered a missing value:\n%s", name, s)
		}
	}
	return r
}

func TestInvitationTemplates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		lines       []invitationLine
		subject     string
		want, avoid []string // in both text and HTML
	}{
		{"one peer", []invitationLine{peer}, "Feedback for Ana Lima - Spring 2026 leadership feedback",
			[]string{"Ana Lima", "a peer", "at least 3 people", "without names", "Friday 20 March 2026", "about 12 minutes", "Zoë Martin"},
			[]string{"not anonymous", "manager's view"}},
		{"self", []invitationLine{self}, "Your self-assessment - Spring 2026 leadership feedback",
			[]string{"assess yourself", "not anonymous"},
			[]string{"at least 3 people", "manager's view"}},
		{"manager", []invitationLine{manager}, "Feedback for Bo Chen - Spring 2026 leadership feedback",
			[]string{"Bo Chen", "their manager", "manager's view", "recognised as yours"},
			[]string{"at least 3 people", "not anonymous"}},
		{"four leaders", []invitationLine{self, manager, peer, other}, "4 feedback requests - Spring 2026 leadership feedback",
			[]string{"4 people", "Ana Lima", "Eli Park", "a colleague", "at least 3 people", "manager's view", "not anonymous"},
			nil},
	}
	for _, tt := range tests {
		r := render(t, "invitation", sampleEmail(tt.lines...))
		if r.subject != tt.subject {
			t.Errorf("%s: subject %q, want %q", tt.name, r.subject, tt.subject)
		}
		for _, part := range []struct{ kind, body string }{{"text", r.text}, {"html", r.html}} {
			for _, w := range tt.want {
				if !strings.Contains(part.body, w) {
					t.Errorf("%s %s: lacks %q:\n%s", tt.name, part.kind, w, part.body)
				}
			}
			for _, a := range tt.avoid {
				if strings.Contains(part.body, a) {
					t.Errorf("%s %s: should not say %q:\n%s", tt.name, part.kind, a, part.body)
				}
			}
		}
		for _, l := range tt.lines {
			if !strings.Contains(r.text, "\n  "+l.URL+"\n") {
				t.Errorf("%s text: link %s not on its own line:\n%s", tt.name, l.URL, r.text)
			}
			if !strings.Contains(r.html, `href="`+l.URL+`"`) {
				t.Errorf("%s html: no link to %s", tt.name, l.URL)
			}
		}
	}
}

func TestInvitationHTMLEscapes(t *testing.T) {
	t.Parallel()
	r := render(t, "invitation", sampleEmail(report))
	if strings.Contains(r.html, "<b>") {
		t.Errorf("HTML did not escape the leader's name:\n%s", r.html)
	}
	if !strings.Contains(r.html, `href="https://lead360.example/s/dr-tok?x=1&amp;y=2"`) {
		t.Errorf("HTML link not attribute-escaped:\n%s", r.html)
	}
	for _, forbidden := range []string{"<img", "<script", "<link", "src=", "http://"} {
		if strings.Contains(r.html, forbidden) {
			t.Errorf("HTML contains %q (no external assets, no images)", forbidden)
		}
	}
	if !strings.Contains(r.html, "max-width:600px") {
		t.Error("HTML lacks the 600px container")
	}
	// A plain-text part is plain: no HTML escaping there.
	if !strings.Contains(r.text, `Dee "<b>" O'Hara`) {
		t.Errorf("text part altered the name:\n%s", r.text)
	}
}

func TestReminderTemplates(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		days    int
		subject string
		say     string
	}{
		{3, "Reminder: 3 days left - Spring 2026 leadership feedback", "there are 3 days left"},
		{1, "Reminder: 1 day left - Spring 2026 leadership feedback", "there is 1 day left"},
		{0, "Reminder: last day - Spring 2026 leadership feedback", "today is the last day"},
	} {
		vm := sampleEmail(peer, other)
		vm.DaysLeft = tt.days
		r := render(t, "reminder", vm)
		if r.subject != tt.subject {
			t.Errorf("subject %q, want %q", r.subject, tt.subject)
		}
		for _, body := range []string{r.text, r.html} {
			for _, w := range []string{tt.say, "2 surveys are", "Ana Lima", "Eli Park", "at least 3", peer.URL} {
				if !strings.Contains(body, w) {
					t.Errorf("reminder (%d days) lacks %q:\n%s", tt.days, w, body)
				}
			}
		}
	}
	r := render(t, "reminder", sampleEmail(self))
	if !strings.Contains(r.text, "One survey is") || strings.Contains(r.text, "at least 3") {
		t.Errorf("self reminder:\n%s", r.text)
	}
}

// A peer's invitation and reminder say what happens to a group too small
// to be shown (issue #10, item 6): pooled with the leader's other
// colleagues when that reaches the threshold, left out of every figure
// otherwise; and that the manager's answers are the manager's. A manager's
// invitation says their comments are recognisable too.
func TestEmailsExplainPooling(t *testing.T) {
	t.Parallel()
	words := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for _, tt := range []struct {
		name, template string
		lines          []invitationLine
		want           []string
	}{
		{"peer invitation", "invitation", []invitationLine{peer}, []string{
			"only combined with others in the same group, when at least 3 people in that group have answered",
			"combined with those of the leader's other colleagues and shown as",
			"other colleagues",
			"when that makes a group of at least 3; otherwise they are left out of every figure in the report",
			"Comments follow the same rule and are shown without names",
			"The manager's answers are not part of any group: they are shown as the manager's.",
		}},
		{"manager invitation", "invitation", []invitationLine{manager}, []string{"your answers and comments are shown as the manager's view"}},
		{"peer reminder", "reminder", []invitationLine{peer}, []string{
			"a smaller group is combined with the leader's other colleagues when that makes at least 3, and left out of every figure otherwise",
			"The manager's answers are shown as the manager's.",
		}},
	} {
		r := render(t, tt.template, sampleEmail(tt.lines...))
		for _, part := range []struct{ kind, body string }{{"text", words(r.text)}, {"html", words(r.html)}} {
			for _, w := range tt.want {
				if !strings.Contains(part.body, w) {
					t.Errorf("%s %s lacks %q:\n%s", tt.name, part.kind, w, part.body)
				}
			}
		}
	}
}

// TestShowInvitation prints one rendered email; run with -v to read it.
func TestShowInvitation(t *testing.T) {
	t.Parallel()
	r := render(t, "invitation", sampleEmail(self, peer, report))
	t.Logf("Subject: %s\n\n%s", r.subject, r.text)
}
