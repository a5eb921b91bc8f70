package lintfloor

import (
	"bytes"
	"strings"

	"github.com/epiclabs-io/diff3"
)

// mergeLines merges local and next, two descendants of base, line by line
// (diff3, as git merge-file). clean is false where both changed the same
// lines differently; merged then holds next's side of each conflict, a
// text that is next's where the two disagree and the user's elsewhere.
func mergeLines(base, local, next []byte) (merged []byte, clean bool) {
	res := diff3.Diff3Merge(splitLines(local), splitLines(base), splitLines(next), true)
	var b bytes.Buffer
	clean = true
	for _, r := range res {
		lines := r.Ok
		if r.Conflict != nil {
			clean, lines = false, r.Conflict.B
		}
		for _, l := range lines {
			b.WriteString(l)
		}
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

// mergeIgnoringBlanks is mergeLines for a local text with blank lines its
// base lacks: merged without them, then each blank line is put back
// before the line it preceded, where that line is still there. Otherwise
// every change next to a blank line would conflict with its removal.
func mergeIgnoringBlanks(base, local, next []byte) ([]byte, bool) {
	var lines []string           // local's lines that are not blank
	blanks := map[int][]string{} // blank lines before lines[i]
	var pending []string
	for _, l := range splitLines(local) {
		if strings.TrimSpace(l) == "" {
			pending = append(pending, l)
			continue
		}
		blanks[len(lines)] = pending
		pending = nil
		lines = append(lines, l)
	}
	res := diff3.Diff3Merge(lines, nonBlank(splitLines(base)), nonBlank(splitLines(next)), true)
	var merged []string
	for _, r := range res {
		if r.Conflict != nil {
			return nil, false
		}
		merged = append(merged, r.Ok...)
	}
	var b bytes.Buffer
	i := 0 // index in lines
	for _, d := range diff3.DiffComm(lines, merged) {
		for _, l := range d.Common {
			for _, blank := range blanks[i] {
				b.WriteString(blank)
			}
			b.WriteString(l)
			i++
		}
		i += len(d.File1) // local's lines the merge removed, with their blank lines
		for _, l := range d.File2 {
			b.WriteString(l)
		}
	}
	for _, blank := range pending {
		b.WriteString(blank)
	}
	return b.Bytes(), true
}

func nonBlank(lines []string) []string {
	out := lines[:0:0]
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
