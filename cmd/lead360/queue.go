package main

import (
	"context"
	"log/slog"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/outbox"
	"github.com/lead360/lead360/assessment/store"
)

// migrateQueue applies the job queue's own migrations after ours.
func migrateQueue(ctx context.Context, st *store.Store, log *slog.Logger) error {
	versions, err := outbox.Migrate(ctx, st.DB(), st.Dialect() == store.SQLite, log)
	if err != nil {
		return err
	}
	if len(versions) > 0 {
		log.Info("job queue migrations applied", slog.Any("versions", versions))
	}
	return nil
}

// newService is the service with the configured key for survey tokens.
func newService(cfg Config, st *store.Store, log *slog.Logger) (*assessment.Service, error) {
	key, err := cfg.tokenKey(log)
	if err != nil {
		return nil, err
	}
	tokens, err := assessment.NewTokens(key, nil)
	if err != nil {
		return nil, err
	}
	svc := assessment.NewService(st, log)
	svc.Tokens = tokens
	return svc, nil
}

// newQueue connects the job queue to the store, so use cases can enqueue
// email in their transactions. With the account use cases (the server's)
// it is a queue that works jobs: it sends, and turns password-reset
// requests into emails; with nil it only records jobs (the CLI).
func newQueue(cfg Config, st *store.Store, svc *assessment.Service, log *slog.Logger, accounts *assessment.Accounts) (*outbox.Queue, error) {
	qc := outbox.Config{DB: st.DB(), SQLite: st.Dialect() == store.SQLite, Logger: log}
	if accounts != nil {
		sender, err := cfg.mailSender(log)
		if err != nil {
			return nil, err
		}
		qc.Work, qc.Service, qc.Sender, qc.From, qc.BaseURL = true, svc, sender, cfg.from, cfg.BaseURL
		qc.Accounts = accounts
		qc.Register = registerReportWorker(svc)
	}
	q, err := outbox.New(qc)
	if err != nil {
		return nil, err
	}
	st.SetEnqueuer(q)
	return q, nil
}

// newAccounts is the account use cases with their emails sent through the
// outbox; it also makes opening a cycle invite the cycle's leaders to the
// dashboard, from the server and the command line alike.
func newAccounts(cfg Config, svc *assessment.Service) *assessment.Accounts {
	acc := assessment.NewAccounts(svc, cfg.BaseURL, outbox.NewAccountMailer(svc))
	svc.LeaderInviter = acc
	return acc
}
