package starter

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envgen/envgen/generator"
)

// maliciousCases each break one sandbox rule; the error must say which.
var maliciousCases = []struct {
	name  string
	files map[string]string
	want  string
}{
	{"symlink out", map[string]string{"templates/passwd": "->../../../../../../etc/passwd"}, "outside the starter"}, //nolint:gosec // a symlink the sandbox must refuse, not a credential
	{"absolute symlink", map[string]string{"templates/hosts": "->/etc/hosts"}, "outside the starter"},
	{"huge file", map[string]string{"templates/big.bin": strings.Repeat("x", int(DefaultLimits.MaxFileSize)+1)}, "above the limit"},
}

func TestMaliciousStarterRefusedAtLoad(t *testing.T) {
	for _, tc := range maliciousCases {
		files := minimalStarter("1.0.0")
		for p, c := range tc.files {
			files[p] = c
		}
		t.Run("dir/"+tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, files)
			_, err := Open(ctx, dir, testOptions(t))
			var ue *UnsafeError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want an UnsafeError saying %q", err, tc.want)
			}
		})
		t.Run("git/"+tc.name, func(t *testing.T) {
			repo := newStarterRepo(t, files)
			opts := testOptions(t)
			_, err := Open(ctx, repo.url()+"@main", opts)
			var ue *UnsafeError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want an UnsafeError saying %q", err, tc.want)
			}
			// Nothing of the refused starter stays in the cache.
			var cached []string
			_ = filepath.WalkDir(opts.CacheDir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					cached = append(cached, p)
				}
				return nil
			})
			if len(cached) > 0 {
				t.Errorf("cache holds %v after a refused fetch", cached)
			}
		})
	}
}

func TestSymlinkInsideStarterIsFollowed(t *testing.T) {
	files := minimalStarter("1.0.0")
	files["templates/docs/shared.md"] = "shared text\n"
	files["templates/docs/copy.md"] = "->shared.md"
	for _, kind := range []string{"dir", "git"} {
		t.Run(kind, func(t *testing.T) {
			var spec string
			if kind == "dir" {
				spec = t.TempDir()
				writeFiles(t, spec, files)
			} else {
				spec = newStarterRepo(t, files).url() + "@main"
			}
			src, err := Open(ctx, spec, testOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			out := render(t, src, generator.Inputs{Profile: "acme", Set: map[string]string{"team": "a"}})
			if got := string(out["docs/copy.md"].Data); got != "shared text\n" {
				t.Errorf("docs/copy.md = %q", got)
			}
		})
	}
}

func TestRenderRefusesEnvAndPathsLeavingTheProject(t *testing.T) {
	for name, tc := range map[string]struct{ path, content, want string }{
		"env":        {"templates/leak.txt.tmpl", `{{ env "HOME" }}`, `function "env" not defined`},
		"expandenv":  {"templates/leak.txt.tmpl", `{{ expandenv "$HOME" }}`, `function "expandenv" not defined`},
		"now":        {"templates/clock.txt.tmpl", `{{ now }}`, `function "now" not defined`},
		"traversal":  {"templates/{{ .Vars.team }}/x.tmpl", "x", "outside the project"},
		"absolute":   {"templates/{{ \"/etc/cron.d/x\" }}.tmpl", "x", "not a relative"},
		"lock":       {"templates/envgen.lock", "x", "reserved"},
		"parse line": {"templates/bad.txt.tmpl", "ok\n{{ if }}\n", "bad.txt.tmpl:2"},
	} {
		t.Run(name, func(t *testing.T) {
			files := minimalStarter("1.0.0")
			files[tc.path] = tc.content
			dir := t.TempDir()
			writeFiles(t, dir, files)
			src, err := Open(ctx, dir, testOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			team := "a"
			if name == "traversal" {
				// the declared pattern forbids "..": drop it to reach Render's own check
				v := src.Manifest.Variables["team"]
				v.Pattern = ""
				src.Manifest.Variables["team"] = v
				team = ".."
			}
			r, err := src.Resolve(generator.Inputs{Module: "example.com/x", Profile: "acme", Set: map[string]string{"team": team}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = generator.Render(src, r)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("render: %v, want %q", err, tc.want)
			}
		})
	}
}
