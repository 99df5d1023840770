package api

import (
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/lead360/lead360/assessment"
)

// FuzzDecodeSurveyForm: whatever a client posts, the decoder neither panics
// nor lets through a value off the scale, an overlong comment or an unknown
// action.
func FuzzDecodeSurveyForm(f *testing.F) {
	for _, seed := range []string{
		"version=0&action=save&a.delegation.shares_context=3&c.overall=hello",
		"version=7&action=submit&a.x=n&a.x=2&c.y=%00%ff",
		"version=-1&action=delete&a.=9&c.=",
		"version=99999999999999999999&a.k=%E2%98%95",
		"c.overall=" + url.QueryEscape(string(make([]rune, 4001))),
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		values, _ := url.ParseQuery(raw) // a partly bad query still yields values
		form, problems := decodeSurveyForm(values)
		if problems != nil {
			return
		}
		if form.Action != "save" && form.Action != "submit" {
			t.Fatalf("action %q accepted", form.Action)
		}
		if form.Version < 0 {
			t.Fatalf("version %d accepted", form.Version)
		}
		in := form.input()
		for _, a := range in.Answers {
			if a.Value < assessment.NotObserved || a.Value > assessment.ScalePoints || a.ItemKey == "" {
				t.Fatalf("answer %+v accepted", a)
			}
		}
		for _, c := range in.Comments {
			if utf8.RuneCountInString(c.Body) > assessment.MaxCommentRunes || c.QuestionKey == "" {
				t.Fatalf("comment of %d runes under %q accepted", utf8.RuneCountInString(c.Body), c.QuestionKey)
			}
		}
	})
}
