package generator

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
)

// planSync compares three states per file, as chezmoi does: the new
// render (target), the file on disk (actual), and what envgen last wrote
// (the old lock and the merged files' base copies). It reads only the
// files the lock or the render names, so its cost follows the number of
// files envgen manages, not the size of the repository.
func planSync(dir string, t *Target, old, next *Lock) (*Plan, error) {
	locked := make(map[string]LockedFile, len(old.Files))
	for _, lf := range old.Files {
		locked[lf.Path] = lf
	}
	plan := &Plan{Dir: dir, Lock: next}
	next.Files = nil
	rendered := make(map[string]bool, len(t.Files))

	for _, f := range t.Files {
		rendered[f.Path] = true
		if err := checkNoLinks(dir, f.Path); err != nil {
			return nil, err
		}
		disk, exists, err := readProjectFile(dir, f.Path)
		if err != nil {
			return nil, err
		}
		le, tracked := locked[f.Path]
		c, entry, err := decide(dir, f, disk, exists, le, tracked)
		if err != nil {
			return nil, err
		}
		plan.Changes = append(plan.Changes, c)
		next.Files = append(next.Files, entry)
	}

	// Files envgen wrote that the render no longer produces.
	for _, lf := range old.Files {
		if rendered[lf.Path] || lf.Deleted {
			continue
		}
		disk, exists, err := readProjectFile(dir, lf.Path)
		if err != nil {
			return nil, err
		}
		if !exists {
			continue
		}
		c := Change{Path: lf.Path, Mode: lf.Mode, Size: len(disk), old: disk}
		if HashBytes(disk) == lf.Hash {
			c.Action, c.remove, c.Detail = Delete, true, "no longer rendered"
		} else {
			c.Action, c.Detail = KeepObsolete, "no longer rendered, but edited locally: kept, no longer tracked"
		}
		plan.Changes = append(plan.Changes, c)
	}
	sort.Slice(plan.Changes, func(i, j int) bool { return plan.Changes[i].Path < plan.Changes[j].Path })
	sort.Slice(next.Files, func(i, j int) bool { return next.Files[i].Path < next.Files[j].Path })
	return plan, nil
}

// decide is the per-file rule of sync: what to do with one rendered file,
// and what the new lock records for it. For managed and once files the
// lock's hash is what envgen wrote; for merged files it is envgen's render,
// the base the next three-way merge starts from.
func decide(dir string, f File, disk []byte, exists bool, le LockedFile, tracked bool) (Change, LockedFile, error) {
	c := Change{Path: f.Path, Mode: f.Mode, Size: len(f.Data), perm: f.Perm, old: disk}
	entry := LockedFile{Path: f.Path, Mode: f.Mode, Hash: f.Hash()}
	writeRender := func(a Action, detail string) {
		c.Action, c.Detail, c.write, c.data = a, detail, true, f.Data
		if f.Mode == Merged {
			c.base, c.setBase = f.Data, true
		}
	}
	keep := func(a Action, detail string) {
		c.Action, c.Detail = a, detail
		entry.Hash = le.Hash
	}
	localChanged := exists && tracked && HashBytes(disk) != le.Hash
	renderChanged := !tracked || f.Hash() != le.Hash

	switch {
	case exists && bytes.Equal(disk, f.Data):
		c.Action = Unchanged
		if f.Mode == Merged && (renderChanged || !baseExists(dir, f.Path)) {
			c.base, c.setBase = f.Data, true
		}

	case !tracked && !exists:
		writeRender(Create, "new in the template")

	case !tracked: // a file envgen never wrote is in the way
		switch f.Mode {
		case Managed:
			writeRender(Restore, "existed before envgen managed it")
			c.backup = true
		case Once:
			c.Action, c.Detail = KeepLocal, "new in the template, but a file of yours is there: kept"
		default:
			return mergeInto(c, entry, f, nil, disk)
		}

	case le.Deleted && f.Mode != Managed:
		if exists {
			keep(KeepLocal, "deleted earlier, now back: kept as yours")
			entry.Hash = f.Hash()
			return c, entry, nil
		}
		c.Action = Unchanged
		entry.Deleted, entry.Hash = true, le.Hash

	case !exists && f.Mode == Managed:
		writeRender(Restore, "deleted locally; envgen manages it")

	case !exists:
		c.Action, c.Detail = Deleted, "deleted locally: stays deleted"
		entry.Deleted, entry.Hash = true, le.Hash

	case f.Mode == Once:
		if localChanged {
			keep(KeepLocal, "yours since init")
		} else {
			keep(Unchanged, "")
		}

	case f.Mode == Managed && f.Floor:
		// The render is a floor: its entries are laid over the file,
		// whatever the user added stays.
		want, err := floorYAML(f.Data, disk)
		if err != nil {
			writeRender(Restore, "not valid YAML any more: restored")
			c.backup = true
			return c, entry, nil
		}
		entry.Hash = HashBytes(want)
		switch {
		case bytes.Equal(want, disk):
			c.Action, c.Detail = KeepLocal, "your additions are kept; every required entry is there"
		case !localChanged:
			c.Action, c.Detail, c.write, c.data = Update, "policy updated", true, want
		case !renderChanged:
			c.Action, c.Detail, c.write, c.data, c.backup = Restore, "required entries restored; your additions kept", true, want, true
		default:
			c.Action, c.Detail, c.write, c.data, c.backup = Update, "policy updated, required entries restored; your additions kept", true, want, true
		}

	case f.Mode == Managed && localChanged:
		writeRender(Restore, "edited locally; envgen manages it")
		c.backup = true

	case !localChanged:
		writeRender(Update, "")

	case hasConflictMarkers(disk):
		keep(Unresolved, "conflict markers from an earlier sync: resolve them")

	case !renderChanged:
		keep(KeepLocal, "edited locally")

	default: // merged, changed on both sides
		base, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(BaseDir), filepath.FromSlash(f.Path)))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return c, entry, err
		}
		return mergeInto(c, entry, f, base, disk)
	}
	return c, entry, nil
}

// mergeInto three-way merges the file: by key for YAML and JSON, by line
// otherwise, with markers where both sides changed the same thing.
func mergeInto(c Change, entry LockedFile, f File, base, disk []byte) (Change, LockedFile, error) {
	merged, clean := mergeFile(f.Path, base, disk, f.Data)
	c.write, c.data, c.Size = true, merged, len(merged)
	c.base, c.setBase = f.Data, true
	if clean {
		c.Action, c.Detail = Merge, "your edits and the template's, merged"
	} else {
		c.Action, c.Detail = Conflict, "both changed the same lines: resolve the markers"
	}
	return c, entry, nil
}

func mergeFile(name string, base, local, next []byte) ([]byte, bool) {
	switch path.Ext(name) {
	case ".yml", ".yaml", ".json":
		if merged, err := mergeYAML(base, local, next, path.Ext(name) == ".json"); err == nil {
			return merged, true
		}
	}
	return mergeLines(base, local, next)
}

func readProjectFile(dir, rel string) ([]byte, bool, error) {
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	return data, err == nil, err
}

func baseExists(dir, rel string) bool {
	_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(BaseDir), filepath.FromSlash(rel)))
	return err == nil
}
