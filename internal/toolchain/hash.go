package toolchain

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"golang.org/x/mod/module"
)

// FileHashes maps each file of a module zip (by its name in the zip,
// prefix included) to the hex SHA-256 of its content: what dirhash.Hash1
// summarises, kept so that a mismatch can name the files that differ.
type FileHashes map[string]string

// H1 is the dirhash "h1:" hash over the files: the SHA-256 of the sorted
// lines "<sha256>  <name>\n", base64-encoded. It equals dirhash.Hash1 of
// the same files; computing the per-file hashes ourselves lets them run in
// parallel and be compared file by file.
func (fh FileHashes) H1() (string, error) {
	names := make([]string, 0, len(fh))
	for name := range fh {
		if strings.Contains(name, "\n") {
			return "", fmt.Errorf("dirhash: filename with newline")
		}
		names = append(names, name)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		_, _ = fmt.Fprintf(h, "%s  %s\n", fh[name], name) // a hash takes every write
	}
	return "h1:" + base64.StdEncoding.EncodeToString(h.Sum(nil)), nil
}

// FileDiff is a file that differs between a copy and the verified one.
type FileDiff struct {
	Path   string `json:"path"`   // relative to the GOROOT (zip prefix removed)
	Change string `json:"change"` // "modified", "missing" or "extra"
	Reason string `json:"reason,omitempty"`
}

// Diff lists the files of got that differ from want, sorted by path.
func Diff(got, want FileHashes, prefix string) []FileDiff {
	var diffs []FileDiff
	for name, h := range want {
		g, ok := got[name]
		switch {
		case !ok:
			diffs = append(diffs, FileDiff{Path: strings.TrimPrefix(name, prefix), Change: "missing"})
		case g != h:
			diffs = append(diffs, FileDiff{Path: strings.TrimPrefix(name, prefix), Change: "modified"})
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			diffs = append(diffs, FileDiff{Path: strings.TrimPrefix(name, prefix), Change: "extra"})
		}
	}
	sort.Slice(diffs, func(i, j int) bool { return diffs[i].Path < diffs[j].Path })
	return diffs
}

// HashZip hashes every file of a module zip, as dirhash.HashZip does.
func HashZip(name string) (FileHashes, error) {
	f, err := os.Open(name) //nolint:gosec // G304: the zip being verified
	if err != nil {
		return nil, fmt.Errorf("hash: %w", err)
	}
	defer f.Close() //nolint:errcheck // read-only: a failed close loses nothing
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("hash: %w", err)
	}
	fh, err := HashZipAt(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return fh, nil
}

// HashZipAt hashes every file of the module zip in r (size bytes), such
// as one stored inside a proof bundle.
func HashZipAt(r io.ReaderAt, size int64) (FileHashes, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("hash: %w", err)
	}
	fh := FileHashes{}
	for _, f := range z.File {
		if strings.HasSuffix(f.Name, "/") {
			continue // a folder entry; dirhash.HashZip does not skip these, module zips never have them
		}
		if _, dup := fh[f.Name]; dup {
			return nil, fmt.Errorf("duplicate entry %s", f.Name)
		}
		r, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		h := sha256.New()
		_, err = io.Copy(h, r) //nolint:gosec // G110: into a hash, which keeps nothing; the go command hashes module zips the same way
		_ = r.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		fh[f.Name] = hex.EncodeToString(h.Sum(nil))
	}
	return fh, nil
}

// moduleName applies the release-tarball-to-module transformation of
// golang.org/x/build (internal/task/dl2mod.go) to a name relative to the
// GOROOT: go.mod files become _go.mod, and .github/, api/, doc/, misc/ and
// test/ are left out (ok false).
func moduleName(rel string) (name string, ok bool) {
	for _, dir := range []string{".github/", "api/", "doc/", "misc/", "test/"} {
		if strings.HasPrefix(rel, dir) {
			return "", false
		}
	}
	if rel == "go.mod" {
		return "_go.mod", true
	}
	if before, found := strings.CutSuffix(rel, "/go.mod"); found {
		return before + "/_go.mod", true
	}
	return rel, true
}

// HashTarball hashes a release tarball (go1.24.1.linux-amd64.tar.gz from
// any mirror) as the module zip built from it: only regular files, the
// leading go/ replaced by the zip prefix, the transformation applied.
func HashTarball(r io.Reader, m module.Version) (FileHashes, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a gzip tarball: %w", err)
	}
	defer gz.Close() //nolint:errcheck // read-only: a failed close loses nothing
	tr := tar.NewReader(gz)
	prefix := ZipPrefix(m)
	fh := FileHashes{}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading tarball: %w", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		rel, ok := strings.CutPrefix(hdr.Name, "go/")
		if !ok {
			return nil, fmt.Errorf("tarball entry %q is not under go/: not a Go release tarball", hdr.Name)
		}
		name, keep := moduleName(rel)
		if !keep {
			continue
		}
		h := sha256.New()
		if _, err := io.Copy(h, tr); err != nil { //nolint:gosec // G110: into a hash, which keeps nothing
			return nil, fmt.Errorf("reading tarball: %s: %w", hdr.Name, err)
		}
		fh[prefix+name] = hex.EncodeToString(h.Sum(nil))
	}
	return fh, nil
}

// Files envgen and golang.org/dl leave in an installed GOROOT that are not
// part of the release.
var installMarkers = map[string]bool{markerFile: true, ".unpacked-success": true}

// HashGOROOT hashes an installed GOROOT as the module zip it came from,
// reading files on all cores: regular files only, the transformation
// applied (an install from the module zip has _go.mod files, one from a
// tarball has go.mod: both hash the same).
func HashGOROOT(dir string, m module.Version) (FileHashes, error) {
	prefix := ZipPrefix(m)
	type job struct{ path, name string }
	var jobs []job
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return fmt.Errorf("hash: %w", err)
		}
		rel = filepath.ToSlash(rel)
		if installMarkers[rel] {
			return nil
		}
		name, keep := moduleName(rel)
		if !keep {
			return nil
		}
		jobs = append(jobs, job{path, prefix + name})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hash %s: %w", dir, err)
	}
	sums := make([]string, len(jobs))
	errs := make([]error, len(jobs))
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			buf := make([]byte, 256<<10)
			for {
				next.Lock()
				k := i
				i++
				next.Unlock()
				if k >= len(jobs) {
					return
				}
				sums[k], errs[k] = hashFile(jobs[k].path, buf)
			}
		})
	}
	wg.Wait()
	fh := make(FileHashes, len(jobs))
	for k, j := range jobs {
		if errs[k] != nil {
			return nil, errs[k]
		}
		fh[j.name] = sums[k]
	}
	return fh, nil
}

func hashFile(path string, buf []byte) (string, error) {
	f, err := os.Open(path) //nolint:gosec // G304: a file of the GOROOT being hashed
	if err != nil {
		return "", fmt.Errorf("hash: %w", err)
	}
	defer f.Close() //nolint:errcheck // read-only: a failed close loses nothing
	h := sha256.New()
	if _, err := io.CopyBuffer(h, f, buf); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
