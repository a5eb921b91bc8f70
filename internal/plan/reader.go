package plan

import "io/fs"

// Reader is the project as it is, read-only: the planner sees the disk
// only through it (and the writer's containment rules hold for reads
// too: a path through a symbolic link is refused, not followed).
type Reader interface {
	// ReadFile returns a project file and its permission bits, or an
	// error wrapping fs.ErrNotExist.
	ReadFile(rel string) ([]byte, fs.FileMode, error)
	// ReadBase returns the last-written content kept under BaseDir, or an
	// error wrapping fs.ErrNotExist.
	ReadBase(rel string) ([]byte, error)
}
