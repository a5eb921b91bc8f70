package merge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Re-encoding the merged value: only when the structural merge is clean
// but no text made of the three files' lines has its value (e.g. both
// sides edited different items of one flow list on one line). yaml.v3
// keeps the comments attached to nodes but not blank lines, and the
// layout becomes its own.

// encodeYAML writes the merged value with the local file's indentation;
// for a stream the value is the sequence of its documents.
func encodeYAML(root *yaml.Node, stream bool, localData []byte) ([]byte, error) {
	if root == nil {
		return nil, nil
	}
	docs := []*yaml.Node{root}
	if stream {
		docs = root.Content
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(indentWidth(localData, 2))
	for _, d := range docs {
		if err := enc.Encode(d); err != nil {
			return nil, fmt.Errorf("encode YAML: %w", err)
		}
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode YAML: %w", err)
	}
	return b.Bytes(), nil
}

// encodeJSON writes the merged value as JSON indented like the local file.
func encodeJSON(root *yaml.Node, _ bool, localData []byte) ([]byte, error) {
	if root == nil {
		return nil, nil
	}
	unit := strings.Repeat(" ", indentWidth(localData, 2))
	if lineIndent(localData) == "\t" {
		unit = "\t"
	}
	var b bytes.Buffer
	if err := writeJSON(&b, root, "", unit, 0); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// lineIndent returns the leading whitespace of the first indented line.
func lineIndent(data []byte) string {
	for _, l := range splitLines(data) {
		trimmed := strings.TrimLeft(l, " \t")
		if len(trimmed) < len(l) && strings.TrimSpace(trimmed) != "" {
			return l[:len(l)-len(trimmed)]
		}
	}
	return ""
}

func indentWidth(data []byte, fallback int) int {
	if w := len(lineIndent(data)); w >= 2 && w <= 8 {
		return w
	}
	return fallback
}

// writeJSON writes a node as indented JSON, keeping key order.
func writeJSON(b *bytes.Buffer, n *yaml.Node, indent, unit string, depth int) error {
	if depth > maxDepth {
		return errTooDeep
	}
	inner := indent + unit
	switch n.Kind {
	case yaml.DocumentNode:
		return writeJSON(b, n.Content[0], indent, unit, depth+1)
	case yaml.AliasNode:
		return writeJSON(b, n.Alias, indent, unit, depth+1)
	case yaml.MappingNode:
		return writeJSONList(b, "{", "}", len(n.Content)/2, indent, inner, func(i int) error {
			key, err := json.Marshal(n.Content[2*i].Value)
			if err != nil {
				return fmt.Errorf("encode JSON: %w", err)
			}
			b.Write(key)
			b.WriteString(": ")
			return writeJSON(b, n.Content[2*i+1], inner, unit, depth+1)
		})
	case yaml.SequenceNode:
		return writeJSONList(b, "[", "]", len(n.Content), indent, inner, func(i int) error {
			return writeJSON(b, n.Content[i], inner, unit, depth+1)
		})
	default: // yaml.ScalarNode
		return writeJSONScalar(b, n)
	}
}

func writeJSONList(b *bytes.Buffer, open, closing string, n int, indent, inner string, item func(int) error) error {
	if n == 0 {
		b.WriteString(open + closing)
		return nil
	}
	b.WriteString(open + "\n")
	for i := range n {
		b.WriteString(inner)
		if err := item(i); err != nil {
			return err
		}
		if i+1 < n {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString(indent + closing)
	return nil
}

func writeJSONScalar(b *bytes.Buffer, n *yaml.Node) error {
	switch n.ShortTag() {
	case "!!null":
		b.WriteString("null")
		return nil
	case "!!int", "!!float", "!!bool":
		if json.Valid([]byte(n.Value)) {
			b.WriteString(n.Value)
			return nil
		}
	}
	s, err := json.Marshal(n.Value)
	if err != nil {
		return fmt.Errorf("encode JSON: %w", err)
	}
	b.Write(s)
	return nil
}
