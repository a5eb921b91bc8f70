package doctor

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
)

// modcacheCheck: for the pinned toolchain and every module of go.sum
// that sits in GOMODCACHE, the cached zip matches its .ziphash and go.sum,
// and the extracted folder is complete. With --fix it removes exactly the
// damaged entries; the next build downloads them again.
type modcacheCheck struct{ m *machine }

func (c *modcacheCheck) Name() string { return "modcache" }

func (c *modcacheCheck) TimeoutFix() string {
	return "hashing the module cache took too long: run again with a longer --timeout (for example --timeout 1m)"
}

// cacheEntry is one module version the project needs.
type cacheEntry struct {
	mod  module.Version
	want string // h1: from go.sum or the lock; "" when unknown
	from string // where want comes from
}

// damage is what is wrong with one cached module version.
type damage struct {
	entry   cacheEntry
	problem string
	paths   []string // what to remove, absolute
}

func (c *modcacheCheck) Run(ctx context.Context) Result {
	m := c.m
	cache := m.env.ModCache
	if cache == "" {
		return Result{Status: StatusSkip, Saw: "no module cache (GOMODCACHE, GOPATH and HOME unset)"}
	}
	entries := c.entries()
	if len(entries) == 0 {
		return Result{Status: StatusSkip, Saw: "nothing to check: no go.sum and no pinned toolchain in " + m.cfg.Dir}
	}
	var (
		mu       sync.Mutex
		damaged  []damage
		checked  int
		wg       sync.WaitGroup
		parallel = make(chan struct{}, 2)
	)
	for _, e := range entries {
		wg.Go(func() {
			select {
			case parallel <- struct{}{}:
				defer func() { <-parallel }()
			case <-ctx.Done():
				return
			}
			if ctx.Err() != nil {
				return
			}
			d, present := inspect(cache, e)
			mu.Lock()
			defer mu.Unlock()
			if present {
				checked++
			}
			if d != nil {
				damaged = append(damaged, *d)
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Result{Status: StatusFail, Saw: fmt.Sprintf("checked %d cached modules before running out of time", checked), Fix: c.TimeoutFix()}
	}
	saw := fmt.Sprintf("%s: %d of %d needed module versions cached, all intact", cache, checked, len(entries))
	if len(damaged) == 0 {
		return Result{Status: StatusOK, Saw: saw}
	}
	sortDamage(damaged)
	var details []string
	for _, d := range damaged {
		details = append(details, d.entry.mod.String()+": "+d.problem)
	}
	if !m.cfg.Fix {
		return Result{Status: StatusFail, Details: details,
			Saw: fmt.Sprintf("%s: %d damaged module version(s): %s", cache, len(damaged), abbreviate(modNames(damaged), 3)),
			Fix: "envgen doctor --fix removes only these entries (never the whole cache); the next build downloads them again"}
	}
	var removed []string
	for _, d := range damaged {
		for _, p := range d.paths {
			if err := removeCached(p); err != nil {
				return Result{Status: StatusFail, Details: details, Removed: removed,
					Saw: fmt.Sprintf("removing %s: %v", p, err), Fix: "remove it by hand (chmod -R u+w first: the cache is read-only)"}
			}
			if rel, err := filepath.Rel(cache, p); err == nil {
				p = rel
			}
			removed = append(removed, p)
		}
	}
	return Result{Status: StatusWarn, Details: details, Removed: removed,
		Saw: fmt.Sprintf("%s: removed %d damaged module version(s): %s", cache, len(damaged), abbreviate(modNames(damaged), 3)),
		Fix: "nothing more to do: the next go build (or go mod download) downloads them again"}
}

// entries lists what the project needs: its pinned toolchain and every
// module zip its go.sum names.
func (c *modcacheCheck) entries() []cacheEntry {
	m := c.m
	var out []cacheEntry
	if m.pin != "" {
		e := cacheEntry{mod: module.Version{Path: "golang.org/toolchain", Version: "v0.0.1-" + m.pin + "." + m.cfg.GOOS + "-" + m.cfg.GOARCH}}
		if m.lock != nil {
			if h := m.lock.Toolchain.Hashes[m.cfg.GOOS+"-"+m.cfg.GOARCH]; h != "" {
				e.want, e.from = h, "envgen.lock"
			}
		}
		out = append(out, e)
	}
	seen := map[module.Version]bool{}
	for line := range strings.SplitSeq(m.goSum, "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || strings.HasSuffix(f[1], "/go.mod") {
			continue
		}
		v := module.Version{Path: f[0], Version: f[1]}
		if seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, cacheEntry{mod: v, want: f[2], from: "go.sum"})
	}
	return out
}

// inspect checks one module version in the cache. present is false when
// the cache does not hold it (nothing to check: it gets downloaded).
func inspect(cache string, e cacheEntry) (d *damage, present bool) {
	escPath, err1 := module.EscapePath(e.mod.Path)
	escVer, err2 := module.EscapeVersion(e.mod.Version)
	if err1 != nil || err2 != nil {
		return nil, false
	}
	base := filepath.Join(cache, "cache", "download", filepath.FromSlash(escPath), "@v", escVer)
	zipFile, hashFile := base+".zip", base+".ziphash"
	dir := filepath.Join(cache, filepath.FromSlash(escPath)+"@"+escVer)
	_, zipErr := os.Stat(zipFile)
	_, dirErr := os.Stat(dir)
	if zipErr != nil && dirErr != nil {
		return nil, false
	}
	bad := func(problem string) *damage {
		var paths []string
		for _, p := range []string{zipFile, hashFile, dir} {
			if _, err := os.Lstat(p); err == nil {
				paths = append(paths, p)
			}
		}
		return &damage{entry: e, problem: problem, paths: paths}
	}
	recorded := ""
	if data, err := os.ReadFile(hashFile); err == nil { //nolint:gosec // G304: a .ziphash of the module cache being checked
		recorded = strings.TrimSpace(string(data))
	}
	if zipErr == nil {
		got, err := dirhash.HashZip(zipFile, dirhash.Hash1)
		switch {
		case err != nil:
			return bad("the cached zip is unreadable: " + err.Error()), true
		case recorded != "" && got != recorded:
			return bad(fmt.Sprintf("the cached zip hashes to %s, its .ziphash says %s", got, recorded)), true
		case e.want != "" && got != e.want:
			return bad(fmt.Sprintf("the cached zip hashes to %s, %s says %s", got, e.from, e.want)), true
		}
	} else if recorded != "" && e.want != "" && recorded != e.want {
		return bad(fmt.Sprintf("the .ziphash says %s, %s says %s", recorded, e.from, e.want)), true
	}
	if dirErr == nil && zipErr == nil {
		if problem := incomplete(zipFile, dir, e.mod); problem != "" {
			return bad(problem), true
		}
	}
	return nil, true
}

// incomplete compares the extracted folder with the zip's file list (names
// and sizes). The go command never looks again once a module is
// extracted, so a file deleted later breaks builds until it is removed.
func incomplete(zipFile, dir string, mod module.Version) string {
	z, err := zip.OpenReader(zipFile)
	if err != nil {
		return "the cached zip is unreadable: " + err.Error()
	}
	defer z.Close() //nolint:errcheck // read-only: a failed close loses nothing
	prefix := mod.Path + "@" + mod.Version + "/"
	var missing []string
	for _, f := range z.File {
		name, ok := strings.CutPrefix(f.Name, prefix)
		if !ok || name == "" || strings.HasSuffix(f.Name, "/") {
			continue
		}
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			missing = append(missing, name+" (missing)")
		case err != nil:
			missing = append(missing, name+" ("+err.Error()+")")
		case uint64(fi.Size()) != f.UncompressedSize64: //nolint:gosec // G115: a file's size is never negative
			missing = append(missing, fmt.Sprintf("%s (size %d, want %d)", name, fi.Size(), f.UncompressedSize64))
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("the extracted folder is incomplete: %d file(s) differ from the zip: %s", len(missing), abbreviate(missing, 3))
}

// removeCached deletes a cache file or folder. The go command makes the
// extracted folders read-only, so they are made writable first.
func removeCached(p string) error {
	_ = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(path, 0o755) //nolint:gosec // G122, G302: the user's own module cache; 0755 is the mode go gives folders before it locks them
		}
		return nil
	})
	return os.RemoveAll(p) //nolint:wrapcheck // the caller reports "removing PATH: ERR"
}

func sortDamage(ds []damage) {
	slices.SortFunc(ds, func(a, b damage) int { return strings.Compare(a.entry.mod.String(), b.entry.mod.String()) })
}

func modNames(ds []damage) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.entry.mod.String()
	}
	return out
}
