package lintfloor_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/envgen/envgen/generator"
)

var update = flag.Bool("update", false, "rewrite testdata/<profile>.golangci.yml from the current templates")

// The fixtures the tests of this package use are real renders of
// .golangci.yml, one per built-in profile. This test proves they are the
// current ones; after an intended template change refresh them with
//
//	go test ./internal/lintfloor -run TestFixturesAreCurrentRenders -update
func TestFixturesAreCurrentRenders(t *testing.T) {
	src, err := generator.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, profile := range []string{"development", "staging", "production"} {
		r, err := src.Resolve(generator.Inputs{Module: "example.com/x", Profile: profile})
		if err != nil {
			t.Fatal(err)
		}
		r.Secrets = generator.FixedSecrets() // .env needs them; .golangci.yml does not
		target, err := generator.Render(src, r)
		if err != nil {
			t.Fatal(err)
		}
		var got []byte
		for _, f := range target.Files {
			if f.Path == ".golangci.yml" {
				got = f.Data
			}
		}
		if got == nil {
			t.Fatalf("profile %s renders no .golangci.yml", profile)
		}
		file := filepath.Join("testdata", profile+".golangci.yml")
		if *update {
			if err := os.WriteFile(file, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s is not the current render of profile %s; refresh it with -update", file, profile)
		}
	}
}
