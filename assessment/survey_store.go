package assessment

// SurveyStore is the persistence of invitations, reminders and the rater's
// survey (owned by the survey use cases in survey.go).
type SurveyStore interface{}
