package templates

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

// InvitationEmail is the view model of the invitation and reminder emails
// (documented at the top of email/invitation.txt.tmpl): one email to one
// rater, listing all their surveys in a cycle.
type InvitationEmail struct {
	RaterName        string
	OrganizationName string
	SenderName       string // who asks
	Contact          string // who answers questions: the organisation's contact, or SenderName
	CycleName        string
	ClosesAt         string // formatted for people
	EstimatedMinutes int    // per survey
	Threshold        int    // anonymity threshold of the cycle
	Invitations      []InvitationLine
	DaysLeft         int // reminders only: whole days until the close date
}

// InvitationLine is one survey in an email.
type InvitationLine struct {
	LeaderName   string
	Relationship string // after "as": "their manager", "someone on their team" (assessment.Relationship.RaterRole)
	IsSelf       bool
	IsManager    bool
	URL          string
}

// Emails renders the email templates, parsed once.
type Emails struct {
	text map[string]*texttemplate.Template
	html map[string]*htmltemplate.Template
}

// EmailNames are the emails lead360 sends.
var EmailNames = []string{"invitation", "reminder"}

// ParseEmails parses every email template; an error stops start-up.
func ParseEmails() (*Emails, error) {
	e := &Emails{text: map[string]*texttemplate.Template{}, html: map[string]*htmltemplate.Template{}}
	for _, name := range EmailNames {
		t, err := texttemplate.New(name+".txt.tmpl").Option("missingkey=error").ParseFS(files, "email/"+name+".txt.tmpl")
		if err != nil {
			return nil, fmt.Errorf("parse email %s (text): %w", name, err)
		}
		if t.Lookup("subject") == nil {
			return nil, fmt.Errorf("parse email %s: no \"subject\" template", name)
		}
		h, err := htmltemplate.New(name+".html.tmpl").Option("missingkey=error").ParseFS(files, "email/"+name+".html.tmpl")
		if err != nil {
			return nil, fmt.Errorf("parse email %s (html): %w", name, err)
		}
		e.text[name], e.html[name] = t, h
	}
	return e, nil
}

// Render returns the subject, text and HTML of email name for view.
func (e *Emails) Render(name string, view any) (subject, text, html string, err error) {
	t, ok := e.text[name]
	if !ok {
		return "", "", "", fmt.Errorf("render email: no email %q", name)
	}
	var sb, tb, hb bytes.Buffer
	if err := t.ExecuteTemplate(&sb, "subject", view); err != nil {
		return "", "", "", fmt.Errorf("render %s subject: %w", name, err)
	}
	if err := t.Execute(&tb, view); err != nil {
		return "", "", "", fmt.Errorf("render %s text: %w", name, err)
	}
	if err := e.html[name].Execute(&hb, view); err != nil {
		return "", "", "", fmt.Errorf("render %s html: %w", name, err)
	}
	// The subject is one header line: names with line breaks never reach it.
	subject = strings.Join(strings.Fields(sb.String()), " ")
	return subject, tb.String(), hb.String(), nil
}
