package assessment

// A rater answers on a phone, between two meetings, so the survey is a few
// short screens rather than one long page: one step per skill (its rated
// behaviours and its open question), a step for the open questions not tied
// to a skill, and a review step from which the survey is submitted.

// SurveyStep is one screen of the survey.
type SurveyStep struct {
	Number int // from 1
	// Skill is the step's skill; zero for the comments and review steps.
	Skill     Skill
	Items     []Item
	Questions []Question
	// Review is the last step: what is still unanswered, and Submit.
	Review bool
}

// Title names the step for its heading and for "Step 2 of 7".
func (st SurveyStep) Title() string {
	switch {
	case st.Review:
		return "Check and submit"
	case st.Skill.Key == "":
		return "Anything else"
	}
	return st.Skill.Name
}

// Steps splits the instrument into the survey's screens, in order.
func (in *Instrument) Steps() []SurveyStep {
	steps := make([]SurveyStep, 0, len(in.Skills)+2)
	var overall []Question
	for _, q := range in.Questions {
		if q.Skill == "" {
			overall = append(overall, q)
		}
	}
	for _, sk := range in.Skills {
		st := SurveyStep{Number: len(steps) + 1, Skill: sk, Items: sk.Items}
		for _, q := range in.Questions {
			if q.Skill == sk.Key {
				st.Questions = append(st.Questions, q)
			}
		}
		steps = append(steps, st)
	}
	if len(overall) > 0 {
		steps = append(steps, SurveyStep{Number: len(steps) + 1, Questions: overall})
	}
	return append(steps, SurveyStep{Number: len(steps) + 1, Review: true})
}

// Step returns step n of the instrument's survey.
func (in *Instrument) Step(n int) (SurveyStep, bool) {
	steps := in.Steps()
	if n < 1 || n > len(steps) {
		return SurveyStep{}, false
	}
	return steps[n-1], true
}

// StepOf returns the number of the step that asks the item or question key.
func (in *Instrument) StepOf(key string) int {
	for _, st := range in.Steps() {
		for _, it := range st.Items {
			if it.Key == key {
				return st.Number
			}
		}
		for _, q := range st.Questions {
			if q.Key == key {
				return st.Number
			}
		}
	}
	return 0
}

// ResumeStep is where a rater coming back to their link continues: the
// first step with a behaviour not answered yet; with every behaviour
// answered, the comments step of a draft (the open questions are optional,
// so a rater may not have seen them yet) or the review step.
func (sv *Survey) ResumeStep() int {
	answered := make(map[string]bool, len(sv.Response.Answers))
	for _, a := range sv.Response.Answers {
		answered[a.ItemKey] = true
	}
	steps := sv.Instrument.Steps()
	for _, st := range steps {
		for _, it := range st.Items {
			if !answered[it.Key] {
				return st.Number
			}
		}
	}
	last := steps[len(steps)-1].Number
	if sv.Response.Status == ResponseDraft && len(steps) > 1 && len(steps[len(steps)-2].Items) == 0 {
		return last - 1
	}
	return last
}

// mergeStep is the response a step's form stands for: the saved answers and
// comments of every other step, and the step's own as the form sent them
// (an answer left empty on the step is no answer). Anything else the form
// sent is kept too, for validation to judge.
func mergeStep(in *Instrument, step int, saved Response, posted SurveyInput) ([]Answer, []Comment) {
	st, ok := in.Step(step)
	if !ok {
		return posted.Answers, posted.Comments
	}
	onStep := map[string]bool{}
	for _, it := range st.Items {
		onStep[it.Key] = true
	}
	for _, q := range st.Questions {
		onStep[q.Key] = true
	}
	for _, a := range posted.Answers {
		onStep[a.ItemKey] = true
	}
	for _, c := range posted.Comments {
		onStep[c.QuestionKey] = true
	}
	answers := append([]Answer(nil), posted.Answers...)
	for _, a := range saved.Answers {
		if !onStep[a.ItemKey] {
			answers = append(answers, a)
		}
	}
	comments := append([]Comment(nil), posted.Comments...)
	for _, c := range saved.Comments {
		if !onStep[c.QuestionKey] {
			comments = append(comments, c)
		}
	}
	return answers, comments
}
