// Package templates holds lead360's embedded HTML pages, email templates and
// static assets, parsed once at start-up so a broken template stops the
// program before it serves anyone.
package templates

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"time"
)

//go:embed layout pages static email
var files embed.FS

// Static is the stylesheet and scripts, served under /static/.
func Static() fs.FS {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	return sub
}

// Funcs are the helpers every page may use.
var Funcs = template.FuncMap{
	"date": func(t time.Time) string { return t.Format("2 January 2006") },
	"add":  func(a, b int) int { return a + b },
	// summary orders a form's problems for its error summary (form-errors).
	"summary": summary,
	// codeSpans shows the API document's `code` as code (api_docs).
	"codeSpans": codeSpans,
}

// Pages parses every page in pages/ together with the layout, keyed by file
// name without extension ("home", "error").
func Pages() (map[string]*template.Template, error) {
	layout, err := template.New("layout").Funcs(Funcs).ParseFS(files, "layout/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(files, "pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("list pages: %w", err)
	}
	pages := make(map[string]*template.Template, len(names))
	for _, name := range names {
		t, err := layout.Clone()
		if err != nil {
			return nil, fmt.Errorf("clone layout for %s: %w", name, err)
		}
		if _, err := t.ParseFS(files, name); err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		pages[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return pages, nil
}
