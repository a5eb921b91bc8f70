package lintfloor

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// defaultSets are the linters each linters.default value turns on, where
// golangci-lint v2 documents a fixed list. "all" is every linter; "fast"
// depends on the golangci-lint release, so it counts as none here.
var defaultSets = map[string][]string{
	"standard": {"errcheck", "govet", "ineffassign", "staticcheck", "unused"},
	"none":     nil,
	"fast":     nil,
}

// policy is what next, the new render, requires: read once, consulted by
// every check of the silencer table.
type policy struct {
	next        *yaml.Node
	defaultName string          // linters.default
	enabled     map[string]bool // linters.enable
	defaults    map[string]bool // the linters defaultName turns on
	// gosec rules: with includes, only those run; else all but excludes.
	gosecIncludes []string
	gosecExcludes []string
	rules         []exclusion // linters.exclusions.rules of next
}

func newPolicy(next *yaml.Node) *policy {
	pol := &policy{
		next:          next,
		defaultName:   scalar(lookup(next, "linters", "default")),
		enabled:       map[string]bool{},
		defaults:      map[string]bool{},
		gosecIncludes: scalars(lookup(next, "linters", "settings", "gosec", "includes")),
		gosecExcludes: scalars(lookup(next, "linters", "settings", "gosec", "excludes")),
	}
	if pol.defaultName == "" {
		pol.defaultName = "standard" // golangci-lint v2's default
	}
	for _, l := range scalars(lookup(next, "linters", "enable")) {
		pol.enabled[l] = true
	}
	for _, l := range defaultSets[pol.defaultName] {
		pol.defaults[l] = true
	}
	if rules := lookup(next, "linters", "exclusions", "rules"); rules != nil {
		for _, r := range rules.Content {
			pol.rules = append(pol.rules, parseExclusion(r))
		}
	}
	return pol
}

// requires reports whether the profile runs a linter: enabled by name or
// by the default set.
func (pol *policy) requires(linter string) bool {
	return pol.enabled[linter] || pol.defaults[linter] || pol.defaultName == "all"
}

// gosecRuns reports whether the profile runs a gosec rule (G112 ...).
func (pol *policy) gosecRuns(id string) bool {
	if len(pol.gosecIncludes) > 0 {
		return slices.Contains(pol.gosecIncludes, id)
	}
	return !slices.Contains(pol.gosecExcludes, id)
}

// at returns next's value at a path of keys (indexes never match).
func (pol *policy) at(p keyPath) *yaml.Node {
	for _, s := range p {
		if strings.HasPrefix(s, "[") {
			return nil
		}
	}
	return lookup(pol.next, p...)
}

// exclusion is one linters.exclusions.rules entry.
type exclusion struct {
	linters    []string
	path       string
	pathExcept string
	text       string
	source     string
}

func parseExclusion(n *yaml.Node) exclusion {
	return exclusion{
		linters:    scalars(mapGet(n, "linters")),
		path:       scalar(mapGet(n, "path")),
		pathExcept: scalar(mapGet(n, "path-except")),
		text:       scalar(mapGet(n, "text")),
		source:     scalar(mapGet(n, "source")),
	}
}

// allows reports whether the profile's own rules already exclude linter
// wherever r does: a rule of next names the linter, has the same path
// regexps, and is not narrower in text or source than r. Regexps are
// compared as written, not by what they match: a different spelling of
// the same path is not recognised, and is reported.
func (pol *policy) allows(linter string, r exclusion) bool {
	for _, nr := range pol.rules {
		if slices.Contains(nr.linters, linter) && nr.path == r.path && nr.pathExcept == r.pathExcept &&
			(nr.text == "" || nr.text == r.text) && (nr.source == "" || nr.source == r.source) {
			return true
		}
	}
	return false
}

// allowedWhere describes where the profile excludes a linter, for messages.
func (pol *policy) allowedWhere(linter string) string {
	var where []string
	for _, nr := range pol.rules {
		if slices.Contains(nr.linters, linter) {
			where = append(where, nr.where())
		}
	}
	if len(where) == 0 {
		return "the profile never excludes it"
	}
	return "the profile allows it only on " + strings.Join(where, " and ")
}

// where describes the files and findings a rule covers.
func (r exclusion) where() string {
	var s string
	switch {
	case r.path != "" && r.path != ".*" && r.path != "^.*$":
		s = r.path
	case r.pathExcept != "":
		s = "every path except " + r.pathExcept
	default:
		s = "every path"
	}
	if r.text != "" {
		s += " (findings matching " + r.text + ")"
	}
	if r.source != "" {
		s += " (lines matching " + r.source + ")"
	}
	return s
}
