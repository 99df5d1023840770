package assessment

import (
	"context"
	"fmt"
	"time"
)

// Idempotent requests (issue #15): a client that sends a change again with
// the same key, because the first answer was lost, gets the first answer
// and the change is not made twice.

// IdempotentAnswer is the stored first answer to a key.
type IdempotentAnswer struct {
	OrganizationID string
	Key            string
	// RequestHash fingerprints the request (method, path, body): the same
	// key with another request is refused, not answered with the wrong
	// answer.
	RequestHash string
	Status      int
	Body        []byte
	CreatedAt   time.Time
}

// IdempotencyStore keeps first answers.
type IdempotencyStore interface {
	// IdempotentAnswer loads the organisation's answer to key.
	IdempotentAnswer(ctx context.Context, orgID, key string) (IdempotentAnswer, error)
	// SaveIdempotentAnswer inserts an answer; a key already stored, even
	// by a concurrent transaction, is CodeConflict. Keys older than
	// before are deleted.
	SaveIdempotentAnswer(ctx context.Context, a IdempotentAnswer, before time.Time) error
}

// idempotencyWindow is how long a key is remembered.
const idempotencyWindow = 24 * time.Hour

// errKeyReused refuses a key sent again with a different request.
var errKeyReused = &Error{Code: CodeInvalid, Message: "This Idempotency-Key was used for a different request: make a new key for a new request.",
	Fields: map[string]string{"Idempotency-Key": "Make a new key for a new request."}}

// Idempotent runs do, a change, once per key: do gets a service whose every
// write is in one transaction with the stored answer. A key already
// answered returns that answer (replayed true) without calling do; a
// failed do stores nothing, so the request may be sent again.
func (s *Service) Idempotent(ctx context.Context, orgID, key, requestHash string,
	do func(svc *Service) (status int, body []byte, err error)) (status int, body []byte, replayed bool, err error) {
	stored := func() (int, []byte, bool, error) {
		a, err := s.store.IdempotentAnswer(ctx, orgID, key)
		if err != nil {
			return 0, nil, false, err
		}
		if a.RequestHash != requestHash {
			return 0, nil, false, errKeyReused
		}
		return a.Status, a.Body, true, nil
	}
	if st, b, ok, err := stored(); ErrorCode(err) != CodeNotFound {
		return st, b, ok, err
	}
	err = s.store.InTx(ctx, func(tx Store) error {
		inTx := *s
		inTx.store = tx
		if status, body, err = do(&inTx); err != nil {
			return err
		}
		now := s.Now()
		return tx.SaveIdempotentAnswer(ctx, IdempotentAnswer{OrganizationID: orgID, Key: key, RequestHash: requestHash,
			Status: status, Body: body, CreatedAt: now}, now.Add(-idempotencyWindow))
	})
	if ErrorCode(err) == CodeConflict {
		// The same key won in a concurrent request: its change stands,
		// this one was rolled back with the key's insert.
		if st, b, ok, serr := stored(); serr == nil {
			return st, b, ok, nil
		}
	}
	if err != nil {
		return 0, nil, false, fmt.Errorf("idempotent request %q: %w", key, err)
	}
	return status, body, false, nil
}
