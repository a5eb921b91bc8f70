package generator

import (
	"strconv"

	"github.com/envgen/envgen/internal/project"
)

// Ownership modes, re-exported where templates are described.
const (
	Managed = project.Managed
	Merged  = project.Merged
	Once    = project.Once
)

// Mode is a file's ownership (see project.Mode).
type Mode = project.Mode

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
