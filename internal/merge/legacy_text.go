package merge

import (
	"bytes"
	"strings"

	"github.com/epiclabs-io/diff3"
)

// Conflict markers, as git writes them with merge.conflictStyle=diff3:
// the user's lines, the common base, then envgen's.
const (
	markerLocal  = "<<<<<<< local"
	markerBase   = "||||||| base"
	markerSep    = "======="
	markerEnvgen = ">>>>>>> envgen"
)

// mergeLines merges local and next, two descendants of base, line by line
// (diff3). Regions only one side changed take that side; regions both
// changed the same way take it once; other regions become conflicts,
// written with markers. clean reports whether there were none.
func mergeLines(base, local, next []byte) (merged []byte, clean bool) {
	res := diff3.Diff3Merge(splitLines(local), splitLines(base), splitLines(next), true)
	var b bytes.Buffer
	clean = true
	for _, r := range res {
		if r.Conflict == nil {
			for _, l := range r.Ok {
				b.WriteString(l)
			}
			continue
		}
		clean = false
		b.WriteString(markerLocal + "\n")
		writeLines(&b, r.Conflict.A)
		b.WriteString(markerBase + "\n")
		writeLines(&b, r.Conflict.O)
		b.WriteString(markerSep + "\n")
		writeLines(&b, r.Conflict.B)
		b.WriteString(markerEnvgen + "\n")
	}
	return b.Bytes(), clean
}

// splitLines splits after each newline, keeping it, so that joining the
// lines gives back the exact text.
func splitLines(data []byte) []string {
	if len(data) == 0 {
		return nil
	}
	lines := strings.SplitAfter(string(data), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// writeLines writes the lines of a conflict block, each ending in a
// newline so that the next marker starts a line of its own.
func writeLines(b *bytes.Buffer, lines []string) {
	for _, l := range lines {
		b.WriteString(l)
		if !strings.HasSuffix(l, "\n") {
			b.WriteByte('\n')
		}
	}
}

// hasConflictMarkers reports whether a file still holds markers sync wrote.
func hasConflictMarkers(data []byte) bool {
	return bytes.Contains(data, []byte("\n"+markerLocal+"\n")) || bytes.HasPrefix(data, []byte(markerLocal+"\n"))
}
