package merge

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// The structural three-way merge of parsed documents. It never writes
// text: it says what the merged value must be (or where it cannot be
// decided), and the text merge in yaml.go looks for a text with that
// value. The rules, per node:
//
//   - the same on both sides, or changed on one side only: take it;
//   - mappings: merge key by key; a key edited on one side and removed on
//     the other is a conflict, a key both sides removed is gone;
//   - sequences: in order (sequence.go), entries of mappings by identity
//     when they have one (identity.go);
//   - a string of several lines (a script) merges line by line, as Text;
//   - anything else both sides changed differently is a conflict, and so
//     is a value both sides added differently (no base to merge from).

// nodeConflict is a Conflict plus the nodes it is about on each side
// (base, local, next; map keys included), to find its lines.
type nodeConflict struct {
	Conflict
	nodes [3][]*yaml.Node
}

// merger runs one structural merge. At a conflict it takes the local
// value, or the next one with preferNext: merging twice, once each way,
// gives the two values a text with conflict markers stands for.
type merger struct {
	c          *canon
	preferNext bool
	conflicts  []nodeConflict
}

func newMerger(c *canon, preferNext bool) *merger {
	return &merger{c: c, preferNext: preferNext}
}

// triple is one node on the three sides; keys are the mapping keys the
// nodes are values of, if any (they only serve to locate conflicts).
type triple struct {
	b, l, n    *yaml.Node
	kb, kl, kn *yaml.Node
}

func (t triple) nodes() [3][]*yaml.Node {
	var out [3][]*yaml.Node
	for i, pair := range [3][2]*yaml.Node{{t.kb, t.b}, {t.kl, t.l}, {t.kn, t.n}} {
		for _, n := range pair {
			if n != nil {
				out[i] = append(out[i], n)
			}
		}
	}
	return out
}

// node merges one node; nil means absent.
func (m *merger) node(path string, t triple) *yaml.Node {
	c := m.c
	switch {
	case c.equal(t.l, t.n):
		return t.l
	case c.equal(t.b, t.l):
		return t.n
	case c.equal(t.b, t.n):
		return t.l
	case t.b == nil:
		return m.conflict(path, "added on both sides with different content", t)
	case t.l == nil:
		return m.conflict(path, "removed locally, changed by the template", t)
	case t.n == nil:
		return m.conflict(path, "edited locally, removed by the template", t)
	case allKind(yaml.MappingNode, t.b, t.l, t.n):
		return m.mapping(path, t)
	case allKind(yaml.SequenceNode, t.b, t.l, t.n):
		return m.sequence(path, lastKey(t), t)
	}
	if v := multilineString(t); v != nil {
		return v
	}
	return m.conflict(path, "changed differently on both sides", t)
}

// multilineString merges a string of several lines (a script in a block
// scalar, say) that both sides edited, line by line as Text would: edits
// of different lines of a script are no conflict in a shell file either.
// nil if it is not such a string or the lines conflict.
func multilineString(t triple) *yaml.Node {
	for _, n := range []*yaml.Node{t.b, t.l, t.n} {
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" || !strings.Contains(n.Value, "\n") {
			return nil
		}
	}
	r := Text([]byte(t.b.Value), []byte(t.l.Value), []byte(t.n.Value))
	if !r.Clean() {
		return nil
	}
	out := *t.l
	out.Value = string(r.Data)
	return &out
}

func (m *merger) conflict(path, detail string, t triple) *yaml.Node {
	if path == "" {
		path = "(document)"
	}
	m.conflicts = append(m.conflicts, nodeConflict{Conflict{Path: path, Detail: detail}, t.nodes()})
	if m.preferNext {
		return t.n
	}
	return t.l
}

func allKind(k yaml.Kind, nodes ...*yaml.Node) bool {
	for _, n := range nodes {
		if n.Kind != k {
			return false
		}
	}
	return true
}

func lastKey(t triple) string {
	for _, k := range []*yaml.Node{t.kl, t.kn, t.kb} {
		if k != nil {
			return k.Value
		}
	}
	return ""
}

// mapping merges key by key. The result keeps local's keys in local's
// order; a key only next has goes after the key that precedes it in next
// (this order only shows if the merge has to be re-encoded).
func (m *merger) mapping(path string, t triple) *yaml.Node {
	out := *t.l
	out.Content = nil
	for i := 0; i+1 < len(t.l.Content); i += 2 {
		k := t.l.Content[i]
		kb, vb := mapEntry(t.b, k)
		kn, vn := mapEntry(t.n, k)
		if v := m.node(joinKey(path, k), triple{vb, t.l.Content[i+1], vn, kb, k, kn}); v != nil {
			out.Content = append(out.Content, k, v)
		}
	}
	for i := 0; i+1 < len(t.n.Content); i += 2 {
		k := t.n.Content[i]
		if _, v := mapEntry(t.l, k); v != nil {
			continue
		}
		kb, vb := mapEntry(t.b, k)
		if v := m.node(joinKey(path, k), triple{vb, nil, t.n.Content[i+1], kb, nil, k}); v != nil {
			out.Content = insertAfterPredecessor(out.Content, t.n.Content, i, []*yaml.Node{k, v}, func(key string) bool {
				probe := &yaml.Node{Kind: yaml.ScalarNode, Value: key}
				_, inNext := mapEntry(t.n, probe)
				_, inBase := mapEntry(t.b, probe)
				return inNext == nil && inBase == nil
			})
		}
	}
	return &out
}

// mapEntry returns the key node and the value of key in mapping m.
func mapEntry(m, key *yaml.Node) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	want := keyOf(key)
	for i := 0; i+1 < len(m.Content); i += 2 {
		if keyOf(m.Content[i]) == want {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// insertAfterPredecessor inserts the pair that is at index i of the
// mapping content from (next's) where insertionPoint says.
func insertAfterPredecessor(out, from []*yaml.Node, i int, pair []*yaml.Node, localOnly func(string) bool) []*yaml.Node {
	have := make([]string, 0, len(out)/2)
	for p := 0; p+1 < len(out); p += 2 {
		have = append(have, keyOf(out[p]))
	}
	at := 2 * insertionPoint(have, func(j int) (string, bool) {
		if j < 0 {
			return "", false
		}
		return keyOf(from[2*j]), true
	}, i/2-1, localOnly)
	res := make([]*yaml.Node, 0, len(out)+2)
	res = append(res, out[:at]...)
	res = append(res, pair...)
	return append(res, out[at:]...)
}

func joinKey(path string, k *yaml.Node) string {
	name := k.Value
	if k.Kind != yaml.ScalarNode {
		name = "?"
	}
	if path == "" {
		return name
	}
	return path + "." + name
}
