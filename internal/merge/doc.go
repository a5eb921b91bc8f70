// Package merge merges the three versions of a generated file that
// "envgen sync" sees: base (what envgen last wrote), local (the file on
// disk, maybe edited by the user) and next (envgen's new render).
//
// Text is a line-based diff3 that follows git merge-file: the same Myers
// diff with the same preparation, tie-breaks and hunk sliding (diff.go,
// myers.go, compact.go), the same rule for which changes conflict
// (diff3.go), plus git's "zealous" refinement of conflicts (refine.go).
// Whenever git merge-file --diff3 merges cleanly, Text gives the same
// bytes.
//
// YAML and JSON start from that line merge too, because it is the only
// way to keep the bytes nobody changed (comments, blank lines, quoting,
// key order). A structural three-way merge of the parsed documents
// (structural.go, sequence.go, identity.go) computes what the merged
// value must be; the resolver (resolve.go, candidates.go) accepts a text
// only if it parses to exactly that value, which also catches clean line
// merges that are wrong as YAML (a key added twice). Only when the
// structural merge is clean and no text made of the three files' lines
// has the merged value is the value re-encoded (encode.go): then, and
// only then, blank lines and some comments may be lost. Structural
// conflicts come back as the line merge with markers around them
// (spans.go) and their key paths in Result.Conflicts.
//
// Values are compared by canon.go: comments, quoting, flow/block style
// and the order of mapping keys do not count, the order of sequences
// does. YAML merge keys ("<<") are ordinary keys there, not expanded.
package merge
