package generator

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/envgen/envgen/internal/goversion"
)

var update = flag.Bool("update", false, "rewrite the golden renders in testdata/golden")

// goldenInputs are fixed inputs for the golden renders: a change to any
// template shows up as a reviewable diff of these archives.
func goldenInputs(profile string) Inputs {
	return Inputs{Module: "github.com/acme/orders", Profile: profile, Go: goversion.Default}
}

// renderBuiltin renders the built-in template for a profile with fixed secrets.
func renderBuiltin(tb testing.TB, profile string) *Target {
	tb.Helper()
	src, err := Builtin()
	if err != nil {
		tb.Fatal(err)
	}
	r, err := src.Resolve(goldenInputs(profile))
	if err != nil {
		tb.Fatal(err)
	}
	r.Secrets = FixedSecrets()
	target, err := Render(src, r)
	if err != nil {
		tb.Fatal(err)
	}
	return target
}

func TestGoldenRenders(t *testing.T) {
	for _, profile := range []string{"development", "staging", "production"} {
		t.Run(profile, func(t *testing.T) {
			target := renderBuiltin(t, profile)
			ar := &txtar.Archive{Comment: []byte("golden render of profile " + profile + "; refresh with go test ./generator -run TestGoldenRenders -update\n")}
			for _, f := range target.Files {
				ar.Files = append(ar.Files, txtar.File{Name: string(f.Mode) + " " + f.Path, Data: f.Data})
			}
			got := txtar.Format(ar)
			golden := filepath.Join("testdata", "golden", profile+".txtar")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				wantAr := txtar.Parse(want)
				wantFiles := map[string]string{}
				for _, f := range wantAr.Files {
					wantFiles[f.Name] = string(f.Data)
				}
				for _, f := range ar.Files {
					w, ok := wantFiles[f.Name]
					switch {
					case !ok:
						t.Errorf("new file %s", f.Name)
					case w != string(f.Data):
						t.Errorf("%s differs from the golden render", f.Name)
					}
					delete(wantFiles, f.Name)
				}
				for name := range wantFiles {
					t.Errorf("file %s no longer rendered", name)
				}
				t.Log("if the change is intended: go test ./generator -run TestGoldenRenders -update")
			}
		})
	}
}
