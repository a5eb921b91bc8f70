package starter

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/envgen/envgen/internal/testtool"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/envgen/envgen/generator"
)

// starterRepo is a starter git repository built inside a test.
type starterRepo struct {
	t    *testing.T
	dir  string
	repo *git.Repository
}

// newStarterRepo creates a repository holding files (path -> content;
// content "->target" makes a symlink) and commits them.
func newStarterRepo(t *testing.T, files map[string]string) *starterRepo {
	t.Helper()
	// go-git's file:// transport runs git-upload-pack.
	testtool.Require(t, "git", "apt-get install git (file:// transport needs git-upload-pack)")
	dir := t.TempDir()
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := &starterRepo{t: t, dir: dir, repo: repo}
	r.commit(files, "initial")
	return r
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := cutLink(content); ok {
			_ = os.Remove(full)
			if err := os.Symlink(target, full); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func cutLink(content string) (string, bool) {
	if len(content) > 2 && content[:2] == "->" {
		return content[2:], true
	}
	return "", false
}

func (r *starterRepo) commit(files map[string]string, msg string) plumbing.Hash {
	r.t.Helper()
	writeFiles(r.t, r.dir, files)
	wt, err := r.repo.Worktree()
	if err != nil {
		r.t.Fatal(err)
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		r.t.Fatal(err)
	}
	h, err := wt.Commit(msg, &git.CommitOptions{Author: &object.Signature{Name: "t", Email: "t@example.com", When: time.Unix(1700000000, 0)}})
	if err != nil {
		r.t.Fatal(err)
	}
	return h
}

// tag makes an annotated tag at HEAD.
func (r *starterRepo) tag(name string) {
	r.t.Helper()
	head, err := r.repo.Head()
	if err != nil {
		r.t.Fatal(err)
	}
	_, err = r.repo.CreateTag(name, head.Hash(), &git.CreateTagOptions{
		Tagger: &object.Signature{Name: "t", Email: "t@example.com", When: time.Unix(1700000000, 0)}, Message: name,
	})
	if err != nil {
		r.t.Fatal(err)
	}
}

func (r *starterRepo) url() string { return "file://" + r.dir }

func testOptions(t *testing.T) Options {
	return Options{CacheDir: filepath.Join(t.TempDir(), "cache")}
}

// render resolves and renders a source with fixed secrets.
func render(t *testing.T, src *generator.Source, in generator.Inputs) map[string]generator.File {
	t.Helper()
	if in.Module == "" {
		in.Module = "github.com/acme/orders"
	}
	r, err := src.Resolve(in)
	if err != nil {
		t.Fatal(err)
	}
	r.Secrets = generator.FixedSecrets()
	target, err := generator.Render(src, r)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]generator.File{}
	for _, f := range target.Files {
		out[f.Path] = f
	}
	return out
}

var ctx = context.Background()

// minimalStarter is a starter that starts empty: one template, one
// variable, one profile of its own.
func minimalStarter(version string) map[string]string {
	return map[string]string{
		"envgen-template.yaml": "name: acme-starter\nversion: " + version + "\n" +
			"variables:\n  team: {type: string, required: true, pattern: \"^[a-z-]+$\", help: owning team}\n" +
			"files:\n  docs/OWNERS.md: {mode: once}\n",
		"templates/docs/OWNERS.md.tmpl":          "owner: {{ .Vars.team }} ({{ .Name }}, " + version + ")\n",
		"templates/cmd/{{ .Name }}/main.go.tmpl": "package main\n\nfunc main() {}\n",
		"profiles/acme.yaml":                     "name: acme\nextends: production\ndescription: acme production\n",
		"README.md":                              "not part of the starter's render\n",
	}
}
