package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Action is what applying a plan does to one file.
type Action string

const (
	// Create writes a file that does not exist yet.
	Create Action = "create"
	// Overwrite replaces an existing file with other content; the old
	// content is backed up first.
	Overwrite Action = "overwrite"
	// Unchanged leaves a file that already has the target content.
	Unchanged Action = "unchanged"
	// Update writes a new render over a file the user has not changed.
	Update Action = "update"
	// Merge writes the clean three-way merge of a local edit and a new render.
	Merge Action = "merge"
	// Conflict writes a merge with conflict markers: both sides changed
	// the same lines or keys differently.
	Conflict Action = "conflict"
	// Unresolved is a file still holding the markers of an earlier conflict.
	Unresolved Action = "unresolved"
	// Restore writes envgen's version of a managed file back over a local
	// edit or deletion; the user's version is kept as a backup.
	Restore Action = "restore"
	// KeepLocal leaves a local edit of a merged or once file alone.
	KeepLocal Action = "keep-local"
	// Delete removes a file the template no longer renders, unchanged since
	// envgen wrote it.
	Delete Action = "delete"
	// KeepObsolete leaves a file the template no longer renders because the
	// user edited it; envgen stops tracking it.
	KeepObsolete Action = "keep-obsolete"
	// Deleted records that the user deleted a merged or once file: it stays
	// deleted.
	Deleted Action = "deleted"
)

// IsDrift reports whether the action means the project differs from what
// its inputs render: what sync --check fails on. A kept local edit of a
// merged or once file is the user's right, not drift.
func (a Action) IsDrift() bool {
	switch a {
	case Unchanged, KeepLocal:
		return false
	}
	return true
}

// Change is one step of a plan.
type Change struct {
	Path   string `json:"path"`
	Action Action `json:"action"`
	Mode   Mode   `json:"mode"`
	Size   int    `json:"size"`
	// Detail says why, for people: "edited locally", "deleted locally".
	Detail string `json:"detail,omitempty"`
	// Backup is where the user's version was kept, when it was replaced.
	Backup string `json:"backup,omitempty"`

	write   bool   // write data to the file
	data    []byte // what to write
	base    []byte // the new merge base of a merged file, when write or record changes it
	setBase bool
	backup  bool   // keep the current file under the backup folder first
	remove  bool   // delete the file (and its base copy)
	old     []byte // the file as it is on disk, for diffs
	perm    fs.FileMode
}

// Diff returns the file as it is and as the change would leave it.
func (c Change) Diff() (before, after []byte, changes bool) {
	switch {
	case c.write:
		return c.old, c.data, true
	case c.remove:
		return c.old, nil, true
	}
	return nil, nil, false
}

// Plan is what applying a target to a folder would do, computed before
// anything is written. --dry-run prints it; apply carries it out.
type Plan struct {
	Dir     string   `json:"dir"`
	Changes []Change `json:"files"`
	Lock    *Lock    `json:"-"`

	// beforeWrite, when set, runs before each file write or removal; tests
	// make it fail to stop an apply half way, as a crash would.
	beforeWrite func(path string) error
}

// Count returns how many changes have the action.
func (p *Plan) Count(a Action) int {
	n := 0
	for _, c := range p.Changes {
		if c.Action == a {
			n++
		}
	}
	return n
}

// planInit compares a fresh render with the folder. Without force, a file
// that exists with other content stops the plan: init never overwrites a
// user's file unless told to, and then keeps a backup.
func planInit(dir string, t *Target, lock *Lock, force bool) (*Plan, error) {
	if _, err := os.Stat(filepath.Join(dir, LockFile)); err == nil && !force {
		return nil, &InputError{
			Subject: dir,
			Problem: "already an envgen project (" + LockFile + " exists)",
			Hint:    "run envgen sync to bring it up to date, or envgen init --force to render it anew",
		}
	}
	plan := &Plan{Dir: dir, Lock: lock}
	var clashes []string
	for _, f := range t.Files {
		c := Change{Path: f.Path, Mode: f.Mode, Size: len(f.Data), data: f.Data, perm: f.Perm}
		if f.Mode == Merged {
			c.base, c.setBase = f.Data, true
		}
		if err := checkNoLinks(dir, f.Path); err != nil {
			return nil, err
		}
		existing, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			c.Action, c.write = Create, true
		case err != nil:
			return nil, err
		case bytes.Equal(existing, f.Data):
			c.Action = Unchanged
		default:
			c.Action, c.write, c.backup, c.old = Overwrite, true, true, existing
			clashes = append(clashes, f.Path)
		}
		plan.Changes = append(plan.Changes, c)
	}
	if len(clashes) > 0 && !force {
		return nil, &ExistingFilesError{Dir: dir, Paths: clashes}
	}
	return plan, nil
}

// checkNoLinks refuses a path whose parent folders (inside the project)
// include a symbolic link: writing through it could land outside the
// project. The file itself may not be a link either.
func checkNoLinks(dir, rel string) error {
	parts := strings.Split(rel, "/")
	cur := dir
	for _, part := range parts {
		cur = filepath.Join(cur, part)
		fi, err := os.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s: is a symbolic link; envgen does not write through links", cur)
		}
	}
	return nil
}
