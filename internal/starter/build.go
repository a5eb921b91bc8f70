package starter

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"testing/fstest"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/project"
	"github.com/envgen/envgen/profiles"
)

// build turns a starter's files, already read under the sandbox rules,
// into a Source. fstest.MapFS is the standard library's in-memory fs.FS;
// a starter is small and bounded by Limits, so holding it in memory is
// cheap and keeps rendering off the disk.
func build(files fstest.MapFS, origin project.Origin) (*generator.Source, error) {
	mf, ok := files[generator.ManifestFile]
	if !ok {
		return nil, &generator.InputError{Subject: "starter " + origin.URL, Problem: "no " + generator.ManifestFile + " at its root",
			Hint: "a starter holds " + generator.ManifestFile + ", " + generator.TreeDir + "/, profiles/ and optionally " + generator.DepsDir + "/ (see templates/README.md)"}
	}
	m, err := generator.ParseManifest(mf.Data)
	if err != nil {
		return nil, err
	}
	own, err := profiles.Load(files, "profiles")
	if err != nil {
		return nil, err
	}
	builtin, err := generator.Builtin()
	if err != nil {
		return nil, err
	}
	tree, deps := sub(files, generator.TreeDir), sub(files, generator.DepsDir)
	src := &generator.Source{
		Manifest: m,
		Tree:     tree,
		Deps:     deps,
		// Profiles always build on the built-in ones: their settings are
		// envgen's vocabulary, and base, staging and production are the
		// parents an organisation's profiles extend.
		Profiles: builtin.Profiles.With(own),
		Origin:   origin,
	}
	if len(deps) == 0 {
		src.Deps = builtin.Deps
	}
	if m.Extends != generator.ExtendsBuiltin {
		// go.mod and go.sum come from the dependency sets whoever provides
		// them; unless the starter says otherwise, they keep the built-in
		// modes (go.sum is the user's once written).
		for _, p := range []string{"go.mod", "go.sum"} {
			if _, ok := m.Files[p]; !ok {
				if rule, ok := builtin.Manifest.Files[p]; ok {
					if m.Files == nil {
						m.Files = map[string]generator.FileRule{}
					}
					m.Files[p] = rule
				}
			}
		}
	}
	if m.Extends == generator.ExtendsBuiltin {
		src.Manifest = m.Extend(builtin.Manifest)
		if src.Tree, err = overlay(builtin.Tree, tree, m.Remove); err != nil {
			return nil, err
		}
	}
	return src, nil
}

// sub returns the files under dir/, with that prefix taken off.
func sub(files fstest.MapFS, dir string) fstest.MapFS {
	out := fstest.MapFS{}
	for p, f := range files {
		if rest, ok := strings.CutPrefix(p, dir+"/"); ok {
			out[rest] = f
		}
	}
	return out
}

// overlay lays a starter's tree over the built-in one: a starter file
// replaces the built-in file that renders to the same path (with or
// without .tmpl), and the remove patterns drop built-in files. A pattern
// that drops nothing is an error: it is a typo, or the built-in template
// changed under it.
func overlay(base fs.FS, upper fstest.MapFS, remove []string) (fs.FS, error) {
	hidden := map[string]bool{}
	for p := range upper {
		hidden[strings.TrimSuffix(p, ".tmpl")] = true
	}
	used := make([]bool, len(remove))
	out := fstest.MapFS{}
	err := fs.WalkDir(base, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		dropped := false
		for i, pattern := range remove {
			if removes(pattern, p) {
				used[i], dropped = true, true
			}
		}
		if dropped || hidden[strings.TrimSuffix(p, ".tmpl")] {
			return nil
		}
		data, err := fs.ReadFile(base, p)
		if err != nil {
			return fmt.Errorf("starter: reading built-in %s: %w", p, err)
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("starter: reading built-in %s: %w", p, err)
		}
		out[p] = &fstest.MapFile{Data: data, Mode: permOf(info.Mode())}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("starter: walking the built-in templates: %w", err)
	}
	var unused []string
	for i, u := range used {
		if !u {
			unused = append(unused, remove[i])
		}
	}
	if len(unused) > 0 {
		sort.Strings(unused)
		return nil, fmt.Errorf("%s: remove: %s match(es) no file of the built-in template (paths as in envgen's templates/templates/, .tmpl optional, dir/** for a folder)",
			generator.ManifestFile, strings.Join(unused, ", "))
	}
	for p, f := range upper {
		out[p] = f
	}
	return out, nil
}

// removes reports whether a remove pattern drops the built-in template
// file p: the same path, the path without .tmpl, or a folder's "dir/**".
func removes(pattern, p string) bool {
	if dir, ok := strings.CutSuffix(pattern, "/**"); ok {
		return strings.HasPrefix(p, dir+"/")
	}
	return p == pattern || p == pattern+".tmpl"
}
