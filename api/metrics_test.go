package api

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
)

// On the main address, /metrics answers this machine only, judged by the
// connection, whatever a forwarded header says.
func TestMetricsOnlyForThisMachine(t *testing.T) {
	t.Parallel()
	e := echo.New()
	served := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	e.GET("/metrics", onlyLoopback(served))
	for remote, want := range map[string]int{
		"127.0.0.1:5000": http.StatusOK,
		"[::1]:5000":     http.StatusOK,
		"203.0.113.5:80": http.StatusNotFound,
		"10.0.0.7:80":    http.StatusNotFound,
	} {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		req.RemoteAddr = remote
		req.Header.Set("X-Forwarded-For", "127.0.0.1")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("from %s: %d, want %d", remote, rec.Code, want)
		}
	}
}
