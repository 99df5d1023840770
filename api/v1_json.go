package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// JSON in and out of the API: problems (RFC 9457), strict request bodies,
// answers with ETags, and pages with cursors. Every API handler goes through
// these, so every answer is made the same way.

// requestProblem is a request the API cannot read (400): the message, and
// a message per field as the forms word them.
type requestProblem struct {
	Message string
	Fields  map[string]string
}

func (p *requestProblem) Error() string { return p.Message }

// add records a field's first problem.
func (p *requestProblem) add(field, msg string) {
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	if _, ok := p.Fields[field]; !ok {
		p.Fields[field] = msg
	}
}

// problem is the body of an error answer under /api/v1.
type problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []fieldProblem `json:"errors,omitempty"`
}

type fieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// writeProblem answers with an RFC 9457 problem; the errors are sorted by
// field so the same request always gets the same bytes.
func writeProblem(c echo.Context, status int, detail string, fields map[string]string, requestID string) error {
	p := problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail, RequestID: requestID}
	for f, m := range fields {
		p.Errors = append(p.Errors, fieldProblem{Field: f, Message: m})
	}
	slices.SortFunc(p.Errors, func(a, b fieldProblem) int { return strings.Compare(a.Field, b.Field) })
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(status, "application/problem+json", body)
}

// maxAPIBody is the largest request body the API reads: a bulk import of
// a few thousand rows fits.
const maxAPIBody = 1 << 20

// readJSONBody is the request's body, which must be JSON of at most
// maxAPIBody bytes; decodeStrict reads it.
func readJSONBody(c echo.Context) ([]byte, error) {
	req := c.Request()
	if mt, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType)); mt != echo.MIMEApplicationJSON {
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, "Send the body as application/json.")
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, maxAPIBody+1))
	if err != nil {
		return nil, &requestProblem{Message: "The body could not be read."}
	}
	if len(body) > maxAPIBody {
		return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "The body is larger than 1 MB.")
	}
	return body, nil
}

// decodeStrict reads one JSON value into v strictly: no field v does not
// have, no field twice (encoding/json would keep the last, so two systems
// could read one body two ways), nothing after it. FuzzDecodeAPIBody
// tries it.
func decodeStrict(body []byte, v any) error {
	if !utf8.Valid(body) {
		// encoding/json would store U+FFFD in place of the bytes sent.
		return &requestProblem{Message: "The body is not valid UTF-8."}
	}
	if field, dup := duplicateKey(body); dup {
		return &requestProblem{Message: "The body names a field twice.", Fields: map[string]string{field: "Give this field once."}}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &requestProblem{Message: "The body holds more than one JSON value."}
	}
	return nil
}

// jsonProblem words a decoding error without the value sent.
func jsonProblem(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return &requestProblem{Message: "A field has the wrong type.", Fields: map[string]string{te.Field: "Use " + article(jsonKind(te.Type.Kind().String())) + "."}}
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return &requestProblem{Message: "The body has a field the API does not know.", Fields: map[string]string{strings.Trim(f, `"`): "This field is not part of the API: leave it out."}}
	}
	return &requestProblem{Message: "The body is not valid JSON of the right shape."}
}

func jsonKind(k string) string {
	switch {
	case strings.HasPrefix(k, "int"), strings.HasPrefix(k, "uint"):
		return "integer"
	case strings.HasPrefix(k, "float"):
		return "number"
	case k == "struct", k == "map":
		return "object"
	case k == "slice":
		return "array"
	}
	return k
}

// duplicateKey reports the first object key that appears twice in one
// object of a JSON document, as a dotted path. Malformed JSON has none:
// the decoder says what is wrong with it.
func duplicateKey(body []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	type frame struct {
		object bool
		keys   map[string]bool
		key    bool // the next string token is a key
		path   string
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if s, ok := tok.(string); ok && top != nil && top.object && top.key {
			if top.keys[s] {
				return strings.TrimPrefix(top.path+"."+s, "."), true
			}
			top.keys[s], top.key = true, false
			continue
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			stack = append(stack, &frame{object: tok == json.Delim('{'), keys: map[string]bool{}, key: true})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].key = true
		}
	}
}

// reply answers with v as JSON. A GET gets an ETag of the body, and 304
// when If-None-Match already names it: a client polling progress moves no
// data while nothing changed.
func reply(c echo.Context, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "private, no-cache")
	if c.Request().Method == http.MethodGet {
		etag := etagOf(body)
		h.Set("ETag", etag)
		if etagMatches(c.Request().Header.Get("If-None-Match"), etag) {
			return c.NoContent(http.StatusNotModified)
		}
	}
	return c.Blob(status, echo.MIMEApplicationJSON, body)
}

// etagOf is the strong ETag of an answer's bytes.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// etagMatches reports whether an If-None-Match header names etag (weak
// comparison, as RFC 9110 asks for If-None-Match).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// pageAfter is one page of items (already in the list's order) after the
// item the cursor names, and the cursor of the next page when there is
// one. A cursor is the last item's id, opaque to clients.
func pageAfter[T any](items []T, id func(T) string, cursor string, limit int) ([]T, *string, error) {
	start := 0
	if cursor != "" {
		last, err := base64.RawURLEncoding.DecodeString(cursor)
		i := slices.IndexFunc(items, func(it T) bool { return id(it) == string(last) })
		if err != nil || i < 0 {
			return nil, nil, &requestProblem{Message: "The cursor names no item of this list: start again without it.",
				Fields: map[string]string{"cursor": "Use the next_cursor of the page before."}}
		}
		start = i + 1
	}
	end := min(len(items), start+limit)
	page := items[start:end]
	if end == len(items) || len(page) == 0 {
		return page, nil, nil
	}
	next := base64.RawURLEncoding.EncodeToString([]byte(id(page[len(page)-1])))
	return page, &next, nil
}

// pageLimit is a list's page size: the limit asked for, or 50.
func pageLimit(limit *int) int {
	if limit == nil {
		return 50
	}
	return *limit
}
