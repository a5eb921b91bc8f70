package apply

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"

	"github.com/envgen/envgen/internal/project"
)

// tempName is the one temporary name of a path. Only one envgen writes a
// project at a time (the mutex), so a fixed name is safe, and a crash
// leaves a name the next run knows to sweep.
func tempName(p string) string {
	return path.Join(path.Dir(p), "."+path.Base(p)+".envgen-tmp")
}

// writeFile replaces p with data atomically: a temporary file in the same
// folder, renamed over p. The flush is the caller's (one for the run).
func writeFile(d *project.Dir, p string, data []byte, perm fs.FileMode) error {
	return write(d, p, data, perm, false)
}

// write is writeFile; durable also flushes the file before the rename.
func write(d *project.Dir, p string, data []byte, perm fs.FileMode, durable bool) error {
	if err := d.CheckNoLinks(p); err != nil {
		return err
	}
	root := d.Root()
	if dir := path.Dir(p); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return err //nolint:wrapcheck // callers wrap it with the step's op and path, or the journal's name
		}
		if err := d.CheckNoLinks(dir); err != nil {
			return err
		}
	}
	tmp := tempName(p)
	_ = root.Remove(tmp)
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err //nolint:wrapcheck // callers wrap it with the step's op and path, or the journal's name
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm) // exact bits, whatever the umask
	}
	if err == nil && durable {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, p)
	}
	if err != nil {
		_ = root.Remove(tmp)
	}
	return err //nolint:wrapcheck // callers wrap it with the step's op and path, or the journal's name
}

// removeFile removes p; a missing file is fine (the step is idempotent).
func removeFile(d *project.Dir, p string) error {
	if err := d.CheckNoLinks(p); err != nil {
		return err
	}
	err := d.Root().Remove(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err //nolint:wrapcheck // the step wraps it with its op and path
}

// chmodFile sets p's permission bits.
func chmodFile(d *project.Dir, p string, perm fs.FileMode) error {
	if err := d.CheckNoLinks(p); err != nil {
		return err
	}
	return d.Root().Chmod(p, perm) //nolint:wrapcheck // the step wraps it with its op and path
}

// current reads p as it is now, for the journal's record of it.
func current(d *project.Dir, p string) (*Prev, error) {
	data, perm, err := d.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return &Prev{}, nil
	}
	if err != nil {
		return nil, err
	}
	return &Prev{Exists: true, Data: data, Perm: perm}, nil
}

// done reports whether a step's effect is already on disk (a resumed
// journal skips it).
func done(d *project.Dir, s Step) bool {
	data, perm, err := d.ReadFile(s.Path)
	switch s.Op {
	case OpRemove:
		return errors.Is(err, fs.ErrNotExist)
	case OpChmod:
		return err == nil && perm == s.Perm
	default: // OpWrite
		return err == nil && perm == s.Perm && bytes.Equal(data, s.Data)
	}
}

// pruneDirs removes the folders above p that are empty now, up to (not
// including) the project root and envgen's state folder.
func pruneDirs(d *project.Dir, p string) {
	for dir := path.Dir(p); dir != "." && dir != project.StateDir; dir = path.Dir(dir) {
		if !isEmptyDir(d, dir) {
			return
		}
		if err := d.Root().Remove(dir); err != nil {
			return
		}
	}
}

func isEmptyDir(d *project.Dir, dir string) bool {
	fi, err := d.Root().Lstat(dir)
	if err != nil || !fi.IsDir() {
		return false
	}
	f, err := d.Root().Open(dir)
	if err != nil {
		return false
	}
	defer f.Close() //nolint:errcheck // a folder opened to read one name: the close has nothing to lose
	_, err = f.Readdirnames(1)
	return errors.Is(err, io.EOF)
}
