package merge

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// identity tells which entry of a list is "the same" entry on the three
// sides, so that a list of named things merges like a mapping: a port by
// its container port, a rule by its name. Without one, lists merge by
// position (sequence.go).
type identity struct {
	label string // shown in paths: ports[target=8080]; "" for env[NAME], rules[alert=Down]
	of    func(*yaml.Node) (string, bool)
}

// identityKeys are the fields that name an entry, most specific first;
// "alert|record" is Prometheus rules, where each rule has one of them.
var identityKeys = []string{"name", "job_name", "alert|record", "target", "id", "key"}

// detectIdentity finds the identity of a list's entries: one that every
// entry of all three sides has, unique within each side. key is the
// mapping key the list is the value of: compose's ports, volumes and
// environment lists have string entries with an identity of their own.
func detectIdentity(key string, seqs ...*yaml.Node) *identity {
	var candidates []*identity
	switch key {
	case "ports":
		candidates = append(candidates, &identity{label: "target", of: portTarget})
	case "volumes":
		candidates = append(candidates, &identity{label: "target", of: volumeTarget})
	case "environment":
		candidates = append(candidates, &identity{of: envName})
	}
	for _, k := range identityKeys {
		candidates = append(candidates, fieldIdentity(k))
	}
	for _, id := range candidates {
		if id.fits(seqs) {
			return id
		}
	}
	return nil
}

func (id *identity) fits(seqs []*yaml.Node) bool {
	for _, s := range seqs {
		seen := map[string]bool{}
		for _, e := range s.Content {
			k, ok := id.of(e)
			if !ok || seen[k] {
				return false
			}
			seen[k] = true
		}
	}
	return true
}

func (id *identity) index(s *yaml.Node) map[string]*yaml.Node {
	out := make(map[string]*yaml.Node, len(s.Content))
	for _, e := range s.Content {
		k, _ := id.of(e)
		out[k] = e
	}
	return out
}

func (id *identity) path(path, k string) string {
	if id.label == "" {
		return fmt.Sprintf("%s[%s]", path, k)
	}
	return fmt.Sprintf("%s[%s=%s]", path, id.label, k)
}

// fieldIdentity names a mapping entry by a scalar field; "a|b" accepts
// either field, and the identity then says which: rules[alert=Down].
func fieldIdentity(spec string) *identity {
	fields := strings.Split(spec, "|")
	id := &identity{}
	if len(fields) == 1 {
		id.label = fields[0]
	}
	id.of = func(e *yaml.Node) (string, bool) {
		if e.Kind != yaml.MappingNode {
			return "", false
		}
		for _, f := range fields {
			if _, v := mapEntry(e, &yaml.Node{Kind: yaml.ScalarNode, Value: f}); v != nil && v.Kind == yaml.ScalarNode {
				if len(fields) > 1 {
					return f + "=" + v.Value, true
				}
				return v.Value, true
			}
		}
		return "", false
	}
	return id
}

// portTarget is a compose port's container port: the target field of the
// long syntax, or what follows the last ':' of "[ip:]host:container[/proto]".
// A protocol other than tcp is part of it: 53/udp and 53/tcp are two ports.
func portTarget(e *yaml.Node) (string, bool) {
	switch e.Kind {
	case yaml.ScalarNode:
		v := e.Value
		proto := ""
		if i := strings.LastIndexByte(v, '/'); i >= 0 {
			v, proto = v[:i], v[i+1:]
		}
		if i := strings.LastIndexByte(v, ':'); i >= 0 {
			v = v[i+1:]
		}
		return withProto(v, proto), v != ""
	case yaml.MappingNode:
		_, t := mapEntry(e, &yaml.Node{Kind: yaml.ScalarNode, Value: "target"})
		if t == nil || t.Kind != yaml.ScalarNode {
			return "", false
		}
		proto := ""
		if _, p := mapEntry(e, &yaml.Node{Kind: yaml.ScalarNode, Value: "protocol"}); p != nil {
			proto = p.Value
		}
		return withProto(t.Value, proto), true
	default: // documents, sequences, aliases: no port
		return "", false
	}
}

// volumeTarget is a compose volume's path in the container: the target
// field of the long syntax, or the second part of "source:target[:mode]"
// (the only part of an anonymous volume).
func volumeTarget(e *yaml.Node) (string, bool) {
	if e.Kind == yaml.MappingNode {
		return fieldIdentity("target").of(e)
	}
	if e.Kind != yaml.ScalarNode || e.Value == "" {
		return "", false
	}
	parts := strings.Split(e.Value, ":")
	if len(parts) == 1 {
		return parts[0], true
	}
	return parts[1], parts[1] != ""
}

func withProto(port, proto string) string {
	if proto == "" || strings.EqualFold(proto, "tcp") {
		return port
	}
	return port + "/" + strings.ToLower(proto)
}

// envName is the variable of a compose environment entry "NAME=value"
// (or "NAME", passed through from the shell).
func envName(e *yaml.Node) (string, bool) {
	if e.Kind != yaml.ScalarNode || e.Value == "" {
		return "", false
	}
	name, _, _ := strings.Cut(e.Value, "=")
	return name, name != ""
}
