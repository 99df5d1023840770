package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/api/openapi"
)

// apiRoutes are version 1 of the JSON API (v1_*.go): the document and its
// readable page to anyone, every operation behind an API token and the
// document's validation. The operations' routes are the generated code's.
func (s *Server) apiRoutes(e *echo.Echo) {
	e.GET(apiBase+"/openapi.json", s.contract.serveContract)
	e.GET(apiBase+"/docs", s.apiDocs)
	g := e.Group(apiBase, s.requireToken, s.contract.validate)
	openapi.RegisterHandlersWithBaseURL(g, apiV1{s: s}, "")
}

// apiDocsView is the API's reference page, made from the document.
type apiDocsView struct {
	Title, Version string
	Intro          []string
	Operations     []apiOperation
}

type apiOperation struct {
	ID, Method, Path, Summary, Description string
	Write                                  bool
	Params                                 []apiParam
	Body                                   string
	Responses                              []string
}

type apiParam struct{ Name, In, Description string }

// apiDocs answers GET /api/v1/docs: every operation of the document, its
// parameters and answers, on one server-rendered page with nothing loaded
// from elsewhere.
func (s *Server) apiDocs(c echo.Context) error {
	doc := s.contract.doc
	v := apiDocsView{Title: doc.Info.Title, Version: doc.Info.Version}
	for _, p := range strings.Split(strings.TrimSpace(doc.Info.Description), "\n\n") {
		v.Intro = append(v.Intro, strings.Join(strings.Fields(p), " "))
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			v.Operations = append(v.Operations, operationOf(method, path, item, op))
		}
	}
	slices.SortFunc(v.Operations, func(a, b apiOperation) int {
		return strings.Compare(a.Path+" "+methodOrder(a.Method), b.Path+" "+methodOrder(b.Method))
	})
	return s.render.render(c, http.StatusOK, "api_docs", v)
}

func operationOf(method, path string, item *openapi3.PathItem, op *openapi3.Operation) apiOperation {
	o := apiOperation{ID: op.OperationID, Method: method, Path: apiBase + path, Summary: op.Summary, Description: op.Description,
		Write: method != http.MethodGet}
	for _, p := range append(slices.Clone(item.Parameters), op.Parameters...) {
		if p.Value != nil {
			o.Params = append(o.Params, apiParam{Name: p.Value.Name, In: p.Value.In, Description: p.Value.Description})
		}
	}
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		if mt := op.RequestBody.Value.Content.Get(echo.MIMEApplicationJSON); mt != nil && mt.Schema != nil {
			o.Body = schemaName(mt.Schema)
		}
	}
	for code, r := range op.Responses.Map() {
		line := code
		if r.Value != nil && r.Value.Description != nil {
			line += ": " + *r.Value.Description
		}
		o.Responses = append(o.Responses, line)
	}
	slices.Sort(o.Responses)
	return o
}

// schemaName is the component name of a schema reference.
func schemaName(s *openapi3.SchemaRef) string {
	if i := strings.LastIndexByte(s.Ref, '/'); i >= 0 {
		return s.Ref[i+1:]
	}
	return "JSON"
}

// methodOrder lists GET before POST under one path.
func methodOrder(m string) string {
	if m == http.MethodGet {
		return "0"
	}
	return "1" + m
}
