package merge

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// YAML merges three versions of a YAML file (a stream of documents).
//
// It starts from the line merge, which keeps every byte of what neither
// side changed, and uses the structural merge (structural.go) to judge
// it: a clean line merge is taken only if it parses to the merged value
// (lines can merge cleanly into a broken document, e.g. the same key
// added at two places); a line conflict is resolved only by a text made
// of the three files' lines that has exactly the merged value. Only when
// the structural merge is clean and no such text exists is the merged
// value re-encoded, and then comments and blank lines may be lost. With
// structural conflicts the result is the line merge with markers where
// the conflicts are, and Conflicts names their key paths.
//
// The error is only for a side that does not parse; the caller then
// merges it as Text.
func YAML(base, local, next []byte) (Result, error) {
	return mergeStructured(yamlFormat, base, local, next)
}

// JSON is YAML for JSON files: the same merge, a JSON parser to accept
// the sides, and JSON (indented like the local file) if the merged value
// has to be re-encoded.
func JSON(base, local, next []byte) (Result, error) {
	return mergeStructured(jsonFormat, base, local, next)
}

// format is what differs between YAML and JSON.
type format struct {
	parse  func([]byte) (*document, error)
	encode func(root *yaml.Node, stream bool, local []byte) ([]byte, error)
	repair func(lines []string, after string) []string // see candidates
}

var (
	yamlFormat = format{parse: parseYAML, encode: encodeYAML}
	jsonFormat = format{parse: parseJSON, encode: encodeJSON, repair: fixCommas}
)

func mergeStructured(f format, base, local, next []byte) (Result, error) {
	var docs [3]*document
	stream := false
	for i, data := range [3][]byte{base, local, next} {
		d, err := f.parse(data)
		if err != nil {
			return Result{}, fmt.Errorf("%s: %w", [3]string{"base", "local", "next"}[i], err)
		}
		docs[i] = d
		stream = stream || len(d.roots) > 1
	}
	var roots [3]*yaml.Node
	for i, d := range docs {
		roots[i] = d.root(stream)
	}
	c := newCanon(false)
	sides := triple{b: roots[0], l: roots[1], n: roots[2]}
	toLocal, toNext := newMerger(c, false), newMerger(c, true)
	root := ""
	if stream {
		root = "document" // document[1].key
	}
	vl, vn := toLocal.node(root, sides), toNext.node(root, sides)
	lm := mergeLines(base, local, next, true)
	r := &resolver{lm: lm, parse: f.parse, c: c, stream: stream, repair: f.repair}
	if len(toLocal.conflicts) == 0 {
		return cleanMerge(f, r, vl, local), nil
	}
	return conflictMerge(r, toLocal.conflicts, vl, vn), nil
}

// cleanMerge writes a merge the structural merge found clean: the text
// the resolver finds, else the merged value re-encoded.
func cleanMerge(f format, r *resolver, value *yaml.Node, local []byte) Result {
	r.targets = []target{{value: value}}
	if choice, ok := r.resolve(); ok {
		data, _ := r.lm.render(func(i int, _ entry) ([]string, bool) { return r.cands[i][choice[i]], true })
		return Result{Data: data}
	}
	data, err := f.encode(value, r.stream, local)
	if err != nil {
		return wholeConflict(r.lm, []Conflict{{Path: "(document)", Detail: "merged cleanly but could not be written: " + err.Error()}})
	}
	return Result{Data: data}
}

// conflictMerge writes a merge with structural conflicts: markers on the
// ranges of the line merge that hold them (a range that merged cleanly as
// lines, e.g. the same key added twice with different values, becomes a
// conflict too), the other ranges resolved if the resolver can do it for
// both ways the conflicts could be decided.
func conflictMerge(r *resolver, conflicts []nodeConflict, vl, vn *yaml.Node) Result {
	lm := r.lm
	held := realEntries(lm, conflicts)
	r.real = held
	r.targets = []target{
		{value: vl, fixed: func(e entry) []string { _, a, _ := lm.sides(e); return a }},
		{value: vn, fixed: func(e entry) []string { _, _, b := lm.sides(e); return b }},
	}
	var picks []int
	resolved := false
	if len(held) > 0 {
		picks, resolved = r.resolve()
	}
	data, marked := lm.render(func(i int, e entry) ([]string, bool) {
		switch {
		case held[i]:
			return nil, false
		case resolved:
			return r.cands[i][picks[i]], true
		}
		return lm.resolution(e), e.kind != conflicted
	})
	paths := conflictPaths(conflicts)
	if len(marked) == 0 {
		return wholeConflict(lm, paths)
	}
	return Result{Data: data, Conflicts: paths}
}

// wholeConflict is one conflict over the whole file: the last resort when
// no range of lines can be blamed.
func wholeConflict(lm *lineMerge, conflicts []Conflict) Result {
	e := entry{kind: conflicted, no: len(lm.base), na: len(lm.local), nb: len(lm.next)}
	whole := &lineMerge{base: lm.base, local: lm.local, next: lm.next, entries: []entry{e}}
	data, _ := whole.render(func(int, entry) ([]string, bool) { return nil, false })
	return Result{Data: data, Conflicts: conflicts}
}

func conflictPaths(conflicts []nodeConflict) []Conflict {
	var out []Conflict
	seen := map[Conflict]bool{}
	for _, c := range conflicts {
		if !seen[c.Conflict] {
			seen[c.Conflict] = true
			out = append(out, c.Conflict)
		}
	}
	return out
}
