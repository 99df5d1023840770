package assessment

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mtibben/confusables"
	"golang.org/x/net/idna"
	"golang.org/x/text/secure/precis"
)

// The addresses of people who take part in cycles. Every way a person
// enters lead360 (a leader's nomination, a CSV import, HR adding a leader
// or a rater by hand) goes through ParseAddress, so one mailbox has one
// stored form, and an address that only looks like another one is refused
// before anyone is asked to rate: a leader who could plant addresses that
// reach her could read the real raters' answers off the group mean.

// Address is an email address in the form lead360 stores and compares: the
// local part in the PRECIS username form (RFC 8265: full-width letters
// narrowed, lower-cased, NFC), the domain in its IDNA (UTS #46) Unicode
// form, so "Ana@Bücher.de" and "ana@xn--bcher-kva.de" are one mailbox.
type Address struct {
	Local  string
	Domain string
}

func (a Address) String() string { return a.Local + "@" + a.Domain }

// maxAddressBytes is the stored limit (people.email).
const maxAddressBytes = 320

// ErrNotAnAddress is the answer to text that is not one bare address.
var ErrNotAnAddress = &Error{Code: CodeInvalid, Message: "Enter an email address like name@example.com."}

// ParseAddress reads one bare address typed by a person: it trims it,
// maps the local part through PRECIS and the domain through IDNA, and
// refuses a part that mixes alphabets or is written in letters that only look like
// Latin ones (addressProblem). A sub-address tag is kept: whether it goes
// depends on the organisation's domains (EmailDomains.Canonical).
func ParseAddress(raw string) (Address, error) {
	s := strings.TrimSpace(raw)
	parsed, err := mail.ParseAddress(s)
	if err != nil || parsed.Address != s || strings.ContainsAny(s, "\r\n") || len(s) > maxAddressBytes {
		return Address{}, ErrNotAnAddress
	}
	at := strings.LastIndexByte(s, '@')
	domain, err := parseDomainName(s[at+1:])
	if err != nil {
		return Address{}, ErrNotAnAddress
	}
	local, err := precis.UsernameCaseMapped.String(s[:at])
	if err != nil {
		return Address{}, Errorf(CodeInvalid, "This address has a character that cannot be part of an address ('%s' has a ligature, a symbol or an invisible character); type it again with plain letters.", clip(s[:at]))
	}
	a := Address{Local: local, Domain: domain}
	if len(a.String()) > maxAddressBytes {
		return Address{}, ErrNotAnAddress
	}
	if msg := addressProblem(a.Local); msg != "" {
		return Address{}, &Error{Code: CodeInvalid, Message: msg}
	}
	for _, label := range strings.Split(a.Domain, ".") {
		if msg := addressProblemIn(label, a.Domain); msg != "" {
			return Address{}, &Error{Code: CodeInvalid, Message: msg}
		}
	}
	return a, nil
}

// parseDomainName maps a domain through IDNA's lookup profile (UTS #46:
// case, width and compatibility forms folded, invalid names refused) and
// returns its Unicode form.
func parseDomainName(s string) (string, error) {
	ascii, err := idna.Lookup.ToASCII(s)
	if err != nil || ascii == "" {
		return "", fmt.Errorf("domain %q: %w", s, err)
	}
	return idna.Lookup.ToUnicode(ascii)
}

// addressProblem is what is wrong with one part of an address (the local
// part, or a label of the domain), in words, or "".
func addressProblem(part string) string { return addressProblemIn(part, part) }

// addressProblemIn judges part and quotes whole in its message, so a
// problem in a domain label names the domain a person typed.
//
// Two rules of UTS #39 (Unicode security mechanisms), on Unicode's own
// data: the part must be "highly restrictive" (one script, or Latin with
// the scripts Chinese, Japanese and Korean are written in together), and
// it must not be a whole-script look-alike of plain ASCII (non-ASCII text
// whose confusables skeleton is all ASCII, like Cyrillic "ра" for "pa").
func addressProblemIn(part, whole string) string {
	var scripts []string
	count := map[string]int{}
	first := map[string]rune{}
	for _, r := range part {
		sc := scriptOf(r)
		if sc == "" {
			continue
		}
		if count[sc] == 0 {
			scripts = append(scripts, sc)
			first[sc] = r
		}
		count[sc]++
	}
	if !highlyRestrictive(scripts) {
		// Name the alphabet with the fewest letters (the last of them): it
		// is the odd one out; the one with the most is what was meant.
		odd, main := scripts[0], scripts[0]
		for _, sc := range scripts {
			if count[sc] <= count[odd] {
				odd = sc
			}
			if count[sc] > count[main] {
				main = sc
			}
		}
		return fmt.Sprintf("This address mixes alphabets (%s %c in '%s'); type it again with %s letters.",
			scriptName(odd), first[odd], whole, scriptName(main))
	}
	if isASCII(part) {
		return ""
	}
	if sk := confusables.Skeleton(part); isASCII(sk) {
		for _, r := range part {
			if r >= utf8.RuneSelf {
				return fmt.Sprintf("This address uses letters that only look like plain ones (%s %c in '%s', which reads as '%s'); type it again with plain Latin letters.",
					scriptName(scriptOf(r)), r, whole, strings.Replace(whole, part, sk, 1))
			}
		}
	}
	return ""
}

// highlyRestrictive is UTS #39's "highly restrictive" level (section 5.2).
func highlyRestrictive(scripts []string) bool {
	if len(scripts) <= 1 {
		return true
	}
	for _, allowed := range [][]string{
		{"Latin", "Han", "Hiragana", "Katakana"},
		{"Latin", "Han", "Bopomofo"},
		{"Latin", "Han", "Hangul"},
	} {
		if !slices.ContainsFunc(scripts, func(sc string) bool { return !slices.Contains(allowed, sc) }) {
			return true
		}
	}
	return false
}

// scriptOf names the Unicode script of r (Go's unicode tables), or "" for
// the characters every script uses: digits, punctuation, combining marks
// (Common and Inherited).
func scriptOf(r rune) string {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
			return "Latin"
		}
		return ""
	}
	for name, table := range unicode.Scripts {
		if name != "Common" && name != "Inherited" && unicode.Is(table, r) {
			return name
		}
	}
	return ""
}

// scriptName is a script as a sentence names it.
func scriptName(sc string) string {
	if sc == "" {
		return "special"
	}
	return strings.ReplaceAll(sc, "_", " ")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// DomainOf is the domain of a stored address.
func DomainOf(email string) string { return email[strings.LastIndexByte(email, '@')+1:] }

// untagged is the address without its sub-address tag ("lea+p3" is
// "lea"): the mailbox that receives it on the mail servers that deliver
// tagged addresses to their base.
func (a Address) untagged() Address {
	if i := strings.IndexByte(a.Local, '+'); i > 0 {
		a.Local = a.Local[:i]
	}
	return a
}

// skeleton is the address's UTS #39 confusables skeleton without its tag:
// two addresses with one skeleton read alike.
func (a Address) skeleton() Address {
	u := a.untagged()
	return Address{Local: confusables.Skeleton(u.Local), Domain: confusables.Skeleton(u.Domain)}
}

// SameMailbox reports whether a and b reach, or read as, one mailbox: the
// same address once tags are removed, or one that looks the same.
func SameMailbox(a, b Address) bool {
	return a.untagged() == b.untagged() || a.skeleton() == b.skeleton()
}

// LooksLike reports whether a could be mistaken for b when HR reads a
// list: the same mailbox (SameMailbox), or, on a domain that reads the
// same, local parts of at least four letters one edit apart ("maya.o" and
// "maya.p"). It flags; it never refuses.
func LooksLike(a, b Address) bool {
	if SameMailbox(a, b) {
		return true
	}
	sa, sb := a.skeleton(), b.skeleton()
	if sa.Domain != sb.Domain {
		return false
	}
	la, lb := []rune(sa.Local), []rune(sb.Local)
	return len(la) >= 4 && len(lb) >= 4 && editDistance(la, lb) <= 1
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
