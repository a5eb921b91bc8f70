package starter

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"golang.org/x/tools/txtar"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/project"
)

// GoldenDir holds a starter's golden renders, one txtar archive per
// profile, each file named "<mode> <path>" as in envgen's own goldens.
const GoldenDir = "testdata/golden"

// ProfileResult is how one profile's render compared with its golden file.
type ProfileResult struct {
	Profile string `json:"profile"`
	// Status is "ok", "differs", "missing" (no golden file yet),
	// "updated" (--update wrote it) or "error" (the render failed).
	Status string   `json:"status"`
	Golden string   `json:"golden"`
	Diffs  []string `json:"diffs,omitempty"` // "changed PATH", "new PATH", "gone PATH"
	Error  string   `json:"error,omitempty"`
}

// TestReport is what template test found.
type TestReport struct {
	Dir     string          `json:"dir"`
	Results []ProfileResult `json:"results"`
}

// Failed counts the profiles that did not pass.
func (r *TestReport) Failed() int {
	n := 0
	for _, res := range r.Results {
		if res.Status != "ok" && res.Status != "updated" {
			n++
		}
	}
	return n
}

// Test renders every profile of the starter in dir with its test inputs
// and compares each render with testdata/golden/<profile>.txtar; with
// update it rewrites the golden files instead. A starter that does not
// load is an error; a render that fails is a failed profile.
func Test(dir string, lim Limits, update bool) (*TestReport, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("starter: %s: %w", dir, err)
	}
	src, err := Load(abs, project.Origin{Kind: "dir", URL: abs}, lim)
	if err != nil {
		return nil, err
	}
	in, err := readTestInputs(abs)
	if err != nil {
		return nil, err
	}
	rep := &TestReport{Dir: abs}
	for _, profile := range profilesToRender(src, in) {
		golden := filepath.Join(abs, filepath.FromSlash(GoldenDir), profile+".txtar")
		res := ProfileResult{Profile: profile, Golden: filepath.ToSlash(filepath.Join(GoldenDir, profile+".txtar"))}
		got, err := renderArchive(src, in, profile)
		switch {
		case err != nil:
			res.Status, res.Error = "error", err.Error()
		case update:
			//nolint:gosec // testdata/golden is part of the starter's source tree, committed with it: same mode as the rest of the repository
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				return nil, fmt.Errorf("starter: creating %s: %w", filepath.Dir(golden), err)
			}
			//nolint:gosec // a golden file is a source file of the starter, committed to git: readable like the rest of the repository
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				return nil, fmt.Errorf("starter: writing %s: %w", golden, err)
			}
			res.Status = "updated"
		default:
			res.Status, res.Diffs, err = compareGolden(golden, got)
			if err != nil {
				return nil, err
			}
		}
		rep.Results = append(rep.Results, res)
	}
	return rep, nil
}

func renderArchive(src *generator.Source, in TestInputs, profile string) ([]byte, error) {
	r, err := src.Resolve(inputsFor(in, profile))
	if err != nil {
		return nil, fmt.Errorf("%s", resolveProblem(err))
	}
	r.Secrets = generator.FixedSecrets()
	target, err := generator.Render(src, r)
	if err != nil {
		return nil, err
	}
	ar := &txtar.Archive{Comment: []byte("golden render of profile " + profile + "; refresh with envgen template test --update\n")}
	for _, f := range target.Files {
		ar.Files = append(ar.Files, txtar.File{Name: string(f.Mode) + " " + f.Path, Data: f.Data})
	}
	return txtar.Format(ar), nil
}

func compareGolden(golden string, got []byte) (string, []string, error) {
	want, err := os.ReadFile(golden) //nolint:gosec // golden is testdata/golden/<profile>.txtar inside the starter folder, a path Test built itself
	if os.IsNotExist(err) {
		return "missing", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("starter: reading %s: %w", golden, err)
	}
	if bytes.Equal(got, want) {
		return "ok", nil, nil
	}
	wantFiles := map[string][]byte{}
	for _, f := range txtar.Parse(want).Files {
		wantFiles[f.Name] = f.Data
	}
	var diffs []string
	for _, f := range txtar.Parse(got).Files {
		w, ok := wantFiles[f.Name]
		switch {
		case !ok:
			diffs = append(diffs, "new "+f.Name)
		case !bytes.Equal(w, f.Data):
			diffs = append(diffs, "changed "+f.Name)
		}
		delete(wantFiles, f.Name)
	}
	for name := range wantFiles {
		diffs = append(diffs, "gone "+name)
	}
	sort.Strings(diffs)
	if len(diffs) == 0 {
		diffs = []string{"the archive's comment or layout"}
	}
	return "differs", diffs, nil
}
