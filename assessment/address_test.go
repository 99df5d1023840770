package assessment_test

import (
	"strings"
	"testing"

	"github.com/lead360/lead360/assessment"
)

// Addresses are normalised in one place: case, IDNA, sub-address tags on
// the organisation's domains only; mixed-script and look-alike addresses
// are refused with a sentence that names the odd letter.
func TestParseAddressNormalisesAndRefusesLookAlikes(t *testing.T) {
	t.Parallel()
	org := assessment.EmailDomains{Domains: []string{"acme.test", "bücher.test"}}
	for _, tc := range []struct {
		name, in string
		want     string // the stored form at org; "" when refused
		problem  string // part of the refusal
	}{
		{name: "plain ASCII", in: "maya.okafor@acme.test", want: "maya.okafor@acme.test"},
		{name: "case and spaces", in: "  Maya.Okafor@ACME.Test ", want: "maya.okafor@acme.test"},
		{name: "tag on the organisation's domain", in: "lea+p3@acme.test", want: "lea@acme.test"},
		{name: "tag elsewhere is kept", in: "lea+p3@gmail.test", want: "lea+p3@gmail.test"},
		{name: "IDN in Unicode", in: "ana@Bücher.test", want: "ana@bücher.test"},
		{name: "IDN in punycode is the same domain", in: "ana+x@xn--bcher-kva.test", want: "ana@bücher.test"},
		{name: "accented Latin", in: "josé@acme.test", want: "josé@acme.test"},
		{name: "Cyrillic name at a Latin domain", in: "иван@acme.test", want: "иван@acme.test"},
		{name: "Latin with Han", in: "wang李@acme.test", want: "wang李@acme.test"},
		{name: "Cyrillic e in the domain", in: "p2@acmе.test", problem: "mixes alphabets (Cyrillic е in 'acmе.test'); type it again with Latin letters"},
		{name: "Cyrillic a in the local part", in: "mаya@acme.test", problem: "mixes alphabets (Cyrillic а in 'mаya')"},
		{name: "Greek omicron", in: "bοb@acme.test", problem: "mixes alphabets (Greek ο in 'bοb')"},
		{name: "whole-script Cyrillic look-alike", in: "ра@acme.test", problem: "look like plain ones (Cyrillic р in 'ра', which reads as 'pa')"},
		{name: "whole-script look-alike domain", in: "p2@асе.test", problem: "look like plain ones (Cyrillic а in 'асе.test'"},
		{name: "full-width letters are narrowed", in: "ｍaya@ａcme.test", want: "maya@acme.test"},
		{name: "ligature", in: "ﬁle@acme.test", problem: "a character that cannot be part of an address ('ﬁle'"},
		{name: "invisible joiner", in: "ma\u200dya@acme.test", problem: "a character that cannot be part of an address"},
		{name: "not an address", in: "maya at acme", problem: "Enter an email address"},
		{name: "display name", in: "Maya <maya@acme.test>", problem: "Enter an email address"},
		{name: "bad domain", in: "maya@acme..test", problem: "Enter an email address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, err := assessment.ParseAddress(tc.in)
			if tc.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tc.problem) {
					t.Fatalf("ParseAddress(%q) = %v, %v; want a refusal saying %q", tc.in, a, err, tc.problem)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseAddress(%q): %v", tc.in, err)
			}
			if got := org.Canonical(a).String(); got != tc.want {
				t.Errorf("ParseAddress(%q) stored as %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSameMailboxAndLooksLike(t *testing.T) {
	t.Parallel()
	parse := func(s string) assessment.Address {
		t.Helper()
		a, err := assessment.ParseAddress(s)
		if err != nil {
			t.Fatalf("parse %q: %v", s, err)
		}
		return a
	}
	for _, tc := range []struct {
		a, b       string
		same, like bool
	}{
		{"lea@acme.test", "lea+p3@acme.test", true, true},
		{"lea@gmail.test", "lea+x@gmail.test", true, true},
		{"lea@acme.test", "lea@acrne.test", true, true}, // "rn" reads as "m" (confusables data)
		{"maya.o@acme.test", "maya.p@acme.test", false, true},
		{"p1@acme.test", "p2@acme.test", false, false}, // short local parts are not flagged by spelling
		{"maya@acme.test", "maya@other.test", false, false},
		{"ana@acme.test", "bo@acme.test", false, false},
	} {
		a, b := parse(tc.a), parse(tc.b)
		if got := assessment.SameMailbox(a, b); got != tc.same {
			t.Errorf("SameMailbox(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.same)
		}
		if got := assessment.LooksLike(a, b); got != tc.like {
			t.Errorf("LooksLike(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.like)
		}
	}
}

func TestParseEmailDomains(t *testing.T) {
	t.Parallel()
	got, err := assessment.ParseEmailDomains("Acme.test, @acme.example\nacme.test  xn--bcher-kva.test")
	if err != nil || strings.Join(got, " ") != "acme.example acme.test bücher.test" {
		t.Fatalf("domains %q, %v", got, err)
	}
	for in, want := range map[string]string{
		"acme":            "'acme' needs the part after the dot",
		"acmе.test":       "'acmе.test' mixes alphabets (Cyrillic е",
		"ana@acme.test":   "'ana@acme.test' is not a domain name",
		"http://acme.com": "is not a domain name",
		strings.Repeat("a.test ", assessment.MaxEmailDomains+1): "", // duplicates collapse
	} {
		_, err := assessment.ParseEmailDomains(in)
		switch {
		case want == "" && err != nil:
			t.Errorf("%.30q: %v", in, err)
		case want != "" && (err == nil || !strings.Contains(err.(*assessment.Error).Fields["domains"], want)):
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
	var many []string
	for i := range assessment.MaxEmailDomains + 1 {
		many = append(many, strings.Repeat("a", i+1)+".test")
	}
	if _, err := assessment.ParseEmailDomains(strings.Join(many, ",")); err == nil || !strings.Contains(err.Error(), "at most 50") {
		t.Errorf("51 domains: %v", err)
	}
}
