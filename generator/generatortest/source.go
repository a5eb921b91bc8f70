// Package generatortest builds generator sources for the tests of the
// packages above the generator (plan, workflow).
package generatortest

import (
	"testing"
	"testing/fstest"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/project"
	"github.com/envgen/envgen/internal/testtemplate"
)

// Source is the test template (see testtemplate) with extra files.
func Source(t testing.TB, extra fstest.MapFS) *generator.Source {
	t.Helper()
	src, err := generator.NewSource(testtemplate.FS(extra), nil, project.Origin{Kind: "dir", URL: "testdata"})
	if err != nil {
		t.Fatal(err)
	}
	return src
}
