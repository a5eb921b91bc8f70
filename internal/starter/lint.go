package starter

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/goversion"
	"github.com/envgen/envgen/internal/project"
)

// TestInputsFile holds the fixed inputs template lint and template test
// render a starter with, relative to the starter's root.
const TestInputsFile = "testdata/envgen-test.yaml"

// TestInputs are the inputs of a starter's own checks: a module, a name,
// a Go release, --set values for required variables, and the profiles
// template test renders (default: every profile a user can choose; lint
// always renders them all).
type TestInputs struct {
	Module   string            `yaml:"module" json:"module"`
	Name     string            `yaml:"name" json:"name,omitempty"`
	Go       string            `yaml:"go" json:"go"`
	Set      map[string]string `yaml:"set" json:"set,omitempty"`
	Profiles []string          `yaml:"profiles" json:"profiles,omitempty"`
}

func readTestInputs(dir string) (TestInputs, error) {
	in := TestInputs{Module: "github.com/acme/example", Go: goversion.Default}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(TestInputsFile))) //nolint:gosec // the starter's own testdata/inputs.yaml, under the folder the user named
	if errors.Is(err, fs.ErrNotExist) {
		return in, nil
	}
	if err != nil {
		return in, fmt.Errorf("%s: %w", TestInputsFile, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&in); err != nil {
		return in, fmt.Errorf("%s: %w", TestInputsFile, err)
	}
	return in, nil
}

// Problem is one thing wrong with a starter.
type Problem struct {
	Profile string `json:"profile,omitempty"` // the profile whose render found it
	Message string `json:"message"`
}

func (p Problem) String() string {
	if p.Profile == "" {
		return p.Message
	}
	return "profile " + p.Profile + ": " + p.Message
}

// LintReport is what template lint found.
type LintReport struct {
	Dir       string     `json:"dir"`
	Name      string     `json:"name,omitempty"`
	Version   string     `json:"version,omitempty"`
	Extends   string     `json:"extends,omitempty"`
	Profiles  []string   `json:"profiles"` // rendered, each without a problem or with those listed
	Functions []string   `json:"functions,omitempty"`
	Hooks     [][]string `json:"hooks,omitempty"`
	Problems  []Problem  `json:"problems"`
}

// OK reports whether the starter passed.
func (r *LintReport) OK() bool { return len(r.Problems) == 0 }

// Lint validates the starter in dir as envgen would load it: the sandbox
// rules and the manifest's schema, then, for every profile, the inputs,
// every template parsing (file and line on failure) and a full render
// (which refuses a path leaving the project). It returns an error only
// when it cannot look at all; the starter's faults are the report's
// problems.
func Lint(dir string, lim Limits) (*LintReport, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("starter: %s: %w", dir, err)
	}
	rep := &LintReport{Dir: abs, Profiles: []string{}, Problems: []Problem{}}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return nil, &generator.InputError{Subject: dir, Problem: "is not a folder", Hint: "name the folder holding the starter's " + generator.ManifestFile}
	}
	src, err := Load(abs, project.Origin{Kind: "dir", URL: abs}, lim)
	if err != nil {
		rep.Problems = append(rep.Problems, Problem{Message: err.Error()})
		return rep, nil //nolint:nilerr // a starter that does not load is a problem in the report, not a failure of Lint
	}
	rep.Name, rep.Version, rep.Extends = src.Manifest.Name, src.Manifest.Version, src.Manifest.Extends
	rep.Functions, rep.Hooks = src.Manifest.Functions, src.Manifest.Hooks.PostInit
	in, err := readTestInputs(abs)
	if err != nil {
		rep.Problems = append(rep.Problems, Problem{Message: err.Error()})
		return rep, nil //nolint:nilerr // unreadable test inputs are a problem in the report, not a failure of Lint
	}
	seen := map[string]bool{}
	// Every profile, not just those with golden files: a profile nobody
	// tests still reaches users.
	for _, profile := range src.Profiles.Names() {
		rep.Profiles = append(rep.Profiles, profile)
		r, err := src.Resolve(inputsFor(in, profile))
		if err != nil {
			rep.Problems = append(rep.Problems, Problem{Profile: profile, Message: resolveProblem(err)})
			continue
		}
		r.Secrets = generator.FixedSecrets()
		parsed := true
		for _, perr := range src.CheckTemplates(r) {
			parsed = false
			if !seen[perr.Error()] { // the same broken file breaks every profile
				seen[perr.Error()] = true
				rep.Problems = append(rep.Problems, Problem{Message: perr.Error()})
			}
		}
		if !parsed {
			continue
		}
		if _, err := generator.Render(src, r); err != nil {
			rep.Problems = append(rep.Problems, Problem{Profile: profile, Message: err.Error()})
		}
	}
	return rep, nil
}

func profilesToRender(src *generator.Source, in TestInputs) []string {
	if len(in.Profiles) > 0 {
		return in.Profiles
	}
	return src.Profiles.Names()
}

func inputsFor(in TestInputs, profile string) generator.Inputs {
	return generator.Inputs{Module: in.Module, Name: in.Name, Profile: profile, Go: in.Go, Set: in.Set}
}

// resolveProblem words an input problem for a starter's author, whose
// inputs are the test inputs file rather than flags.
func resolveProblem(err error) string {
	var ie *generator.InputError
	if errors.As(err, &ie) {
		return fmt.Sprintf("%s (%s: %s)", err.Error(), TestInputsFile, ie.Hint)
	}
	return err.Error()
}
