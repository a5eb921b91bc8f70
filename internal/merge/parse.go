package merge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"gopkg.in/yaml.v3"
)

// document is a parsed YAML stream or JSON text: the content node of each
// document in it (none for an empty file or one of comments only).
type document struct {
	roots []*yaml.Node
}

// root is what the structural merge works on: the single document, nil
// for none; when stream is set (some side has several documents) a
// sequence of the documents.
func (d *document) root(stream bool) *yaml.Node {
	switch {
	case stream:
		return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: d.roots}
	case len(d.roots) == 0:
		return nil
	}
	return d.roots[0]
}

// parseYAML parses every document of a YAML stream. Duplicate keys are an
// error, although yaml.v3 accepts them into nodes: a line merge can
// produce them (both sides add the same key at different places) and such
// a text must never pass as a good merge.
func parseYAML(data []byte) (*document, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	d := &document{}
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return d, nil
		}
		if err != nil {
			return nil, fmt.Errorf("parse YAML: %w", err)
		}
		root := &n
		if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
			root = n.Content[0]
		}
		if err := checkKeys(root, 0); err != nil {
			return nil, err
		}
		d.roots = append(d.roots, root)
	}
}

// parseJSON checks that data is JSON (YAML would accept more, e.g.
// comments or trailing commas) and parses it into nodes, which keeps key
// order and line numbers.
func parseJSON(data []byte) (*document, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return &document{}, nil
	}
	if !json.Valid(data) {
		return nil, errors.New("not valid JSON")
	}
	return parseYAML(data)
}

// maxDepth guards the recursive walks against absurd nesting.
const maxDepth = 1000

var errTooDeep = errors.New("document nested too deeply")

func checkKeys(n *yaml.Node, depth int) error {
	if n == nil {
		return nil
	}
	if depth > maxDepth {
		return errTooDeep
	}
	if n.Kind == yaml.MappingNode {
		seen := make(map[string]bool, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := keyOf(n.Content[i])
			if seen[k] {
				return fmt.Errorf("line %d: mapping key %q already defined", n.Content[i].Line, n.Content[i].Value)
			}
			seen[k] = true
		}
	}
	for _, c := range n.Content {
		if err := checkKeys(c, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// keyOf is how mapping keys are matched: by their scalar value
// (quoting does not matter), other keys by their structure.
func keyOf(k *yaml.Node) string {
	if k.Kind == yaml.ScalarNode {
		return k.Value
	}
	return "\x00" + newCanon(false).of(k)
}
