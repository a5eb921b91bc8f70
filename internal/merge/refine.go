package merge

// Zealous refinement (git's XDL_MERGE_ZEALOUS): a conflict is often two
// edits that are mostly the same, e.g. both sides inserted a block and
// differ in one line of it. Diffing the two sides of the conflict against
// each other finds the lines they agree on; those leave the conflict and
// only the lines that really differ stay in it. When the sides agree
// completely the conflict disappears.
//
// git drops the base part of the pieces (its diff3 output therefore
// refuses to refine). We keep showing it: a line both sides kept from
// the base tells where in the base each piece starts and ends; a run of
// agreed lines that cannot be placed in the base does not split the
// conflict.

type refiner struct {
	local, next         []int
	localBase, nextBase []int // base index of each unchanged line, else -1
}

func newRefiner(local, next []int, dl, dn []change) *refiner {
	return &refiner{
		local: local, next: next,
		localBase: baseIndex(dl, len(local)),
		nextBase:  baseIndex(dn, len(next)),
	}
}

// refine replaces every conflict by its refined pieces.
func (r *refiner) refine(entries []entry) []entry {
	var out []entry
	for _, e := range entries {
		if e.kind != conflicted || e.na == 0 || e.nb == 0 {
			out = append(out, e) // nothing to compare one side with
			continue
		}
		out = append(out, r.split(e)...)
	}
	return out
}

func (r *refiner) split(e entry) []entry {
	sub := diff(r.local[e.a:e.a+e.na], r.next[e.b:e.b+e.nb])
	if len(sub) == 0 {
		return nil // the same text on both sides
	}
	oEnd := e.o + e.no
	first := sub[0]
	cur := entry{kind: conflicted, o: e.o, a: e.a + first.i1, na: first.n1, b: e.b + first.i2, nb: first.n2}
	if p, q, ok := r.runBase(e.a, cur.a, e.b, cur.b); ok && p == e.o {
		cur.o = q // the agreed head is the head of the base range too
	}
	var out []entry
	for _, sc := range sub[1:] {
		a, b := e.a+sc.i1, e.b+sc.i2
		if p, q, ok := r.runBase(cur.a+cur.na, a, cur.b+cur.nb, b); ok && p >= cur.o && q <= oEnd {
			cur.no = p - cur.o
			out = append(out, cur)
			cur = entry{kind: conflicted, o: q, a: a, na: sc.n1, b: b, nb: sc.n2}
			continue
		}
		cur.na = a + sc.n1 - cur.a
		cur.nb = b + sc.n2 - cur.b
	}
	hi := oEnd
	if p, q, ok := r.runBase(cur.a+cur.na, e.a+e.na, cur.b+cur.nb, e.b+e.nb); ok && q == oEnd && p >= cur.o {
		hi = p // the agreed tail is the tail of the base range too
	}
	cur.no = max(hi-cur.o, 0)
	return append(out, cur)
}

// runBase places a run of lines both sides agree on (local[a0:a1],
// next[b0:b1]) in the base: where one side kept it unchanged, as one
// piece of consecutive base lines.
func (r *refiner) runBase(a0, a1, b0, b1 int) (p, q int, ok bool) {
	if p, q, ok := contiguous(r.localBase, a0, a1); ok {
		return p, q, true
	}
	return contiguous(r.nextBase, b0, b1)
}

func contiguous(toBase []int, from, to int) (p, q int, ok bool) {
	if to <= from {
		return 0, 0, false
	}
	for i := from; i < to; i++ {
		if toBase[i] < 0 || toBase[i] != toBase[from]+(i-from) {
			return 0, 0, false
		}
	}
	return toBase[from], toBase[to-1] + 1, true
}

// baseIndex maps each line of a side to the base line it is an unchanged
// copy of, or -1 for a changed line.
func baseIndex(d []change, n int) []int {
	out := make([]int, n)
	si, bi := 0, 0
	for _, c := range d {
		for ; si < c.i2; si++ {
			out[si] = bi
			bi++
		}
		for ; si < c.i2+c.n2; si++ {
			out[si] = -1
		}
		bi += c.n1
	}
	for ; si < n; si++ {
		out[si] = bi
		bi++
	}
	return out
}
