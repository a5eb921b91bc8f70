package merge

// The three-way merge proper, with git's rules (xdiff's xdl_do_merge at
// level "eager"): a change of one side that neither overlaps nor touches
// a change of the other is taken; changes that overlap or touch (an edit
// right next to an edit) are one conflict, unless both sides made exactly
// the same change. Touching counts as a conflict on purpose: nobody can
// tell from lines alone whether two adjacent edits belong together.

type entryKind int

const (
	takeLocal  entryKind = iota + 1 // only local changed this range
	takeNext                        // only next changed it
	conflicted                      // both changed it, differently
)

// entry is one changed range: base[o:o+no], local[a:a+na], next[b:b+nb].
// Outside entries the three texts agree and the merge copies local.
type entry struct {
	kind  entryKind
	o, no int
	a, na int
	b, nb int
}

// merge3 returns the changed ranges of a merge, in order. The diffs are
// passed in because refine needs them again.
func merge3(base, local, next []int, dl, dn []change) []entry {
	var out []entry
	add := func(e entry) {
		if n := len(out); n > 0 {
			m := &out[n-1]
			if e.a <= m.a+m.na || e.b <= m.b+m.nb {
				// Touches the previous entry: one bigger range.
				if e.kind != m.kind {
					m.kind = conflicted
				}
				m.no = e.o + e.no - m.o
				m.na = e.a + e.na - m.a
				m.nb = e.b + e.nb - m.b
				return
			}
		}
		out = append(out, e)
	}
	x, y := 0, 0
	for x < len(dl) && y < len(dn) {
		c1, c2 := dl[x], dn[y]
		switch {
		case c1.i1+c1.n1 < c2.i1:
			add(entry{takeLocal, c1.i1, c1.n1, c1.i2, c1.n2, c2.i2 - c2.i1 + c1.i1, c1.n1})
			x++
			continue
		case c2.i1+c2.n1 < c1.i1:
			add(entry{takeNext, c2.i1, c2.n1, c1.i2 - c1.i1 + c2.i1, c2.n1, c2.i2, c2.n2})
			y++
			continue
		}
		if !sameChange(c1, c2, local, next) {
			add(overlap(c1, c2))
		}
		e1, e2 := c1.i1+c1.n1, c2.i1+c2.n1
		if e1 >= e2 {
			y++
		}
		if e2 >= e1 {
			x++
		}
	}
	for ; x < len(dl); x++ {
		c1 := dl[x]
		add(entry{takeLocal, c1.i1, c1.n1, c1.i2, c1.n2, c1.i1 + len(next) - len(base), c1.n1})
	}
	for ; y < len(dn); y++ {
		c2 := dn[y]
		add(entry{takeNext, c2.i1, c2.n1, c2.i1 + len(local) - len(base), c2.n1, c2.i2, c2.n2})
	}
	return out
}

// sameChange reports whether both sides replaced the same base lines by
// the same lines: taken once, no conflict.
func sameChange(c1, c2 change, local, next []int) bool {
	return c1.i1 == c2.i1 && c1.n1 == c2.n1 && c1.n2 == c2.n2 &&
		equalInts(local[c1.i2:c1.i2+c1.n2], next[c2.i2:c2.i2+c2.n2])
}

// overlap is the conflict covering two overlapping changes: the union of
// their base ranges, and on each side what that union became.
func overlap(c1, c2 change) entry {
	off := c1.i1 - c2.i1
	ffo := off + c1.n1 - c2.n1
	o, a, b := c1.i1, c1.i2, c2.i2
	if off > 0 {
		o -= off
		a -= off
	} else {
		b += off
	}
	no := c1.i1 + c1.n1 - o
	na := c1.i2 + c1.n2 - a
	nb := c2.i2 + c2.n2 - b
	if ffo < 0 {
		no -= ffo
		na -= ffo
	} else {
		nb += ffo
	}
	return entry{conflicted, o, no, a, na, b, nb}
}
