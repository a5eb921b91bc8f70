package merge

import "strings"

// splitLines splits after each newline, keeping it, so that joining the
// lines gives back the exact bytes; a last line without a newline stays
// a line of its own, different from the same text with one (as in git).
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

// joinLines is the inverse of splitLines.
func joinLines(groups ...[]string) []byte {
	n := 0
	for _, g := range groups {
		for _, l := range g {
			n += len(l)
		}
	}
	b := make([]byte, 0, n)
	for _, g := range groups {
		for _, l := range g {
			b = append(b, l...)
		}
	}
	return b
}

// interner gives equal strings equal small ints, so that the diff
// compares ints, not strings.
type interner map[string]int

func (in interner) ids(items []string) []int {
	out := make([]int, len(items))
	for i, s := range items {
		id, ok := in[s]
		if !ok {
			id = len(in)
			in[s] = id
		}
		out[i] = id
	}
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
