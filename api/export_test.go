package api

// The survey tests (package api_test) send the same hostile input as the
// route sweep of malformed_test.go; the axe pages render report batches as
// the results tests do.
var (
	HostileValues   = hostileValues
	LeakedInternals = leakedInternals
	RenderedBatch   = renderedBatch
)
