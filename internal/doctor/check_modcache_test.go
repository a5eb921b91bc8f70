package doctor

import (
	"archive/zip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
)

// fakeModule is a module version as the go command leaves it in
// GOMODCACHE: zip, .ziphash, .mod, .info and the extracted folder (read-only).
type fakeModule struct {
	path, version string
	files         map[string]string
}

func (f fakeModule) mod() module.Version { return module.Version{Path: f.path, Version: f.version} }

// put writes the module into cache and returns its h1 hash.
func (f fakeModule) put(t *testing.T, cache string) string {
	t.Helper()
	esc, err := module.EscapePath(f.path)
	if err != nil {
		t.Fatal(err)
	}
	dl := filepath.Join(cache, "cache", "download", filepath.FromSlash(esc), "@v")
	if err := os.MkdirAll(dl, 0o755); err != nil {
		t.Fatal(err)
	}
	zipFile := filepath.Join(dl, f.version+".zip")
	writeZip(t, zipFile, f.mod(), f.files)
	h, err := dirhash.HashZip(zipFile, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dl, f.version+".ziphash"), h)
	writeFile(t, filepath.Join(dl, f.version+".mod"), "module "+f.path+"\n")
	writeFile(t, filepath.Join(dl, f.version+".info"), `{"Version":"`+f.version+`"}`)
	dir := filepath.Join(cache, filepath.FromSlash(esc)+"@"+f.version)
	for name, content := range f.files {
		writeFile(t, filepath.Join(dir, name), content)
	}
	// The go command leaves extracted modules read-only.
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil {
			if d.IsDir() {
				_ = os.Chmod(p, 0o555)
			} else {
				_ = os.Chmod(p, 0o444)
			}
		}
		return nil
	})
	t.Cleanup(func() { // let t.TempDir remove what --fix did not
		_ = filepath.WalkDir(cache, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				_ = os.Chmod(p, 0o755)
			}
			return nil
		})
	})
	return h
}

func writeZip(t *testing.T, name string, mod module.Version, files map[string]string) {
	t.Helper()
	out, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fw, err := zw.Create(mod.Path + "@" + mod.Version + "/" + n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write([]byte(files[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

var (
	goodMod  = fakeModule{"example.com/good", "v1.0.0", map[string]string{"go.mod": "module example.com/good\n", "good.go": "package good\n"}}
	otherMod = fakeModule{"example.com/Other", "v1.2.0", map[string]string{"go.mod": "module example.com/Other\n", "o.go": "package other\n", "sub/s.go": "package sub\n"}}
)

// cacheWorld has goodMod and otherMod in its cache and its go.sum.
func cacheWorld(t *testing.T) (*fakeWorld, string) {
	w := newWorld(t)
	cache := w.env["GOMODCACHE"]
	var sum strings.Builder
	for _, m := range []fakeModule{goodMod, otherMod} {
		h := m.put(t, cache)
		sum.WriteString(m.path + " " + m.version + " " + h + "\n")
		sum.WriteString(m.path + " " + m.version + "/go.mod h1:notchecked=\n")
	}
	// A module of go.sum that is not in the cache: nothing to check.
	sum.WriteString("example.com/absent v0.1.0 h1:abc=\n")
	writeFile(t, filepath.Join(w.cfg.Dir, "go.sum"), sum.String())
	return w, cache
}

func TestModCacheIntact(t *testing.T) {
	w, _ := cacheWorld(t)
	wantResult(t, w.run("modcache"), StatusOK, "2 of 3 needed module versions cached, all intact", "")
}

func TestModCacheCorruptZip(t *testing.T) {
	w, cache := cacheWorld(t)
	// Same names, other content: the zip no longer matches .ziphash or go.sum.
	zipFile := filepath.Join(cache, filepath.FromSlash("cache/download/example.com/!other/@v/v1.2.0.zip"))
	writeZip(t, zipFile, otherMod.mod(), map[string]string{"go.mod": "module example.com/Other\n", "o.go": "package evil\n", "sub/s.go": "package sub\n"})
	r := w.run("modcache")
	wantResult(t, r, StatusFail, "1 damaged module version(s): example.com/Other@v1.2.0", "envgen doctor --fix removes only these entries")
	if len(r.Details) != 1 || !strings.Contains(r.Details[0], "its .ziphash says") {
		t.Errorf("details = %q, want the hash mismatch", r.Details)
	}
	if r.Removed != nil {
		t.Errorf("removed %q without --fix", r.Removed)
	}
	if _, err := os.Stat(zipFile); err != nil {
		t.Errorf("without --fix the zip must stay: %v", err)
	}
}

func TestModCacheZipAgainstGoSum(t *testing.T) {
	w, cache := cacheWorld(t)
	// Zip and .ziphash agree with each other, but not with go.sum: the
	// cache holds another module than the one the project verified.
	zipFile := filepath.Join(cache, filepath.FromSlash("cache/download/example.com/good/@v/v1.0.0.zip"))
	writeZip(t, zipFile, goodMod.mod(), map[string]string{"go.mod": "module example.com/good\n", "good.go": "package good // changed\n"})
	h, _ := dirhash.HashZip(zipFile, dirhash.Hash1)
	writeFile(t, strings.TrimSuffix(zipFile, ".zip")+".ziphash", h)
	r := w.run("modcache")
	wantResult(t, r, StatusFail, "example.com/good@v1.0.0", "--fix")
	if len(r.Details) != 1 || !strings.Contains(r.Details[0], "go.sum says") {
		t.Errorf("details = %q, want the go.sum mismatch", r.Details)
	}
}

func TestModCacheMissingFile(t *testing.T) {
	w, cache := cacheWorld(t)
	dir := filepath.Join(cache, filepath.FromSlash("example.com/!other@v1.2.0/sub"))
	_ = os.Chmod(dir, 0o755)
	if err := os.Remove(filepath.Join(dir, "s.go")); err != nil {
		t.Fatal(err)
	}
	r := w.run("modcache")
	wantResult(t, r, StatusFail, "example.com/Other@v1.2.0", "--fix")
	if len(r.Details) != 1 || !strings.Contains(r.Details[0], "extracted folder is incomplete: 1 file(s) differ from the zip: sub/s.go (missing)") {
		t.Errorf("details = %q, want the missing file", r.Details)
	}
}

func TestModCacheFixRemovesOnlyDamaged(t *testing.T) {
	w, cache := cacheWorld(t)
	dir := filepath.Join(cache, filepath.FromSlash("example.com/!other@v1.2.0"))
	_ = os.Chmod(filepath.Join(dir, "sub"), 0o755)
	if err := os.Remove(filepath.Join(dir, filepath.FromSlash("sub/s.go"))); err != nil {
		t.Fatal(err)
	}
	before := listTree(t, cache)
	w.cfg.Fix = true
	r := w.run("modcache")
	wantResult(t, r, StatusWarn, "removed 1 damaged module version(s): example.com/Other@v1.2.0", "the next go build")
	wantRemoved := []string{
		"cache/download/example.com/!other/@v/v1.2.0.zip",
		"cache/download/example.com/!other/@v/v1.2.0.ziphash",
		"example.com/!other@v1.2.0",
	}
	if !slices.Equal(r.Removed, wantRemoved) {
		t.Errorf("removed %q, want %q", r.Removed, wantRemoved)
	}
	// Exactly those are gone; everything else (the intact module, the
	// damaged one's .mod and .info) is still there.
	after := listTree(t, cache)
	var gone []string
	for _, p := range before {
		if !slices.Contains(after, p) {
			gone = append(gone, p)
		}
	}
	for _, p := range gone {
		ok := false
		for _, rm := range wantRemoved {
			if p == rm || strings.HasPrefix(p, rm+"/") {
				ok = true
			}
		}
		if !ok {
			t.Errorf("--fix removed %s, which was intact", p)
		}
	}
	if len(gone) == 0 {
		t.Error("--fix removed nothing")
	}
	// A second run finds the cache clean.
	w.cfg.Fix = false
	wantResult(t, w.run("modcache"), StatusOK, "1 of 3 needed module versions cached, all intact", "")
}

// The pinned toolchain is checked against the hash in envgen.lock.
func TestModCacheToolchain(t *testing.T) {
	w := newWorld(t)
	cache := w.env["GOMODCACHE"]
	tc := fakeModule{"golang.org/toolchain", "v0.0.1-go1.26.11.linux-amd64", map[string]string{"VERSION": "go1.26.11\n", "bin/go": "binary"}}
	tc.put(t, cache)
	writeFile(t, filepath.Join(w.cfg.Dir, "go.mod"), "module example.com/svc\n\ngo 1.26\n\ntoolchain go1.26.11\n")
	r := w.run("modcache")
	wantResult(t, r, StatusOK, "1 of 1 needed module versions cached, all intact", "")

	_ = os.Chmod(filepath.Join(cache, filepath.FromSlash("golang.org/toolchain@v0.0.1-go1.26.11.linux-amd64/bin")), 0o755)
	_ = os.Chmod(filepath.Join(cache, filepath.FromSlash("golang.org/toolchain@v0.0.1-go1.26.11.linux-amd64/bin/go")), 0o644)
	writeFile(t, filepath.Join(cache, filepath.FromSlash("golang.org/toolchain@v0.0.1-go1.26.11.linux-amd64/bin/go")), "tampered binary")
	wantResult(t, w.run("modcache"), StatusFail, "golang.org/toolchain@v0.0.1-go1.26.11.linux-amd64", "--fix")
}

func listTree(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
