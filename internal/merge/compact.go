package merge

// Sliding hunks. A run of changed lines can often move up or down (when
// the line before it equals its last line, or the line after it equals
// its first): the diff is as short either way. Like xdiff, compact slides
// every run as far down as it goes, merging runs it bumps into, then back
// up to line up with a change on the other side if there is one. Both
// diffs of a merge slide the same way, which keeps their hunks aligned.

// group is a run of changed lines [start, end) of one side; empty groups
// sit between unchanged lines. The k-th group of one side faces the k-th
// group of the other.
type group struct{ start, end int }

func firstGroup(c marks) group {
	g := group{}
	for c.at(g.end) {
		g.end++
	}
	return g
}

func (g *group) next(c marks, n int) bool {
	if g.end == n {
		return false
	}
	g.start = g.end + 1
	g.end = g.start
	for c.at(g.end) {
		g.end++
	}
	return true
}

func (g *group) prev(c marks) {
	if g.start == 0 {
		return
	}
	g.end = g.start - 1
	g.start = g.end
	for c.at(g.start - 1) {
		g.start--
	}
}

func (g *group) slideDown(x []int, c marks) bool {
	if g.end >= len(x) || x[g.start] != x[g.end] {
		return false
	}
	c.set(g.start, false)
	g.start++
	c.set(g.end, true)
	g.end++
	for c.at(g.end) {
		g.end++
	}
	return true
}

func (g *group) slideUp(x []int, c marks) bool {
	if g.start == 0 || x[g.start-1] != x[g.end-1] {
		return false
	}
	g.start--
	c.set(g.start, true)
	g.end--
	c.set(g.end, false)
	for c.at(g.start - 1) {
		g.start--
	}
	return true
}

// compact slides the groups of x (flags c) while keeping track of the
// facing groups of the other side (flags co).
func compact(x []int, c, co marks) {
	nOther := len(co) - 2
	g, o := firstGroup(c), firstGroup(co)
	for {
		if g.end != g.start {
			slideGroup(x, c, co, &g, &o, nOther)
		}
		if !g.next(c, len(x)) {
			return
		}
		o.next(co, nOther)
	}
}

func slideGroup(x []int, c, co marks, g, o *group, nOther int) {
	var earliestEnd int
	for {
		size := g.end - g.start
		matchEnd := -1 // an end where g faces a non-empty group
		for g.slideUp(x, c) {
			o.prev(co)
		}
		earliestEnd = g.end
		if o.end > o.start {
			matchEnd = g.end
		}
		for g.slideDown(x, c) {
			o.next(co, nOther)
			if o.end > o.start {
				matchEnd = g.end
			}
		}
		if size == g.end-g.start {
			if g.end != earliestEnd && matchEnd != -1 {
				// Line up with the last change of the other side it can face.
				for o.end == o.start {
					g.slideUp(x, c)
					o.prev(co)
				}
			}
			return
		}
	}
}
