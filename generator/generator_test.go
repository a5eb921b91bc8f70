package generator

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/envgen/envgen/internal/project"
	"github.com/envgen/envgen/internal/testtemplate"
)

// testSource is generatortest.Source's template, built here because an
// in-package test cannot import generatortest (it imports generator).
func testSource(t *testing.T, extra fstest.MapFS) *Source {
	t.Helper()
	src, err := NewSource(testtemplate.FS(extra), nil, project.Origin{Kind: "dir", URL: "testdata"})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func resolve(t *testing.T, src *Source, in Inputs) *Resolved {
	t.Helper()
	if in.Module == "" {
		in.Module = "example.com/acme/orders"
	}
	if in.Go == "" {
		in.Go = "1.26.3"
	}
	r, err := src.Resolve(in)
	if err != nil {
		t.Fatal(err)
	}
	r.Secrets = FixedSecrets()
	return r
}

func files(t *Target) map[string]File {
	m := map[string]File{}
	for _, f := range t.Files {
		m[f.Path] = f
	}
	return m
}

func TestRenderRules(t *testing.T) {
	src := testSource(t, nil)
	target, err := Render(src, resolve(t, src, Inputs{Profile: "staging", Set: map[string]string{"http_port": "9000"}}))
	if err != nil {
		t.Fatal(err)
	}
	got := files(target)
	want := map[string]struct {
		mode    Mode
		content string
	}{
		"policy.yml":         {Managed, "static: true\n"},
		"config.yaml":        {Merged, "name: orders\nport: 9000\ngreeting: HELLO\n"},
		"cmd/orders/main.go": {Once, "package main // example.com/acme/orders\n"},
		// copied byte for byte: not a .tmpl file
		"alerts/rules.yml": {Merged, "summary: '{{ $labels.instance }}'\n"},
		"secret.env":       {Once, "PASSWORD=fixed-postgres_password\n"},
		"go.sum":           {Merged, "example.com/dep v1.0.0 h1:x=\n"},
	}
	for path, w := range want {
		f, ok := got[path]
		if !ok {
			t.Errorf("%s not rendered", path)
			continue
		}
		if f.Mode != w.mode || string(f.Data) != w.content {
			t.Errorf("%s: mode %s content %q; want %s %q", path, f.Mode, f.Data, w.mode, w.content)
		}
	}
	if got["secret.env"].Perm != 0o600 {
		t.Errorf("private file perm = %v, want 0600", got["secret.env"].Perm)
	}
	gomod := string(got["go.mod"].Data)
	for _, line := range []string{"module example.com/acme/orders", "go 1.26.0", "toolchain go1.26.3", "require example.com/dep v1.0.0"} {
		if !strings.Contains(gomod, line+"\n") {
			t.Errorf("go.mod lacks %q:\n%s", line, gomod)
		}
	}

	// development has no Alertmanager: the when rule leaves alerts/ out
	dev, err := Render(src, resolve(t, src, Inputs{Profile: "development"}))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files(dev)["alerts/rules.yml"]; ok {
		t.Error("alerts/rules.yml rendered although its when is false")
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	src := testSource(t, nil)
	r := resolve(t, src, Inputs{Profile: "production"})
	a, err := Render(src, r)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Render(src, r)
	if len(a.Files) != len(b.Files) {
		t.Fatal("file counts differ between two renders")
	}
	for i := range a.Files {
		if a.Files[i].Path != b.Files[i].Path || string(a.Files[i].Data) != string(b.Files[i].Data) {
			t.Errorf("render differs at %s", a.Files[i].Path)
		}
	}
}

func TestRenderRefusesUnsafeTemplates(t *testing.T) {
	cases := map[string]fstest.MapFS{
		"env function":       {"templates/x.tmpl": {Data: []byte(`{{ env "HOME" }}`)}},
		"clock function":     {"templates/x.tmpl": {Data: []byte(`{{ now }}`)}},
		"random function":    {"templates/x.tmpl": {Data: []byte(`{{ randAlpha 5 }}`)}},
		"path escapes":       {"templates/{{ \"..\" }}/x": {Data: []byte(`x`)}},
		"absolute path":      {"templates/{{ \"/etc\" }}/x": {Data: []byte(`x`)}},
		"reserved lock path": {"templates/envgen.lock": {Data: []byte(`x`)}},
		"missing key":        {"templates/x.tmpl": {Data: []byte(`{{ .Vars.nope }}`)}},
		"go.mod template":    {"templates/go.mod.tmpl": {Data: []byte(`module x`)}},
		"parse error":        {"templates/broken.tmpl": {Data: []byte("ok\n{{ if }}")}},
	}
	for name, extra := range cases {
		t.Run(name, func(t *testing.T) {
			src := testSource(t, extra)
			_, err := Render(src, resolve(t, src, Inputs{}))
			if err == nil {
				t.Fatal("rendered without error")
			}
			t.Log(err)
		})
	}
}

func TestResolveErrorsAreInputErrors(t *testing.T) {
	src := testSource(t, nil)
	for name, in := range map[string]Inputs{
		"no module":       {},
		"bad module":      {Module: "not a module"},
		"bad name":        {Module: "example.com/x", Name: "Bad_Name"},
		"unknown profile": {Module: "example.com/x", Profile: "qa"},
		"old go":          {Module: "example.com/x", Go: "1.22.0"},
		"unknown var":     {Module: "example.com/x", Set: map[string]string{"nope": "1"}},
		"bad int":         {Module: "example.com/x", Set: map[string]string{"http_port": "x"}},
	} {
		_, err := src.Resolve(in)
		var ie *InputError
		if !errors.As(err, &ie) || ie.Hint == "" {
			t.Errorf("%s: err = %v; want an *InputError with a hint", name, err)
		}
	}
}

func TestDefaultName(t *testing.T) {
	for in, want := range map[string]string{
		"github.com/acme/orders":    "orders",
		"github.com/acme/orders/v2": "orders",
		"example.com/Acme/My_Svc":   "my-svc",
	} {
		if got := DefaultName(in); got != want {
			t.Errorf("DefaultName(%q) = %q, want %q", in, got, want)
		}
	}
}
