package generator

import (
	"testing"
	"time"

	"github.com/envgen/envgen/internal/project"
)

// FuzzRenderPath: rendering a template path never panics, ends (the time
// cap), and any path it returns passes project.CheckPath. v is a value
// the path may use as {{ .Vars.v }}, as a --set value would be.
func FuzzRenderPath(f *testing.F) {
	for _, seed := range [][2]string{
		{`{{ "envgen.lock" }}/x`, ""},
		{`{{ .Vars.v }}/x.tmpl`, ".."},
		{`{{ .Vars.v }}/config`, ".GIT"},
		{`{{ .Vars.v }}/x`, ".git."},
		{`{{ .Vars.v }}/x`, ".g\u200cit"},
		{`{{ .Vars.v }}`, "/etc/passwd"},
		{`{{ .Vars.v }}`, `a\b`},
		{`{{ .Vars.v }}/{{ .Vars.v }}`, "ENVGEN.LOCK"},
		{`{{ .Vars.v | upper }}/base/x`, ".envgen"},
		{`a/{{ .Vars.v }}b`, "../"},
		{`{{ print ".g" "\u200c" "it" }}/config`, ""},
		{`{{ repeat 300 "a" }}`, ""},
		{`{{ "x" | repeat 5000 }}`, ""},
		{`{{ repeat 200000000 "x" }}`, ""},
		{`{{ range 1000000000000 }}{{ end }}x`, ""},
		{`{{ $d := dict }}{{ $_ := set $d "a" $d }}{{ $d }}`, ""},
		{`{{ printf "%s/%s" "a" "b" }}.tmpl`, ""},
		{`cmd/{{ .Name }}/main.go.tmpl`, ""},
		{`{{ if .Vars.v }}{{ .Vars.v }}{{ else }}x{{ end }}`, "a/b"},
		{`{{ .Vars.v }}`, "a\x00b"},
		{`{{`, ""},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, p, v string) {
		data := Data{Module: "example.com/acme/orders", Name: "orders", Vars: map[string]any{"v": v}}
		rd := newRenderer(nil, Caps{MaxTemplateTime: 100 * time.Millisecond})
		out, err := within(rd, func() (string, error) { return rd.renderPath(p, data) })
		if err != nil {
			return
		}
		if err := project.CheckPath(out); err != nil {
			t.Fatalf("renderPath(%q) with v=%q = %q, which CheckPath refuses: %v", p, v, out, err)
		}
	})
}
