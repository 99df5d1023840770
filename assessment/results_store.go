package assessment

// ResultsStore is the persistence of releases, the audit log and leaders'
// action plans (results.go).
type ResultsStore interface{}
