// Package openapi is lead360's API contract: the OpenAPI document
// (openapi.yaml, embedded in the binary and served at /api/v1/openapi.json)
// and the Echo server interface and models oapi-codegen makes from it
// (openapi.gen.go, committed). The api package implements the interface;
// the document validates every request before a handler runs, and the API
// tests validate every response against it, so the two cannot drift.
package openapi

import _ "embed"

//go:generate go tool oapi-codegen -config config.yaml openapi.yaml

// Spec is the OpenAPI document as written.
//
//go:embed openapi.yaml
var Spec []byte
