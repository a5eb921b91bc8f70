package generator_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aymanbagabas/go-udiff"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/goversion"
	"github.com/envgen/envgen/internal/regions"
	"github.com/envgen/envgen/internal/version"
)

// otherValues are valid, non-default values for every variable the
// built-in template and profiles declare. The test fails when a variable
// is declared without one here, so that a new variable is covered too.
var otherValues = map[string]string{
	"alert_email":     "pager@acme.example",
	"debug_port":      "7070",
	"grafana_port":    "3300",
	"http_port":       "9000",
	"prometheus_port": "9191",
	"smtp_from":       "alerts@acme.example",
	"smtp_smarthost":  "mail.acme.example:2525",
	"wecom_agent_id":  "1000099",
	"wecom_corp_id":   "ww-acme",
	"wecom_to_party":  "2|3",
}

// notRegioned are the once files whose content may depend on the inputs
// outside any region, and why.
var notRegioned = map[string]string{
	// go.sum is not a template: it is the dependency set of the pinned Go
	// minor, verbatim. It has no comment syntax to hold markers, and it is
	// the go command's record of go.mod (a merged file), which go mod tidy
	// keeps in step.
	"go.sum": "the checksums of the pinned Go minor's dependency set",
}

// render is one render of the built-in template and the inputs it came from.
type render struct {
	inputs string
	files  map[string][]byte // once files only
}

// TestOnceFilesDependOnInputsOnlyInRegions renders the built-in template
// for every profile, several Go releases of every supported minor, default
// and non-default variables and two envgen versions, and checks that every
// once file is the same in all of them outside its managed regions. What a
// once file says about the profile, the Go pin, a variable or envgen's
// version must sit in a region: sync refreshes regions and nothing else of
// a once file, so anything input-dependent outside one would go stale
// after envgen sync --profile, --go or --set.
//
// The secrets of .env are held fixed: they are drawn once by init and are
// not an input sync can change. .env has no region on purpose: sync
// renders with freshly drawn secrets, so a region holding them would
// replace the project's passwords (and lock it out of its own database
// volume) on every sync. Everything else in .env is checked like any once
// file, so it must not depend on the inputs at all.
func TestOnceFilesDependOnInputsOnlyInRegions(t *testing.T) {
	src, err := generator.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	profileNames := []string{"development", "staging", "production"}
	for _, name := range profileNames {
		p, err := src.Profiles.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		for v := range src.Variables(p) {
			if _, ok := otherValues[v]; !ok {
				t.Fatalf("variable %s (profile %s) has no non-default value in otherValues", v, name)
			}
		}
	}
	var goReleases []string
	for _, minor := range goversion.Supported {
		goReleases = append(goReleases, minor+".0", minor+".13")
	}
	goReleases = append(goReleases, goversion.Default)
	varSets := []struct {
		name string
		set  map[string]string
	}{{"defaults", nil}, {"--set of every variable", otherValues}}
	envgenVersions := []string{version.Version, "9.8.7"}

	// .Envgen comes from version.Version. The test does not run in
	// parallel, so no other test sees it changed.
	defer func(v string) { version.Version = v }(version.Version)

	var renders []render
	for _, envgenVersion := range envgenVersions {
		version.Version = envgenVersion
		for _, profile := range profileNames {
			for _, goRelease := range goReleases {
				for _, vs := range varSets {
					in := generator.Inputs{Module: "github.com/acme/orders", Profile: profile, Go: goRelease, Set: vs.set}
					r, err := src.Resolve(in)
					if err != nil {
						t.Fatalf("%+v: %v", in, err)
					}
					r.Secrets = generator.FixedSecrets()
					target, err := generator.Render(src, r)
					if err != nil {
						t.Fatalf("%+v: %v", in, err)
					}
					rd := render{
						inputs: fmt.Sprintf("profile %s, go %s, %s, envgen %s", profile, goRelease, vs.name, envgenVersion),
						files:  map[string][]byte{},
					}
					for _, f := range target.Files {
						if f.Mode == generator.Once {
							rd.files[f.Path] = f.Data
						}
					}
					renders = append(renders, rd)
				}
			}
		}
	}
	version.Version = envgenVersions[0]

	// first is, per once file, the first render that has it.
	first := map[string]int{}
	for i, rd := range renders {
		for p := range rd.files {
			if _, ok := first[p]; !ok {
				first[p] = i
			}
		}
	}
	paths := make([]string, 0, len(first))
	for p := range first {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if len(paths) == 0 {
		t.Fatal("the built-in template has no once files")
	}

	for _, p := range paths {
		if why, ok := notRegioned[p]; ok {
			t.Logf("%s: not checked (%s)", p, why)
			continue
		}
		base := renders[first[p]]
		want := string(regions.Outside(base.files[p]))
		for _, rd := range renders {
			data, ok := rd.files[p]
			if !ok {
				continue
			}
			if _, err := regions.Parse(data); err != nil {
				t.Errorf("%s (%s): %v", p, rd.inputs, err)
				break
			}
			if got := string(regions.Outside(data)); got != want {
				diff := udiff.Unified(base.inputs, rd.inputs, want, got)
				t.Errorf("%s depends on the inputs outside its managed regions:\n%s", p, strings.TrimSpace(diff))
				break
			}
			// So refreshing the regions of an untouched file gives the new
			// render exactly: what sync's planner will do with Apply.
			out, _, missing, err := regions.Apply(base.files[p], data)
			if err != nil || missing != nil || string(out) != string(data) {
				t.Errorf("%s: Apply(render for %s, render for %s) is not the latter (missing %q, %v)", p, base.inputs, rd.inputs, missing, err)
				break
			}
		}
	}
}

// TestReadmeFollowsTheProfile is the case that motivated regions: the
// README of an untouched development project, its regions refreshed from a
// production render, reads as production's.
func TestReadmeFollowsTheProfile(t *testing.T) {
	src, err := generator.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	readme := func(profile string) []byte {
		r, err := src.Resolve(generator.Inputs{Module: "github.com/acme/orders", Profile: profile})
		if err != nil {
			t.Fatal(err)
		}
		r.Secrets = generator.FixedSecrets()
		target, err := generator.Render(src, r)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range target.Files {
			if f.Path == "README.md" {
				return f.Data
			}
		}
		t.Fatalf("profile %s renders no README.md", profile)
		return nil
	}
	dev, prod := readme("development"), readme("production")
	if !strings.Contains(string(dev), "The development passwords are `app`") {
		t.Fatal("the development README does not mention its default passwords; update this test")
	}
	out, changed, missing, err := regions.Apply(dev, prod)
	if err != nil || missing != nil {
		t.Fatalf("Apply: %v (missing %q)", err, missing)
	}
	if string(out) != string(prod) {
		t.Fatalf("refreshed README differs from production's:\n%s", udiff.Unified("refreshed", "production", string(out), string(prod)))
	}
	for _, want := range []string{"secrets", "profile"} {
		if !slices.Contains(changed, want) {
			t.Errorf("region %s not among the changed ones %q", want, changed)
		}
	}
}
