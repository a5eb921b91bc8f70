package main

import (
	"slices"
	"testing"

	"github.com/envgen/envgen/internal/goversion"
)

// The minors depsgen's table declares are exactly the dependency sets in
// templates/deps (what envgen supports): a declared minor without a set,
// or a set nobody declares, fails here. Adding Go 1.28 is a column in the
// table, make deps, and a test run.
func TestMinorsMatchTheDependencySets(t *testing.T) {
	if !slices.Equal(minors, goversion.Supported) {
		t.Fatalf("depsgen declares %v, templates/deps holds %v: run make deps", minors, goversion.Supported)
	}
	for _, p := range pins {
		for _, m := range minors {
			if p.versions[m] == "" {
				t.Errorf("%s has no version for Go %s", p.path, m)
			}
		}
	}
}
