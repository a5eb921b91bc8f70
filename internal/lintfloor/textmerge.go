package lintfloor

import (
	"bytes"
	"strings"

	"github.com/envgen/envgen/internal/merge"
)

// mergeLines merges local and next, two descendants of base, line by line
// (diff3, as git merge-file). clean is false where both changed the same
// lines differently; merged then holds next's side of each conflict, a
// text that is next's where the two disagree and the user's elsewhere.
func mergeLines(base, local, next []byte) (merged []byte, clean bool) {
	r := merge.TextPreferNext(base, local, next)
	return r.Data, r.Clean()
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
	r := merge.Text(joinLines(nonBlank(splitLines(base))), joinLines(lines), joinLines(nonBlank(splitLines(next))))
	if !r.Clean() {
		return nil, false
	}
	merged := splitLines(r.Data)
	var b bytes.Buffer
	i, j := 0, 0              // indices in lines and merged
	common := func(end int) { // lines[i:end], kept by the merge
		for ; i < end; i, j = i+1, j+1 {
			for _, blank := range blanks[i] {
				b.WriteString(blank)
			}
			b.WriteString(lines[i])
		}
	}
	for _, h := range merge.DiffLines(lines, merged) {
		common(h.A)
		i += h.NA // local's lines the merge removed, with their blank lines
		for ; j < h.B+h.NB; j++ {
			b.WriteString(merged[j])
		}
	}
	common(len(lines))
	for _, blank := range pending {
		b.WriteString(blank)
	}
	return b.Bytes(), true
}

func joinLines(lines []string) []byte {
	return []byte(strings.Join(lines, ""))
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
