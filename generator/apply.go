package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/envgen/envgen/internal/atomicfile"
)

// Applied reports what apply did beyond the plan itself.
type Applied struct {
	// BackupDir is where replaced user files were kept, if any were.
	BackupDir string `json:"backup_dir,omitempty"`
}

// stateIgnore keeps envgen's lock file and the backups of replaced user
// files (which may hold secrets) out of git; the base copies are meant to
// be committed so that every clone merges from the same base.
const stateIgnore = "# envgen's working files\n/lock\n/backup/\n"

// apply carries out a plan, the one write path of init and sync:
//  1. each project file written atomically (a replaced user file backed up
//     first) or removed, then one flush of them all;
//  2. the base copies of merged files, then a flush: written after the
//     files so that a crash never leaves a base newer than its file;
//  3. envgen.lock, last, so that it never records a write that did not happen.
//
// A crash at any point leaves a state from which the next sync finishes.
func apply(p *Plan, now time.Time) (*Applied, error) {
	res := &Applied{}
	var files, bases atomicfile.Batch
	for i := range p.Changes {
		c := &p.Changes[i]
		abs := filepath.Join(p.Dir, filepath.FromSlash(c.Path))
		if c.backup {
			if res.BackupDir == "" {
				res.BackupDir = filepath.ToSlash(filepath.Join(BackupDir, now.UTC().Format("20060102T150405Z")))
			}
			c.Backup = res.BackupDir + "/" + c.Path
			if err := backup(&files, p.Dir, c.Backup, c.Path); err != nil {
				return nil, err
			}
		}
		if p.beforeWrite != nil && (c.write || c.remove) {
			if err := p.beforeWrite(c.Path); err != nil {
				return nil, err
			}
		}
		switch {
		case c.write:
			if err := files.WriteFile(abs, c.data, c.perm); err != nil {
				return nil, err
			}
		case c.remove:
			if err := os.Remove(abs); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
		}
	}
	if err := files.Sync(); err != nil {
		return nil, err
	}

	for _, c := range p.Changes {
		base := filepath.Join(p.Dir, filepath.FromSlash(BaseDir), filepath.FromSlash(c.Path))
		switch {
		case c.setBase:
			if err := bases.WriteFile(base, c.base, 0o644); err != nil {
				return nil, err
			}
		case c.remove || c.Action == KeepObsolete: // no longer tracked: no base either
			if err := os.Remove(base); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
		}
	}
	ignore := filepath.Join(p.Dir, StateDir, ".gitignore")
	if _, err := os.Stat(ignore); errors.Is(err, fs.ErrNotExist) {
		if err := bases.WriteFile(ignore, []byte(stateIgnore), 0o644); err != nil {
			return nil, err
		}
	}
	if err := bases.Sync(); err != nil {
		return nil, err
	}

	data, err := p.Lock.Marshal()
	if err != nil {
		return nil, err
	}
	if err := atomicfile.WriteFile(filepath.Join(p.Dir, LockFile), data, 0o644); err != nil {
		return nil, err
	}
	return res, nil
}

// backup copies a project file to dst (relative to the project) before
// envgen replaces it.
func backup(batch *atomicfile.Batch, dir, dst, rel string) error {
	src := filepath.Join(dir, filepath.FromSlash(rel))
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("backing up %s: %w", rel, err)
	}
	fi, err := os.Stat(src)
	if err != nil {
		return err
	}
	return batch.WriteFile(filepath.Join(dir, filepath.FromSlash(dst)), data, fi.Mode().Perm())
}
