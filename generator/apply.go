package generator

import (
	"fmt"
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

// apply carries out a plan: each file written atomically, a replaced file
// backed up first, merged files' base copies kept for sync, then one flush
// of them all, and the lock written last, so an interrupted apply never
// records a file it did not write.
func apply(p *Plan, now time.Time) (*Applied, error) {
	res := &Applied{}
	var batch atomicfile.Batch
	for _, c := range p.Changes {
		if c.Action == Overwrite {
			if res.BackupDir == "" {
				res.BackupDir = filepath.ToSlash(filepath.Join(BackupDir, now.UTC().Format("20060102T150405Z")))
			}
			if err := backup(&batch, p.Dir, res.BackupDir, c.Path); err != nil {
				return nil, err
			}
		}
		if c.Action != Unchanged {
			if err := batch.WriteFile(filepath.Join(p.Dir, filepath.FromSlash(c.Path)), c.file.Data, c.file.Perm); err != nil {
				return nil, err
			}
		}
		if c.Mode == Merged {
			base := filepath.Join(p.Dir, filepath.FromSlash(BaseDir), filepath.FromSlash(c.Path))
			if err := batch.WriteFile(base, c.file.Data, 0o644); err != nil {
				return nil, err
			}
		}
	}
	if err := batch.Sync(); err != nil {
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

func backup(batch *atomicfile.Batch, dir, backupDir, rel string) error {
	src := filepath.Join(dir, filepath.FromSlash(rel))
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("backing up %s: %w", rel, err)
	}
	fi, err := os.Stat(src)
	if err != nil {
		return err
	}
	dst := filepath.Join(dir, filepath.FromSlash(backupDir), filepath.FromSlash(rel))
	return batch.WriteFile(dst, data, fi.Mode().Perm())
}
