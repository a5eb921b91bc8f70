// Package filelock takes an exclusive, non-blocking lock on a file, so that
// two envgen processes never work on the same project at once. The lock is
// the operating system's (flock on Unix): a crashed process cannot leave
// it behind.
package filelock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrLocked means another process holds the lock.
var ErrLocked = errors.New("locked by another process")

// Lock is a held lock.
type Lock struct {
	f *os.File
}

// TryLock takes the lock on path (created if missing) or fails at once with
// an error wrapping ErrLocked that names the holder's process id.
func TryLock(path string) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil { //nolint:gosec // G301: the lock's folder is the caller's (a project's .envgen/), readable like the project
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644) //nolint:gosec // G302, G304: the caller's lock file; 0644 as the project mutex, so that others can read the holder's pid
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return TryLockFile(f)
}

// TryLockFile takes the lock on an open file (opened by the caller, for
// example through an os.Root), closing it if the lock is refused.
func TryLockFile(f *os.File) (*Lock, error) {
	if err := lockFile(f); err != nil {
		holder := make([]byte, 32)
		n, _ := f.ReadAt(holder, 0)
		holder = holder[:n]
		_ = f.Close()
		if errors.Is(err, ErrLocked) {
			if pid := strings.TrimSpace(string(holder)); pid != "" {
				return nil, &HeldError{PID: pid}
			}
		}
		return nil, err
	}
	// The pid is informational only: the kernel's lock is what counts.
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &Lock{f: f}, nil
}

// Unlock releases the lock.
func (l *Lock) Unlock() error {
	_ = unlockFile(l.f)
	if err := l.f.Close(); err != nil {
		return fmt.Errorf("unlock %s: %w", l.f.Name(), err)
	}
	return nil
}

// HeldError names the process holding the lock.
type HeldError struct{ PID string }

func (e *HeldError) Error() string { return "locked by another process (pid " + e.PID + ")" }
func (e *HeldError) Unwrap() error { return ErrLocked }
