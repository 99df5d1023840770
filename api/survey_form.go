package api

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/lead360/lead360/assessment"
)

// Survey form field names: a hidden "version" and "step" (0 or absent for a
// form of the whole survey), the pressed button's "action", "a.<item key>" for a rating (1-5, or "n" for not observed) and
// "c.<question key>" for an open answer.
const (
	answerPrefix  = "a."
	commentPrefix = "c."
	notObserved   = "n"
)

// surveyForm is what the survey form posts: never a model, so a posted
// field cannot reach anything but answers and comments of this response.
type surveyForm struct {
	Version  int               `validate:"gte=0,lte=1000000000"`
	Step     int               `validate:"gte=0,lte=100"`
	Action   string            `validate:"oneof=save submit next back"`
	Answers  map[string]string `validate:"max=500,dive,keys,min=1,max=100,endkeys,oneof=1 2 3 4 5 n"`
	Comments map[string]string `validate:"max=100,dive,keys,min=1,max=100,endkeys,max=4000"`
}

var validate = validator.New(validator.WithRequiredStructEnabled())

// decodeSurveyForm reads and checks the posted survey form. Problems come
// back per field, keyed like the domain's (item and question keys, or
// "version"/"action"), with the form filled as far as it could be, so the
// page can show everything the rater typed next to its message.
func decodeSurveyForm(values url.Values) (surveyForm, map[string]string) {
	f := surveyForm{Answers: map[string]string{}, Comments: map[string]string{}}
	problems := fieldProblems{}
	for _, name := range sortedKeys(values) {
		f.read(name, values[name], problems)
	}
	if f.Action == "" {
		f.Action = "save"
	}
	if err := validate.Struct(f); err != nil {
		problems.addValidation(err)
	}
	if len(problems) == 0 {
		return f, nil
	}
	return f, problems
}

// fieldProblems holds the message for each field with a problem: the first
// one found, which is the one the rater sees.
type fieldProblems map[string]string

func (p fieldProblems) add(field, msg string) {
	if _, seen := p[field]; !seen {
		p[field] = msg
	}
}

// read stores one posted field's values in f, with a problem for a field
// sent more than once or unreadable.
func (f *surveyForm) read(name string, vs []string, problems fieldProblems) {
	switch {
	case name == "version":
		if len(vs) != 1 {
			problems.add("version", "The form was sent twice in one; reload the page.")
			return
		}
		n, err := strconv.Atoi(vs[0])
		if err != nil {
			problems.add("version", "The form is damaged; reload the page.")
			return
		}
		f.Version = n
	case name == "step":
		n, err := strconv.Atoi(vs[0])
		if err != nil || len(vs) != 1 {
			problems.add("step", "The form is damaged; reload the page.")
			return
		}
		f.Step = n
	case name == "action":
		f.Action = vs[len(vs)-1]
	case strings.HasPrefix(name, answerPrefix):
		key := name[len(answerPrefix):]
		f.Answers[key] = vs[0]
		if len(vs) > 1 {
			problems.add(key, "Choose one answer only.")
		}
	case strings.HasPrefix(name, commentPrefix):
		key := name[len(commentPrefix):]
		// Browsers send line breaks as CRLF; count and store them as one.
		f.Comments[key] = strings.ReplaceAll(vs[0], "\r\n", "\n")
		if len(vs) > 1 {
			problems.add(key, "This answer was sent twice; please check it.")
		}
	}
	// Other fields (a stray button name, a proxy's additions) are ignored.
}

// addValidation turns the validator's complaints about a surveyForm into
// messages for the rater, on the field they concern where there is one.
func (p fieldProblems) addValidation(err error) {
	verrs, ok := err.(validator.ValidationErrors)
	if !ok {
		p.add("form", "The form could not be read.")
	}
	for _, fe := range verrs {
		key := mapKey(fe.Field())
		switch {
		case fe.Field() == "Version" || fe.Field() == "Step":
			p.add(strings.ToLower(fe.Field()), "The form is damaged; reload the page.")
		case fe.Field() == "Action":
			p.add("action", "Use one of the buttons under the questions.")
		case key == "":
			p.add("form", "The form has too many fields, or one without a name; reload the page.")
		case fe.Tag() == "oneof":
			p.add(key, "Choose a value from 1 to 5, or \"Not observed\".")
		case fe.Tag() == "max" && fe.Param() == strconv.Itoa(assessment.MaxCommentRunes):
			p.add(key, fmt.Sprintf("Use at most %d characters.", assessment.MaxCommentRunes))
		default:
			p.add("form", "The form has a field with an overlong name; reload the page.")
		}
	}
}

// mapKey returns "k" from a validator field name such as "Answers[k]".
func mapKey(field string) string {
	i, j := strings.IndexByte(field, '['), strings.LastIndexByte(field, ']')
	if i < 0 || j <= i {
		return ""
	}
	return field[i+1 : j]
}

// input turns a valid form into the use case's input. Blank comments are
// left out: an empty box is no answer.
func (f surveyForm) input() assessment.SurveyInput {
	in := assessment.SurveyInput{Version: f.Version, Step: f.Step, Submit: f.Action == "submit"}
	for _, key := range sortedKeys(f.Answers) {
		v := assessment.NotObserved
		if s := f.Answers[key]; s != notObserved {
			v, _ = strconv.Atoi(s)
		}
		in.Answers = append(in.Answers, assessment.Answer{ItemKey: key, Value: v})
	}
	for _, key := range sortedKeys(f.Comments) {
		if body := f.Comments[key]; strings.TrimSpace(body) != "" {
			in.Comments = append(in.Comments, assessment.Comment{QuestionKey: key, Body: body})
		}
	}
	return in
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
