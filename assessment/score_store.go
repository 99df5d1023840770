package assessment

// ScoreStore is the persistence of scoring inputs and immutable score
// snapshots (owned by the scoring use cases in score.go).
type ScoreStore interface{}
