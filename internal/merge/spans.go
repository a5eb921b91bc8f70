package merge

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Finding the lines of a structural conflict, to know which ranges of the
// line merge are about it.

// span is the 0-based lines [first, last] a node covers.
type span struct{ first, last int }

// nodeSpan returns the lines of n and its children; ok is false for a
// node without position (the wrapper of a multi-document stream has
// none, its documents do).
func nodeSpan(n *yaml.Node) (span, bool) {
	var s span
	found := false
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > maxDepth {
			return
		}
		if n.Line > 0 {
			first, last := n.Line-1, n.Line-1+scalarLines(n)
			if !found {
				s, found = span{first, last}, true
			}
			s.first, s.last = min(s.first, first), max(s.last, last)
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return s, found
}

// scalarLines is how many lines a scalar takes after its first.
func scalarLines(n *yaml.Node) int {
	if n.Kind != yaml.ScalarNode {
		return 0
	}
	k := strings.Count(n.Value, "\n")
	if (n.Style&(yaml.LiteralStyle|yaml.FoldedStyle)) != 0 && !strings.HasSuffix(n.Value, "\n") {
		k++ // the content starts on the line after the indicator
	}
	return k
}

// touches reports whether the lines [from, to) of a side, or for an
// insertion (from == to) the place before line from, fall on the span.
func (s span) touches(from, to int) bool {
	if to > from {
		return from <= s.last && to > s.first
	}
	return s.first < from && from <= s.last+1
}

// realEntries returns the entries of the line merge that hold a part of
// one of the structural conflicts, on any side.
func realEntries(lm *lineMerge, conflicts []nodeConflict) map[int]bool {
	held := map[int]bool{}
	for _, c := range conflicts {
		var spans [3][]span
		for side, nodes := range c.nodes {
			for _, n := range nodes {
				if s, ok := nodeSpan(n); ok {
					spans[side] = append(spans[side], s)
				}
			}
		}
		for i, e := range lm.entries {
			ranges := [3][2]int{{e.o, e.o + e.no}, {e.a, e.a + e.na}, {e.b, e.b + e.nb}}
			for side, r := range ranges {
				for _, s := range spans[side] {
					if s.touches(r[0], r[1]) {
						held[i] = true
					}
				}
			}
		}
	}
	return held
}
