package assessment

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ResponseStatus tells a draft apart from a submitted response.
type ResponseStatus string

const (
	ResponseDraft     ResponseStatus = "draft"
	ResponseSubmitted ResponseStatus = "submitted"
)

// NotObserved is the Value of an answer whose rater chose "Not observed".
// It is missing data, never a score of zero.
const NotObserved = 0

// MaxCommentRunes bounds a comment: long enough for a real paragraph, short
// enough that a report page can hold it.
const MaxCommentRunes = 4000

// Response is what one rater said for one assignment. There is at most one per
// assignment; Version increases with every save so that two browser tabs
// cannot overwrite each other silently.
type Response struct {
	ID             string
	OrganizationID string
	AssignmentID   string
	Status         ResponseStatus
	Version        int
	Answers        []Answer
	Comments       []Comment
	SubmittedAt    *time.Time
	// ExcludedAt is when HR excluded the submitted answers: they stay
	// stored and count nowhere (ExcludeResponse).
	ExcludedAt *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Answer is a rating of one item: 1..ScalePoints, or NotObserved.
type Answer struct {
	ItemKey string
	Value   int
}

// Comment is a free-text answer to an open question.
type Comment struct {
	QuestionKey string
	Body        string
}

// Validate checks the response against the instrument it answers, from a
// rater in the relationship rel. A draft may be incomplete; a submitted
// response must rate (or mark "not observed") every item. A leader rating
// themself has no "not observed": they know what they do. Field names are
// the item and question keys, so a form can put each message next to its
// control.
func (r *Response) Validate(in *Instrument, rel Relationship) error {
	f := fieldErrors{}
	choose := fmt.Sprintf("Choose an answer, or %q.", in.Scale.NotObserved)
	if rel == Self {
		choose = "Choose how often you do this."
	}
	switch r.Status {
	case ResponseDraft, ResponseSubmitted:
	default:
		f.add("status", fmt.Sprintf("unknown response status %q", r.Status))
	}
	answered := make(map[string]bool, len(r.Answers))
	for _, a := range r.Answers {
		if _, _, ok := in.Item(a.ItemKey); !ok {
			f.add(a.ItemKey, "This question is not part of the survey.")
			continue
		}
		if answered[a.ItemKey] {
			f.add(a.ItemKey, "This question was answered twice.")
		}
		answered[a.ItemKey] = true
		switch {
		case a.Value == NotObserved && rel == Self:
			f.add(a.ItemKey, choose)
		case a.Value != NotObserved && (a.Value < 1 || a.Value > in.Scale.Points):
			f.add(a.ItemKey, fmt.Sprintf("Choose a value from 1 to %d, or %q.", in.Scale.Points, in.Scale.NotObserved))
		}
	}
	commented := make(map[string]bool, len(r.Comments))
	for _, c := range r.Comments {
		if _, ok := in.Question(c.QuestionKey); !ok {
			f.add(c.QuestionKey, "This question is not part of the survey.")
			continue
		}
		if commented[c.QuestionKey] {
			f.add(c.QuestionKey, "This question was answered twice.")
		}
		commented[c.QuestionKey] = true
		if !utf8.ValidString(c.Body) || strings.ContainsRune(c.Body, 0) {
			f.add(c.QuestionKey, "The text contains characters that cannot be stored.")
		} else if n := utf8.RuneCountInString(c.Body); n > MaxCommentRunes {
			f.add(c.QuestionKey, fmt.Sprintf("Use at most %d characters (this has %d).", MaxCommentRunes, n))
		}
	}
	if r.Status == ResponseSubmitted {
		for _, s := range in.Skills {
			for _, it := range s.Items {
				if !answered[it.Key] {
					f.add(it.Key, choose)
				}
			}
		}
	}
	if r.Status == ResponseSubmitted && len(f) > 0 {
		return f.err("some questions still need an answer")
	}
	return f.err("some answers cannot be saved")
}
