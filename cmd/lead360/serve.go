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

	"github.com/lead360/lead360/api"
	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/assessment/store"
)

// app is a wired lead360 server, not yet serving.
type app struct {
	cfg   Config
	log   *slog.Logger
	store *store.Store
	api   *api.Server
	echo  *echo.Echo
}

func newApp(ctx context.Context, cfg Config, log *slog.Logger) (*app, error) {
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	svc := assessment.NewService(st, log)
	if _, err := svc.EnsureBuiltinInstrument(ctx); err != nil {
		st.Close()
		return nil, err
	}
	srv, err := api.NewServer(api.Deps{Service: svc, Ping: st.Ping, Logger: log, Threshold: assessment.MinAnonymityThreshold})
	if err != nil {
		st.Close()
		return nil, err
	}
	return &app{cfg: cfg, log: log, store: st, api: srv, echo: srv.Routes()}, nil
}

// serve answers requests on ln until ctx ends, then shuts down in order:
// fail readiness, stop accepting, let in-flight requests finish, close the
// database.
func (a *app) serve(ctx context.Context, ln net.Listener) error {
	defer a.store.Close()
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
	a.log.Info("lead360 is listening", slog.String("url", "http://"+ln.Addr().String()), slog.Any("config", a.cfg.logValue()))
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
	return a.serve(ctx, ln)
}
