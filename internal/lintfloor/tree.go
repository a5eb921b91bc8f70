package lintfloor

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// parse reads one YAML document. doc is the document node, kept for its
// comments; root is its content (nil for an empty file).
func parse(data []byte) (doc, root *yaml.Node, err error) {
	var d yaml.Node
	if err := yaml.Unmarshal(data, &d); err != nil {
		return nil, nil, err //nolint:wrapcheck // the callers say which file is not valid YAML
	}
	if d.Kind != yaml.DocumentNode || len(d.Content) == 0 {
		return nil, nil, nil
	}
	return &d, d.Content[0], nil
}

// encode writes a document the way envgen's templates indent YAML.
func encode(doc *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode YAML: %w", err)
	}
	return b.Bytes(), nil
}

// deref follows an alias to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// clone copies a node deeply, resolving aliases: the copy is placed in a
// new tree, where the anchor an alias pointed to may not be.
func clone(n *yaml.Node) *yaml.Node {
	n = deref(n)
	if n == nil {
		return nil
	}
	c := *n
	c.Anchor = ""
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, x := range n.Content {
		c.Content[i] = clone(x)
	}
	return &c
}

// emptyLike returns a copy of a mapping or sequence node without content.
func emptyLike(n *yaml.Node) *yaml.Node {
	c := *deref(n)
	c.Anchor = ""
	c.Content = nil
	return &c
}

func mapGet(m *yaml.Node, key string) *yaml.Node {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return deref(m.Content[i+1])
		}
	}
	return nil
}

// lookup follows keys from root; nil if any is missing.
func lookup(root *yaml.Node, keys ...string) *yaml.Node {
	n := deref(root)
	for _, k := range keys {
		if n = mapGet(n, k); n == nil {
			return nil
		}
	}
	return n
}

func contains(list []*yaml.Node, n *yaml.Node) bool {
	for _, x := range list {
		if equal(x, n) {
			return true
		}
	}
	return false
}

// equal compares values, not presentation: comments, quoting style, the
// order of mapping keys and the order of list items do not matter. The
// lists of a golangci-lint configuration are sets (linters, rules, paths,
// forbidden patterns); the one kind where order counts, revive's rule
// arguments, the profiles do not set.
func equal(a, b *yaml.Node) bool {
	a, b = deref(a), deref(b)
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind != b.Kind || len(a.Content) != len(b.Content) {
		return false
	}
	switch a.Kind {
	case yaml.ScalarNode:
		return a.ShortTag() == b.ShortTag() && a.Value == b.Value
	case yaml.MappingNode:
		for i := 0; i+1 < len(a.Content); i += 2 {
			if !equal(a.Content[i+1], mapGet(b, a.Content[i].Value)) {
				return false
			}
		}
		return true
	default:
		t := newTally(b)
		for _, x := range a.Content {
			if !t.take(x) {
				return false
			}
		}
		return true
	}
}

// scalars returns the scalar values of a sequence (or of a lone scalar).
func scalars(n *yaml.Node) []string {
	n = deref(n)
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}
	}
	var out []string
	for _, x := range n.Content {
		if x = deref(x); x.Kind == yaml.ScalarNode {
			out = append(out, x.Value)
		}
	}
	return out
}

// scalar returns a scalar's value, "" for anything else.
func scalar(n *yaml.Node) string {
	if n = deref(n); n != nil && n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

// flow renders a node on one line for messages: {path: x, linters: [a, b]}.
func flow(n *yaml.Node) string {
	n = deref(n)
	if n == nil {
		return ""
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Value
	case yaml.MappingNode:
		parts := make([]string, 0, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			parts = append(parts, n.Content[i].Value+": "+flow(n.Content[i+1]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	default:
		parts := make([]string, 0, len(n.Content))
		for _, x := range n.Content {
			parts = append(parts, flow(x))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
}
