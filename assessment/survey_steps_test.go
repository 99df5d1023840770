package assessment

import (
	"slices"
	"testing"
)

// The built-in survey is seven screens: five skills, each with its open
// question, the overall question, and the review.
func TestSurveySteps(t *testing.T) {
	t.Parallel()
	in, _ := builtins(t)
	steps := in.Steps()
	var titles []string
	items, questions := 0, 0
	for i, st := range steps {
		if st.Number != i+1 {
			t.Errorf("step %d is numbered %d", i+1, st.Number)
		}
		titles = append(titles, st.Title())
		items += len(st.Items)
		questions += len(st.Questions)
	}
	want := []string{"Delegation", "Coaching", "Feedback", "Conflict resolution", "Emotional intelligence", "Anything else", "Check and submit"}
	if !slices.Equal(titles, want) {
		t.Errorf("steps %q, want %q", titles, want)
	}
	if items != in.ItemCount() || questions != len(in.Questions) {
		t.Errorf("the steps ask %d behaviours and %d questions, want %d and %d", items, questions, in.ItemCount(), len(in.Questions))
	}
	if got := in.StepOf(in.Skills[2].Items[3].Key); got != 3 {
		t.Errorf("a feedback behaviour is on step %d, want 3", got)
	}
	if got := in.StepOf("overall"); got != 6 {
		t.Errorf("the overall question is on step %d, want 6", got)
	}
	if _, ok := in.Step(8); ok {
		t.Error("step 8 of 7 exists")
	}
}

// A rater coming back lands on the first step with a behaviour left to
// answer; with all answered, a draft opens the comments step and a
// submission the review.
func TestResumeStep(t *testing.T) {
	t.Parallel()
	in, _ := builtins(t)
	answers := func(skills int, skip string) []Answer {
		var as []Answer
		for _, sk := range in.Skills[:skills] {
			for _, it := range sk.Items {
				if it.Key != skip {
					as = append(as, Answer{ItemKey: it.Key, Value: 3})
				}
			}
		}
		return as
	}
	tests := []struct {
		name   string
		status ResponseStatus
		given  []Answer
		want   int
	}{
		{"nothing saved", ResponseDraft, nil, 1},
		{"two skills done", ResponseDraft, answers(2, ""), 3},
		{"one behaviour skipped on the first step", ResponseDraft, answers(5, in.Skills[0].Items[4].Key), 1},
		{"every behaviour answered, a draft", ResponseDraft, answers(5, ""), 6},
		{"submitted", ResponseSubmitted, answers(5, ""), 7},
	}
	for _, tt := range tests {
		sv := Survey{Instrument: in, Response: Response{Status: tt.status, Answers: tt.given}}
		if got := sv.ResumeStep(); got != tt.want {
			t.Errorf("%s: resumes at step %d, want %d", tt.name, got, tt.want)
		}
	}
}

// A step's form replaces that step's answers and comments and keeps every
// other step's; an answer left empty on the step is no answer.
func TestMergeStep(t *testing.T) {
	t.Parallel()
	in, _ := builtins(t)
	d, c := in.Skills[0].Items, in.Skills[1].Items
	saved := Response{
		Answers:  []Answer{{ItemKey: d[0].Key, Value: 2}, {ItemKey: d[1].Key, Value: 2}, {ItemKey: c[0].Key, Value: 5}},
		Comments: []Comment{{QuestionKey: "delegation.keep_and_change", Body: "old"}, {QuestionKey: "overall", Body: "kept"}},
	}
	posted := SurveyInput{Step: 1, Answers: []Answer{{ItemKey: d[0].Key, Value: 4}}}
	answers, comments := mergeStep(&in, 1, saved, posted)
	got := map[string]int{}
	for _, a := range answers {
		got[a.ItemKey] = a.Value
	}
	want := map[string]int{d[0].Key: 4, c[0].Key: 5}
	if len(got) != len(want) || got[d[0].Key] != 4 || got[c[0].Key] != 5 {
		t.Errorf("answers %v, want %v", got, want)
	}
	if len(comments) != 1 || comments[0].Body != "kept" {
		t.Errorf("comments %+v, want only the other step's", comments)
	}
	// The review step shows no questions: everything saved stays.
	answers, comments = mergeStep(&in, 7, saved, SurveyInput{Step: 7})
	if len(answers) != 3 || len(comments) != 2 {
		t.Errorf("the review step changed the answers: %+v %+v", answers, comments)
	}
}
