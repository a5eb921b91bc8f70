package lintfloor

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// merger walks base, local and next together and builds the tree sync
// should leave: next, plus the user's changes the silencer table lets
// through. It records what it removed and what it put back.
type merger struct {
	pol        *policy
	violations []Violation
	restored   []string
}

// identities name the field that identifies an item of a list of
// mappings: an item of local with the same identity as one of next, but
// other values, is the user's edit of a required entry. next's version
// wins (Restored) rather than both being kept.
var identities = map[string]string{
	"linters.settings.forbidigo.forbid": "pattern",
	"linters.settings.revive.rules":     "name",
}

// merge returns the node for p. b is base's node, or next's where base is
// unknown (then everything local has beyond next counts as the user's);
// l is local's, n is next's; n is never nil.
func (m *merger) merge(p keyPath, b, l, n *yaml.Node) *yaml.Node {
	b, l, n = deref(b), deref(l), deref(n)
	switch {
	case l == nil:
		if b != nil {
			m.restore(p, n) // the user removed it
		}
		return clone(n)
	case l.Kind == yaml.MappingNode && n.Kind == yaml.MappingNode:
		return m.mergeMap(p, b, l, n)
	case l.Kind == yaml.SequenceNode && n.Kind == yaml.SequenceNode:
		return m.mergeList(p, b, l, n)
	case equal(l, n), b != nil && equal(l, b):
		// Unchanged, or the user left envgen's old value and the profile
		// changed it: next's value, nothing to report.
		return clone(n)
	}
	// The user changed a value next sets: next's is put back. Whether the
	// user's silenced something decides how it is reported.
	if vs, _ := m.judge(p, l); len(vs) > 0 {
		m.violations = append(m.violations, vs...)
		return clone(n)
	}
	m.restore(p, n)
	return clone(n)
}

// judge applies the silencer table to the user's value at p. A lone
// scalar where the table expects a list (disable: noctx) is judged as the
// one item it stands for: the configuration loader reads it as that.
func (m *merger) judge(p keyPath, v *yaml.Node) ([]Violation, *yaml.Node) {
	if s := match(p); s != nil {
		return s.check(m.pol, p, v)
	}
	if v.Kind == yaml.ScalarNode {
		if s := match(p.index(0)); s != nil {
			return s.check(m.pol, p.index(0), v)
		}
	}
	return nil, nil
}

// mergeMap keeps next's keys in next's order, then the user's own keys in
// the user's order.
func (m *merger) mergeMap(p keyPath, b, l, n *yaml.Node) *yaml.Node {
	if b != nil && b.Kind != yaml.MappingNode {
		b = nil // base had something else here: judge local against nothing
	}
	out := emptyLike(n)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		out.Content = append(out.Content, clone(n.Content[i]), m.merge(p.key(k), mapGet(b, k), mapGet(l, k), n.Content[i+1]))
	}
	for i := 0; i+1 < len(l.Content); i += 2 {
		k := l.Content[i].Value
		if mapGet(n, k) != nil {
			continue
		}
		if v := m.additions(p.key(k), mapGet(b, k), l.Content[i+1]); v != nil {
			out.Content = append(out.Content, clone(l.Content[i]), v)
		}
	}
	return out
}

// mergeList treats a list as a multiset: next's items in next's order,
// then the items the user added, in the user's order. An item of local
// counts against an equal one of next, else against an equal one of base
// (envgen's old entry, which next dropped); the rest are the user's, a
// duplicate the user wrote included.
func (m *merger) mergeList(p keyPath, b, l, n *yaml.Node) *yaml.Node {
	if b != nil && b.Kind != yaml.SequenceNode {
		b = nil
	}
	out := emptyLike(n)
	for _, item := range n.Content {
		out.Content = append(out.Content, clone(item))
		if !contains(l.Content, item) && b != nil && contains(b.Content, item) {
			m.restore(p, item)
		}
	}
	fromNext, fromBase := newTally(n), newTally(b)
	for _, item := range n.Content {
		fromBase.take(item) // base's items next still has count against next only
	}
	id := identities[p.String()]
	for i, item := range l.Content {
		if fromNext.take(item) || fromBase.take(item) {
			continue
		}
		if id != "" && sameIdentity(n.Content, item, id) {
			continue // an edit of a required entry: next's is restored above
		}
		v := m.item(p.index(i), item)
		if v == nil || !equal(v, item) && contains(out.Content, v) {
			continue // removed, or what is left of it is there already
		}
		out.Content = append(out.Content, v)
	}
	return out
}

// tally hands out the items of a list once each.
type tally struct {
	items []*yaml.Node
	used  []bool
}

func newTally(list *yaml.Node) *tally {
	if list = deref(list); list == nil || list.Kind != yaml.SequenceNode {
		return &tally{}
	}
	return &tally{items: list.Content, used: make([]bool, len(list.Content))}
}

// take reports whether an unused item equal to n is left, and uses it.
func (t *tally) take(n *yaml.Node) bool {
	for i, x := range t.items {
		if !t.used[i] && equal(x, n) {
			t.used[i] = true
			return true
		}
	}
	return false
}

func sameIdentity(list []*yaml.Node, item *yaml.Node, field string) bool {
	want := scalar(mapGet(item, field))
	if want == "" {
		return false
	}
	for _, x := range list {
		if scalar(mapGet(x, field)) == want {
			return true
		}
	}
	return false
}

// additions returns what l has beyond b (all of l where b is nil), less
// what the silencer table condemns; nil if nothing is left.
func (m *merger) additions(p keyPath, b, l *yaml.Node) *yaml.Node {
	b, l = deref(b), deref(l)
	if l == nil || equal(b, l) {
		return nil
	}
	if vs, keep := m.judge(p, l); len(vs) > 0 {
		m.violations = append(m.violations, vs...)
		return keep
	}
	if b != nil && b.Kind != l.Kind {
		b = nil // replaced by something else: all of it is the user's
	}
	switch l.Kind {
	case yaml.MappingNode:
		out := emptyLike(l)
		for i := 0; i+1 < len(l.Content); i += 2 {
			k := l.Content[i].Value
			if v := m.additions(p.key(k), mapGet(b, k), l.Content[i+1]); v != nil {
				out.Content = append(out.Content, clone(l.Content[i]), v)
			}
		}
		if len(out.Content) == 0 && len(l.Content) > 0 {
			return nil
		}
		return out
	case yaml.SequenceNode:
		out := emptyLike(l)
		fromBase := newTally(b)
		for i, item := range l.Content {
			if fromBase.take(item) {
				continue
			}
			if v := m.item(p.index(i), item); v != nil {
				out.Content = append(out.Content, v)
			}
		}
		if len(out.Content) == 0 && len(l.Content) > 0 {
			return nil
		}
		return out
	default: // scalars, aliases, documents: the user's value as a whole
		return clone(l)
	}
}

// item judges one item the user added to a list, as a whole: a rule is
// one entry, not a bundle of keys.
func (m *merger) item(p keyPath, item *yaml.Node) *yaml.Node {
	if vs, keep := m.judge(p, deref(item)); len(vs) > 0 {
		m.violations = append(m.violations, vs...)
		return keep
	}
	return clone(item)
}

// restore records an entry of next the user had removed or changed, in a
// form short enough for one line of sync's report.
func (m *merger) restore(p keyPath, n *yaml.Node) {
	n = deref(n)
	at := p.String()
	var what string
	switch {
	case n.Kind == yaml.ScalarNode:
		what = n.Value
	case n.Kind == yaml.MappingNode && identities[at] != "":
		what = scalar(mapGet(n, identities[at]))
	case n.Kind == yaml.SequenceNode && len(scalars(n)) == len(n.Content):
		what = strings.Join(scalars(n), ", ")
	default:
		what = flow(n)
	}
	if what == "" || len(what) > 120 {
		m.restored = append(m.restored, at)
		return
	}
	m.restored = append(m.restored, at+": "+what)
}
