package merge

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// canon computes a canonical string of a node's value: two nodes hold the
// same value exactly when their strings are equal. Comments, blank lines,
// quoting and flow/block style are not part of it, nor the order of
// mapping keys; the order of sequences is. Results are memoized, since
// the merge compares the same subtrees again and again.
//
// resolve chooses what an alias means. SameValue follows aliases (two
// documents hold the same data). The merge does not: there an alias is
// the reference "*name" and an anchored node carries "&name", so that a
// change of the anchored node is one change in one place, not a change
// of every alias to it.
type canon struct {
	resolve bool
	memo    map[*yaml.Node]string
	active  map[*yaml.Node]bool // against alias cycles
}

func newCanon(resolve bool) *canon {
	return &canon{resolve: resolve, memo: map[*yaml.Node]string{}, active: map[*yaml.Node]bool{}}
}

func (c *canon) equal(a, b *yaml.Node) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a == b || c.of(a) == c.of(b)
}

func (c *canon) of(n *yaml.Node) string {
	if n == nil {
		return "~absent"
	}
	if s, ok := c.memo[n]; ok {
		return s
	}
	if c.active[n] {
		return "~cycle"
	}
	c.active[n] = true
	s := c.compute(n)
	delete(c.active, n)
	c.memo[n] = s
	return s
}

func (c *canon) compute(n *yaml.Node) string {
	var s string
	switch n.Kind {
	case yaml.DocumentNode:
		s = c.list("doc", n.Content)
	case yaml.AliasNode:
		if c.resolve {
			return c.of(n.Alias)
		}
		return "*" + n.Value
	case yaml.ScalarNode:
		s = scalarValue(n)
	case yaml.SequenceNode:
		s = c.list(n.ShortTag(), n.Content)
	case yaml.MappingNode:
		s = c.mapping(n)
	}
	if n.Anchor != "" && !c.resolve {
		s = "&" + n.Anchor + " " + s
	}
	return s
}

// piece prefixes a part with its length, so that concatenations of
// parts cannot collide.
func piece(b *strings.Builder, s string) {
	b.WriteString(strconv.Itoa(len(s)))
	b.WriteByte(':')
	b.WriteString(s)
}

func (c *canon) list(tag string, items []*yaml.Node) string {
	var b strings.Builder
	b.WriteString(tag + "[")
	for _, it := range items {
		piece(&b, c.of(it))
	}
	b.WriteString("]")
	return b.String()
}

func (c *canon) mapping(n *yaml.Node) string {
	pairs := make([]string, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		var b strings.Builder
		piece(&b, c.of(n.Content[i]))
		piece(&b, c.of(n.Content[i+1]))
		pairs = append(pairs, b.String())
	}
	sort.Strings(pairs)
	var b strings.Builder
	b.WriteString(n.ShortTag() + "{")
	for _, p := range pairs {
		piece(&b, p)
	}
	b.WriteString("}")
	return b.String()
}

// scalarValue is a scalar's tag and value, with numbers and booleans
// decoded, so that 0x10 and 16, or 1e3 and 1000.0, are the same value.
func scalarValue(n *yaml.Node) string {
	tag := n.ShortTag()
	switch tag {
	case "!!int", "!!float", "!!bool":
		var v any
		if err := n.Decode(&v); err == nil {
			if f, ok := v.(float64); ok {
				return "!!float " + strconv.FormatFloat(f, 'g', -1, 64)
			}
			return tag + " " + fmt.Sprint(v)
		}
	case "!!null":
		return "!!null"
	}
	return tag + " " + n.Value
}

// SameValue reports whether two YAML/JSON documents hold the same value:
// comments, blank lines, quoting and flow/block style are ignored, so is
// the order of mapping keys, not that of sequences. Aliases count as the
// value they stand for. It is false if either does not parse.
func SameValue(a, b []byte) bool {
	da, err := parseYAML(a)
	if err != nil {
		return false
	}
	db, err := parseYAML(b)
	if err != nil {
		return false
	}
	stream := len(da.roots) > 1 || len(db.roots) > 1
	c := newCanon(true)
	return c.of(da.root(stream)) == c.of(db.root(stream))
}
