package merge

// Clusters are a finer three-way merge than merge3: only changes that
// really overlap (change the same base lines, or insert at the same
// place) are grouped; changes that merely touch stay apart. merge3 keeps
// git's rule, where touching edits conflict; clusters only serve to
// propose texts for a YAML or JSON conflict (an insertion right after an
// edited key is no conflict there), which the resolver accepts only if
// they have the value the structural merge computed.

// cluster is a base range [s, e) that one or both sides changed:
// local[a0:a1] and next[b0:b1] are what each side made of it.
type cluster struct {
	s, e        int
	a0, a1      int
	b0, b1      int
	local, next bool // which sides changed it
}

// sideChange is a change of one side, in base coordinates.
type sideChange struct {
	change
	local bool
}

// clusters groups the changes of both sides (dl, dn: diffs from the base).
func clusters(dl, dn []change) []cluster {
	changes := orderChanges(dl, dn)
	var out []cluster
	dA, dB := 0, 0 // how much longer each side is before the current base position
	for i := 0; i < len(changes); {
		c := cluster{s: changes[i].i1, e: changes[i].i1 + changes[i].n1}
		c.a0, c.b0 = c.s+dA, c.s+dB
		first := i
		for ; i < len(changes) && (i == first || collides(c.s, c.e, changes[i].change)); i++ {
			ch := changes[i]
			c.e = max(c.e, ch.i1+ch.n1)
			if ch.local {
				c.local = true
				dA += ch.n2 - ch.n1
			} else {
				c.next = true
				dB += ch.n2 - ch.n1
			}
		}
		c.a1, c.b1 = c.e+dA, c.e+dB
		out = append(out, c)
	}
	return out
}

// orderChanges merges both sides' changes by base position; at the same
// position an insertion goes first (it sits before the base line the
// other change replaces).
func orderChanges(dl, dn []change) []sideChange {
	out := make([]sideChange, 0, len(dl)+len(dn))
	for len(dl) > 0 || len(dn) > 0 {
		takeLocal := len(dn) == 0 || (len(dl) > 0 && (dl[0].i1 < dn[0].i1 || (dl[0].i1 == dn[0].i1 && dl[0].n1 == 0)))
		if takeLocal {
			out, dl = append(out, sideChange{dl[0], true}), dl[1:]
		} else {
			out, dn = append(out, sideChange{dn[0], false}), dn[1:]
		}
	}
	return out
}

// collides reports whether change d overlaps the base range [s, e) of
// the changes before it: it starts inside, or both insert at the same
// place.
func collides(s, e int, d change) bool {
	if s == e {
		return d.i1 == s && d.n1 == 0
	}
	return d.i1 < e && (d.i1 > s || d.n1 > 0)
}
