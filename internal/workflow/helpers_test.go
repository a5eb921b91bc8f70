package workflow

import (
	"fmt"

	udiff "github.com/aymanbagabas/go-udiff"

	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envgen/envgen/generator"
)

var testInputs = generator.Inputs{Module: "example.com/acme/orders", Go: "1.26.3"}

func initProject(t *testing.T, src *generator.Source, in generator.Inputs, git bool) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "p")
	if in.Module == "" {
		in.Module, in.Go = testInputs.Module, testInputs.Go
	}
	_, err := Init(context.Background(), InitOptions{Dir: dir, Source: src, NoGit: !git, Inputs: in,
		Secrets: generator.FixedSecrets(), Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func readFile(t *testing.T, dir, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func writeFile(t *testing.T, dir, rel, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, rel)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, rel), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tree is a folder as path -> mode and content, folders included, so
// that two trees compare byte for byte and bit for bit.
func tree(t *testing.T, dir string, skip ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		for _, s := range skip {
			if rel == s || strings.HasPrefix(rel, s+"/") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		if d.IsDir() {
			out[rel+"/"] = info.Mode().String()
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		out[rel] = info.Mode().String() + " " + string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func diffTrees(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for p, w := range want {
		if g, ok := got[p]; !ok {
			t.Errorf("%s: %s missing", what, p)
		} else if g != w {
			t.Errorf("%s: %s differs:\n%s", what, p, udiff.Unified("want", "got", w, g))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: %s should not be there", what, p)
		}
	}
}

// copyTree copies a project folder (for twin runs).
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "p")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	// os.CopyFS drops modes beyond 0777's read/write: restore them.
	_ = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(src, p)
			info, _ := d.Info()
			_ = os.Chmod(filepath.Join(dst, rel), info.Mode().Perm())
		}
		return nil
	})
	return dst
}
