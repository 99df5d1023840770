package templates

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// FieldProblem is one line of a form's error summary: the field it links to
// and what is wrong.
type FieldProblem struct {
	Field, Message string
}

// ErrorSummary is what the "form-errors" partial shows above a form.
type ErrorSummary struct {
	Problems []FieldProblem
	Message  string
}

// summary lists a form's problems in the order a person meets the fields:
// by row for forms of rows ("email_3" is on row 3; other fields are row 0),
// then in the order the page gives (its fields top to bottom), then by name
// for fields it does not list. Without it the summary would follow the
// map's order, alphabetical, so "closes_at" came before "name".
func summary(problems map[string]string, message string, order ...string) ErrorSummary {
	out := ErrorSummary{Message: message}
	for field, msg := range problems {
		out.Problems = append(out.Problems, FieldProblem{Field: field, Message: msg})
	}
	place := func(field string) (row, at int, base string) {
		base = field
		if i := strings.LastIndexByte(field, '_'); i > 0 {
			if n, err := strconv.Atoi(field[i+1:]); err == nil {
				row, base = n, field[:i]
			}
		}
		at = slices.Index(order, field)
		if at < 0 {
			at = slices.Index(order, base)
		}
		if at < 0 {
			at = len(order)
		}
		return row, at, base
	}
	slices.SortFunc(out.Problems, func(a, b FieldProblem) int {
		ra, ia, _ := place(a.Field)
		rb, ib, _ := place(b.Field)
		return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(ia, ib), strings.Compare(a.Field, b.Field))
	})
	return out
}
