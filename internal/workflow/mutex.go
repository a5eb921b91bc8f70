package workflow

import (
	"errors"
	"fmt"
	"os"

	"github.com/envgen/envgen/internal/filelock"
	"github.com/envgen/envgen/internal/project"
)

// lockProject takes the project mutex (.envgen/lock), created through
// the project's os.Root. Only writers take it: read-only commands create
// nothing.
func lockProject(d *project.Dir) (*filelock.Lock, error) {
	if err := d.CheckState(); err != nil {
		return nil, err
	}
	if err := d.Root().MkdirAll(project.StateDir, 0o755); err != nil {
		return nil, fmt.Errorf("project mutex: %w", err)
	}
	if err := d.CheckState(); err != nil {
		return nil, err
	}
	f, err := d.Root().OpenFile(project.MutexFile, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("project mutex: %w", err)
	}
	held, err := filelock.TryLockFile(f)
	if errors.Is(err, filelock.ErrLocked) {
		return nil, &BusyError{Err: err}
	}
	return held, err
}
