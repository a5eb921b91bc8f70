package plan

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/envgen/envgen/internal/lintfloor"
	"github.com/envgen/envgen/internal/merge"
	"github.com/envgen/envgen/internal/project"
	"github.com/envgen/envgen/internal/regions"
)

// decideInit is init's rule: nothing was written yet, so a file is either
// absent (create), already right (unchanged), or in the way (overwrite,
// only with --force, after a backup).
func decideInit(s fileState) (Change, project.LockedFile) {
	c := newChange(s)
	e := newEntry(s)
	switch {
	case !s.exists:
		c.write(Create, NoDrift, "")
	case bytes.Equal(s.disk, s.f.Data):
		c.Action = Unchanged
		c.checkExec(s)
	default:
		c.write(Overwrite, NoDrift, "existed before init: replaced, your version backed up")
		c.Backup, c.LocalEdit = true, true
	}
	c.keepBase(s, true)
	return c, e
}

// decide is sync's rule for one rendered file. The comments name the
// row of the table in the README ("Keeping a project in sync").
func decide(s fileState) (Change, project.LockedFile) {
	c := newChange(s)
	e := newEntry(s)
	switch {
	case !s.exists:
		decideAbsent(s, &c, &e)
	case !s.tracked || s.last.Deleted && s.f.Mode != project.Managed:
		decideUntracked(s, &c, &e)
	case bytes.Equal(s.disk, s.f.Data):
		c.Action = Unchanged
		c.keepBase(s, s.renderChanged() || !s.hasBase)
		if s.f.Mode == project.Once {
			e.Hash = s.last.Hash
			if !s.localChanged() {
				e.Hash = s.f.Hash()
			}
		}
	default:
		switch s.f.Mode {
		case project.Once:
			decideOnce(s, &c, &e)
		case project.Managed:
			if s.f.Floor {
				decideFloor(s, &c, &e)
			} else {
				decideManaged(s, &c, &e)
			}
		default:
			decideMerged(s, &c, &e)
		}
	}
	if !c.Remove {
		c.checkExec(s)
	}
	return c, e
}

// decideAbsent: the file is not on disk.
func decideAbsent(s fileState, c *Change, e *project.LockedFile) {
	switch {
	case !s.tracked:
		drift := Behind
		if s.f.LocalOnly {
			drift = NoDrift
		}
		c.write(Create, drift, "new in the template")
	case s.f.LocalOnly:
		// Git-ignored (secrets): absent in every fresh clone by design.
		// The committed lock keeps the hash it has: fresh secrets on this
		// machine must not show as a change to envgen.lock in git.
		c.write(Create, NoDrift, "git-ignored, so absent in a clone: created")
		e.Hash = s.last.Hash
	case s.last.Deleted && s.f.Mode != project.Managed:
		c.Action = Unchanged
		e.Deleted, e.Hash = true, s.last.Hash
		return
	case s.f.Mode == project.Managed:
		c.write(Restore, Edited, "deleted locally; envgen manages it")
	default:
		c.Action, c.Drift, c.Detail = Deleted, Edited, "deleted locally: stays deleted (recorded in "+project.LockFile+")"
		c.Hint = "git checkout -- " + s.f.Path + " to get it back, or envgen sync to record the deletion"
		e.Deleted, e.Hash = true, s.last.Hash
		c.DropBase = s.f.Mode.KeepsBase()
		return
	}
	c.keepBase(s, true)
}

// decideUntracked: a file is there that envgen did not write (or that the
// user deleted and brought back).
func decideUntracked(s fileState, c *Change, e *project.LockedFile) {
	switch {
	case s.tracked && s.last.Deleted && !bytes.Equal(s.disk, s.f.Data):
		c.Action, c.Detail = KeepLocal, "deleted earlier, now back: kept as yours"
	case bytes.Equal(s.disk, s.f.Data):
		c.Action = Unchanged
	case s.f.Mode == project.Managed:
		c.write(Restore, Behind, "a file envgen did not write was there: replaced, your version backed up")
		c.Backup, c.LocalEdit = true, true
	case s.f.Mode == project.Once:
		c.Action, c.Detail = KeepLocal, "new in the template, but a file of yours is there: kept"
	default:
		// Both added the file: there is no base to merge from.
		c.LocalEdit = true
		c.merged(s, merge.File(s.f.Path, nil, s.disk, s.f.Data))
	}
	c.keepBase(s, true)
}

// decideOnce: a once file is the user's outside its managed regions.
func decideOnce(s fileState, c *Change, e *project.LockedFile) {
	e.Hash = s.last.Hash
	out, changed, missing, err := regions.Apply(s.disk, s.f.Data)
	switch {
	case err != nil:
		c.Action, c.Drift = KeepLocal, Edited
		c.Detail = "managed regions are broken (" + err.Error() + "): fix the envgen:begin/end markers"
		return
	case len(changed) > 0:
		drift, detail := Behind, "regions updated: "+strings.Join(changed, ", ")
		if !s.renderChanged() {
			drift, detail = Edited, "edited inside envgen's regions ("+strings.Join(changed, ", ")+"): restored, your version backed up"
			c.Backup = true
		} else if s.localChanged() {
			c.Backup = true
		}
		c.Action, c.Drift, c.Detail, c.Write, c.After = Update, drift, detail, true, out
		if drift == Edited {
			c.Action = Restore
		}
		c.LocalEdit = s.localChanged()
		c.Size = len(out)
		if !s.localChanged() && bytes.Equal(out, s.f.Data) {
			e.Hash = s.f.Hash()
		} else {
			e.Hash = project.HashBytes(out)
		}
	case s.localChanged():
		c.Action, c.Detail = KeepLocal, "yours since init"
	default:
		c.Action = Unchanged
	}
	if len(missing) > 0 && c.Action != Restore {
		c.Detail = strings.TrimPrefix(c.Detail+"; regions removed by you, left alone: "+strings.Join(missing, ", "), "; ")
	}
}

// decideManaged: envgen's file. A local edit is drift, restored; a
// comment or layout edit of YAML or JSON is not.
func decideManaged(s fileState, c *Change, e *project.LockedFile) {
	switch {
	case !s.localChanged():
		c.write(Update, Behind, "")
	case structured(s.f.Path) && s.hasBase && merge.SameValue(s.disk, s.base):
		if !s.renderChanged() {
			c.Action, c.Detail = KeepLocal, "comments or layout edited only: kept"
			e.Hash = s.last.Hash
			break
		}
		res := merge.File(s.f.Path, s.base, s.disk, s.f.Data)
		if res.Clean() && merge.SameValue(res.Data, s.f.Data) {
			c.write(Update, Behind, "updated, your comments kept")
			c.After, c.Size = res.Data, len(res.Data)
			e.Hash = project.HashBytes(res.Data)
		} else {
			c.write(Update, Behind, "updated; your comments could not be kept: your version backed up")
			c.Backup = true
		}
	default:
		c.write(Restore, Edited, "edited locally; envgen manages it: restored, your version backed up")
		c.Backup, c.LocalEdit = true, true
	}
	c.keepBase(s, true)
}

// decideFloor: a policy file whose entries are a floor: required entries
// restored, silencers removed, the user's harmless additions kept.
func decideFloor(s fileState, c *Change, e *project.LockedFile) {
	res, err := lintfloor.Apply(s.baseOrNil(), s.disk, s.f.Data)
	c.keepBase(s, true)
	switch {
	case err != nil:
		c.write(Restore, Edited, "not valid YAML any more: restored, your version backed up")
		c.Backup, c.LocalEdit = true, true
		return
	case bytes.Equal(res.Data, s.disk):
		c.Action, c.Detail = KeepLocal, "your additions are kept; every required entry is there"
		e.Hash = project.HashBytes(s.disk)
		return
	}
	var why []string
	for _, v := range res.Violations {
		why = append(why, fmt.Sprintf("%s silences %s (%s)", v.Key, v.Rule, v.Detail))
	}
	for _, r := range res.Restored {
		why = append(why, "restored "+r)
	}
	data := res.Data
	if len(why) > 0 && merge.SameValue(data, s.f.Data) {
		// Nothing of the user's is left to keep: the policy's exact
		// bytes, not a splice of them into the edited text.
		data = s.f.Data
	}
	c.Write, c.After, c.Size = true, data, len(data)
	e.Hash = project.HashBytes(data)
	if len(why) > 0 {
		c.Action, c.Drift = Restore, Edited
		c.Detail = strings.Join(why, "; ") + "; your other additions kept"
		c.Backup, c.LocalEdit = true, true
		return
	}
	c.Action, c.Drift, c.Detail = Update, Behind, "policy updated; your additions kept"
	c.Backup, c.LocalEdit = s.localChanged(), s.localChanged()
}

// decideMerged: a shared file; the template's changes merge with the
// user's.
func decideMerged(s fileState, c *Change, e *project.LockedFile) {
	switch {
	case s.localChanged() && merge.HasMarkers(s.disk):
		c.Action, c.Drift = Unresolved, Edited
		c.Detail = "conflict markers from an earlier sync: resolve them"
		c.Hint = "resolve the <<<<<<< local / ||||||| base / ======= / >>>>>>> envgen markers in " + s.f.Path + ", then run envgen sync"
		e.Hash = s.last.Hash
		return
	case !s.localChanged():
		c.write(Update, Behind, "")
	case !s.renderChanged():
		c.Action, c.Detail = KeepLocal, "edited locally"
		e.Hash = s.last.Hash
	default:
		c.LocalEdit = true
		c.merged(s, mergeFile(s.f.Path, s.baseOrNil(), s.disk, s.f.Data))
	}
	c.keepBase(s, true)
}

func newChange(s fileState) Change {
	return Change{Path: s.f.Path, Mode: s.f.Mode, Size: len(s.f.Data), Exec: s.f.Exec(), Perm: s.f.Perm, LocalOnly: s.f.LocalOnly, Before: s.disk, render: s.f.Data}
}

func newEntry(s fileState) project.LockedFile {
	return project.LockedFile{Path: s.f.Path, Mode: s.f.Mode, Hash: s.f.Hash(), Exec: s.f.Exec()}
}

// write makes the change write the render.
func (c *Change) write(a Action, d Drift, detail string) {
	c.Action, c.Drift, c.Detail = a, d, detail
	c.Write = true
	c.After = c.render
}

// merged writes a merge result.
func (c *Change) merged(s fileState, res merge.Result) {
	c.Write, c.After, c.Size, c.Drift = true, res.Data, len(res.Data), Behind
	if res.Clean() {
		c.Action, c.Detail = Merge, "your edits and the template's, merged"
		return
	}
	c.Action, c.Conflicts = Conflict, res.Conflicts
	var where []string
	for _, k := range res.Conflicts {
		where = append(where, k.Path)
	}
	c.Detail = "both changed the same thing differently (" + strings.Join(where, ", ") + "): resolve the markers"
	c.Hint = "resolve the <<<<<<< local / ||||||| base / ======= / >>>>>>> envgen markers in " + s.f.Path + ", then run envgen sync"
}

// keepBase records the render as the new base of a file that keeps one.
func (c *Change) keepBase(s fileState, when bool) {
	switch {
	case s.f.Mode.KeepsBase() && when:
		c.Base, c.SetBase = s.f.Data, true
	case !s.f.Mode.KeepsBase() && s.tracked && s.last.Mode.KeepsBase():
		c.DropBase = true
	}
}

// checkExec makes the executable bit follow the template.
func (c *Change) checkExec(s fileState) {
	if !s.exists || c.Write || s.diskExec == s.f.Exec() {
		return
	}
	c.SetExec = true
	drift := Behind
	if s.knowsExec && s.tracked && s.diskExec != s.last.Exec {
		drift = Edited
	}
	if c.Drift != Edited {
		c.Drift = drift
	}
	if c.Action == Unchanged || c.Action == KeepLocal {
		c.Action = Chmod
	}
	what := "executable bit cleared"
	if s.f.Exec() {
		what = "executable bit set"
	}
	c.Detail = strings.TrimPrefix(c.Detail+"; "+what, "; ")
}
