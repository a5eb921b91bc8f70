package templates

import (
	"bytes"
	"io/fs"
	"os"
	"testing"
)

// TestOwnRuleguardRules proves that envgen lints itself with the ruleguard
// rules it generates: lint/ruleguard/rules.go at the repository root must
// equal the template's rules file from the import on (the package comments
// differ: one is about envgen, the other about the generated service).
func TestOwnRuleguardRules(t *testing.T) {
	tmpl, err := fs.ReadFile(FS(), "templates/lint/ruleguard/rules.go.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	own, err := os.ReadFile("../lint/ruleguard/rules.go")
	if err != nil {
		t.Fatal(err)
	}
	rules := func(name string, src []byte) []byte {
		i := bytes.Index(src, []byte("\nimport "))
		if i < 0 {
			t.Fatalf("%s has no import line", name)
		}
		return src[i:]
	}
	if !bytes.Equal(rules("lint/ruleguard/rules.go", own), rules("the template's rules.go.tmpl", tmpl)) {
		t.Error("lint/ruleguard/rules.go differs from templates/templates/lint/ruleguard/rules.go.tmpl after the package clause: copy the template's rules")
	}
}
