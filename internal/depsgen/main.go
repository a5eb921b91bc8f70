// Command depsgen regenerates the dependency sets of the built-in template:
// templates/deps/goX.Y.mod and goX.Y.sum, one pair per supported Go minor,
// and envgen's list of Go releases, internal/goversion/releases.txt.
//
// Run it from the repository root:
//
//	go run ./internal/depsgen                  # releases.txt, then all minors (make deps)
//	go run ./internal/depsgen -minor 1.25      # one minor, releases.txt untouched
//	go run ./internal/depsgen -verify          # also build, vet and test the service with each set
//	go run ./internal/depsgen -suggest         # print the newest version of each module that fits each minor
//	go run ./internal/depsgen -releases        # only rewrite releases.txt from the proxy's list
//	go run ./internal/depsgen -check-releases  # warn when releases.txt lags the proxy (make deps-check; exit 0)
//
// For each minor it renders the service's Go files (and config/, for the
// tests) into a temporary module by plain substitution of the few template
// fields they use, writes a go.mod requiring the versions pinned in the table
// below, runs `go mod tidy -go=X.Y.0`, checks that tidy kept the pins and
// that every module in the graph declares a go line no newer than the
// minor, and copies go.mod and go.sum back.
//
// The go command runs with GOTOOLCHAIN=local for every minor the installed
// Go covers (tidy with -go=1.26.0 needs go1.26 or newer). For a newer minor
// depsgen sets GOTOOLCHAIN to that minor's newest release in releases.txt
// (go1.27.4 for 1.27 on a machine with Go 1.26), which the go command
// downloads through GOPROXY and checks against GOSUMDB. Network access is
// only to the module proxy and the checksum database.
//
// releases.txt gets, per minor, the newest stable linux-amd64 release the
// proxy's golang.org/toolchain list has (a proxy mirrors only some
// releases: a missing intermediate patch does not mean it does not exist,
// so only the newest matters).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/envgen/envgen/internal/goversion"
)

// minors are the supported Go minors, oldest first.
var minors = []string{"1.24", "1.25", "1.26", "1.27"}

// pin is a module version per Go minor, and why.
type pin struct {
	path string
	// versions maps a minor to the version required with it.
	versions map[string]string
}

// all returns the same version for every minor.
func all(v string) map[string]string {
	m := make(map[string]string, len(minors))
	for _, minor := range minors {
		m[minor] = v
	}
	return m
}

// pins is the dependency table. Rule: the newest release whose own go.mod
// `go` line is <= the minor, so that a project generated for go1.24 builds
// with go1.24. `go run ./internal/depsgen -suggest` prints the candidates.
var pins = []pin{
	// --- direct dependencies of the service ---

	// client_golang: v1.24 needs go 1.25, v1.25 needs go 1.26 (and is the
	// newest release).
	{"github.com/prometheus/client_golang", map[string]string{"1.24": "v1.23.2", "1.25": "v1.24.1", "1.26": "v1.25.0", "1.27": "v1.25.0"}},
	// pgx: v5.9.0 and later need go 1.25; v5.8.0 is the last for go 1.24;
	// v5.13.0 (go 1.25) is newer than the 1.25 and 1.26 sets, which stay as
	// tested.
	{"github.com/jackc/pgx/v5", map[string]string{"1.24": "v5.8.0", "1.25": "v5.12.0", "1.26": "v5.12.0", "1.27": "v5.13.0"}},
	// go-redis: v9.23.0 needs go 1.26; v9.22.0 declares go 1.24.
	{"github.com/redis/go-redis/v9", map[string]string{"1.24": "v9.22.0", "1.25": "v9.22.0", "1.26": "v9.23.0", "1.27": "v9.23.0"}},
	// viper: v1.21.0 (go 1.23) is the newest release.
	{"github.com/spf13/viper", all("v1.21.0")},
	// gobreaker v2 (generic API): v2.4.0 (go 1.22) is the newest release.
	{"github.com/sony/gobreaker/v2", all("v2.4.0")},
	// ruleguard DSL, imported by lint/ruleguard/rules.go (build tag
	// ruleguard) so that golangci-lint can load the rules; v0.3.23 (go 1.15).
	{"github.com/quasilyte/go-ruleguard/dsl", all("v0.3.23")},

	// --- indirect dependencies raised above what the direct ones require ---
	// golang.org/x follows the Go release policy: each release needs one of
	// the two newest Go minors, hence the step per minor.

	// x/sys (viper/fsnotify, client_golang, procfs): v0.42 needs go 1.25, v0.48 go 1.26.
	{"golang.org/x/sys", map[string]string{"1.24": "v0.41.0", "1.25": "v0.47.0", "1.26": "v0.49.0", "1.27": "v0.50.0"}},
	// x/text (pgx, viper): v0.35 needs go 1.25, v0.42 go 1.26.
	{"golang.org/x/text", map[string]string{"1.24": "v0.34.0", "1.25": "v0.41.0", "1.26": "v0.43.0", "1.27": "v0.44.0"}},
	// x/sync (pgx/puddle): v0.20 needs go 1.25, v0.23 go 1.26.
	{"golang.org/x/sync", map[string]string{"1.24": "v0.19.0", "1.25": "v0.22.0", "1.26": "v0.24.0", "1.27": "v0.25.0"}},
	// prometheus/common (client_golang): v0.68 needs go 1.25, v0.72 go 1.26.
	{"github.com/prometheus/common", map[string]string{"1.24": "v0.67.5", "1.25": "v0.71.0", "1.26": "v0.73.1", "1.27": "v0.74.0"}},
	// prometheus/procfs (process collector): v0.20 needs go 1.25, v0.23 go 1.26
	// (and is the newest release).
	{"github.com/prometheus/procfs", map[string]string{"1.24": "v0.19.2", "1.25": "v0.22.0", "1.26": "v0.23.0", "1.27": "v0.23.0"}},
	// protobuf (client_golang's exposition): v1.36.12 declares go 1.23.
	{"google.golang.org/protobuf", all("v1.36.12")},
}

// substitutions are the template fields the service's Go and config files
// use, with the values of the temporary module.
var substitutions = []string{
	"{{ .Module }}", "example.com/envgen-deps",
	"{{ .Name }}", "demo",
	"{{ .Vars.http_port }}", "8080",
	"{{ .Vars.debug_port }}", "6060",
}

const (
	modulePath = "example.com/envgen-deps"
	dslPath    = "github.com/quasilyte/go-ruleguard/dsl"
)

func main() {
	only := flag.String("minor", "", "regenerate only this Go minor (e.g. 1.25)")
	verify := flag.Bool("verify", false, "also run go build, go vet, go test and go mod tidy -diff in each generated module")
	suggest := flag.Bool("suggest", false, "print the newest version of each module in the sets that fits each minor, and exit")
	keep := flag.Bool("keep", false, "keep the temporary modules (their paths are printed)")
	releases := flag.Bool("releases", false, "only rewrite "+releasesFile+" from the proxy's golang.org/toolchain list")
	checkOnly := flag.Bool("check-releases", false, "warn when "+releasesFile+" lags the proxy's list, and exit 0")
	flag.Parse()

	if _, err := os.Stat(builtinTree); err != nil {
		fmt.Fprintln(os.Stderr, "depsgen: run me from the repository root:", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	var err error
	switch {
	case *checkOnly:
		checkReleases(ctx, os.Getenv, os.Stderr)
	case *releases:
		err = updateReleases(ctx, os.Getenv, minors, os.Stderr)
	default:
		if *only == "" && !*suggest {
			err = updateReleases(ctx, os.Getenv, minors, os.Stderr)
		}
		if err == nil {
			err = run(ctx, *only, *verify, *suggest, *keep)
		}
	}
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "depsgen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, only string, verify, suggest, keep bool) error {
	for _, minor := range minors {
		if only != "" && minor != only {
			continue
		}
		if suggest {
			if err := suggestVersions(ctx, minor); err != nil {
				return err
			}
			continue
		}
		if err := generate(ctx, minor, verify, keep); err != nil {
			return fmt.Errorf("go %s: %w", minor, err)
		}
	}
	return nil
}

// generate writes templates/deps/go<minor>.mod and .sum.
func generate(ctx context.Context, minor string, verify, keep bool) error {
	dir, err := os.MkdirTemp("", "depsgen-go"+minor+"-")
	if err != nil {
		return fmt.Errorf("temporary module: %w", err)
	}
	if keep {
		fmt.Fprintln(os.Stderr, "depsgen: go", minor, "module in", dir)
	} else {
		defer os.RemoveAll(dir) //nolint:errcheck // a temporary folder: failing to remove it loses nothing
	}

	if err := renderService(builtinTree, dir); err != nil {
		return err
	}
	gomod, err := pinnedGoMod(minor)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), gomod, 0o644); err != nil { //nolint:gosec // G306: a scratch module for the go command
		return fmt.Errorf("temporary module: %w", err)
	}

	goVersion := minor + ".0"
	if err := goCmd(ctx, minor, dir, "mod", "tidy", "-go="+goVersion); err != nil {
		return err
	}
	if err := normalize(filepath.Join(dir, "go.mod"), goVersion); err != nil {
		return err
	}
	// tidy with -go keeps go.sum lines (go.mod hashes it read on the way from
	// the pinned requirements) that later plain runs drop, one step at a
	// time. Run plain tidy until it changes nothing, so that `go mod tidy
	// -diff` in a generated project reports nothing.
	for i := 0; ; i++ {
		if goCmdQuiet(ctx, minor, dir, "mod", "tidy", "-diff") == nil {
			break
		}
		if i == 5 {
			return errors.New("go mod tidy does not settle")
		}
		if err := goCmd(ctx, minor, dir, "mod", "tidy"); err != nil {
			return err
		}
		if err := normalize(filepath.Join(dir, "go.mod"), goVersion); err != nil {
			return err
		}
	}
	if err := checkPins(dir, minor); err != nil {
		return err
	}
	if err := checkGoLines(ctx, dir, minor); err != nil {
		return err
	}
	if verify {
		for _, args := range [][]string{
			{"build", "./..."},
			{"vet", "./..."},
			{"test", "-count=1", "./..."},
			{"mod", "tidy", "-diff"},
		} {
			// -mod=readonly: the set must be complete as written.
			if err := goCmdFlags(ctx, minor, dir, "-mod=readonly", args...); err != nil {
				return err
			}
		}
	}

	for _, f := range []struct{ from, to string }{
		{"go.mod", "go" + minor + ".mod"},
		{"go.sum", "go" + minor + ".sum"},
	} {
		data, err := os.ReadFile(filepath.Join(dir, f.from)) //nolint:gosec // G304: the scratch module's go.mod and go.sum
		if err != nil {
			return fmt.Errorf("temporary module: %w", err)
		}
		if err := os.WriteFile(filepath.Join("templates", "deps", f.to), data, 0o644); err != nil { //nolint:gosec // G306, G703: checked-in files of this repository, named after the minors table
			return fmt.Errorf("templates/deps: %w", err)
		}
	}
	fmt.Fprintf(os.Stderr, "depsgen: wrote templates/deps/go%s.mod and .sum\n", minor)
	return nil
}

// builtinTree is the built-in template's tree: the folder templates/ is
// laid out as a starter repository, with the tree in its templates/
// (generator.TreeDir).
var builtinTree = filepath.Join("templates", "templates")

// renderService copies the Go files and config/ of the service template into
// dir, substituting the template fields they use. Other files (compose,
// lint config, dashboards) play no part in the dependency set.
func renderService(src, dir string) error {
	replacer := strings.NewReplacer(substitutions...)
	needsDSL := true
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		isGo := strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, ".go.tmpl")
		isConfig := strings.HasPrefix(filepath.ToSlash(rel), "config/")
		if !isGo && !isConfig {
			return nil
		}
		data, err := os.ReadFile(path) //nolint:gosec // G122, G304: this repository's own template tree
		if err != nil {
			return fmt.Errorf("template: %w", err)
		}
		if strings.HasSuffix(rel, ".tmpl") {
			rel = replacer.Replace(strings.TrimSuffix(rel, ".tmpl"))
			data = []byte(replacer.Replace(string(data)))
			if bytes.Contains(data, []byte("{{")) && isGo {
				return fmt.Errorf("%s: template fields beyond %v; depsgen's substitution is not enough", path, substitutions)
			}
		}
		if isGo && bytes.Contains(data, []byte(`"`+dslPath+`"`)) {
			needsDSL = false
		}
		out := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil { //nolint:gosec // G301: a scratch module for the go command
			return fmt.Errorf("temporary module: %w", err)
		}
		if err := os.WriteFile(out, data, 0o644); err != nil { //nolint:gosec // G306, G703: a scratch module for the go command, paths from this repository's template
			return fmt.Errorf("temporary module: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", builtinTree, err)
	}
	if needsDSL {
		return fmt.Errorf("no Go file of the template imports %s; the lint rules (lint/ruleguard/rules.go.tmpl) need it in every dependency set", dslPath)
	}
	return nil
}

// pinnedGoMod returns the go.mod to tidy: the module, the go line and the
// pinned requirements.
func pinnedGoMod(minor string) ([]byte, error) {
	f := new(modfile.File)
	if err := f.AddModuleStmt(modulePath); err != nil {
		return nil, fmt.Errorf("go.mod: %w", err)
	}
	if err := f.AddGoStmt(minor + ".0"); err != nil {
		return nil, fmt.Errorf("go.mod: %w", err)
	}
	for _, p := range pins {
		v, ok := p.versions[minor]
		if !ok {
			return nil, fmt.Errorf("no version of %s pinned for go %s", p.path, minor)
		}
		if err := f.AddRequire(p.path, v); err != nil {
			return nil, fmt.Errorf("go.mod: %w", err)
		}
	}
	f.Cleanup()
	out, err := f.Format()
	if err != nil {
		return nil, fmt.Errorf("go.mod: %w", err)
	}
	return out, nil
}

// normalize makes the tidied go.mod canonical: the go line of the minor's
// .0 release, no toolchain line (envgen writes the one of the chosen
// release), direct and indirect requirements in separate blocks.
func normalize(path, goVersion string) error {
	data, err := os.ReadFile(path) //nolint:gosec // G304: the scratch module's go.mod
	if err != nil {
		return fmt.Errorf("normalize: %w", err)
	}
	f, err := modfile.Parse(path, data, nil)
	if err != nil {
		return fmt.Errorf("normalize: %w", err)
	}
	if err := f.AddGoStmt(goVersion); err != nil {
		return fmt.Errorf("normalize %s: %w", path, err)
	}
	f.DropToolchainStmt()
	f.SetRequireSeparateIndirect(f.Require)
	f.Cleanup()
	out, err := f.Format()
	if err != nil {
		return fmt.Errorf("normalize %s: %w", path, err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil { //nolint:gosec // G306, G703: the scratch module's go.mod
		return fmt.Errorf("normalize: %w", err)
	}
	return nil
}

// checkPins fails when tidy moved a pinned module: another module requires a
// newer version, so the table is out of date.
func checkPins(dir, minor string) error {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod")) //nolint:gosec // G304: the scratch module's go.mod
	if err != nil {
		return fmt.Errorf("check pins: %w", err)
	}
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return fmt.Errorf("check pins: %w", err)
	}
	got := make(map[string]string)
	for _, r := range f.Require {
		got[r.Mod.Path] = r.Mod.Version
	}
	var problems []string
	for _, p := range pins {
		want := p.versions[minor]
		switch v, ok := got[p.path]; {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s is pinned but tidy removed it (no longer needed?)", p.path))
		case v != want:
			problems = append(problems, fmt.Sprintf("%s is pinned at %s but the graph needs %s", p.path, want, v))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// listedModule is the part of `go list -m -json` depsgen reads.
type listedModule struct {
	Path      string `json:"Path"`
	Version   string `json:"Version"`
	Main      bool   `json:"Main"`
	GoVersion string `json:"GoVersion"`
}

// checkGoLines fails when a module of the build list declares a go line newer
// than the minor: a project generated for that minor would not build with it.
func checkGoLines(ctx context.Context, dir, minor string) error {
	out, err := goOutput(ctx, minor, dir, "list", "-m", "-json", "all")
	if err != nil {
		return err
	}
	var problems []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var m listedModule
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return fmt.Errorf("go list -m -json all: %w", err)
		}
		if m.Main || m.GoVersion == "" {
			continue
		}
		if newerMinor(m.GoVersion, minor) {
			problems = append(problems, fmt.Sprintf("%s@%s needs go %s", m.Path, m.Version, m.GoVersion))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("modules newer than go %s: %s", minor, strings.Join(problems, "; "))
	}
	return nil
}

// newerMinor reports whether the go line v (1.25, 1.25.0, 1.25rc1) belongs to
// a newer minor than minor (1.24).
func newerMinor(v, minor string) bool {
	return semver.Compare(semver.MajorMinor("v"+v), "v"+minor) > 0
}

// suggestVersions prints, for every module of the current set of minor, the
// newest release whose go line fits the minor, where it differs from the set.
// A minor without a set yet (a new column in the table) starts from the
// newest set of an older minor.
func suggestVersions(ctx context.Context, minor string) error {
	base := minor
	data, err := os.ReadFile(filepath.Join("templates", "deps", "go"+minor+".mod")) //nolint:gosec // G304: checked-in files of this repository, named after the minors table
	if errors.Is(err, fs.ErrNotExist) {
		for _, m := range slices.Backward(minors) {
			if compareMinor(m, minor) < 0 {
				if data, err = os.ReadFile(filepath.Join("templates", "deps", "go"+m+".mod")); err == nil { //nolint:gosec // G304: checked-in files of this repository, named after the minors table
					base = m
					fmt.Printf("go %s: no dependency set yet; starting from the Go %s set\n", minor, m)
					break
				}
			}
		}
	}
	if err != nil {
		return fmt.Errorf("templates/deps: %w", err)
	}
	f, err := modfile.Parse("go"+base+".mod", data, nil)
	if err != nil {
		return fmt.Errorf("templates/deps: %w", err)
	}
	dir, err := os.MkdirTemp("", "depsgen-suggest-")
	if err != nil {
		return fmt.Errorf("temporary module: %w", err)
	}
	defer os.RemoveAll(dir)                                                                                                        //nolint:errcheck // a temporary folder: failing to remove it loses nothing
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+modulePath+"\n\ngo "+minor+".0\n"), 0o644); err != nil { //nolint:gosec // G306: a scratch module for the go command
		return fmt.Errorf("temporary module: %w", err)
	}

	for _, r := range f.Require {
		out, err := goOutput(ctx, minor, dir, "list", "-m", "-versions", r.Mod.Path)
		if err != nil {
			return err
		}
		versions := strings.Fields(string(out))[1:]
		slices.Reverse(versions)
		for _, v := range versions {
			if semver.Compare(v, r.Mod.Version) <= 0 {
				break // nothing newer fits
			}
			if semver.Prerelease(v) != "" {
				continue
			}
			info, err := goOutput(ctx, minor, dir, "list", "-m", "-json", r.Mod.Path+"@"+v)
			if err != nil {
				return err
			}
			var m listedModule
			if err := json.Unmarshal(info, &m); err != nil {
				return fmt.Errorf("go list -m -json %s@%s: %w", r.Mod.Path, v, err)
			}
			if m.GoVersion == "" || !newerMinor(m.GoVersion, minor) {
				fmt.Printf("go %s: %s %s -> %s (go %s)\n", minor, r.Mod.Path, r.Mod.Version, v, m.GoVersion)
				break
			}
		}
	}
	return nil
}

// goCmd runs the go command for minor in dir, streaming its output.
func goCmd(ctx context.Context, minor, dir string, args ...string) error {
	return goCmdFlags(ctx, minor, dir, "-mod=mod", args...)
}

// goCmdFlags is goCmd with the given GOFLAGS.
func goCmdFlags(ctx context.Context, minor, dir, goflags string, args ...string) error {
	env, err := goEnv(minor)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", args...) //nolint:gosec // G204: the go command, with depsgen's own arguments
	cmd.Dir = dir
	env = append(env, "GOFLAGS="+goflags)
	cmd.Env = env
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

// goCmdQuiet runs the go command for minor in dir and discards its output.
func goCmdQuiet(ctx context.Context, minor, dir string, args ...string) error {
	_, err := goOutput(ctx, minor, dir, args...)
	return err
}

// goOutput runs the go command for minor in dir and returns its standard
// output.
func goOutput(ctx context.Context, minor, dir string, args ...string) ([]byte, error) {
	env, err := goEnv(minor)
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", args...) //nolint:gosec // G204: the go command, with depsgen's own arguments
	cmd.Dir = dir
	// Read-only: `go list -m all` would otherwise add go.sum lines for the
	// whole module graph, lines a later `go mod tidy` removes again.
	env = append(env, "GOFLAGS=-mod=readonly")
	cmd.Env = env
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %w: %s", strings.Join(args, " "), err, firstLine(stderr.String()))
	}
	return out, nil
}

// goEnv pins the toolchain for minor (no automatic switch, which would
// also change what -go means) and lets the go command edit go.mod.
func goEnv(minor string) ([]string, error) {
	tc, err := toolchainFor(minor)
	if err != nil {
		return nil, err
	}
	return append(os.Environ(), "GOTOOLCHAIN="+tc, "GOFLAGS=-mod=mod", "GOWORK=off"), nil
}

// toolchainFor is the GOTOOLCHAIN for a minor's module: local when the
// installed Go is of that minor or newer, else the minor's newest release
// in releases.txt (go1.27.4), which the go command downloads and verifies.
func toolchainFor(minor string) (string, error) {
	local, err := goversion.Local()
	if err != nil {
		return "", err
	}
	if goversion.Compare(local, "go"+minor) >= 0 {
		return "local", nil
	}
	// The file on disk, not the list compiled in: make deps may just have
	// rewritten it.
	data, err := os.ReadFile(releasesFile)
	if err != nil {
		return "", fmt.Errorf("%s: %w", releasesFile, err)
	}
	known, err := parseReleasesFile(string(data))
	if err != nil {
		return "", err
	}
	for _, r := range known {
		if r.MinorString() == minor {
			return r.Toolchain(), nil
		}
	}
	return "", fmt.Errorf("the installed Go is %s and %s has no release of Go %s to download: run go run ./internal/depsgen -releases first", local, releasesFile, minor)
}

func firstLine(s string) string {
	sc := bufio.NewScanner(strings.NewReader(s))
	if sc.Scan() {
		return sc.Text()
	}
	return s
}
