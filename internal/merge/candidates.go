package merge

import "strings"

// Candidate texts for one range of the line merge. For a conflict the
// structural merge may know that both changes fit together (two new keys
// at the same place, an edit next to an insertion); these are the ways
// the lines could combine, most likely first. For a range only one side
// changed there is the change, and the base: a change that must not be
// taken although it does not overlap anything (the same key added at two
// places) is dropped that way.
//
// repair, if not nil, offers a repaired variant of a candidate given the
// line that follows the range (JSON's commas, see fixCommas).
func (m *lineMerge) candidates(e entry, repair func(lines []string, after string) []string) [][]string {
	o, a, b := m.sides(e)
	if e.kind != conflicted {
		return [][]string{m.resolution(e), o}
	}
	after := ""
	if end := e.a + e.na; end < len(m.local) {
		after = m.local[end]
	}
	var out [][]string
	seen := map[string]bool{}
	add := func(lines []string) {
		k := string(joinLines(lines))
		if !seen[k] {
			seen[k] = true
			out = append(out, lines)
		}
	}
	for _, c := range [][]string{splice(o, a, b, true), splice(o, a, b, false), concat(a, b), concat(b, a), a, b} {
		add(c)
		if repair != nil {
			add(repair(c, after))
		}
	}
	return out
}

func concat(a, b []string) []string {
	return append(append([]string(nil), a...), b...)
}

// splice applies both sides' changes to the base of a conflict, finer
// than the conflict (see clusters): changes that only touch are both
// applied; changes that overlap go one after the other, local's first or
// next's first (once if they are the same).
func splice(o, a, b []string, localFirst bool) []string {
	in := interner{}
	oi, ai, bi := in.ids(o), in.ids(a), in.ids(b)
	var out []string
	at := 0 // next line of a to copy
	for _, c := range clusters(diff(oi, ai), diff(oi, bi)) {
		out = append(out, a[at:c.a0]...)
		at = c.a1
		la, lb := a[c.a0:c.a1], b[c.b0:c.b1]
		switch {
		case !c.next:
			out = append(out, la...)
		case !c.local:
			out = append(out, lb...)
		case equalInts(ai[c.a0:c.a1], bi[c.b0:c.b1]):
			out = append(out, la...)
		case localFirst:
			out = append(out, concat(la, lb)...)
		default:
			out = append(out, concat(lb, la)...)
		}
	}
	return append(out, a[at:]...)
}

// fixCommas repairs the commas of JSON lines put together from both
// sides: when both add a member at the end of an object, one of them now
// needs a comma, or must lose one. A line that ends a value gets a comma
// if the next line starts another member, and loses it before "}" or "]".
func fixCommas(lines []string, after string) []string {
	out := append([]string(nil), lines...)
	for i, l := range out {
		body := strings.TrimRight(l, " \t\r\n")
		if body == "" {
			continue
		}
		following := after
		for _, n := range out[i+1:] {
			if strings.TrimSpace(n) != "" {
				following = n
				break
			}
		}
		next := strings.TrimLeft(following, " \t")
		if next == "" || strings.TrimSpace(next) == "" {
			continue
		}
		closes := next[0] == '}' || next[0] == ']'
		last := body[len(body)-1]
		switch {
		case last == ',' && closes:
			out[i] = body[:len(body)-1] + l[len(body):]
		case !closes && strings.IndexByte("\"0123456789el}]", last) >= 0:
			out[i] = body + "," + l[len(body):]
		}
	}
	return out
}
