package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// Test helpers of the API: requests with a token, and the check that every
// answer the API tests get is one the OpenAPI document describes.

// apiCall is one API request.
type apiCall struct {
	method, path, token, body string
	header                    map[string]string
}

// api sends the call through the real server and validates the answer
// against the document: the status is one the operation lists, the
// headers and the body match its schema (problems included).
func (h *harness) api(t testing.TB, call apiCall) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if call.body != "" {
		body = strings.NewReader(call.body)
	}
	req := httptest.NewRequest(call.method, call.path, body)
	req.RemoteAddr = "198.51.100.7:4711"
	if call.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if call.token != "" {
		req.Header.Set("Authorization", "Bearer "+call.token)
	}
	for k, v := range call.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.e.ServeHTTP(rec, req)
	checkContract(t, h, call, rec)
	return rec
}

// checkContract validates an answer against the document. An answer of a
// path the document does not describe must still be a problem.
func checkContract(t testing.TB, h *harness, call apiCall, rec *httptest.ResponseRecorder) {
	t.Helper()
	req := httptest.NewRequest(call.method, call.path, strings.NewReader(call.body))
	req.Header.Set("Content-Type", "application/json")
	c := h.e.NewContext(req, nil)
	h.e.Router().Find(req.Method, req.URL.Path, c)
	route, params := h.srv.contract.route(c)
	if rec.Code >= 400 && rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("%s %s: %d answered as %q, not a problem", call.method, call.path, rec.Code, rec.Header().Get("Content-Type"))
	}
	if route == nil {
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 rec.Code, Header: rec.Header(), Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s: the %d answer does not match the document: %v\n%.500s", call.method, call.path, rec.Code, err, rec.Body)
	}
}

// apiJSON decodes an answer's body, failing the test on another status.
func apiJSON[T any](t testing.TB, what string, rec *httptest.ResponseRecorder, status int) T {
	t.Helper()
	var v T
	if rec.Code != status {
		t.Fatalf("%s: %d, want %d\n%.1000s", what, rec.Code, status, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("%s: %v\n%.1000s", what, err, rec.Body)
	}
	return v
}

// problemOf is an error answer's problem.
func problemOf(t testing.TB, what string, rec *httptest.ResponseRecorder, status int) problem {
	t.Helper()
	p := apiJSON[problem](t, what, rec, status)
	if p.Status != status || p.Title != http.StatusText(status) {
		t.Errorf("%s: problem %+v", what, p)
	}
	return p
}
