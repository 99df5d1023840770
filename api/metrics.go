package api

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/lead360/lead360/assessment"
)

// Metrics are the server's Prometheus metrics: every request by route
// pattern (never the path, which may hold a survey token), method and
// status, with its latency; and, read when Prometheus scrapes, the job
// queue by kind and state, survey emails sent and failed, cycles by status,
// and the database connection pool. Counts only: no person, no answer.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.HistogramVec
}

// NewMetrics registers the metrics; counts reads the installation's
// figures at each scrape, and pool describes the database connection pool
// (the command builds it: this package does not touch the database).
func NewMetrics(counts func(context.Context) (assessment.OperationalCounts, error), pool prometheus.Collector, log *slog.Logger) *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry(), requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "lead360_http_request_duration_seconds",
		Help:    "HTTP requests by route pattern, method and status, and how long they took.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method", "status"})}
	m.registry.MustRegister(m.requests,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		pool,
		&countsCollector{counts: counts, log: log})
	return m
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// observe records one answered request. Requests no route matched share
// one label, so a scanner's made-up paths cannot grow the series.
func (m *Metrics) observe(c echo.Context, took time.Duration) {
	route := c.Path()
	if route == "" || c.Response().Status == http.StatusNotFound && route == "/*" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, c.Request().Method, strconv.Itoa(c.Response().Status)).Observe(took.Seconds())
}

// onlyLoopback serves h to clients on this machine only: on the public
// port, metrics are for a local agent, or move to LEAD360_METRICS_ADDR.
// The connection's own address decides, never a forwarded header.
func onlyLoopback(h http.Handler) echo.HandlerFunc {
	return func(c echo.Context) error {
		host, _, err := net.SplitHostPort(c.Request().RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return echo.ErrNotFound
		}
		h.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

// countsCollector turns OperationalCounts into gauges at each scrape.
type countsCollector struct {
	counts func(context.Context) (assessment.OperationalCounts, error)
	log    *slog.Logger
}

var (
	jobsDesc   = prometheus.NewDesc("lead360_jobs", "Jobs in the queue by kind and state (available, scheduled, running, retryable, completed, discarded...).", []string{"kind", "state"}, nil)
	cyclesDesc = prometheus.NewDesc("lead360_cycles", "Cycles by status.", []string{"status"}, nil)
	emailsDesc = prometheus.NewDesc("lead360_survey_emails", "Survey invitations whose last email was sent, or failed for good.", []string{"result"}, nil)
	upDesc     = prometheus.NewDesc("lead360_counts_up", "1 when the counts above could be read from the database at this scrape.", nil, nil)
)

func (cc *countsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{jobsDesc, cyclesDesc, emailsDesc, upDesc} {
		ch <- d
	}
}

func (cc *countsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n, err := cc.counts(ctx)
	if err != nil {
		cc.log.Warn("metrics: read counts", slog.Any("err", err))
		ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, 1)
	for _, j := range n.Jobs {
		ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(j.N), j.Kind, j.State)
	}
	for _, status := range []assessment.CycleStatus{assessment.StatusDraft, assessment.StatusOpen, assessment.StatusClosed, assessment.StatusReleased} {
		ch <- prometheus.MustNewConstMetric(cyclesDesc, prometheus.GaugeValue, float64(n.Cycles[status]), string(status))
	}
	ch <- prometheus.MustNewConstMetric(emailsDesc, prometheus.GaugeValue, float64(n.EmailsSent), "sent")
	ch <- prometheus.MustNewConstMetric(emailsDesc, prometheus.GaugeValue, float64(n.EmailsFailed), "failed")
}
