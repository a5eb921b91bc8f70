package merge

import "path"

// Conflict is one place both sides changed differently.
type Conflict struct {
	Path   string `json:"path"`
	Detail string `json:"detail"`
}

// Result is a three-way merge.
type Result struct {
	Data      []byte
	Conflicts []Conflict
}

// Clean reports whether the merge has no conflicts.
func (r Result) Clean() bool { return len(r.Conflicts) == 0 }

// Text merges line by line.
func Text(base, local, next []byte) Result {
	data, clean := mergeLines(base, local, next)
	r := Result{Data: data}
	if !clean {
		r.Conflicts = []Conflict{{Path: "lines", Detail: "changed differently on both sides"}}
	}
	return r
}

// File merges by the file's kind.
func File(name string, base, local, next []byte) Result {
	switch path.Ext(name) {
	case ".yml", ".yaml", ".json":
		if merged, err := mergeYAML(base, local, next, path.Ext(name) == ".json"); err == nil {
			return Result{Data: merged}
		}
	}
	return Text(base, local, next)
}

// HasMarkers reports whether data still holds conflict markers.
func HasMarkers(data []byte) bool { return hasConflictMarkers(data) }

// SameValue reports whether two YAML/JSON documents hold the same value.
func SameValue(a, b []byte) bool {
	x, err := parseYAML(a)
	if err != nil {
		return false
	}
	y, err := parseYAML(b)
	if err != nil {
		return false
	}
	return nodesEqual(x, y)
}

// FloorLegacy is the old floor overlay (until lintfloor lands).
func FloorLegacy(floor, local []byte) ([]byte, error) { return floorYAML(floor, local) }
