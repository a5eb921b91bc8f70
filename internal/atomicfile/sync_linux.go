package atomicfile

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// syncAll flushes the file system holding the files with one syncfs(2):
// a single barrier instead of an fsync per file and per folder. It falls
// back to fsyncing each one where syncfs is refused.
func syncAll(files []string, dirs map[string]bool) error {
	f, err := os.Open(files[0])
	if err != nil {
		return fmt.Errorf("sync %s: %w", files[0], err)
	}
	defer f.Close() //nolint:errcheck // opened only for syncfs: the close has nothing left to lose
	if err := unix.Syncfs(int(f.Fd())); err == nil {
		return nil
	}
	return syncEach(files, dirs)
}
