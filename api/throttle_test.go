package api

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// One IPv6 subscriber holds a /64: it is one client.
func TestClientKey(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"192.0.2.7":            "192.0.2.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"::ffff:192.0.2.7":     "::ffff:192.0.2.7",
		"not an address":       "not an address",
	} {
		if got := clientKey(in); got != want {
			t.Errorf("clientKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// The client address behind the limits: the connection's unless it is a
// configured proxy, then the nearest forwarded address that is not one.
// Private, loopback and link-local addresses are believed only when
// configured, so a client cannot forge its way past a limit.
func TestClientAddressBelievesOnlyConfiguredProxies(t *testing.T) {
	t.Parallel()
	_, lb, _ := net.ParseCIDR("10.0.0.0/8")
	tests := []struct {
		name    string
		proxies []*net.IPNet
		remote  string
		xff     string
		want    string
	}{
		{"no proxy: the header is ignored", nil, "203.0.113.5", "198.51.100.7", "203.0.113.5"},
		{"through the proxy", []*net.IPNet{lb}, "10.1.2.3", "198.51.100.7", "198.51.100.7"},
		{"a client forging the header directly", []*net.IPNet{lb}, "203.0.113.5", "198.51.100.7", "203.0.113.5"},
		{"a forged hop before the proxy", []*net.IPNet{lb}, "10.1.2.3", "1.2.3.4, 198.51.100.7", "198.51.100.7"},
		{"two proxies of ours", []*net.IPNet{lb}, "10.1.2.3", "198.51.100.7, 10.9.9.9", "198.51.100.7"},
		{"a private address not configured", []*net.IPNet{lb}, "192.168.1.1", "198.51.100.7", "192.168.1.1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.RemoteAddr = tc.remote + ":4711"
			req.Header.Set("X-Forwarded-For", tc.xff)
			if got := clientAddress(tc.proxies)(req); got != tc.want {
				t.Errorf("client = %s, want %s", got, tc.want)
			}
		})
	}
}
