package dist

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/dist/debinfo"
	"github.com/envgen/envgen/internal/project"
	"github.com/envgen/envgen/internal/testtool"
)

// fakeProject is the smallest project PackageService accepts: an
// envgen.lock for profile, a module without dependencies (so the build
// needs no network), and the config files a generated project has.
func fakeProject(t *testing.T, profile, mainGo string) string {
	t.Helper()
	dir := t.TempDir()
	lock := &project.Lock{Schema: 1, Envgen: "test", Profile: profile,
		Inputs: project.LockInputs{Module: "example.com/demo", Name: "demo", Go: "1.26.0"}, Files: []project.LockedFile{}}
	data, err := lock.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		project.LockFile:         string(data),
		"go.mod":                 "module example.com/demo\n\ngo 1.24\n",
		"cmd/demo/main.go":       mainGo,
		"config/default.yaml":    "http:\n  addr: \":8080\"\n",
		"config/staging.yaml":    "log:\n  format: json\n",
		"config/production.yaml": "tls:\n  required: true\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestServiceDeb packages a staging project as a .deb and looks at it as
// dpkg would: control fields, files and modes, conffiles, scripts, unit.
func TestServiceDeb(t *testing.T) {
	testtool.Require(t, "dpkg-deb", "apt-get install dpkg")
	dir := fakeProject(t, "staging", "package main\n\nfunc main() {}\n")
	res, err := PackageService(context.Background(), ServiceOptions{Dir: dir, Format: "deb", Arch: runtime.GOARCH, Version: "v2.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(res.Package) != filepath.Join(dir, "bin") || res.Version != "v2.0.1" || res.Profile != "staging" {
		t.Errorf("result %+v", res)
	}
	d, err := debinfo.Read(t.Context(), res.Package, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	checkService(t, d, "demo", "staging")
	if d.Fields["Version"] != "2.0.1" || d.Fields["Depends"] != "ca-certificates" || !strings.Contains(d.Fields["Maintainer"], "@") {
		t.Errorf("control fields: %v", d.Fields)
	}
	wantFile(t, d, "/etc/demo/production.yaml", "-rw-r--r--") // every overlay of config/
}

// checkService reports what debinfo.CheckService finds.
func checkService(t *testing.T, d *debinfo.Deb, name, appEnv string) {
	t.Helper()
	c := debinfo.CheckService(t.Context(), d, name, appEnv)
	for _, p := range c.Problems {
		t.Error(p)
	}
	if !c.UnitVerified {
		testtool.Require(t, "systemd-analyze", "apt-get install systemd") // fails on CI, skips elsewhere
	}
}

func wantFile(t *testing.T, d *debinfo.Deb, path, mode string) {
	t.Helper()
	if p := d.CheckFile(path, mode); p != "" {
		t.Error(p)
	}
}

// TestServiceErrors checks the errors a user can fix, before anything is built.
func TestServiceErrors(t *testing.T) {
	dev := fakeProject(t, "development", "package main\nfunc main() {}\n")
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		o       ServiceOptions
		subject string
		want    []string
	}{
		{"no packaging", ServiceOptions{Dir: dev, Format: "deb", Arch: "amd64"}, "profile development", []string{"production", "staging"}},
		{"format", ServiceOptions{Dir: dev, Format: "msi", Arch: "amd64"}, "--format", []string{"deb, rpm, apk"}},
		{"arch", ServiceOptions{Dir: dev, Format: "deb", Arch: "386"}, "--arch", []string{"amd64, arm64"}},
		{"no lock", ServiceOptions{Dir: t.TempDir(), Format: "deb", Arch: "amd64"}, "", []string{"-C DIR"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := PackageService(ctx, tc.o)
			ie, ok := errors.AsType[*generator.InputError](err)
			if !ok {
				t.Fatalf("err = %v, want an InputError", err)
			}
			if tc.subject != "" && ie.Subject != tc.subject {
				t.Errorf("subject %q, want %q", ie.Subject, tc.subject)
			}
			for _, w := range tc.want {
				if !strings.Contains(ie.Problem+ie.Hint, w) {
					t.Errorf("%q / hint %q lacks %q", ie.Problem, ie.Hint, w)
				}
			}
		})
	}
}

func TestServiceBuildFailureShowsCompilerOutput(t *testing.T) {
	dir := fakeProject(t, "staging", "package main\nfunc main() { undefinedThing() }\n")
	_, err := PackageService(context.Background(), ServiceOptions{Dir: dir, Format: "deb", Arch: "amd64"})
	be, ok := errors.AsType[*BuildError](err)
	if !ok {
		t.Fatalf("err = %v, want a BuildError", err)
	}
	if !strings.Contains(err.Error(), "undefined: undefinedThing") || be.Hint() == "" {
		t.Errorf("build error lacks the compiler's output or a hint:\n%v", err)
	}
}
