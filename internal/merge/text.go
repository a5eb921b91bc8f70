package merge

import "bytes"

// Conflict is one place both sides changed differently.
type Conflict struct {
	// Path is the YAML/JSON key path, e.g. "services.app.ports[target=8080]"
	// or "services.redis.command[2]"; for text "line 12", the line of the
	// merged Data where the conflict's "<<<<<<< local" marker is.
	Path string `json:"path"`
	// Detail says what happened, e.g. "changed differently on both sides",
	// "added on both sides with different content", "edited locally,
	// removed by the template".
	Detail string `json:"detail"`
}

// Result is the outcome of a merge.
type Result struct {
	Data      []byte     // merged bytes; with conflicts: the text with git-style markers
	Conflicts []Conflict // empty: clean merge
}

// Clean reports whether the merge had no conflicts.
func (r Result) Clean() bool { return len(r.Conflicts) == 0 }

// Text merges line by line, like git merge-file --diff3 with git's
// zealous conflict refinement on top: whenever git merge-file merges
// cleanly, Text gives the same bytes. With an empty base (a file both
// sides added) a difference is one whole-file conflict, unless one side
// is empty or both are equal.
func Text(base, local, next []byte) Result {
	return mergeLines(base, local, next, true).text()
}

// TextPreferNext is Text for callers that need a text without markers:
// Data holds next's side of each conflict (and the merge everywhere
// else); Conflicts still lists every conflict, its Path the line of Data
// where next's side starts, so Clean tells whether the merge was clean.
// Where the merge is clean, Data is exactly Text's.
func TextPreferNext(base, local, next []byte) Result {
	m := mergeLines(base, local, next, true)
	var b bytes.Buffer
	var conflicts []Conflict
	line, at := 1, 0 // next output line number, next local line to copy
	for _, e := range m.entries {
		line += writeLines(&b, m.local[at:e.a])
		lines := m.resolution(e)
		if e.kind == conflicted {
			o, a, n := m.sides(e)
			conflicts = append(conflicts, Conflict{Path: lineLabel(line), Detail: lineDetail(o, a, n)})
			lines = n
		}
		line += writeLines(&b, lines)
		at = e.a + e.na
	}
	writeLines(&b, m.local[at:])
	return Result{Data: b.Bytes(), Conflicts: conflicts}
}

// Hunk is one change of a line diff: lines [A, A+NA) of the old text
// became lines [B, B+NB) of the new one. Lines outside the hunks pair up
// one to one, in order.
type Hunk struct{ A, NA, B, NB int }

// DiffLines returns the hunks turning the lines a into the lines b, by
// the same line diff (git's) that Text merges with.
func DiffLines(a, b []string) []Hunk {
	in := interner{}
	changes := diff(in.ids(a), in.ids(b))
	out := make([]Hunk, len(changes))
	for i, c := range changes {
		out[i] = Hunk{A: c.i1, NA: c.n1, B: c.i2, NB: c.n2}
	}
	return out
}
