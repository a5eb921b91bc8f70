// Package plan is envgen's one planner. It compares three states per file,
// as chezmoi does: the target (a fresh render), the actual state (the file
// on disk) and the last-written state (envgen.lock and the base copies),
// and returns what to do as a value. Init is the case "nothing written
// yet". sync, --check, --dry-run, diff and status all read the same plan;
// only sync hands it to the writer.
package plan

import (
	"io/fs"

	"github.com/envgen/envgen/internal/merge"
	"github.com/envgen/envgen/internal/project"
)

// Action is what applying a plan does to one file.
type Action string

const (
	// Unchanged leaves a file that already has the target content.
	Unchanged Action = "unchanged"
	// Create writes a file that does not exist yet.
	Create Action = "create"
	// Overwrite replaces a file in the way of init --force (backed up).
	Overwrite Action = "overwrite"
	// Update writes a new render over a file the user has not changed.
	Update Action = "update"
	// Merge writes the clean three-way merge of a local edit and a new render.
	Merge Action = "merge"
	// Conflict writes a merge with conflict markers.
	Conflict Action = "conflict"
	// Unresolved is a file still holding the markers of an earlier conflict.
	Unresolved Action = "unresolved"
	// Restore writes envgen's version back over a local edit or deletion
	// of what envgen owns; the user's version is backed up.
	Restore Action = "restore"
	// KeepLocal leaves a local edit that is the user's right alone.
	KeepLocal Action = "keep-local"
	// Delete removes a file the template no longer renders, unchanged
	// since envgen wrote it.
	Delete Action = "delete"
	// KeepObsolete leaves a file the template no longer renders because
	// the user edited it; envgen stops tracking it.
	KeepObsolete Action = "keep-obsolete"
	// Deleted records that the user deleted a merged or once file: it
	// stays deleted.
	Deleted Action = "deleted"
	// Chmod sets a file's executable bit to the template's.
	Chmod Action = "chmod"
)

// Drift classifies a change for sync --check (see the design decisions):
// an edit is the project differing from what envgen last wrote; behind
// is a newer render than what envgen last wrote, an upgrade on offer.
type Drift string

const (
	NoDrift Drift = ""
	Edited  Drift = "edited"
	Behind  Drift = "behind"
)

// Change is one file's step of a plan.
type Change struct {
	Path   string       `json:"path"`
	Action Action       `json:"action"`
	Mode   project.Mode `json:"mode"`
	Drift  Drift        `json:"drift,omitempty"`
	Size   int          `json:"size"`
	Exec   bool         `json:"exec,omitempty"`
	// Perm is the permission bits the file is written with.
	Perm fs.FileMode `json:"-"`
	// Detail says why, for people: "edited locally", "deleted locally".
	Detail string `json:"detail,omitempty"`
	// Conflicts names what both sides changed differently.
	Conflicts []merge.Conflict `json:"conflicts,omitempty"`
	// DefaultHint is the exact command that makes a kept state go away,
	// where there is one.
	Hint string `json:"hint,omitempty"`

	// Before is the file as it is (nil: absent); After what the change
	// leaves (nil with Remove: deleted).
	Before []byte `json:"-"`
	After  []byte `json:"-"`
	// Write, Remove and SetExec are what the writer does.
	Write   bool `json:"-"`
	Remove  bool `json:"-"`
	SetExec bool `json:"-"`
	// Backup keeps Before under the backup folder first.
	Backup bool `json:"backup,omitempty"`
	// LocalOnly: git ignores the file (secrets); it is never staged.
	LocalOnly bool `json:"local_only,omitempty"`
	// LocalEdit says Before holds work of the user's that envgen did not
	// write (what the uncommitted-changes guard asks about).
	LocalEdit bool `json:"-"`
	// Base is the new last-written content to keep under BaseDir, with
	// SetBase; DropBase removes the base copy.
	Base     []byte `json:"-"`
	SetBase  bool   `json:"-"`
	DropBase bool   `json:"-"`

	render []byte // the target content
}

// Changes reports whether applying the change touches the file.
func (c *Change) Changes() bool { return c.Write || c.Remove || c.SetExec }

// Diff returns the file as it is and as the change would leave it.
func (c *Change) Diff() (before, after []byte, ok bool) {
	switch {
	case c.Write:
		return c.Before, c.After, true
	case c.Remove:
		return c.Before, nil, true
	}
	return nil, nil, false
}

// Plan is what applying a target to a project would do, computed before
// anything is written.
type Plan struct {
	Changes []Change `json:"files"`
	// Lock is the envgen.lock the apply writes last.
	Lock *project.Lock `json:"-"`
	// Last is the lock the plan started from (nil for init).
	Last *project.Lock `json:"-"`
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

// Drifted returns the paths whose change is drift of kind d.
func (p *Plan) Drifted(d Drift) []string {
	var out []string
	for _, c := range p.Changes {
		if c.Drift == d {
			out = append(out, c.Path)
		}
	}
	return out
}

// Writes reports whether applying the plan changes anything on disk,
// envgen.lock included.
func (p *Plan) Writes() bool {
	for _, c := range p.Changes {
		if c.Changes() || c.SetBase || c.DropBase {
			return true
		}
	}
	if p.Last == nil || p.Last.Schema != p.Lock.MinSchema() {
		return true // a lock in another schema is rewritten in the one its content needs
	}
	a, errA := p.Last.Marshal()
	b, errB := p.Lock.Marshal()
	return errA != nil || errB != nil || string(a) != string(b)
}
