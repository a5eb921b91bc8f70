package apply

import (
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/envgen/envgen/internal/project"
)

// flushEach is the portable flush: every file written and every folder
// that gained or lost an entry, one fsync each.
func flushEach(d *project.Dir, paths []string) error {
	dirs := map[string]bool{".": true}
	for _, p := range paths {
		dirs[path.Dir(p)] = true
		if err := fsync(d, p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	for dir := range dirs {
		if err := fsync(d, dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

func fsync(d *project.Dir, p string) error {
	f, err := d.Root().Open(p)
	if err != nil {
		return fmt.Errorf("fsync: %w", err)
	}
	defer f.Close() //nolint:errcheck // opened only to fsync: the close has nothing left to lose
	if err := f.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", p, err)
	}
	return nil
}
