package assessment

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Code classifies a domain error so that every outer layer (HTTP, CLI) can
// answer it the same way without parsing messages.
type Code string

const (
	CodeInvalid   Code = "invalid"
	CodeNotFound  Code = "not_found"
	CodeConflict  Code = "conflict"
	CodeForbidden Code = "forbidden"
	CodeGone      Code = "gone"
)

// Error is a domain error with a message meant for people. Fields maps a form
// field name to its message, so a page can show it next to the field.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// Errorf builds a domain error with a formatted, human-readable message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first domain error in err's chain, or ""
// when err carries none (an unexpected failure).
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// fieldErrors collects per-field problems and turns them into one invalid
// error, so a form shows every problem at once instead of one per round trip.
type fieldErrors map[string]string

func (f fieldErrors) add(field, msg string) {
	if _, seen := f[field]; !seen {
		f[field] = msg
	}
}

func (f fieldErrors) err(message string) error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: CodeInvalid, Message: message, Fields: f}
}
