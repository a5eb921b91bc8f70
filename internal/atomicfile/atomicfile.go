// Package atomicfile writes files so that a reader, or a crash, sees the
// old content or the new, never half of each: write a temporary file in
// the same folder, flush it to disk, then rename it over the target (as the
// go command does for the module cache).
package atomicfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile atomically and durably replaces name with data, creating
// missing parent folders. perm applies to a new file; an existing file
// keeps its mode.
func WriteFile(name string, data []byte, perm fs.FileMode) error {
	return write(name, bytesBody(data), perm, true)
}

func bytesBody(data []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(data)
		return err //nolint:wrapcheck // write wraps it with the file's name
	}
}

// WriteStream is WriteFile for content too large to hold in memory (a
// proof bundle with toolchain zips): body writes it.
func WriteStream(name string, perm fs.FileMode, body func(io.Writer) error) error {
	return write(name, body, perm, true)
}

// write puts data in a temporary file next to name and renames it over
// name; with durable, it flushes the file before and the folder after.
func write(name string, body func(io.Writer) error, perm fs.FileMode, durable bool) (err error) {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil { //nolint:gosec // G301: the callers' folders (project, cache) are for every user to read, like git's and go's
		return fmt.Errorf("write %s: %w", name, err)
	}
	if fi, statErr := os.Stat(name); statErr == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: not a regular file", name)
		}
		perm = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".envgen-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	// Each return sets err, which the deferred cleanup reads.
	if err := body(tmp); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if durable {
		if err := tmp.Sync(); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if !durable {
		return nil
	}
	return syncDir(dir)
}

// syncEach fsyncs every file and every folder.
func syncEach(files []string, dirs map[string]bool) error {
	for _, name := range files {
		f, err := os.Open(name) //nolint:gosec // G304: a file this package just wrote
		if err != nil {
			return fmt.Errorf("sync %s: %w", name, err)
		}
		err = f.Sync()
		_ = f.Close()
		if err != nil {
			return fmt.Errorf("sync %s: %w", name, err)
		}
	}
	for dir := range dirs {
		if err := syncDir(dir); err != nil {
			return err
		}
	}
	return nil
}

// syncDir makes a rename durable. Some file systems cannot sync a folder;
// the rename has still happened, so that is not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir) //nolint:gosec // G304: the folder of a file this package just wrote
	if err != nil {
		return nil //nolint:nilerr // a folder that cannot be opened cannot be synced either; the rename has happened
	}
	_ = d.Sync()
	if err := d.Close(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
