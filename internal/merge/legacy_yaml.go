package merge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// errStructuralConflict means both sides changed the same key differently;
// the caller falls back to a line merge, which writes markers.
var errStructuralConflict = errors.New("conflicting changes to the same key")

// mergeYAML merges two descendants of a YAML (or JSON) document key by
// key: independent edits to different keys never conflict, comments and
// key order of the local file are kept, keys the template adds are
// appended, lists of plain values merge as sets.
func mergeYAML(base, local, next []byte, asJSON bool) ([]byte, error) {
	b, err := parseYAML(base)
	if err != nil {
		return nil, err
	}
	l, err := parseYAML(local)
	if err != nil {
		return nil, err
	}
	n, err := parseYAML(next)
	if err != nil {
		return nil, err
	}
	merged, err := merge3(b, l, n)
	if err != nil {
		return nil, err
	}
	return encodeNode(merged, asJSON)
}

// floorYAML lays the template's policy (floor) over the user's version:
// every entry of floor is there with floor's value, and whatever the user
// added (keys, list items) is kept.
func floorYAML(floor, local []byte) ([]byte, error) {
	f, err := parseYAML(floor)
	if err != nil {
		return nil, err
	}
	l, err := parseYAML(local)
	if err != nil {
		return nil, err
	}
	merged := overlayFloor(f, l)
	if nodesEqual(merged, f) {
		return floor, nil // nothing of the user's to keep: the template's exact bytes
	}
	return encodeNode(merged, false)
}

func parseYAML(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 { // empty document
		return nil, nil
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0], nil
	}
	return &doc, nil
}

func encodeNode(n *yaml.Node, asJSON bool) ([]byte, error) {
	if n == nil {
		return nil, nil
	}
	if asJSON {
		var b bytes.Buffer
		if err := writeJSONNode(&b, n, ""); err != nil {
			return nil, err
		}
		b.WriteByte('\n')
		return b.Bytes(), nil
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// merge3 merges one node; base may be nil (the key is new on both sides).
func merge3(b, l, n *yaml.Node) (*yaml.Node, error) {
	switch {
	case nodesEqual(l, n):
		return l, nil
	case b != nil && nodesEqual(b, l):
		return n, nil
	case b != nil && nodesEqual(b, n):
		return l, nil
	case l != nil && n != nil && l.Kind == yaml.MappingNode && n.Kind == yaml.MappingNode && (b == nil || b.Kind == yaml.MappingNode):
		return mergeMaps(b, l, n)
	case l != nil && n != nil && l.Kind == yaml.SequenceNode && n.Kind == yaml.SequenceNode && (b == nil || b.Kind == yaml.SequenceNode):
		return mergeSets(b, l, n), nil
	}
	return nil, errStructuralConflict
}

func mergeMaps(b, l, n *yaml.Node) (*yaml.Node, error) {
	out := *l
	out.Content = nil
	for i := 0; i+1 < len(l.Content); i += 2 {
		key, lv := l.Content[i], l.Content[i+1]
		nv, bv := mapGet(n, key.Value), mapGet(b, key.Value)
		switch {
		case nv != nil:
			mv, err := merge3(bv, lv, nv)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", key.Value, err)
			}
			out.Content = append(out.Content, key, mv)
		case bv == nil: // the user added it
			out.Content = append(out.Content, key, lv)
		case nodesEqual(bv, lv): // the template removed it, the user left it alone
		default:
			return nil, fmt.Errorf("%s: edited locally, removed by the template: %w", key.Value, errStructuralConflict)
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, nv := n.Content[i], n.Content[i+1]
		if mapGet(l, key.Value) != nil {
			continue
		}
		switch bv := mapGet(b, key.Value); {
		case bv == nil: // the template added it
			out.Content = append(out.Content, key, nv)
		case nodesEqual(bv, nv): // the user removed it, the template left it alone
		default:
			return nil, fmt.Errorf("%s: removed locally, changed by the template: %w", key.Value, errStructuralConflict)
		}
	}
	return &out, nil
}

// mergeSets merges lists as sets: the local list, minus what the template
// removed, plus what it added (in the template's order, at the end).
func mergeSets(b, l, n *yaml.Node) *yaml.Node {
	out := *l
	out.Content = nil
	for _, item := range l.Content {
		if b != nil && containsNode(b.Content, item) && !containsNode(n.Content, item) {
			continue
		}
		out.Content = append(out.Content, item)
	}
	for _, item := range n.Content {
		if (b == nil || !containsNode(b.Content, item)) && !containsNode(out.Content, item) {
			out.Content = append(out.Content, item)
		}
	}
	return &out
}

// overlayFloor returns floor with the user's additions from local.
func overlayFloor(floor, local *yaml.Node) *yaml.Node {
	if floor == nil || local == nil || floor.Kind != local.Kind {
		return floor
	}
	switch floor.Kind {
	case yaml.MappingNode:
		out := *floor
		out.Content = nil
		for i := 0; i+1 < len(floor.Content); i += 2 {
			key, fv := floor.Content[i], floor.Content[i+1]
			out.Content = append(out.Content, key, overlayFloor(fv, mapGet(local, key.Value)))
		}
		for i := 0; i+1 < len(local.Content); i += 2 {
			if mapGet(floor, local.Content[i].Value) == nil {
				out.Content = append(out.Content, local.Content[i], local.Content[i+1])
			}
		}
		return &out
	case yaml.SequenceNode:
		out := *floor
		out.Content = append([]*yaml.Node(nil), floor.Content...)
		for _, item := range local.Content {
			if !containsNode(out.Content, item) {
				out.Content = append(out.Content, item)
			}
		}
		return &out
	}
	return floor
}

func mapGet(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func containsNode(list []*yaml.Node, n *yaml.Node) bool {
	for _, x := range list {
		if nodesEqual(x, n) {
			return true
		}
	}
	return false
}

// nodesEqual compares values, not presentation: comments, styles and the
// order of mapping keys do not matter.
func nodesEqual(a, b *yaml.Node) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind == yaml.AliasNode {
		return nodesEqual(a.Alias, b)
	}
	if b.Kind == yaml.AliasNode {
		return nodesEqual(a, b.Alias)
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case yaml.ScalarNode:
		return a.ShortTag() == b.ShortTag() && a.Value == b.Value
	case yaml.MappingNode:
		if len(a.Content) != len(b.Content) {
			return false
		}
		for i := 0; i+1 < len(a.Content); i += 2 {
			if !nodesEqual(a.Content[i+1], mapGet(b, a.Content[i].Value)) {
				return false
			}
		}
		return true
	default:
		if len(a.Content) != len(b.Content) {
			return false
		}
		for i := range a.Content {
			if !nodesEqual(a.Content[i], b.Content[i]) {
				return false
			}
		}
		return true
	}
}

// writeJSONNode writes a node as indented JSON, keeping key order.
func writeJSONNode(b *bytes.Buffer, n *yaml.Node, indent string) error {
	inner := indent + "  "
	switch n.Kind {
	case yaml.DocumentNode:
		return writeJSONNode(b, n.Content[0], indent)
	case yaml.AliasNode:
		return writeJSONNode(b, n.Alias, indent)
	case yaml.MappingNode:
		if len(n.Content) == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteString("{\n")
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, err := json.Marshal(n.Content[i].Value)
			if err != nil {
				return err
			}
			b.WriteString(inner)
			b.Write(key)
			b.WriteString(": ")
			if err := writeJSONNode(b, n.Content[i+1], inner); err != nil {
				return err
			}
			if i+2 < len(n.Content) {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteString("[\n")
		for i, item := range n.Content {
			b.WriteString(inner)
			if err := writeJSONNode(b, item, inner); err != nil {
				return err
			}
			if i+1 < len(n.Content) {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!int", "!!float", "!!bool", "!!null":
			if n.ShortTag() == "!!null" {
				b.WriteString("null")
			} else {
				b.WriteString(strings.ToLower(n.Value))
			}
		default:
			s, err := json.Marshal(n.Value)
			if err != nil {
				return err
			}
			b.Write(s)
		}
	}
	return nil
}
