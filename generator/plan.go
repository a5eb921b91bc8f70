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
)

// Change is one step of a plan.
type Change struct {
	Path   string `json:"path"`
	Action Action `json:"action"`
	Mode   Mode   `json:"mode"`
	Size   int    `json:"size"`

	file File
}

// Plan is what applying a target to a folder would do, computed before
// anything is written. --dry-run prints it; apply carries it out.
type Plan struct {
	Dir     string   `json:"dir"`
	Changes []Change `json:"files"`
	Lock    *Lock    `json:"-"`
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
		c := Change{Path: f.Path, Mode: f.Mode, Size: len(f.Data), file: f}
		if err := checkNoLinks(dir, f.Path); err != nil {
			return nil, err
		}
		existing, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			c.Action = Create
		case err != nil:
			return nil, err
		case bytes.Equal(existing, f.Data):
			c.Action = Unchanged
		default:
			c.Action = Overwrite
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
