package e2e

// The generated project's lint policy (templates/templates/.golangci.yml.tmpl
// and lint/ruleguard/rules.go), checked with the real golangci-lint on a
// freshly rendered project of every profile:
//
//   - the rendered configuration is valid (golangci-lint config verify);
//   - the rendered project lints clean;
//   - planted timeout violations fail the run, each reported by the linter
//     meant to catch it, on the planted line; allowed look-alikes are not;
//   - production enables every linter staging does, staging every linter
//     development does.
//
// golangci-lint is found through $GOLANGCI_LINT, then bin/golangci-lint in
// the repository, then PATH. A project whose go line is newer than the
// machine's Go needs a golangci-lint built with that minor: for Go 1.27,
// $GOLANGCI_LINT_GO127, then bin/golangci-lint-go1.27 (make tools builds
// both). Without them the tests skip, or fail when $CI is set.

import (
	"github.com/envgen/envgen/internal/testtool"

	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/envgen/envgen/internal/goversion"
)

const golangciLintInstallHint = "go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0"

// lintProfiles are the built-in profiles, weakest lint policy first.
var lintProfiles = []string{"development", "staging", "production"}

// lintWant is one issue a plant must produce.
type lintWant struct {
	linter string // FromLinter
	text   string // substring of the issue text
}

// lintPlant is a file added to a rendered project. marker is a comment on
// the one line the expectations are about.
type lintPlant struct {
	name   string
	path   string // slash-separated, relative to the project root
	src    string
	marker string
	want   []lintWant // every one of these must be reported on the marked line
	// absent: linters that must report nothing on the marked line (allowed
	// look-alikes, exclusions).
	absent []string
}

var lintPlants = []lintPlant{
	{
		name: "http.Get",
		path: "internal/lintplant/get.go",
		src: `package lintplant

import "net/http"

// Fetch uses the package-level helper: no context, no timeout.
func Fetch(url string) error {
	resp, err := http.Get(url) // PLANT http.Get
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
`,
		marker: "// PLANT http.Get",
		want: []lintWant{
			{"forbidigo", "http.Get"},
			{"noctx", "net/http.Get"},
		},
	},
	{
		name: "http.Client literal without Timeout",
		path: "internal/lintplant/client.go",
		src: `package lintplant

import "net/http"

// NewClient builds a client that never times out.
func NewClient() *http.Client {
	return &http.Client{Transport: http.DefaultTransport} // PLANT client
}
`,
		marker: "// PLANT client",
		want:   []lintWant{{"gocritic", "http.Client without Timeout"}},
	},
	{
		name: "http.Client literal, net/http imported under another name",
		path: "internal/lintplant/client_renamed.go",
		src: `package lintplant

import nethttp "net/http"

// NewValueClient builds a client value that never times out.
func NewValueClient() nethttp.Client {
	return nethttp.Client{} // PLANT renamed client
}
`,
		marker: "// PLANT renamed client",
		want:   []lintWant{{"gocritic", "http.Client without Timeout"}},
	},
	{
		name: "http.Client literal with Timeout (allowed)",
		path: "internal/lintplant/client_ok.go",
		src: `package lintplant

import (
	"net/http"
	"time"
)

// NewTimedClient builds a client with a Timeout: allowed.
func NewTimedClient() *http.Client {
	return &http.Client{Transport: http.DefaultTransport, Timeout: 5 * time.Second} // PLANT client ok
}
`,
		marker: "// PLANT client ok",
		absent: []string{"gocritic", "forbidigo", "noctx", "gosec"},
	},
	{
		name: "http.Server without ReadHeaderTimeout",
		path: "internal/lintplant/server.go",
		src: `package lintplant

import "net/http"

// NewServer builds a server without any timeout.
func NewServer(h http.Handler) *http.Server {
	return &http.Server{Addr: ":8080", Handler: h} // PLANT server
}
`,
		marker: "// PLANT server",
		want: []lintWant{
			{"gosec", "G112"},
			{"gocritic", "http.Server must set ReadTimeout, WriteTimeout and IdleTimeout"},
		},
	},
	{
		name: "http.DefaultClient",
		path: "internal/lintplant/defaultclient.go",
		src: `package lintplant

import "net/http"

// Send uses the default client, which has no Timeout.
func Send(req *http.Request) (*http.Response, error) {
	return http.DefaultClient.Do(req) // PLANT DefaultClient
}
`,
		marker: "// PLANT DefaultClient",
		want:   []lintWant{{"forbidigo", "http.DefaultClient"}},
	},
	{
		name: "package-level http.ListenAndServe",
		path: "internal/lintplant/listen.go",
		src: `package lintplant

import "net/http"

// Serve uses the package-level server: no timeouts at all.
func Serve(h http.Handler) error {
	return http.ListenAndServe(":8080", h) // PLANT ListenAndServe
}
`,
		marker: "// PLANT ListenAndServe",
		want:   []lintWant{{"gosec", "G114"}},
	},
	{
		name: "net/http/pprof imported for its side effect",
		path: "internal/lintplant/pprof.go",
		src: `package lintplant

import _ "net/http/pprof" // PLANT pprof
`,
		marker: "// PLANT pprof",
		want:   []lintWant{{"gosec", "G108"}},
	},
	{
		name: "sql.Open outside internal/database",
		path: "internal/lintplant/sqlopen.go",
		src: `package lintplant

import "database/sql"

// OpenDB opens a pool outside internal/database.
func OpenDB(dsn string) (*sql.DB, error) {
	return sql.Open("pgx", dsn) // PLANT sql.Open
}
`,
		marker: "// PLANT sql.Open",
		want:   []lintWant{{"forbidigo", "sql.Open"}},
	},
	{
		name: "sql.Open inside internal/database (allowed)",
		path: "internal/database/lintplant/open.go",
		src: `// Package lintplant opens a pool where the policy allows it.
package lintplant

import "database/sql"

// Open is allowed here.
func Open(dsn string) (*sql.DB, error) {
	return sql.Open("pgx", dsn) // PLANT sql.Open allowed
}
`,
		marker: "// PLANT sql.Open allowed",
		absent: []string{"forbidigo"},
	},
	{
		name: "response body never closed",
		path: "internal/lintplant/body.go",
		src: `package lintplant

import (
	"context"
	"net/http"
)

// Status drops the response body.
func Status(ctx context.Context, c *http.Client, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req) // PLANT body
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
`,
		marker: "// PLANT body",
		want:   []lintWant{{"bodyclose", "response body must be closed"}},
	},
	{
		name: "http.NewRequest without context",
		path: "internal/lintplant/newrequest.go",
		src: `package lintplant

import "net/http"

// Build makes a request that cannot be cancelled.
func Build(url string) (*http.Request, error) {
	return http.NewRequest(http.MethodGet, url, nil) // PLANT NewRequest
}
`,
		marker: "// PLANT NewRequest",
		want:   []lintWant{{"noctx", "NewRequest"}},
	},
	{
		name: "database query without context",
		path: "internal/lintplant/query.go",
		src: `package lintplant

import "database/sql"

// One queries without a context.
func One(db *sql.DB) (int, error) {
	var n int
	err := db.QueryRow("SELECT 1").Scan(&n) // PLANT query
	return n, err
}
`,
		marker: "// PLANT query",
		want:   []lintWant{{"noctx", "QueryRow"}},
	},
	{
		name: "request context dropped",
		path: "internal/lintplant/ctx.go",
		src: `package lintplant

import "context"

// Handle gets a context, but its callee starts a fresh one.
func Handle(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return step() // PLANT contextcheck
}

func step() error {
	return work(context.Background())
}

func work(ctx context.Context) error { return ctx.Err() }
`,
		marker: "// PLANT contextcheck",
		want:   []lintWant{{"contextcheck", "should pass the context parameter"}},
	},
	{
		name:   "package doc",
		path:   "internal/lintplant/doc.go",
		src:    "// Package lintplant holds violations planted by envgen's tests.\npackage lintplant\n",
		marker: "package lintplant",
	},
}

// TestLintPolicy renders every profile and runs golangci-lint on it: clean
// first, then with the plants.
func TestLintPolicy(t *testing.T) {
	if testing.Short() {
		t.Skip("renders projects and runs golangci-lint; skipped in -short mode")
	}
	cache := t.TempDir() // shared by the profiles, never by other test runs

	for _, profile := range lintProfiles {
		t.Run(profile, func(t *testing.T) {
			dir := renderProject(t, profile)
			bin := golangciLintFor(t, dir)

			if _, err := os.Stat(filepath.Join(dir, ".golangci.yml")); err != nil {
				t.Fatalf("rendered project has no .golangci.yml: %v", err)
			}
			if _, err := os.Stat(filepath.Join(dir, "lint", "ruleguard", "rules.go")); err != nil {
				t.Fatalf("rendered project has no lint/ruleguard/rules.go: %v", err)
			}

			out, code := runGolangciLint(t, bin, dir, cache, "config", "verify")
			if code != 0 {
				t.Fatalf("golangci-lint config verify: exit %d\n%s", code, out)
			}

			issues, out, code := golangciLintIssues(t, bin, dir, cache)
			if code != 0 || len(issues) != 0 {
				t.Fatalf("freshly rendered %s project does not lint clean: exit %d, %d issues:\n%s\n%s",
					profile, code, len(issues), formatLintIssues(issues), out)
			}

			for _, p := range lintPlants {
				path := filepath.Join(dir, filepath.FromSlash(p.path))
				if _, err := os.Stat(path); err == nil {
					t.Fatalf("plant %s would overwrite a rendered file", p.path)
				}
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(p.src), 0o644); err != nil {
					t.Fatal(err)
				}
			}

			issues, out, code = golangciLintIssues(t, bin, dir, cache)
			if code != 1 {
				t.Fatalf("golangci-lint with planted violations: exit %d, want 1 (issues found)\n%s\n%s",
					code, formatLintIssues(issues), out)
			}
			for _, is := range issues {
				if is.FromLinter == "typecheck" {
					t.Errorf("planted code does not compile: %s", formatLintIssues([]lintIssue{is}))
				}
			}
			checkLintPlants(t, issues)
		})
	}
}

// checkLintPlants asserts that every plant is reported by its linters on
// its marked line, and that no plant is reported by a linter in absent.
func checkLintPlants(t *testing.T, issues []lintIssue) {
	t.Helper()
	for _, p := range lintPlants {
		line := lintMarkerLine(t, p)
		var here []lintIssue
		for _, is := range issues {
			if filepath.ToSlash(is.Pos.Filename) == p.path && is.Pos.Line == line {
				here = append(here, is)
			}
		}
		for _, w := range p.want {
			found := slices.ContainsFunc(here, func(is lintIssue) bool {
				return is.FromLinter == w.linter && strings.Contains(is.Text, w.text)
			})
			if !found {
				t.Errorf("plant %q (%s:%d): no %s issue containing %q; issues on that line:\n%s",
					p.name, p.path, line, w.linter, w.text, formatLintIssues(here))
			}
		}
		for _, linter := range p.absent {
			for _, is := range here {
				if is.FromLinter == linter {
					t.Errorf("plant %q (%s:%d) is allowed, but %s reports it: %s",
						p.name, p.path, line, linter, is.Text)
				}
			}
		}
	}
}

// lintMarkerLine is the 1-based line of p.src holding p.marker; the marker
// must occur exactly once.
func lintMarkerLine(t *testing.T, p lintPlant) int {
	t.Helper()
	line := 0
	for i, l := range strings.Split(p.src, "\n") {
		if strings.Contains(l, p.marker) {
			if line != 0 {
				t.Fatalf("plant %q: marker %q occurs twice", p.name, p.marker)
			}
			line = i + 1
		}
	}
	if line == 0 {
		t.Fatalf("plant %q: marker %q not found", p.name, p.marker)
	}
	return line
}

// TestLintPolicyStrictnessOrder checks that no profile is weaker than the
// one before it: every linter development enables, staging enables too, and
// every linter staging enables, production does.
func TestLintPolicyStrictnessOrder(t *testing.T) {
	if testing.Short() {
		t.Skip("renders projects; skipped in -short mode")
	}
	cache := t.TempDir()

	// The timeout floor: on in every profile.
	floor := []string{"noctx", "bodyclose", "contextcheck", "gosec", "forbidigo", "gocritic"}

	enabled := map[string][]string{}
	for _, profile := range lintProfiles {
		dir := renderProject(t, profile)
		bin := golangciLintFor(t, dir)
		out, code := runGolangciLint(t, bin, dir, cache, "linters", "--json")
		if code != 0 {
			t.Fatalf("%s: golangci-lint linters: exit %d\n%s", profile, code, out)
		}
		var list struct {
			Enabled []struct {
				Name string `json:"name"`
			} `json:"Enabled"`
		}
		if err := json.Unmarshal(out, &list); err != nil {
			t.Fatalf("%s: golangci-lint linters --json: %v\n%s", profile, err, out)
		}
		for _, l := range list.Enabled {
			enabled[profile] = append(enabled[profile], l.Name)
		}
		for _, name := range floor {
			if !slices.Contains(enabled[profile], name) {
				t.Errorf("%s: timeout linter %s is not enabled (enabled: %v)", profile, name, enabled[profile])
			}
		}
	}
	for i := 1; i < len(lintProfiles); i++ {
		weaker, stricter := lintProfiles[i-1], lintProfiles[i]
		for _, name := range enabled[weaker] {
			if !slices.Contains(enabled[stricter], name) {
				t.Errorf("%s enables %s but %s does not", weaker, name, stricter)
			}
		}
		if len(enabled[stricter]) <= len(enabled[weaker]) {
			t.Errorf("%s (%d linters) is not stricter than %s (%d linters)",
				stricter, len(enabled[stricter]), weaker, len(enabled[weaker]))
		}
	}
}

// lintIssue is the part of golangci-lint's JSON report the tests read.
type lintIssue struct {
	FromLinter string `json:"FromLinter"`
	Text       string `json:"Text"`
	Pos        struct {
		Filename string `json:"Filename"`
		Line     int    `json:"Line"`
	} `json:"Pos"`
}

func formatLintIssues(issues []lintIssue) string {
	if len(issues) == 0 {
		return "  (none)"
	}
	var b strings.Builder
	for _, is := range issues {
		fmt.Fprintf(&b, "  %s:%d: %s (%s)\n", is.Pos.Filename, is.Pos.Line, is.Text, is.FromLinter)
	}
	return b.String()
}

// golangciLintIssues runs `golangci-lint run ./...` in dir and returns the
// issues of its JSON report, its text output and its exit code.
func golangciLintIssues(t *testing.T, bin, dir, cache string) ([]lintIssue, []byte, int) {
	t.Helper()
	report := filepath.Join(t.TempDir(), "report.json")
	// --allow-serial-runners: wait for any other golangci-lint on the
	// machine instead of refusing to run beside it.
	out, code := runGolangciLint(t, bin, dir, cache,
		"run", "--allow-serial-runners", "--output.json.path", report, "--output.text.path", "stdout", "--output.text.colors=false", "./...")
	if code != 0 && code != 1 {
		t.Fatalf("golangci-lint run: exit %d (not a lint result)\n%s", code, out)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("golangci-lint run wrote no JSON report: %v\n%s", err, out)
	}
	var r struct {
		Issues []lintIssue `json:"Issues"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("golangci-lint JSON report: %v\n%s", err, data)
	}
	return r.Issues, out, code
}

// runGolangciLint runs bin with args in dir and returns its combined output
// and exit code; failing to start it at all fails the test.
func runGolangciLint(t *testing.T, bin, dir, cache string, args ...string) ([]byte, int) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, args...)
	cmd.Dir = dir
	// The project's GOTOOLCHAIN: golangci-lint loads packages with go list.
	cmd.Env = append(goEnv(t, dir),
		"GOLANGCI_LINT_CACHE="+filepath.Join(cache, filepath.Base(bin)),
		"GOWORK=off",
		"NO_COLOR=1",
	)
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return buf.Bytes(), 0
	case errors.As(err, &exitErr) && exitErr.ExitCode() >= 0:
		return buf.Bytes(), exitErr.ExitCode()
	default:
		t.Fatalf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, buf.Bytes())
		return nil, -1
	}
}

var (
	golangciVersionRE   = regexp.MustCompile(`version v?(\d+)\.(\d+)\.(\d+)`)
	golangciBuiltWithRE = regexp.MustCompile(`built with (go\S+)`)
)

// golangciLintBinary finds golangci-lint v2: $GOLANGCI_LINT, then
// bin/golangci-lint in the repository, then PATH.
func golangciLintBinary(t *testing.T) string {
	t.Helper()
	bin, _ := golangciLintFrom(t, "GOLANGCI_LINT", "golangci-lint", true)
	return bin
}

// golangciLintFor is a golangci-lint v2 that lints the project in dir:
// golangci-lint refuses a module whose go line is newer than the Go it was
// built with. For a project the machine's Go covers, golangciLintBinary;
// for a newer minor X.Y, $GOLANGCI_LINT_GOXY (GOLANGCI_LINT_GO127 for Go
// 1.27), then bin/golangci-lint-goX.Y in the repository, which make tools
// builds with GOTOOLCHAIN=goX.Y.Z. Its version must say it was built with
// Go X.Y or newer.
func golangciLintFor(t *testing.T, dir string) string {
	t.Helper()
	tc, err := projectToolchain(dir)
	if err != nil {
		t.Fatal(err)
	}
	if tc == "local" {
		return golangciLintBinary(t)
	}
	minor := goversionMinor(strings.TrimPrefix(tc, "go"))
	bin, version := golangciLintFrom(t, "GOLANGCI_LINT_GO"+strings.ReplaceAll(minor, ".", ""), "golangci-lint-go"+minor, false)
	m := golangciBuiltWithRE.FindStringSubmatch(version)
	if len(m) < 2 || goversion.Compare(m[1], "go"+minor) < 0 {
		t.Fatalf("%s cannot lint Go %s projects: %s; build it with GOTOOLCHAIN=%s (make tools)", bin, minor, version, tc)
	}
	return bin
}

// golangciLintFrom finds golangci-lint v2 through the variable envVar, then
// bin/NAME in the repository, then (orPath) PATH, and returns it and its
// version line.
func golangciLintFrom(t *testing.T, envVar, name string, orPath bool) (string, string) {
	t.Helper()
	bin := os.Getenv(envVar)
	if bin == "" {
		local := filepath.Join(repoRoot(t), "bin", name)
		if _, err := os.Stat(local); err == nil {
			bin = local
		} else if p, err := exec.LookPath(name); err == nil && orPath {
			bin = p
		}
	}
	if bin == "" {
		testtool.Missing(t, "%s not found ($%s, bin/%s); install it: make tools, or %s", name, envVar, name, golangciLintInstallHint)
	}
	out, err := exec.CommandContext(t.Context(), bin, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("%s version: %v\n%s", bin, err, out)
	}
	m := golangciVersionRE.FindSubmatch(out)
	if len(m) < 2 || string(m[1]) != "2" {
		t.Fatalf("%s is not golangci-lint v2 (the generated config is v2): %s; install: %s", bin, out, golangciLintInstallHint)
	}
	return bin, strings.TrimSpace(string(out))
}
