package lintfloor

import (
	"bytes"
	"errors"
	"fmt"

	"gopkg.in/yaml.v3"
)

// Violation is one user change that silences a rule the profile requires.
type Violation struct {
	Rule   string // the linter (or linter/rule, e.g. "gosec/G112"), or "every linter"
	Key    string // where in the file, e.g. "linters.exclusions.rules[3]", "linters.disable", "linters.default"
	Detail string // e.g. "excludes noctx on every path; the profile allows it only on ^internal/database/"
}

// String is the one-line form sync prints.
func (v Violation) String() string { return v.Key + ": " + v.Rule + ": " + v.Detail }

// Result is what Apply decided.
type Result struct {
	Data       []byte      // the file sync should leave: next's entries + the user's harmless additions
	Violations []Violation // silencers removed (drift)
	Restored   []string    // required entries put back (e.g. "linters.enable: noctx")
}

// Apply lays the profile's policy (next, the new render) over the user's
// file (local), using base (what envgen last wrote; nil if unknown) to tell
// the user's additions from envgen's old entries.
//
// Every entry of next is in Data with next's value. What local has beyond
// base is the user's: kept, unless the silencer table condemns it (then it
// is removed and reported in Violations). What local shares with base but
// next no longer has is envgen's old policy, and goes. Without a base,
// everything local has beyond next counts as the user's, so a leftover of
// an older render is judged like an addition.
//
// Data keeps the user's text where it can (see render): an untouched file
// (local == base) becomes next byte for byte, a file that already holds
// the policy stays as it is byte for byte. A base that is not valid YAML
// counts as unknown; a local or next that is not is an error.
func Apply(base, local, next []byte) (Result, error) {
	nextDoc, n, err := parse(next)
	if err != nil {
		return Result{}, fmt.Errorf("the new render is not valid YAML: %w", err)
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return Result{}, errors.New("the new render is not a YAML mapping")
	}
	_, l, err := parse(local)
	if err != nil {
		return Result{}, fmt.Errorf("not valid YAML: %w", err)
	}
	var b *yaml.Node
	if base != nil {
		if _, b, err = parse(base); err != nil || b == nil || b.Kind != yaml.MappingNode {
			b, base = nil, nil
		}
	}
	if base != nil && bytes.Equal(local, base) {
		// Untouched: the new render as it is. (Not merely value-equal:
		// next's comments and layout are part of what envgen writes.)
		return Result{Data: next}, nil
	}
	if base == nil {
		b = n
	}

	m := &merger{pol: newPolicy(n)}
	want := m.merge(nil, b, l, n)
	data, err := render(base, local, next, want, nextDoc)
	if err != nil {
		return Result{}, err
	}
	return Result{Data: data, Violations: m.violations, Restored: m.restored}, nil
}
