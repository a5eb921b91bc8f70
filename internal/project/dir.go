package project

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// Dir is a project folder opened for envgen: every read and write goes
// through an os.Root, so nothing envgen does follows a path or a symbolic
// link out of the folder, and reads refuse links inside it too (a lock
// entry or a starter path through a committed link is not followed).
type Dir struct {
	Path string // absolute
	root *os.Root
}

// MaxFileSize bounds what envgen reads of a project file.
const MaxFileSize = 64 << 20

// OpenDir opens an existing project folder. It creates nothing.
func OpenDir(abs string) (*Dir, error) {
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, fmt.Errorf("project folder: %w", err)
	}
	return &Dir{Path: abs, root: root}, nil
}

// Root is the folder's os.Root, for the one writer.
func (d *Dir) Root() *os.Root { return d.root }

// Close releases the folder.
func (d *Dir) Close() error {
	if err := d.root.Close(); err != nil {
		return fmt.Errorf("project folder %s: %w", d.Path, err)
	}
	return nil
}

// LinkError means a project path runs through a symbolic link.
type LinkError struct{ Path string }

func (e *LinkError) Error() string {
	return e.Path + ": is or runs through a symbolic link; envgen neither reads nor writes through links"
}

// Hint says how to go on.
func (e *LinkError) Hint() string {
	return "replace the link with a real file or folder, or remove it, then run envgen again"
}

// ExitCode is 2: the project's state is refused before any work.
func (e *LinkError) ExitCode() int { return 2 }

// CheckNoLinks refuses a relative path any of whose elements is a
// symbolic link. A missing element ends the check: nothing below it exists.
func (d *Dir) CheckNoLinks(rel string) error {
	parts := strings.Split(rel, "/")
	for i := range parts {
		p := path.Join(parts[:i+1]...)
		fi, err := d.root.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("check %s for links: %w", rel, err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return &LinkError{Path: p}
		}
		if i < len(parts)-1 && !fi.IsDir() {
			return nil // a file where a folder should be: the read fails as absent
		}
	}
	return nil
}

// ReadFile reads a project file (slash-separated, relative) and its
// permission bits. A missing file is an error wrapping fs.ErrNotExist.
func (d *Dir) ReadFile(rel string) ([]byte, fs.FileMode, error) {
	if err := d.CheckNoLinks(rel); err != nil {
		return nil, 0, err
	}
	f, err := d.root.Open(rel)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || isNotDir(err) {
			return nil, 0, fs.ErrNotExist
		}
		return nil, 0, fmt.Errorf("read %s: %w", rel, err)
	}
	defer f.Close() //nolint:errcheck // read-only: a failed close loses nothing
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", rel, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%s: not a regular file", rel)
	}
	if fi.Size() > MaxFileSize {
		return nil, 0, fmt.Errorf("%s: %d bytes, more than envgen reads (%d)", rel, fi.Size(), MaxFileSize)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", rel, err)
	}
	return data, fi.Mode().Perm(), nil
}

// ReadBase reads the last-written content envgen keeps for a file.
func (d *Dir) ReadBase(rel string) ([]byte, error) {
	data, _, err := d.ReadFile(BaseDir + "/" + rel)
	return data, err
}

// Exists reports whether a project path exists (without following links).
func (d *Dir) Exists(rel string) bool {
	_, err := d.root.Lstat(rel)
	return err == nil
}

// ReadLock reads and validates envgen.lock.
func (d *Dir) ReadLock() (*Lock, error) {
	if err := d.CheckState(); err != nil {
		return nil, err
	}
	data, _, err := d.ReadFile(LockFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", d.Path, ErrNoLock)
	}
	if err != nil {
		return nil, err
	}
	return ParseLock(data)
}

// CheckState refuses envgen's own state when any part of it is a
// symbolic link: a committed link there would send base copies, backups
// or the mutex out of the project.
func (d *Dir) CheckState() error {
	for _, p := range []string{LockFile, StateDir, BaseDir, BackupDir, MutexFile, JournalFile, StateIgnoreFile} {
		fi, err := d.root.Lstat(p)
		if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return &LinkError{Path: p}
		}
	}
	return nil
}

func isNotDir(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "not a directory")
}

// ReadLock reads and validates the envgen.lock of the project in dir.
func ReadLock(dir string) (*Lock, error) {
	d, err := OpenDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", dir, ErrNoLock)
	}
	if err != nil {
		return nil, err
	}
	defer d.Close() //nolint:errcheck // read-only: a failed close loses nothing
	return d.ReadLock()
}
