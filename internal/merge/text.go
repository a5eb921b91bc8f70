package merge

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
