package merge

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// sequence merges lists. Order matters in a list (an argv, a list of
// steps), so they merge like lines of text: diff3 over the entries, not
// as sets. A user's reworked command line and a template's reworked one
// are a conflict, never a mix of both. Lists of things with an identity
// (ports by target, rules by name ...) merge by that identity instead.
func (m *merger) sequence(path, key string, t triple) *yaml.Node {
	if id := detectIdentity(key, t.b, t.l, t.n); id != nil {
		return m.keyedSequence(path, id, t)
	}
	return m.orderedSequence(path, t)
}

// orderedSequence runs git's merge rules over entries: a change of one
// side that does not touch a change of the other is taken, touching
// changes conflict. That is strict on purpose for scalars, whose
// neighbours are their context (an argv's flag and its value): appending
// flags to an argv the template rewrote must not make a new command line
// out of both. Entries that are mappings or lists stand on their own, so
// there a conflict is looked at closer (entriesApart).
func (m *merger) orderedSequence(path string, t triple) *yaml.Node {
	in := interner{}
	tokens := func(s *yaml.Node) []int {
		keys := make([]string, len(s.Content))
		for i, e := range s.Content {
			keys[i] = m.c.of(e)
		}
		return in.ids(keys)
	}
	ob, ol, on := tokens(t.b), tokens(t.l), tokens(t.n)
	entries := merge3(ob, ol, on, diff(ob, ol), diff(ob, on))
	out := *t.l
	out.Content = nil
	at := 0
	for _, e := range entries {
		out.Content = append(out.Content, t.l.Content[at:e.a]...)
		at = e.a + e.na
		b, l, n := t.b.Content[e.o:e.o+e.no], t.l.Content[e.a:at], t.n.Content[e.b:e.b+e.nb]
		switch {
		case e.kind == takeLocal:
			out.Content = append(out.Content, l...)
		case e.kind == takeNext:
			out.Content = append(out.Content, n...)
		case !hasScalar(b, l, n):
			out.Content = append(out.Content, m.entriesApart(path, e.a, b, l, n)...)
		default:
			p := path
			if len(entries) > 1 || len(b) != len(t.b.Content) || len(l) != len(t.l.Content) || len(n) != len(t.n.Content) {
				p = fmt.Sprintf("%s[%d]", path, e.a)
			}
			out.Content = append(out.Content, m.rangeConflict(p, b, l, n)...)
		}
	}
	out.Content = append(out.Content, t.l.Content[at:]...)
	return &out
}

// entriesApart merges a conflicting run of mapping (or list) entries that
// start at index at of local: changes that only touch (an entry inserted
// next to an edited one) are both taken, an entry both sides edited in
// place merges field by field, and only entries both sides replaced or
// inserted differently at the same place conflict.
func (m *merger) entriesApart(path string, at int, b, l, n []*yaml.Node) []*yaml.Node {
	in := interner{}
	ids := func(run []*yaml.Node) []int {
		keys := make([]string, len(run))
		for i, e := range run {
			keys[i] = m.c.of(e)
		}
		return in.ids(keys)
	}
	ob, ol, on := ids(b), ids(l), ids(n)
	var out []*yaml.Node
	pos := 0
	for _, c := range clusters(diff(ob, ol), diff(ob, on)) {
		out = append(out, l[pos:c.a0]...)
		pos = c.a1
		cb, cl, cn := b[c.s:c.e], l[c.a0:c.a1], n[c.b0:c.b1]
		switch {
		case !c.next:
			out = append(out, cl...)
		case !c.local:
			out = append(out, cn...)
		case equalInts(ol[c.a0:c.a1], on[c.b0:c.b1]):
			out = append(out, cl...)
		case len(cb) == len(cl) && len(cl) == len(cn):
			for k := range cl {
				if v := m.node(fmt.Sprintf("%s[%d]", path, at+c.a0+k), triple{b: cb[k], l: cl[k], n: cn[k]}); v != nil {
					out = append(out, v)
				}
			}
		default:
			out = append(out, m.rangeConflict(fmt.Sprintf("%s[%d]", path, at+c.a0), cb, cl, cn)...)
		}
	}
	return append(out, l[pos:]...)
}

// rangeConflict records a conflict over runs of entries and returns the
// preferred side's entries.
func (m *merger) rangeConflict(path string, b, l, n []*yaml.Node) []*yaml.Node {
	if path == "" {
		path = "(document)"
	}
	detail := "changed differently on both sides"
	switch {
	case len(b) == 0:
		detail = "added on both sides with different content"
	case len(l) == 0:
		detail = "removed locally, changed by the template"
	case len(n) == 0:
		detail = "edited locally, removed by the template"
	}
	m.conflicts = append(m.conflicts, nodeConflict{Conflict{Path: path, Detail: detail}, [3][]*yaml.Node{b, l, n}})
	if m.preferNext {
		return n
	}
	return l
}

// keyedSequence merges entries with an identity like a mapping merges
// keys; the result has local's order, and an entry only next has goes
// after the entry that precedes it in next (see insertionPoint).
func (m *merger) keyedSequence(path string, id *identity, t triple) *yaml.Node {
	inBase, inLocal, inNext := id.index(t.b), id.index(t.l), id.index(t.n)
	out := *t.l
	out.Content = nil
	var ids []string
	for _, e := range t.l.Content {
		k, _ := id.of(e)
		if v := m.node(id.path(path, k), triple{b: inBase[k], l: e, n: inNext[k]}); v != nil {
			out.Content = append(out.Content, v)
			ids = append(ids, k)
		}
	}
	for i, e := range t.n.Content {
		k, _ := id.of(e)
		if inLocal[k] != nil {
			continue
		}
		v := m.node(id.path(path, k), triple{b: inBase[k], n: e})
		if v == nil {
			continue
		}
		at := insertionPoint(ids, func(j int) (string, bool) {
			if j < 0 || j >= i {
				return "", false
			}
			prev, _ := id.of(t.n.Content[j])
			return prev, true
		}, i-1, func(k string) bool { return inNext[k] == nil && inBase[k] == nil })
		out.Content = append(out.Content[:at], append([]*yaml.Node{v}, out.Content[at:]...)...)
		ids = append(ids[:at], append([]string{k}, ids[at:]...)...)
	}
	return &out
}

// insertionPoint is where an entry only next has goes into the merged
// list have (identities, in order): after the nearest entry before it in
// next (prev(j) for j = from, from-1, ...) that have holds, or at the
// start, and then after the entries local added right there (localOnly):
// where both sides inserted, local's entries come first, as in the line
// merge's first candidate.
func insertionPoint(have []string, prev func(j int) (string, bool), from int, localOnly func(string) bool) int {
	at := 0
search:
	for j := from; ; j-- {
		k, ok := prev(j)
		if !ok {
			break
		}
		for p, h := range have {
			if h == k {
				at = p + 1
				break search
			}
		}
	}
	for at < len(have) && localOnly(have[at]) {
		at++
	}
	return at
}

// hasScalar reports whether any of the runs of entries holds a scalar
// (or an alias).
func hasScalar(runs ...[]*yaml.Node) bool {
	for _, r := range runs {
		for _, n := range r {
			if n.Kind != yaml.MappingNode && n.Kind != yaml.SequenceNode {
				return true
			}
		}
	}
	return false
}
