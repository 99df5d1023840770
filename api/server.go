// Package api is lead360's HTTP layer: thin Echo handlers that bind a form,
// validate it, call one use case and render a page.
package api

import (
	"context"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/lead360/lead360/assessment"
	"github.com/lead360/lead360/templates"
)

// Deps is what the HTTP layer needs from the rest of the program.
type Deps struct {
	Service *assessment.Service
	// Accounts signs dashboard users in and stores their sessions; the
	// dashboard routes need it.
	Accounts *assessment.Accounts
	// BaseURL is the public URL: https makes the session cookie Secure and
	// adds HSTS, and its origin is trusted by the CSRF guard.
	BaseURL string
	// Ping reports whether the database answers, for /readyz.
	Ping   func(ctx context.Context) error
	Logger *slog.Logger
	// Threshold is the default anonymity threshold, shown on the home page.
	Threshold int
	// DeadLinkBurst and DeadLinkEvery limit, per client address, the survey
	// links tried that open nothing (unknown, revoked or closed): that many
	// at once, then one per DeadLinkEvery. Zero means the defaults. Valid
	// links are never counted.
	DeadLinkBurst int
	DeadLinkEvery time.Duration
	// TrustedProxies are the reverse proxies whose X-Forwarded-For header
	// names the client; with none, the client is the connection's address.
	TrustedProxies []*net.IPNet
	// Metrics, when set, records every request; MetricsOnMain also serves
	// them at /metrics, to loopback clients only (otherwise the command
	// serves Metrics.Handler on its own address).
	Metrics       *Metrics
	MetricsOnMain bool
}

// Server holds the handlers' shared state.
type Server struct {
	svc      *assessment.Service
	ping     func(ctx context.Context) error
	log      *slog.Logger
	render   *renderer
	draining atomic.Bool
	deps     Deps
	contract *contract
	*authState
}

// NewServer parses the templates and builds the handlers; a template error
// stops start-up.
func NewServer(deps Deps) (*Server, error) {
	pages, err := templates.Pages()
	if err != nil {
		return nil, err
	}
	log := deps.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	auth, err := newAuthState(deps, log)
	if err != nil {
		return nil, err
	}
	k, err := loadContract()
	if err != nil {
		return nil, err
	}
	return &Server{svc: deps.Service, ping: deps.Ping, log: log, render: &renderer{pages: pages}, deps: deps, authState: auth, contract: k}, nil
}

// Drain makes /readyz fail so a load balancer stops sending traffic while
// in-flight requests finish.
func (s *Server) Drain() { s.draining.Store(true) }
