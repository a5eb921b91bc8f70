package apply

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/envgen/envgen/internal/project"
)

// flush makes everything written to the project's file system durable
// with one syncfs(2): one barrier instead of an fsync per file and folder.
func flush(d *project.Dir, paths []string) error {
	f, err := d.Root().Open(".")
	if err != nil {
		return fmt.Errorf("syncfs: %w", err)
	}
	defer f.Close() //nolint:errcheck // opened only for syncfs: the close has nothing left to lose
	if err := unix.Syncfs(int(f.Fd())); err != nil {
		return flushEach(d, paths)
	}
	return nil
}
