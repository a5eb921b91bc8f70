package generator

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// testSource is a small template exercising every rendering rule, with a
// dependency set, so the generator is tested apart from the built-in template.
func testSource(t *testing.T, extra fstest.MapFS) *Source {
	t.Helper()
	fsys := fstest.MapFS{
		"envgen-template.yaml": {Data: []byte(`name: test
version: 1.0.0
variables:
  greeting: {type: string, default: hello}
files:
  policy.yml: {mode: managed}
  cmd/**: {mode: once}
  alerts/**:
    when: "{{ .Profile.Alertmanager.Enabled }}"
  alerts/rules.yml.tmpl:
    delims: ["[[", "]]"]
  secret.env: {mode: once, private: true}
`)},
		"service/policy.yml":                   {Data: []byte("static: true\n")},
		"service/config.yaml.tmpl":             {Data: []byte("name: {{ .Name }}\nport: {{ .Vars.http_port }}\ngreeting: {{ .Vars.greeting | upper }}\n")},
		"service/cmd/{{ .Name }}/main.go.tmpl": {Data: []byte("package main // {{ .Module }}\n")},
		"service/alerts/rules.yml":             {Data: []byte("summary: '{{ $labels.instance }}'\n")},
		"service/secret.env.tmpl":              {Data: []byte("PASSWORD={{ .Secrets.postgres_password }}\n")},
		"deps/go1.26.mod":                      {Data: []byte("module example.com/envgen-deps\n\ngo 1.26.0\n\nrequire example.com/dep v1.0.0\n")},
		"deps/go1.26.sum":                      {Data: []byte("example.com/dep v1.0.0 h1:x=\n")},
	}
	for k, v := range extra {
		fsys[k] = v
	}
	src, err := NewSource(fsys, nil, Origin{Kind: "dir", URL: "testdata"})
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
		"env function":       {"service/x.tmpl": {Data: []byte(`{{ env "HOME" }}`)}},
		"clock function":     {"service/x.tmpl": {Data: []byte(`{{ now }}`)}},
		"random function":    {"service/x.tmpl": {Data: []byte(`{{ randAlpha 5 }}`)}},
		"path escapes":       {"service/{{ \"..\" }}/x": {Data: []byte(`x`)}},
		"absolute path":      {"service/{{ \"/etc\" }}/x": {Data: []byte(`x`)}},
		"reserved lock path": {"service/envgen.lock": {Data: []byte(`x`)}},
		"missing key":        {"service/x.tmpl": {Data: []byte(`{{ .Vars.nope }}`)}},
		"go.mod template":    {"service/go.mod.tmpl": {Data: []byte(`module x`)}},
		"parse error":        {"service/broken.tmpl": {Data: []byte("ok\n{{ if }}")}},
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

func TestInitWritesFilesLockAndBases(t *testing.T) {
	src := testSource(t, nil)
	dir := filepath.Join(t.TempDir(), "orders")
	res, err := Init(context.Background(), InitOptions{
		Dir: dir, Source: src, NoGit: true, Secrets: FixedSecrets(),
		Inputs: Inputs{Module: "example.com/acme/orders", Go: "1.26.3", Profile: "staging"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Plan.Count(Create) != len(res.Plan.Changes) {
		t.Errorf("fresh init: not every change is a create: %+v", res.Plan.Changes)
	}
	lock, err := ReadLock(dir)
	if err != nil {
		t.Fatal(err)
	}
	if lock.Profile != "staging" || lock.Inputs.Module != "example.com/acme/orders" || lock.Toolchain.Version != "go1.26.3" || lock.Template.Name != "test" {
		t.Errorf("lock inputs wrong: %+v", lock)
	}
	for _, lf := range lock.Files {
		data, err := os.ReadFile(filepath.Join(dir, lf.Path))
		if err != nil {
			t.Fatalf("lock names %s, which was not written: %v", lf.Path, err)
		}
		if HashBytes(data) != lf.Hash {
			t.Errorf("%s: lock hash differs from the file on disk", lf.Path)
		}
		_, baseErr := os.Stat(filepath.Join(dir, BaseDir, lf.Path))
		if (lf.Mode == Merged) != (baseErr == nil) {
			t.Errorf("%s (%s): base copy present = %v; only merged files keep one", lf.Path, lf.Mode, baseErr == nil)
		}
	}
	lockData, _ := os.ReadFile(filepath.Join(dir, LockFile))
	if strings.Contains(string(lockData), "fixed-postgres_password") {
		t.Error("a secret leaked into envgen.lock")
	}
	fi, _ := os.Stat(filepath.Join(dir, "secret.env"))
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("secret.env mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestInitLeavesFolderAloneOnBadInputOrClash(t *testing.T) {
	src := testSource(t, nil)
	dir := t.TempDir()
	user := []byte("my own config\n")
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), user, 0o644); err != nil {
		t.Fatal(err)
	}
	in := Inputs{Module: "example.com/acme/orders", Go: "1.26.3"}

	_, err := Init(context.Background(), InitOptions{Dir: dir, Source: src, NoGit: true, Inputs: in})
	var clash *ExistingFilesError
	if !errors.As(err, &clash) || len(clash.Paths) != 1 || clash.Paths[0] != "config.yaml" {
		t.Fatalf("err = %v; want ExistingFilesError naming config.yaml", err)
	}
	bad := in
	bad.Profile = "qa"
	if _, err := Init(context.Background(), InitOptions{Dir: dir, Source: src, NoGit: true, Inputs: bad}); err == nil {
		t.Fatal("unknown profile accepted")
	}
	if _, err := Init(context.Background(), InitOptions{Dir: dir, Source: src, NoGit: true, Inputs: in, DryRun: true}); err == nil {
		t.Fatal("dry run ignored the clash")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries after refused inits; want only config.yaml", len(entries))
	}

	// --force overwrites and keeps the user's version
	now := func() time.Time { return time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC) }
	res, err := Init(context.Background(), InitOptions{Dir: dir, Source: src, NoGit: true, Inputs: in, Force: true, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied.BackupDir != BackupDir+"/20261124T060000Z" {
		t.Errorf("backup dir = %q", res.Applied.BackupDir)
	}
	kept, err := os.ReadFile(filepath.Join(dir, res.Applied.BackupDir, "config.yaml"))
	if err != nil || string(kept) != string(user) {
		t.Errorf("user's config.yaml not kept: %q, %v", kept, err)
	}
}

func TestInitWritesLockLastWhenAWriteFails(t *testing.T) {
	src := testSource(t, nil)
	dir := t.TempDir()
	// A folder where a file must go makes that write fail part-way.
	if err := os.MkdirAll(filepath.Join(dir, "policy.yml", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Init(context.Background(), InitOptions{Dir: dir, Source: src, NoGit: true, Force: true,
		Inputs: Inputs{Module: "example.com/acme/orders", Go: "1.26.3"}})
	if err == nil {
		t.Fatal("init succeeded writing over a folder")
	}
	if _, err := os.Stat(filepath.Join(dir, LockFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("envgen.lock written although a file failed: %v", err)
	}
}

func TestInitRefusesWritingThroughSymlink(t *testing.T) {
	src := testSource(t, nil)
	dir, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "cmd")); err != nil {
		t.Fatal(err)
	}
	_, err := Init(context.Background(), InitOptions{Dir: dir, Source: src, NoGit: true, Force: true,
		Inputs: Inputs{Module: "example.com/acme/orders", Go: "1.26.3"}})
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("err = %v; want a refusal to write through the link", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Error("files were written outside the project")
	}
}

func TestParseLockIsStrict(t *testing.T) {
	for name, data := range map[string]string{
		"unknown field": `{"schema":1,"colour":"red"}`,
		"future schema": `{"schema":2}`,
		"escaping path": `{"schema":1,"files":[{"path":"../x","mode":"once","hash":"sha256:00"}]}`,
		"bad mode":      `{"schema":1,"files":[{"path":"x","mode":"owned","hash":"sha256:00"}]}`,
	} {
		if _, err := ParseLock([]byte(data)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
