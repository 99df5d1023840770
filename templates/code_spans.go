package templates

import (
	"html/template"
	"strings"
)

// codeSpans renders text written for the OpenAPI document, where `x` marks
// code, as HTML: everything escaped, each pair of backticks a <code>
// element. An unpaired backtick stays as it is.
func codeSpans(text string) template.HTML {
	parts := strings.Split(text, "`")
	var b strings.Builder
	for i, p := range parts {
		escaped := template.HTMLEscapeString(p)
		switch {
		case i%2 == 0:
			b.WriteString(escaped)
		case i == len(parts)-1: // the last backtick has no partner
			b.WriteString("`" + escaped)
		default:
			b.WriteString("<code>" + escaped + "</code>")
		}
	}
	return template.HTML(b.String())
}
