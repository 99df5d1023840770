package assessment

import "context"

// ByOperator returns a copy of the service for someone without a dashboard
// account, such as an operator at the command line: every audit entry it
// records without an actor, its use cases' own entries included, names who
// as the entry's ActorLabel, in the same transaction as the change. The
// audit log then says who acted even though no account did.
func (s *Service) ByOperator(who string) *Service {
	c := *s
	c.store = operatorStore{Store: s.store, who: who}
	return &c
}

// operatorStore names the operator as the actor of every audit entry
// without an actor, in a transaction or not.
type operatorStore struct {
	Store
	who string
}

func (o operatorStore) InTx(ctx context.Context, fn func(tx Store) error) error {
	return o.Store.InTx(ctx, func(tx Store) error {
		return fn(operatorStore{Store: tx, who: o.who})
	})
}

func (o operatorStore) AddAudit(ctx context.Context, e *AuditEntry) error {
	if e.ActorUserID == "" && o.who != "" {
		e.ActorLabel = truncate(o.who, 200)
	}
	return o.Store.AddAudit(ctx, e)
}
