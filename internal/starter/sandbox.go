package starter

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing/fstest"

	"github.com/envgen/envgen/generator"
)

// Limits bound what a starter may hold, so that a hostile or broken one
// cannot fill the disk or the memory of whoever renders it.
type Limits struct {
	MaxFileSize  int64 // bytes in one file
	MaxTotalSize int64 // bytes in every file read
	MaxFiles     int
}

// DefaultLimits fit any sensible starter many times over.
var DefaultLimits = Limits{MaxFileSize: 1 << 20, MaxTotalSize: 32 << 20, MaxFiles: 5000}

func (l Limits) orDefault() Limits {
	if l == (Limits{}) {
		return DefaultLimits
	}
	return l
}

// starterParts are what envgen reads from a starter, at its root; anything
// else (a README, CI files, testdata) is not part of a render.
var starterParts = []string{generator.ManifestFile, generator.TreeDir, "profiles", generator.DepsDir}

// UnsafeError refuses a starter file that breaks the sandbox rules.
type UnsafeError struct {
	Path    string // slash-separated, relative to the starter's root
	Problem string
}

func (e *UnsafeError) Error() string { return "starter file " + e.Path + ": " + e.Problem }

// ExitCode is 2: a starter that breaks the rules is refused input.
func (e *UnsafeError) ExitCode() int { return 2 }

// Hint says what a starter may hold.
func (e *UnsafeError) Hint() string {
	return "a starter may hold regular files, and symlinks to files inside it; fix the starter (nothing was written)"
}

// budget counts what a load has read against the limits.
type budget struct {
	Limits
	files int
	total int64
}

func (b *budget) take(p string, size int64) error {
	if size > b.MaxFileSize {
		return &UnsafeError{Path: p, Problem: fmt.Sprintf("%d bytes, above the limit of %d bytes per file", size, b.MaxFileSize)}
	}
	b.files++
	b.total += size
	if b.files > b.MaxFiles {
		return &UnsafeError{Path: p, Problem: fmt.Sprintf("more than %d files in the starter", b.MaxFiles)}
	}
	if b.total > b.MaxTotalSize {
		return &UnsafeError{Path: p, Problem: fmt.Sprintf("the starter holds more than %d bytes", b.MaxTotalSize)}
	}
	return nil
}

// checkName refuses a path that could not be written safely inside a
// project or the cache: empty, "." or ".." elements, backslashes, .git.
func checkName(p string) error {
	if p == "" || path.IsAbs(p) || strings.Contains(p, "\\") || path.Clean(p) != p {
		return &UnsafeError{Path: p, Problem: "not a clean relative path"}
	}
	for _, el := range strings.Split(p, "/") {
		if el == ".." || el == "." || el == ".git" {
			return &UnsafeError{Path: p, Problem: fmt.Sprintf("path element %q is not allowed", el)}
		}
	}
	return nil
}

// readFolder reads a starter's parts from a folder on disk into memory,
// applying the sandbox rules: a symlink is followed only to a regular file
// inside the starter, and every file counts against the limits. Nothing
// outside root is ever read.
func readFolder(root string, lim Limits) (fstest.MapFS, error) {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, fmt.Errorf("starter: %w", err)
	}
	b := &budget{Limits: lim.orDefault()}
	out := fstest.MapFS{}
	for _, part := range starterParts {
		top := filepath.Join(realRoot, part)
		if _, err := os.Lstat(top); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		err := filepath.WalkDir(top, func(full string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("starter: reading %s: %w", full, err)
			}
			rel, err := filepath.Rel(realRoot, full)
			if err != nil {
				return fmt.Errorf("starter: %w", err)
			}
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				if d.Name() == ".git" {
					return fs.SkipDir
				}
				return nil
			}
			if err := checkName(rel); err != nil {
				return err
			}
			data, perm, err := readEntry(realRoot, full, rel, d, b)
			if err != nil {
				return err
			}
			out[rel] = &fstest.MapFile{Data: data, Mode: perm}
			return nil
		})
		if err != nil {
			return nil, err //nolint:wrapcheck // WalkDir returns what the callback returned, which already says which file failed and how
		}
	}
	return out, nil
}

// readEntry reads one regular file, or the file a symlink inside the
// starter leads to.
func readEntry(realRoot, full, rel string, d fs.DirEntry, b *budget) ([]byte, fs.FileMode, error) {
	switch {
	case d.Type().IsRegular():
	case d.Type()&fs.ModeSymlink != 0:
		target, err := filepath.EvalSymlinks(full)
		if err != nil {
			return nil, 0, &UnsafeError{Path: rel, Problem: "symlink that leads nowhere: " + err.Error()}
		}
		inside, err := filepath.Rel(realRoot, target)
		if err != nil || inside == ".." || strings.HasPrefix(inside, ".."+string(filepath.Separator)) || filepath.IsAbs(inside) {
			link, _ := os.Readlink(full)
			return nil, 0, &UnsafeError{Path: rel, Problem: fmt.Sprintf("symlink to %s, which is outside the starter", link)}
		}
		full = target
	default:
		return nil, 0, &UnsafeError{Path: rel, Problem: "not a regular file (" + d.Type().String() + ")"}
	}
	f, err := os.Open(full) //nolint:gosec // full is a file inside the starter folder, symlinks checked above to stay inside it
	if err != nil {
		return nil, 0, fmt.Errorf("starter: %w", err)
	}
	defer func() { _ = f.Close() }() // read-only
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, fmt.Errorf("starter: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, &UnsafeError{Path: rel, Problem: "symlink to a folder or special file; only files may be linked"}
	}
	if err := b.take(rel, fi.Size()); err != nil {
		return nil, 0, err
	}
	// Read one byte more than the limit, in case the file grows meanwhile.
	data, err := io.ReadAll(io.LimitReader(f, b.MaxFileSize+1))
	if err != nil {
		return nil, 0, fmt.Errorf("starter: reading %s: %w", rel, err)
	}
	if int64(len(data)) > b.MaxFileSize {
		return nil, 0, &UnsafeError{Path: rel, Problem: fmt.Sprintf("above the limit of %d bytes per file", b.MaxFileSize)}
	}
	return data, permOf(fi.Mode()), nil
}

func permOf(m fs.FileMode) fs.FileMode {
	if m&0o111 != 0 {
		return 0o755
	}
	return 0o644
}
