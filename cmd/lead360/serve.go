package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/lead360/lead360/api"
	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/outbox"
	"github.com/lead360/lead360/assessment/store"
)

// app is a wired lead360 server, not yet serving.
type app struct {
	cfg   Config
	log   *slog.Logger
	store *store.Store
	queue *outbox.Queue
	api   *api.Server
	echo  *echo.Echo
	// metrics serves /metrics on its own listener when LEAD360_METRICS_ADDR
	// is set (runServe opens metricsLn); otherwise the API serves it.
	metrics   *api.Metrics
	metricsLn net.Listener
}

func newApp(ctx context.Context, cfg Config, log *slog.Logger) (*app, error) {
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	svc, err := newService(cfg, st, log)
	if err != nil {
		st.Close()
		return nil, err
	}
	if _, _, err := svc.EnsureBuiltinInstruments(ctx); err != nil {
		st.Close()
		return nil, err
	}
	accounts := newAccounts(cfg, svc)
	q, err := newQueue(cfg, st, svc, accounts, log)
	if err != nil {
		st.Close()
		return nil, err
	}
	metrics := api.NewMetrics(st.OperationalCounts, collectors.NewDBStatsCollector(st.DB(), "lead360"), log)
	srv, err := api.NewServer(api.Deps{Service: svc, Ping: st.Ping, Logger: log, Threshold: assessment.MinAnonymityThreshold,
		Accounts: accounts, BaseURL: cfg.BaseURL, TrustedProxies: cfg.proxies, Metrics: metrics, MetricsOnMain: cfg.MetricsAddr == ""})
	if err != nil {
		st.Close()
		return nil, err
	}
	return &app{cfg: cfg, log: log, store: st, queue: q, api: srv, echo: srv.Routes(), metrics: metrics}, nil
}

// serve answers requests on ln and works background jobs until ctx ends,
// then shuts down in order: fail readiness, stop accepting, let in-flight
// requests finish, let running jobs finish, close the database.
func (a *app) serve(ctx context.Context, ln net.Listener) error {
	defer a.store.Close()
	// The queue gets its own context: ending ctx starts the shutdown, and
	// the queue stops only after the HTTP drain (deferred, so before the
	// database closes).
	if err := a.queue.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
		defer cancel()
		if err := a.queue.Stop(stopCtx); err != nil {
			a.log.Error("stop job queue", slog.Any("err", err))
		}
	}()
	hs := &http.Server{
		Handler:           a.echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	if a.metricsLn != nil {
		ms := &http.Server{Handler: a.metrics.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := ms.Serve(a.metricsLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
				a.log.Error("metrics listener", slog.Any("err", err))
			}
		}()
		defer ms.Close()
	}
	a.log.Info("lead360 is listening", slog.String("url", "http://"+ln.Addr().String()), slog.Any("config", a.cfg.logValue()))
	a.cfg.warnAboutLinks(a.log)
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	a.log.Info("shutting down: finishing in-flight requests")
	a.api.Drain()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	a.log.Info("stopped")
	return nil
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig("serve", args, getenv, stderr)
	if err != nil {
		return err
	}
	log := cfg.logger(stderr)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) && opErr.Err != nil {
			err = opErr.Err
		}
		return fmt.Errorf("LEAD360_ADDR: cannot listen on %s: %w", cfg.Addr, err)
	}
	a, err := newApp(ctx, cfg, log)
	if err != nil {
		ln.Close()
		return err
	}
	if cfg.MetricsAddr != "" {
		if a.metricsLn, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			ln.Close()
			a.store.Close()
			return fmt.Errorf("LEAD360_METRICS_ADDR: cannot listen on %s: %w", cfg.MetricsAddr, err)
		}
	}
	return a.serve(ctx, ln)
}
