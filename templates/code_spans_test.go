package templates

import "testing"

func TestCodeSpans(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"send `Authorization: Bearer l360_...` as", "send <code>Authorization: Bearer l360_...</code> as"},
		{"`a` and `b`", "<code>a</code> and <code>b</code>"},
		{"<script> `<b>`", "&lt;script&gt; <code>&lt;b&gt;</code>"},
		{"one ` alone", "one ` alone"},
	}
	for _, tt := range tests {
		if got := string(codeSpans(tt.in)); got != tt.want {
			t.Errorf("codeSpans(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
