//go:build !linux

package atomicfile

func syncAll(files []string, dirs map[string]bool) error { return syncEach(files, dirs) }
