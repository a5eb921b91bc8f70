package atomicfile

import (
	"io/fs"
	"path/filepath"
	"sync"
)

// Batch writes many files, each atomically, and makes them durable together
// with one Sync. Flushing each file and its folder separately costs two
// disk round trips per file; a project of seventy files then spends most
// of its time waiting on the disk. What a batch guarantees is what envgen
// needs: every file is whole (old or new content, never half), and after
// Sync returns every file is on disk, so a record written after Sync (such
// as envgen.lock) never names a file that a crash could lose.
type Batch struct {
	mu    sync.Mutex
	files []string
	dirs  map[string]bool
}

// WriteFile atomically replaces name with data (see the package WriteFile),
// leaving the flush to Sync.
func (b *Batch) WriteFile(name string, data []byte, perm fs.FileMode) error {
	if err := write(name, bytesBody(data), perm, false); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dirs == nil {
		b.dirs = map[string]bool{}
	}
	b.files = append(b.files, name)
	b.dirs[filepath.Dir(name)] = true
	return nil
}

// Sync makes every file written through the batch, and its folder entry,
// durable.
func (b *Batch) Sync() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.files) == 0 {
		return nil
	}
	return syncAll(b.files, b.dirs)
}
