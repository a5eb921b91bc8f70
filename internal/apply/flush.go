package apply

import (
	"os"
	"path"

	"github.com/envgen/envgen/internal/project"
)

// flushEach is the portable flush: every file written and every folder
// that gained or lost an entry, one fsync each.
func flushEach(d *project.Dir, paths []string) error {
	dirs := map[string]bool{".": true}
	for _, p := range paths {
		dirs[path.Dir(p)] = true
		if err := fsync(d, p); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	for dir := range dirs {
		if err := fsync(d, dir); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

func fsync(d *project.Dir, p string) error {
	f, err := d.Root().Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
