package merge

import "math"

// Tuning of the Myers search, as in xdiff: past heurMinCost edit steps a
// long enough snake (snakeLen equal lines) is taken as a split point, and
// past maxCost the search settles for the furthest point reached. Small
// files never get there, so their diffs are minimal.
const (
	maxCostMin  = 256
	heurMinCost = 256
	snakeLen    = 20
	kHeur       = 4
)

// myers finds the changed elements of a and b by divide and conquer on
// the middle snake ("An O(ND) Difference Algorithm and its Variations").
type myers struct {
	a, b    []int
	ca, cb  []bool
	fwd     []int // furthest a index reached on each diagonal, forward
	bwd     []int // the same, backward
	off     int   // diagonal k is stored at k+off
	maxCost int
}

func newMyers(a, b []int) *myers {
	n := len(a) + len(b) + 3
	return &myers{
		a: a, b: b,
		ca: make([]bool, len(a)), cb: make([]bool, len(b)),
		fwd: make([]int, n), bwd: make([]int, n),
		off:     len(b) + 1,
		maxCost: max(bogoSqrt(n), maxCostMin),
	}
}

// split is where compare cuts a box in two; lowMin and highMin say
// whether the two halves must still be diffed minimally.
type split struct {
	i1, i2          int
	lowMin, highMin bool
}

// compare flags the changes between a[off1:lim1] and b[off2:lim2].
func (m *myers) compare(off1, lim1, off2, lim2 int, needMin bool) {
	for off1 < lim1 && off2 < lim2 && m.a[off1] == m.b[off2] {
		off1++
		off2++
	}
	for off1 < lim1 && off2 < lim2 && m.a[lim1-1] == m.b[lim2-1] {
		lim1--
		lim2--
	}
	switch {
	case off1 == lim1:
		for ; off2 < lim2; off2++ {
			m.cb[off2] = true
		}
	case off2 == lim2:
		for ; off1 < lim1; off1++ {
			m.ca[off1] = true
		}
	default:
		s := m.split(off1, lim1, off2, lim2, needMin)
		m.compare(off1, s.i1, off2, s.i2, s.lowMin)
		m.compare(s.i1, lim1, s.i2, lim2, s.highMin)
	}
}

// split runs the forward and the backward search at the same time until
// they meet on a diagonal. Ties go the way xdiff sends them (prefer
// consuming a in the forward search), which decides where an ambiguous
// change lands.
func (m *myers) split(off1, lim1, off2, lim2 int, needMin bool) split {
	dmin, dmax := off1-lim2, lim1-off2
	fmid, bmid := off1-off2, lim1-lim2
	odd := (fmid-bmid)&1 != 0
	fmin, fmax, bmin, bmax := fmid, fmid, bmid, bmid
	m.fwd[fmid+m.off] = off1
	m.bwd[bmid+m.off] = lim1
	for ec := 1; ; ec++ {
		gotSnake := false
		fmin, fmax = m.widen(m.fwd, fmin, fmax, dmin, dmax, -1)
		for d := fmax; d >= fmin; d -= 2 {
			var i1 int
			if m.fwd[d-1+m.off] >= m.fwd[d+1+m.off] {
				i1 = m.fwd[d-1+m.off] + 1
			} else {
				i1 = m.fwd[d+1+m.off]
			}
			prev := i1
			i2 := i1 - d
			for i1 < lim1 && i2 < lim2 && m.a[i1] == m.b[i2] {
				i1++
				i2++
			}
			if i1-prev > snakeLen {
				gotSnake = true
			}
			m.fwd[d+m.off] = i1
			if odd && bmin <= d && d <= bmax && m.bwd[d+m.off] <= i1 {
				return split{i1, i2, true, true}
			}
		}
		bmin, bmax = m.widen(m.bwd, bmin, bmax, dmin, dmax, math.MaxInt)
		for d := bmax; d >= bmin; d -= 2 {
			var i1 int
			if m.bwd[d-1+m.off] < m.bwd[d+1+m.off] {
				i1 = m.bwd[d-1+m.off]
			} else {
				i1 = m.bwd[d+1+m.off] - 1
			}
			prev := i1
			i2 := i1 - d
			for i1 > off1 && i2 > off2 && m.a[i1-1] == m.b[i2-1] {
				i1--
				i2--
			}
			if prev-i1 > snakeLen {
				gotSnake = true
			}
			m.bwd[d+m.off] = i1
			if !odd && fmin <= d && d <= fmax && i1 <= m.fwd[d+m.off] {
				return split{i1, i2, true, true}
			}
		}
		if needMin {
			continue
		}
		if gotSnake && ec > heurMinCost {
			if s, ok := m.goodSnake(off1, lim1, off2, lim2, fmin, fmax, fmid, bmin, bmax, bmid, ec); ok {
				return s
			}
		}
		if ec >= m.maxCost {
			return m.furthest(off1, lim1, off2, lim2, fmin, fmax, bmin, bmax)
		}
	}
}

// widen grows the range of diagonals searched by one on each side, or
// shrinks it where it would leave the box, and puts a value that never
// wins (outside) next to the new ends.
func (m *myers) widen(v []int, lo, hi, dmin, dmax, outside int) (int, int) {
	if lo > dmin {
		lo--
		v[lo-1+m.off] = outside
	} else {
		lo++
	}
	if hi < dmax {
		hi++
		v[hi+1+m.off] = outside
	} else {
		hi--
	}
	return lo, hi
}

// goodSnake looks for a diagonal that got far from its start and ends in
// snakeLen equal lines: an expensive search stops there, like xdiff.
func (m *myers) goodSnake(off1, lim1, off2, lim2, fmin, fmax, fmid, bmin, bmax, bmid, ec int) (split, bool) {
	best := 0
	var s split
	for d := fmax; d >= fmin; d -= 2 {
		i1 := m.fwd[d+m.off]
		i2 := i1 - d
		v := (i1 - off1) + (i2 - off2) - absInt(d-fmid)
		if v > kHeur*ec && v > best && off1+snakeLen <= i1 && i1 < lim1 && off2+snakeLen <= i2 && i2 < lim2 {
			for k := 1; m.a[i1-k] == m.b[i2-k]; k++ {
				if k == snakeLen {
					best = v
					s = split{i1, i2, true, false}
					break
				}
			}
		}
	}
	if best > 0 {
		return s, true
	}
	for d := bmax; d >= bmin; d -= 2 {
		i1 := m.bwd[d+m.off]
		i2 := i1 - d
		v := (lim1 - i1) + (lim2 - i2) - absInt(d-bmid)
		if v > kHeur*ec && v > best && off1 < i1 && i1 <= lim1-snakeLen && off2 < i2 && i2 <= lim2-snakeLen {
			for k := 0; m.a[i1+k] == m.b[i2+k]; k++ {
				if k == snakeLen-1 {
					best = v
					s = split{i1, i2, false, true}
					break
				}
			}
		}
	}
	return s, best > 0
}

// furthest gives up on a minimal diff and splits at the point furthest
// along either search.
func (m *myers) furthest(off1, lim1, off2, lim2, fmin, fmax, bmin, bmax int) split {
	fbest, fbest1 := -1, -1
	for d := fmax; d >= fmin; d -= 2 {
		i1 := min(m.fwd[d+m.off], lim1)
		i2 := i1 - d
		if lim2 < i2 {
			i1, i2 = lim2+d, lim2
		}
		if fbest < i1+i2 {
			fbest, fbest1 = i1+i2, i1
		}
	}
	bbest, bbest1 := math.MaxInt, math.MaxInt
	for d := bmax; d >= bmin; d -= 2 {
		i1 := max(off1, m.bwd[d+m.off])
		i2 := i1 - d
		if i2 < off2 {
			i1, i2 = off2+d, off2
		}
		if i1+i2 < bbest {
			bbest, bbest1 = i1+i2, i1
		}
	}
	if (lim1+lim2)-bbest < fbest-(off1+off2) {
		return split{fbest1, fbest - fbest1, true, false}
	}
	return split{bbest1, bbest - bbest1, false, true}
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
