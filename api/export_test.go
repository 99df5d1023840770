package api

// The survey tests (package api_test) send the same hostile input as the
// route sweep of malformed_test.go.
var (
	HostileValues   = hostileValues
	LeakedInternals = leakedInternals
)
