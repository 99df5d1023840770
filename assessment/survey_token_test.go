package assessment

import (
	"strings"
	"testing"
)

// FuzzSurveyToken feeds arbitrary link tokens and sealed values to the token
// code. A link token has exactly one spelling (so two links never open the
// same survey by accident of encoding), and no forged sealed value opens to
// a token.
func FuzzSurveyToken(f *testing.F) {
	tokens, err := NewTokens(make([]byte, KeyBytes), nil)
	if err != nil {
		f.Fatal(err)
	}
	tok, hash, sealed, err := tokens.mint()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tok, sealed)
	f.Add("", "")
	f.Add(strings.Repeat("A", 43), "AAAA")
	f.Add(tok[:42]+"=", sealed[:len(sealed)-1])
	f.Fuzz(func(t *testing.T, token, forged string) {
		if h, ok := HashToken(token); ok {
			raw, err := tokenEncoding.DecodeString(token)
			if err != nil || tokenEncoding.EncodeToString(raw) != token || len(h) != 32 {
				t.Fatalf("HashToken accepted %q, which is not the canonical spelling of a token", token)
			}
		}
		if forged == sealed {
			return
		}
		if got, err := tokens.open(forged, hash); err == nil && got != tok {
			t.Fatalf("a forged sealed value opened to %q", got)
		}
	})
}
