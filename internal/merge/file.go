package merge

import (
	"path/filepath"
	"strings"
)

// File merges by the file's extension: .yml and .yaml as YAML, .json as
// JSON, anything else as Text; a YAML or JSON side that does not parse
// makes it Text too.
func File(name string, base, local, next []byte) Result {
	var merge func(base, local, next []byte) (Result, error)
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yml", ".yaml":
		merge = YAML
	case ".json":
		merge = JSON
	default:
		return Text(base, local, next)
	}
	if r, err := merge(base, local, next); err == nil {
		return r
	}
	return Text(base, local, next)
}
