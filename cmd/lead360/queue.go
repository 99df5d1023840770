package main

import (
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/outbox"
	"github.com/lead360/lead360/assessment/store"
	"github.com/lead360/lead360/assessment/webhook"
)

// The wiring, in the order things are made: the store (which records jobs
// in its transactions), the service over it with the configured link key,
// the account use cases over the service, and last the queue that works
// the jobs with all three. Nothing is connected after it is made.

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
	svc := assessment.NewService(st, tokens, log)
	svc.AllowPrivateWebhooks = cfg.webhookAllowPrivate
	svc.BaseURL = cfg.BaseURL
	return svc, nil
}

// newAccounts is the account use cases with their emails sent through the
// job queue.
func newAccounts(cfg Config, svc *assessment.Service) *assessment.Accounts {
	return assessment.NewAccounts(svc, cfg.BaseURL, outbox.NewAccountMailer(svc))
}

// newQueue is the server's job queue: it sends email, turns password-reset
// requests into emails, delivers webhooks, closes cycles on their date and
// renders report batches.
func newQueue(cfg Config, st *store.Store, svc *assessment.Service, accounts *assessment.Accounts, log *slog.Logger) (*outbox.Queue, error) {
	sender, err := cfg.mailSender(log)
	if err != nil {
		return nil, err
	}
	return outbox.New(outbox.Config{Driver: st.JobDriver(), ListeningDriver: st.ListeningJobDriver(),
		Service: svc, Accounts: accounts, Sender: sender, From: cfg.from, BaseURL: cfg.BaseURL, Logger: log, RescueAfter: cfg.rescueAfter,
		Register: func(ws *river.Workers) error {
			if err := registerReportWorkers(svc, processName())(ws); err != nil {
				return err
			}
			return webhook.Workers(svc, webhook.NewClient(cfg.webhookAllowPrivate), log)(ws)
		}})
}
