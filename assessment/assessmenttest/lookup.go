package assessmenttest

import (
	"context"
	"net"
	"net/netip"
	"strings"

	"github.com/lead360/lead360/assessment"
)

// Names LookupHost answers without the network.
const (
	// PrivateHost resolves to a private address (10.0.0.9).
	PrivateHost = "private.example.com"
	// MissingHost is not found.
	MissingHost = "missing.example.com"
)

// LookupHost resolves webhook hosts as a test needs, without the network:
// a name under example.com (RFC 2606) resolves to a public documentation
// address (203.0.113.10, RFC 5737), except PrivateHost and MissingHost;
// any other name goes to the system's resolver (localhost).
func LookupHost(ctx context.Context, host string) ([]netip.Addr, error) {
	switch {
	case host == PrivateHost:
		return []netip.Addr{netip.MustParseAddr("203.0.113.11"), netip.MustParseAddr("10.0.0.9")}, nil
	case host == MissingHost:
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	case host == "example.com" || strings.HasSuffix(host, ".example.com"):
		return []netip.Addr{netip.MustParseAddr("203.0.113.10")}, nil
	}
	return assessment.SystemLookup(ctx, host)
}
