package api

import (
	"fmt"
	"strconv"
	"time"

	"github.com/lead360/lead360/assessment"
)

// surveyView is the view model of the survey pages: one step of the survey
// (Instrument.Steps), with what the rater needs around it.
type surveyView struct {
	Token        string
	CycleName    string
	LeaderName   string
	IsSelf       bool
	Relationship string // how the rater knows the leader, in a sentence
	Identifiable bool   // self and manager answers can be recognised
	Threshold    int
	ClosesAt     time.Time
	Minutes      int
	Version      int
	Submitted    bool
	SubmittedAt  time.Time

	// Notice is a success message and Error a problem with the form; either
	// comes first on the page and takes the focus.
	Notice string
	Error  string
	// Problems are the per-field messages, each a link to its field (on
	// this step, or on the step that asks it).
	Problems []problemLink

	Step        int
	Steps       int
	StepTitle   string
	Description string
	Review      bool
	// StepLinks is every step with how much of it is answered, for the
	// review step.
	StepLinks []stepLink
	// Missing are the behaviours still unanswered, as links to them.
	Missing []problemLink

	Scale       []scaleOption
	NotObserved string
	Items       []itemView
	Questions   []questionView
	Answered    int // rated behaviours answered in the whole survey
	Total       int
}

type scaleOption struct {
	Value string
	Label string
}

type itemView struct {
	ID    string // HTML id, the same on every page: q1..q40
	Name  string // form field name
	Text  string
	Value string // "1".."5", "n" or ""
	Error string
}

type questionView struct {
	ID    string
	Name  string
	Text  string
	Value string
	Error string
	Max   int
}

// problemLink is a message about one field and where to fix it.
type problemLink struct {
	Href    string
	Text    string
	Message string
	// Unanswered is a behaviour that has no answer yet.
	Unanswered bool
}

// stepLink is one step on the review screen.
type stepLink struct {
	Href     string
	Title    string
	Answered int // rated behaviours
	Total    int
	Comments int // open questions answered
	Asked    int // open questions
}

// newSurveyView builds step n of the survey from the saved response, with
// the step's own fields from the form (saved, or just posted and rejected)
// and per-field problems keyed by item or question key.
func newSurveyView(sv *assessment.Survey, token string, n int, f surveyForm, problems map[string]string) surveyView {
	in := &sv.Instrument
	steps := in.Steps()
	if n < 1 || n > len(steps) {
		n = sv.ResumeStep()
	}
	step := steps[n-1]
	v := surveyView{
		Token: token, CycleName: sv.Cycle.Name, LeaderName: sv.Leader.Name, IsSelf: sv.IsSelf(),
		Relationship: sv.Assignment.Relationship.RaterRole(),
		Identifiable: sv.Assignment.Relationship.Identifiable(), Threshold: sv.Cycle.AnonymityThreshold,
		ClosesAt: sv.Cycle.ClosesAt, Minutes: assessment.EstimatedMinutes(in), Version: f.Version,
		Submitted: sv.Response.Status == assessment.ResponseSubmitted, NotObserved: in.Scale.NotObserved,
		Total: in.ItemCount(), Step: n, Steps: len(steps), StepTitle: step.Title(),
		Description: step.Skill.Description, Review: step.Review,
	}
	if v.Submitted && sv.Response.SubmittedAt != nil {
		v.SubmittedAt = *sv.Response.SubmittedAt
	}
	for i, label := range in.Scale.Labels {
		v.Scale = append(v.Scale, scaleOption{Value: strconv.Itoa(i + 1), Label: label})
	}
	// What the survey holds now: the saved answers, and this step's as the
	// form has them.
	values := formFromResponse(sv.Response)
	for _, it := range step.Items {
		values.Answers[it.Key] = f.Answers[it.Key]
	}
	for _, q := range step.Questions {
		values.Comments[q.Key] = f.Comments[q.Key]
	}
	v.addFields(steps, values, problems)
	// Problems with no field on any step (a damaged form, an unknown
	// question) are listed once each, without a link.
	said := map[string]bool{}
	for _, k := range sortedKeys(problems) {
		if in.StepOf(k) == 0 && !said[problems[k]] {
			said[problems[k]] = true
			v.Problems = append(v.Problems, problemLink{Message: problems[k]})
		}
	}
	return v
}

// addFields adds the step's fields, every step's counts for the review, and
// a link to each missing answer and each problem, from values: the survey
// as it stands, the saved answers with this step's as the form has them.
func (v *surveyView) addFields(steps []assessment.SurveyStep, values surveyForm, problems map[string]string) {
	link := func(st assessment.SurveyStep, id string) string {
		if st.Number == v.Step {
			return "#" + id
		}
		return fmt.Sprintf("/s/%s?step=%d#%s", v.Token, st.Number, id)
	}
	number, asked := 0, 0
	for _, st := range steps {
		sl := stepLink{Href: link(st, "step-title"), Title: st.Title(), Total: len(st.Items), Asked: len(st.Questions)}
		for _, it := range st.Items {
			number++
			iv := itemView{ID: fmt.Sprintf("q%d", number), Name: answerPrefix + it.Key, Text: it.Others,
				Value: values.Answers[it.Key], Error: problems[it.Key]}
			if v.IsSelf {
				iv.Text = it.Self
			}
			if iv.Value != "" {
				sl.Answered++
			} else {
				v.Missing = append(v.Missing, problemLink{Href: link(st, iv.ID), Text: iv.Text})
			}
			if iv.Error != "" {
				v.Problems = append(v.Problems, problemLink{Href: link(st, iv.ID), Text: iv.Text, Message: iv.Error, Unanswered: iv.Value == ""})
			}
			if st.Number == v.Step {
				v.Items = append(v.Items, iv)
			}
		}
		for _, q := range st.Questions {
			asked++
			qv := questionView{ID: fmt.Sprintf("c%d", asked), Name: commentPrefix + q.Key, Text: q.Others,
				Value: values.Comments[q.Key], Error: problems[q.Key], Max: assessment.MaxCommentRunes}
			if v.IsSelf {
				qv.Text = q.Self
			}
			if qv.Value != "" {
				sl.Comments++
			}
			if qv.Error != "" {
				v.Problems = append(v.Problems, problemLink{Href: link(st, qv.ID), Text: qv.Text, Message: qv.Error})
			}
			if st.Number == v.Step {
				v.Questions = append(v.Questions, qv)
			}
		}
		v.Answered += sl.Answered
		if !st.Review {
			v.StepLinks = append(v.StepLinks, sl)
		}
	}
}
