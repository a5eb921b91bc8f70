//go:build !linux

package apply

import "github.com/envgen/envgen/internal/project"

func flush(d *project.Dir, paths []string) error { return flushEach(d, paths) }
