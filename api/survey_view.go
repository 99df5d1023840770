package api

import (
	"fmt"
	"strconv"
	"time"

	"github.com/lead360/lead360/assessment"
)

// surveyView is the view model of the survey pages.
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

	Notice string // a success message at the top
	Error  string // a problem with the whole form at the top
	// FormError is a problem not tied to one question (a damaged form).
	FormError string

	Scale       []scaleOption
	NotObserved string
	Skills      []skillView
	Overall     []questionView // open questions not tied to a skill
	Answered    int
	Total       int
}

type scaleOption struct {
	Value string
	Label string
}

type skillView struct {
	Name        string
	Description string
	Items       []itemView
	Questions   []questionView
}

type itemView struct {
	ID    string // HTML id
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

// newSurveyView builds the page from the survey, the form's values (saved or
// just posted) and per-field problems keyed by item or question key.
func newSurveyView(sv *assessment.Survey, f surveyForm, problems map[string]string) surveyView {
	in := &sv.Instrument
	v := surveyView{
		CycleName: sv.Cycle.Name, LeaderName: sv.Leader.Name, IsSelf: sv.IsSelf(),
		Relationship: sv.Assignment.Relationship.RaterRole(),
		Identifiable: sv.Assignment.Relationship.Identifiable(), Threshold: sv.Cycle.AnonymityThreshold,
		ClosesAt: sv.Cycle.ClosesAt, Minutes: assessment.EstimatedMinutes(in), Version: f.Version,
		Submitted: sv.Response.Status == assessment.ResponseSubmitted, NotObserved: in.Scale.NotObserved,
		Total: in.ItemCount(),
	}
	if v.Submitted && sv.Response.SubmittedAt != nil {
		v.SubmittedAt = *sv.Response.SubmittedAt
	}
	for i, label := range in.Scale.Labels {
		v.Scale = append(v.Scale, scaleOption{Value: strconv.Itoa(i + 1), Label: label})
	}
	n := 0
	for _, sk := range in.Skills {
		s := skillView{Name: sk.Name, Description: sk.Description}
		for _, it := range sk.Items {
			n++
			text := it.Others
			if v.IsSelf {
				text = it.Self
			}
			val := f.Answers[it.Key]
			if val != "" {
				v.Answered++
			}
			s.Items = append(s.Items, itemView{ID: fmt.Sprintf("q%d", n), Name: answerPrefix + it.Key, Text: text,
				Value: val, Error: problems[it.Key]})
		}
		v.Skills = append(v.Skills, s)
	}
	for i, q := range in.Questions {
		text := q.Others
		if v.IsSelf {
			text = q.Self
		}
		qv := questionView{ID: fmt.Sprintf("c%d", i+1), Name: commentPrefix + q.Key, Text: text,
			Value: f.Comments[q.Key], Error: problems[q.Key], Max: assessment.MaxCommentRunes}
		placed := false
		for j, sk := range in.Skills {
			if q.Skill != "" && sk.Key == q.Skill {
				v.Skills[j].Questions = append(v.Skills[j].Questions, qv)
				placed = true
			}
		}
		if !placed {
			v.Overall = append(v.Overall, qv)
		}
	}
	for _, k := range []string{"form", "version", "action"} {
		if msg := problems[k]; msg != "" && v.FormError == "" {
			v.FormError = msg
		}
	}
	return v
}
