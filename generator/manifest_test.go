package generator

import (
	"strings"
	"testing"
)

func TestParseManifestStarterFields(t *testing.T) {
	m, err := ParseManifest([]byte(`name: acme
version: 1.0.0
min_envgen: 0.1.0
extends: builtin
remove: [".editorconfig", "deploy/toxiproxy/**"]
functions: [now, uuidv4]
hooks:
  post_init:
    - [make, tidy]
`))
	if err != nil {
		t.Fatal(err)
	}
	if m.Extends != ExtendsBuiltin || len(m.Remove) != 2 || len(m.Functions) != 2 || len(m.Hooks.PostInit) != 1 {
		t.Errorf("manifest = %+v", m)
	}
	for body, want := range map[string]string{
		"extends: copier\n":                `extends is "copier"`,
		"remove: [x]\n":                    "remove only applies with extends: builtin",
		"extends: builtin\nremove: [../x]": "outside the project",
		"functions: [expandenv]\n":         `function "expandenv" is never allowed`,
		"functions: [upper]\n":             "always available",
		"functions: [nosuch]\n":            "unknown function",
		"hooks: {post_init: [[]]}\n":       "a hook is a non-empty command",
		"min_envgen: soon\n":               "not a semantic version",
		"min_envgen: 999.0.0\n":            "needs envgen 999.0.0 or newer",
	} {
		_, err := ParseManifest([]byte("name: acme\nversion: 1.0.0\n" + body))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", body, err, want)
		}
	}
}

func TestCheckMinEnvgen(t *testing.T) {
	for _, tc := range []struct {
		need, have string
		ok         bool
	}{
		{"0.3.0", "0.3.0", true},
		{"v0.3.0", "0.4.1", true},
		{"0.3.0", "0.3.0-dev", true}, // a development build of the release counts
		{"0.3.0", "0.2.9", false},
		{"1.0.0", "v0.9.0", false},
		{"1.0.0", "(devel)", true}, // not a release: no opinion
	} {
		err := checkMinEnvgen(tc.need, tc.have)
		if (err == nil) != tc.ok {
			t.Errorf("need %s, have %s: %v", tc.need, tc.have, err)
		}
	}
}

func TestFuncMapAllowing(t *testing.T) {
	plain := FuncMap()
	for _, name := range []string{"env", "expandenv", "now", "randAlpha"} {
		if plain[name] != nil {
			t.Errorf("FuncMap offers %s", name)
		}
	}
	allowed := FuncMapAllowing([]string{"now", "env"})
	if allowed["now"] == nil {
		t.Error("declared now is missing")
	}
	if allowed["env"] != nil || allowed["randAlpha"] != nil {
		t.Error("FuncMapAllowing let a forbidden or undeclared function through")
	}
}

func TestManifestExtend(t *testing.T) {
	base, err := ParseManifest([]byte("name: builtin\nversion: 0.1.0\nfiles:\n  a: {mode: once}\n  b: {mode: managed}\nvariables:\n  x: {type: int, default: 1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	over, err := ParseManifest([]byte("name: acme\nversion: 2.0.0\nextends: builtin\nfiles:\n  b: {mode: merged}\nvariables:\n  x: {type: int, default: 2}\n  y: {type: string}\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := over.Extend(base)
	if m.Name != "acme" || m.rule("a").Mode != Once || m.rule("b").Mode != Merged || m.Variables["x"].Default != 2 || len(m.Variables) != 2 {
		t.Errorf("extended = %+v", m)
	}
	if len(base.Files) != 2 || base.Files["b"].Mode != Managed {
		t.Error("Extend changed the base manifest")
	}
}
