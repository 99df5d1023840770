package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/labstack/echo/v4"

	"github.com/lead360/lead360/api/openapi"
)

// The API's contract (api/openapi/openapi.yaml): loaded and checked once at
// start, served as JSON, and used to validate every request before its
// handler runs. The routes are Echo's (registered by the generated code);
// each is matched to its operation by its path template, so no second
// router decides what a request means.

// apiBase is where version 1 of the API lives, the document's server URL.
const apiBase = "/api/v1"

type contract struct {
	doc *openapi3.T
	// routes are the document's operations by Echo route: "GET
	// /api/v1/cycles/:id".
	routes map[string]*routers.Route
	// json is the document as served.
	json []byte
}

// loadContract parses and validates the embedded document; a document that
// does not validate stops start-up.
func loadContract() (*contract, error) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Spec)
	if err != nil {
		return nil, fmt.Errorf("load the OpenAPI document: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("the OpenAPI document does not validate: %w", err)
	}
	k := &contract{doc: doc, routes: map[string]*routers.Route{}}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			k.routes[method+" "+echoPath(path)] = &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op}
		}
	}
	if k.json, err = json.Marshal(doc); err != nil {
		return nil, fmt.Errorf("encode the OpenAPI document: %w", err)
	}
	return k, nil
}

// echoPath is the Echo route of a document path: /cycles/{id} is
// /api/v1/cycles/:id.
func echoPath(path string) string {
	return apiBase + strings.NewReplacer("{", ":", "}", "").Replace(path)
}

// route is the operation of an Echo request, with its path parameters, or
// nil outside the document.
func (k *contract) route(c echo.Context) (*routers.Route, map[string]string) {
	r := k.routes[c.Request().Method+" "+c.Path()]
	if r == nil {
		return nil, nil
	}
	params := map[string]string{}
	for i, name := range c.ParamNames() {
		params[name] = c.ParamValues()[i]
	}
	return r, params
}

// validate refuses a request its operation does not allow (parameters,
// headers, body) with 400 and every problem found, before the handler
// runs. Authentication is the token middleware's, which runs first.
func (k *contract) validate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		route, params := k.route(c)
		if route == nil {
			return next(c)
		}
		in := &openapi3filter.RequestValidationInput{Request: c.Request(), PathParams: params, Route: route,
			Options: &openapi3filter.Options{MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if err := openapi3filter.ValidateRequest(c.Request().Context(), in); err != nil {
			return problemOfValidation(err)
		}
		return next(c)
	}
}

// problemOfValidation turns the validator's errors into one 400 problem
// with a message per field, in words, never echoing the value sent (it may
// be a megabyte, or a secret).
func problemOfValidation(err error) error {
	p := &requestProblem{Message: "The request does not match the API's description: see errors.", Fields: map[string]string{}}
	var walk func(err error, field string)
	walk = func(err error, field string) {
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, sub := range e {
				walk(sub, field)
			}
		case *openapi3filter.RequestError:
			if e.Parameter != nil {
				field = e.Parameter.Name
			}
			if e.Err == nil {
				p.add(field, sentence(e.Reason))
				return
			}
			walk(e.Err, field)
		case *openapi3filter.ParseError:
			p.add(field, "This is not valid JSON of the right shape.")
		case *openapi3.SchemaError:
			schemaProblems(p, e, field)
		default:
			if inner := errors.Unwrap(err); inner != nil {
				walk(inner, field)
				return
			}
			p.add(field, "This value is not allowed.")
		}
	}
	walk(err, "")
	return p
}

// schemaProblems adds the problems of a schema error: the innermost ones,
// each at its field ("name", "items.2.name").
func schemaProblems(p *requestProblem, se *openapi3.SchemaError, field string) {
	var inner openapi3.MultiError
	if se.Origin != nil && errors.As(se.Origin, &inner) {
		for _, e := range inner {
			var sub *openapi3.SchemaError
			if errors.As(e, &sub) {
				schemaProblems(p, sub, field)
			}
		}
		return
	}
	at := strings.Join(append(strings.Split(field, "."), se.JSONPointer()...), ".")
	at = strings.Trim(at, ".")
	obj, _ := se.Value.(map[string]any)
	switch {
	case se.SchemaField == "required" && se.Schema != nil && obj != nil:
		for _, name := range se.Schema.Required {
			if _, ok := obj[name]; !ok {
				p.add(strings.TrimPrefix(at+"."+name, "."), "Enter a value.")
			}
		}
	case (se.SchemaField == "additionalProperties" || se.SchemaField == "false") && se.Schema != nil && obj != nil:
		for name := range obj {
			if _, ok := se.Schema.Properties[name]; !ok {
				p.add(strings.TrimPrefix(at+"."+name, "."), "This field is not part of the API: leave it out.")
			}
		}
	default:
		p.add(at, schemaMessage(se))
	}
}

// schemaMessage says in words what the schema asks of a value.
func schemaMessage(se *openapi3.SchemaError) string {
	s := se.Schema
	if s == nil {
		return "This value is not allowed."
	}
	switch se.SchemaField {
	case "type":
		if s.Type != nil && len(s.Type.Slice()) > 0 {
			return "Use " + article(s.Type.Slice()[0]) + "."
		}
	case "maxLength":
		if s.MaxLength != nil {
			return fmt.Sprintf("Use at most %d characters.", *s.MaxLength)
		}
	case "minLength":
		return "Enter a value."
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		if s.Min != nil && s.Max != nil {
			return fmt.Sprintf("Use a whole number from %g to %g.", *s.Min, *s.Max)
		}
	case "enum":
		var names []string
		for _, v := range s.Enum {
			names = append(names, fmt.Sprint(v))
		}
		slices.Sort(names)
		return "Use one of: " + strings.Join(names, ", ") + "."
	case "format":
		if s.Format == "date-time" {
			return "Use a date and time like 2026-04-01T09:00:00Z."
		}
		return "Use a valid " + s.Format + "."
	case "pattern":
		return "Use only the characters this field allows."
	}
	return "This value is not allowed."
}

func article(typ string) string {
	switch typ {
	case "integer":
		return "a whole number"
	case "object", "array":
		return "an " + typ
	}
	return "a " + typ
}

// sentence makes a validator's reason a sentence.
func sentence(s string) string {
	if s == "" {
		return "This value is not allowed."
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// serveContract answers GET /api/v1/openapi.json: the document, to anyone
// (it describes the API, not an organisation's data).
func (k *contract) serveContract(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, k.json)
}
