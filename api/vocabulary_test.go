package api

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/reports"
	"github.com/lead360/lead360/scoring"
	"github.com/lead360/lead360/templates"
)

// retiredWords are names things had before the vocabulary
// (assessment/vocabulary.go): no channel may print them again.
var retiredWords = []string{
	"All others", "95% CI", "Outside CI", "1 (rarely)", "whom you know as", "as a direct report", "a member of their team (direct report)",
	"Self-rating above colleagues", "Self-rating below colleagues", "than for most leaders", "middle +", "middle −",
}

var (
	inlineTags = regexp.MustCompile(`</?(strong|em|b|i|a|span|abbr)( [^>]*)?>`)
	otherTags  = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>|<[^>]+>`)
)

// visibleText is a page's or an email's text as a reader sees it: tags
// dropped, entities decoded, spaces collapsed.
func visibleText(markup string) string {
	text := inlineTags.ReplaceAllString(markup, "")
	text = otherTags.ReplaceAllString(text, " ")
	return strings.Join(strings.Fields(html.UnescapeString(text)), " ")
}

// Every channel a leader or a rater reads names the same thing with the
// same words: the PDF report and the web results page print the same group
// labels, interval name, perception gap names, skill names and skill
// descriptions; the invitation email and the results page use the
// instrument's scale labels; the email names a rater's role with the same
// phrase the survey uses (Relationship.RaterRole); and no channel prints a
// word the vocabulary retired.
func TestVocabularyIsTheSameInEveryChannel(t *testing.T) {
	t.Parallel()
	pages, err := templates.Pages()
	if err != nil {
		t.Fatal(err)
	}
	var flagged bool
	for _, r := range generatedReports(t, 5, 6) {
		var buf bytes.Buffer
		if err := pages["results_report"].ExecuteTemplate(&buf, "base", newReportView(page{}, r, true)); err != nil {
			t.Fatal(err)
		}
		web := visibleText(buf.String())
		buf.Reset()
		if err := reports.Leader(&buf, r); err != nil {
			t.Fatal(err)
		}
		pdf := pdfText(t, buf.Bytes())
		words := []string{assessment.WordYou, assessment.WordAllColleagues, assessment.WordColleagues, assessment.WordInterval,
			assessment.GroupLabel(scoring.GroupManager), assessment.GroupLabel(scoring.GroupPeer)}
		for _, s := range r.Leader.Skills {
			if flag := assessment.FlagLabel(s.Gap.Flag); flag != "" {
				words = append(words, flag)
				flagged = true
			}
		}
		for _, s := range r.Instrument.Skills {
			words = append(words, s.Name, s.Description)
		}
		for _, w := range words {
			for channel, text := range map[string]string{"web": web, "pdf": pdf} {
				if !strings.Contains(text, w) {
					t.Errorf("%s: the %s report does not say %q", r.LeaderName, channel, w)
				}
			}
		}
		if scale := assessment.ScaleText(r.Instrument.Scale.Labels); !strings.Contains(web, scale) {
			t.Errorf("%s: the web page does not give the scale as %q", r.LeaderName, scale)
		}
		if scale := assessment.ScaleList(r.Instrument.Scale.Labels); !strings.Contains(pdf, scale) {
			t.Errorf("%s: the PDF does not give the scale as %q", r.LeaderName, scale)
		}
		for _, old := range retiredWords {
			for channel, text := range map[string]string{"web": web, "pdf": pdf} {
				if strings.Contains(text, old) {
					t.Errorf("%s: the %s report says the retired %q", r.LeaderName, channel, old)
				}
			}
		}
	}
	if !flagged {
		t.Fatal("no generated report has a blind spot or hidden strength: the flags are untested")
	}

	emails, err := templates.ParseEmails()
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range []assessment.Relationship{assessment.Manager, assessment.Peer, assessment.DirectReport, assessment.Other} {
		view := templates.InvitationEmail{RaterName: "Ana Lima", OrganizationName: "Acme", SenderName: "HR", CycleName: "Spring",
			ClosesAt: "Friday 4 December 2026, 17:00 UTC", EstimatedMinutes: 10, Threshold: 3,
			Invitations: []templates.InvitationLine{{LeaderName: "Maya Okafor", Relationship: rel.RaterRole(), IsManager: rel == assessment.Manager, URL: "https://x/s/t"}}}
		for _, name := range []string{"invitation", "reminder"} {
			_, text, markup, err := emails.Render(name, view)
			if err != nil {
				t.Fatal(err)
			}
			for channel, body := range map[string]string{"text": text, "html": visibleText(markup)} {
				body = strings.Join(strings.Fields(body), " ")
				if want := "Maya Okafor, as " + rel.RaterRole(); !strings.Contains(body, want) {
					t.Errorf("%s email (%s) for a %s lacks %q", name, channel, rel, want)
				}
				for _, old := range retiredWords {
					if strings.Contains(body, old) {
						t.Errorf("%s email (%s) says the retired %q", name, channel, old)
					}
				}
			}
		}
	}
}
