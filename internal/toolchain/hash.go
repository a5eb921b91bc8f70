package toolchain

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

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
// as one stored inside a proof bundle. h1 inflates every entry, so the
// entries are hashed on all cores (archive/zip opens different entries of
// one ReaderAt concurrently), largest first so that no core is left with
// the one big binary at the end; each worker keeps one buffer and one
// hasher. The result, and the error, are those of hashing the entries in
// zip order: the first failing entry (named) or duplicate name wins.
func HashZipAt(r io.ReaderAt, size int64) (FileHashes, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("hash: %w", err)
	}
	// The entries to hash, in zip order, up to the first duplicate name:
	// an entry after it is never reached in zip order.
	files := make([]*zip.File, 0, len(z.File))
	seen := make(map[string]struct{}, len(z.File))
	dup := ""
	for _, f := range z.File {
		if strings.HasSuffix(f.Name, "/") {
			continue // a folder entry; dirhash.HashZip does not skip these, module zips never have them
		}
		if _, ok := seen[f.Name]; ok {
			dup = f.Name
			break
		}
		seen[f.Name] = struct{}{}
		files = append(files, f)
	}
	sums, err := hashEntries(files)
	if err != nil {
		return nil, err
	}
	if dup != "" {
		return nil, fmt.Errorf("duplicate entry %s", dup)
	}
	fh := make(FileHashes, len(files))
	for k, f := range files {
		fh[f.Name] = hex.EncodeToString(sums[k][:])
	}
	return fh, nil
}

// hashEntries hashes the content of each file on GOMAXPROCS workers. The
// error is that of the first failing file in the order of files; a worker
// skips the files after a known failure.
func hashEntries(files []*zip.File) ([][sha256.Size]byte, error) {
	order := make([]int, len(files))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool {
		return files[order[a]].UncompressedSize64 > files[order[b]].UncompressedSize64
	})
	sums := make([][sha256.Size]byte, len(files))
	errs := make([]error, len(files))
	var next atomic.Int64
	var failed atomic.Int64 // the lowest index of a failed file, len(files) while none
	failed.Store(int64(len(files)))
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			h := sha256.New()
			buf := make([]byte, 64<<10)
			for {
				n := next.Add(1) - 1
				if n >= int64(len(order)) {
					return
				}
				k := order[n]
				if int64(k) > failed.Load() {
					continue // a file before it failed: its hash is never used
				}
				if err := hashEntry(files[k], h, buf, &sums[k]); err != nil {
					errs[k] = err
					for {
						cur := failed.Load()
						if int64(k) >= cur || failed.CompareAndSwap(cur, int64(k)) {
							break
						}
					}
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return sums, nil
}

// hashEntry writes the SHA-256 of f's content to sum, reading through buf
// with h (reset first). Open checks the CRC-32 and size, as for dirhash.
func hashEntry(f *zip.File, h hash.Hash, buf []byte, sum *[sha256.Size]byte) error {
	r, err := f.Open()
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	h.Reset()
	_, err = io.CopyBuffer(h, r, buf) //nolint:gosec // G110: into a hash, which keeps nothing; the go command hashes module zips the same way
	_ = r.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	h.Sum(sum[:0])
	return nil
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
