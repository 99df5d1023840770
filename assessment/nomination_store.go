package assessment

// NominationStore is the persistence of rater nominations and invitation
// management (nominations.go).
type NominationStore interface{}
