package merge

// The line diff follows git's xdiff (Myers' O(ND) algorithm with the same
// preparation, tie-breaks and hunk sliding) on purpose: a three-way merge
// is only as good as the two diffs it starts from, and users compare
// envgen's merges with what git merge-file would have done. A different
// but equally short diff can line up a change with the wrong copy of a
// repeated line (blank lines, "}" ...) and turn a clean merge into a
// conflict, or the other way round.

// change is one hunk of an edit script: a[i1:i1+n1] became b[i2:i2+n2].
type change struct{ i1, n1, i2, n2 int }

// Limits taken over from xdiff, so that big or pathological inputs get
// the same (approximate) diffs as in git.
const (
	maxEqLimit   = 1024 // a line occurring more often than this is "frequent"
	simScanWin   = 100  // how far discardRun looks around a frequent line
	discardRatio = 4    // see discardRun
)

// diff returns the edit script turning a into b; elements are interned
// lines (or any other comparable tokens).
func diff(a, b []int) []change {
	ca, cb := newMarks(len(a)), newMarks(len(b))
	markChanges(a, b, ca, cb)
	compact(a, ca, cb)
	compact(b, cb, ca)
	return script(ca, cb, len(a), len(b))
}

// marks flags the changed elements of one side; index -1 and len are
// false sentinels, which saves bounds checks when walking groups.
type marks []bool

func newMarks(n int) marks { return make(marks, n+2) }

func (m marks) at(i int) bool {
	if i+1 < 0 || i+1 >= len(m) {
		return false
	}
	return m[i+1]
}

func (m marks) set(i int, v bool) { m[i+1] = v }

// markChanges flags what differs between a and b. Like xdiff it first
// trims the common head and tail, then drops lines that cannot match
// (they occur only on one side) before running Myers on the rest: that
// makes the diff faster and, more importantly here, decides ties the way
// git does.
func markChanges(a, b []int, ca, cb marks) {
	start, endA, endB := trimEnds(a, b)
	ra, ia := keptLines(a, b, start, endA, ca)
	rb, ib := keptLines(b, a, start, endB, cb)
	m := newMyers(ra, rb)
	m.compare(0, len(ra), 0, len(rb), false)
	for k, c := range m.ca {
		if c {
			ca.set(ia[k], true)
		}
	}
	for k, c := range m.cb {
		if c {
			cb.set(ib[k], true)
		}
	}
}

// trimEnds returns the length of the common head and where the common
// tail starts on each side.
func trimEnds(a, b []int) (start, endA, endB int) {
	lim := min(len(a), len(b))
	for start < lim && a[start] == b[start] {
		start++
	}
	tail := 0
	for tail < lim-start && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}
	return start, len(a) - tail, len(b) - tail
}

// keptLines returns the lines of x[start:end] that take part in the
// Myers search and, for each, its index in x. Lines that never occur in
// other are changed for sure and are flagged right away; lines that
// occur very often in other are dropped too when they sit in a run of
// such lines (discardRun).
func keptLines(x, other []int, start, end int, changed marks) (kept, index []int) {
	count := make(map[int]int, len(other))
	for _, v := range other {
		count[v]++
	}
	limit := min(bogoSqrt(len(x)), maxEqLimit)
	kind := make([]byte, len(x)) // 0: no match, 1: some matches, 2: many
	for i := start; i < end; i++ {
		switch n := count[x[i]]; {
		case n == 0:
			kind[i] = 0
		case n >= limit:
			kind[i] = 2
		default:
			kind[i] = 1
		}
	}
	for i := start; i < end; i++ {
		if kind[i] == 1 || (kind[i] == 2 && !discardRun(kind, i, start, end-1)) {
			kept = append(kept, x[i])
			index = append(index, i)
		} else {
			changed.set(i, true)
		}
	}
	return kept, index
}

// discardRun reports whether the frequent line i sits in a run made
// mostly of lines without a match, so that dropping it does not lose a
// useful anchor (xdiff's xdl_clean_mmatch, same counts and window).
func discardRun(kind []byte, i, s, e int) bool {
	none, many := runAround(kind, i, -1, max(s, i-simScanWin))
	if none == 0 {
		return false
	}
	noneAfter, manyAfter := runAround(kind, i, 1, min(e, i+simScanWin))
	if noneAfter == 0 {
		return false
	}
	none += noneAfter
	many += manyAfter // line i is counted on both sides, as in xdiff
	return many*discardRatio < many+none
}

// runAround counts, from line i in direction step up to limit, the lines
// without a match and the frequent ones (this one included) until the
// first line with a few matches.
func runAround(kind []byte, i, step, limit int) (none, many int) {
	many = 1
	for j := i + step; (step < 0 && j >= limit) || (step > 0 && j <= limit); j += step {
		switch kind[j] {
		case 0:
			none++
		case 2:
			many++
		default:
			return none, many
		}
	}
	return none, many
}

// bogoSqrt is xdiff's cheap power-of-two square root estimate.
func bogoSqrt(n int) int {
	i := 1
	for ; n > 0; n >>= 2 {
		i <<= 1
	}
	return i
}

// script turns the change flags into hunks. Unchanged elements pair up
// one to one, so walking both sides together finds every hunk.
func script(ca, cb marks, na, nb int) []change {
	var out []change
	i1, i2 := 0, 0
	for i1 < na || i2 < nb {
		if !ca.at(i1) && !cb.at(i2) {
			i1++
			i2++
			continue
		}
		s1, s2 := i1, i2
		for ca.at(i1) {
			i1++
		}
		for cb.at(i2) {
			i2++
		}
		out = append(out, change{i1: s1, n1: i1 - s1, i2: s2, n2: i2 - s2})
	}
	return out
}
