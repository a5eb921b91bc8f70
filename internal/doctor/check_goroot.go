package doctor

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/envgen/envgen/internal/goversion"
)

// releaseGoEnv is the go.env every official Go release (1.21 and later)
// ships.
var releaseGoEnv = map[string]string{
	"GOPROXY":     "https://proxy.golang.org,direct",
	"GOSUMDB":     "sum.golang.org",
	"GOTOOLCHAIN": "auto",
}

// gorootCheck: the installed GOROOT is what a release has (quick: its
// VERSION and go.env; --deep: every file against the checksum database).
type gorootCheck struct{ m *machine }

func (c *gorootCheck) Name() string { return "goroot" }

// Timeout gives --deep the time to hash every file of the GOROOT.
func (c *gorootCheck) Timeout(runDefault time.Duration) time.Duration {
	if c.deepRuns() {
		return max(runDefault, c.m.cfg.DeepTimeout)
	}
	return runDefault
}

func (c *gorootCheck) deepRuns() bool {
	cfg := c.m.cfg
	return cfg.Deep && !cfg.Offline && cfg.VerifyGOROOT != nil
}

func (c *gorootCheck) TimeoutFix() string {
	return "reading the GOROOT took too long: run again with a longer --timeout"
}

func (c *gorootCheck) Run(ctx context.Context) Result {
	m := c.m
	root := m.env.GOROOT
	if root == "" {
		return Result{Status: StatusSkip, Saw: "no GOROOT found (no go command on PATH and GOROOT unset)"}
	}
	var fs []finding
	var details []string
	version, err := readVersionFile(root)
	switch {
	case err != nil:
		fs = append(fs, finding{StatusFail, fmt.Sprintf("%s has no readable VERSION file: not a Go release, or damaged", root),
			"reinstall Go from https://go.dev/dl/ (or unset GOROOT if it points at the wrong folder)"})
	default:
		if g := m.goBinary(ctx); g.Version != "" && g.Version != version {
			fs = append(fs, finding{StatusWarn,
				fmt.Sprintf("GOROOT %s is %s but the go command on PATH is %s", root, version, g.Version),
				"GOROOT points at another installation: unset GOROOT (the go command finds its own)"})
		}
	}
	saw := fmt.Sprintf("%s %s, go.env as released", root, version)

	goEnv, err := os.ReadFile(filepath.Join(root, "go.env")) //nolint:gosec // G304: the go.env of the GOROOT being checked
	if err != nil {
		fs = append(fs, finding{StatusWarn, fmt.Sprintf("%s/go.env is missing: not as released (Go 1.21 and later ship one)", root),
			"reinstall Go from https://go.dev/dl/; until then the go command uses its built-in defaults"})
	} else {
		f, d := c.compareGoEnv(root, parseGoEnv(goEnv))
		fs, details = append(fs, f...), append(details, d...)
		if len(d) > 0 {
			saw = fmt.Sprintf("%s %s, go.env changes overridden by your settings", root, version)
		}
	}

	switch {
	case !m.cfg.Deep:
	case m.cfg.VerifyGOROOT == nil:
		details = append(details, "--deep: the file-by-file verification is not available yet in this build")
	case m.cfg.Offline:
		details = append(details, "--deep: skipped, it needs the checksum database (--offline)")
	default:
		v, err := m.cfg.VerifyGOROOT(ctx, root)
		switch {
		case err != nil:
			fs = append(fs, finding{StatusWarn, "--deep: could not verify " + root + ": " + err.Error(),
				"run envgen toolchain verify --goroot " + root + " to see the whole error"})
		case v.OK:
			details = append(details, "--deep: every file matches the "+version+" release in the checksum database")
		case len(v.Differs) == 1 && v.Differs[0] == "go.env":
			// A changed go.env is a packager's configuration, reported
			// above, not damage.
			details = append(details, "--deep: every file but go.env matches the "+version+" release in the checksum database")
		default:
			fs = append(fs, finding{StatusFail, fmt.Sprintf("%s differs from the %s release: %s", root, version, v.Summary),
				"reinstall Go from https://go.dev/dl/ and find out what changed the files (security software, a package manager patch)"})
		}
	}
	return worst(c.Name(), saw, fs, details)
}

// compareGoEnv returns the differences that matter as findings and those
// overridden by the environment or go env -w as details.
func (c *gorootCheck) compareGoEnv(root string, got map[string]string) (fs []finding, details []string) {
	keys := make([]string, 0, len(got)+len(releaseGoEnv))
	for k := range releaseGoEnv {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := releaseGoEnv[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		want, have := releaseGoEnv[k], got[k]
		if want == have {
			continue
		}
		desc := fmt.Sprintf("%s=%s", k, have)
		if _, ok := got[k]; !ok {
			desc = k + " unset"
		}
		rel := "not set by a release"
		if want != "" {
			rel = "a release sets " + want
		}
		// A setting from the environment or go env -w overrides go.env:
		// the change then has no effect.
		if src := c.m.env.Source[k]; src == "env" || src == "user" {
			details = append(details, fmt.Sprintf("go.env: %s (%s), overridden by %s", desc, rel, strings.TrimSuffix(strings.TrimPrefix(sourceNote(src), " (from "), ")")))
			continue
		}
		if k == "GOTOOLCHAIN" && have == "local" {
			fs = append(fs, finding{StatusWarn,
				root + "/go.env sets GOTOOLCHAIN=local (a release sets auto): go silently never switches to the toolchain a go.mod asks for",
				"go env -w GOTOOLCHAIN=auto (your setting overrides go.env), or reinstall Go from https://go.dev/dl/"})
			continue
		}
		fs = append(fs, finding{StatusWarn,
			fmt.Sprintf("%s/go.env differs from the release: %s (%s)", root, desc, rel),
			fmt.Sprintf("whoever packaged this Go changed its defaults: set what you want with go env -w %s=..., or reinstall Go from https://go.dev/dl/", k)})
	}
	return fs, details
}

func readVersionFile(root string) (string, error) {
	data, err := os.ReadFile(filepath.Join(root, "VERSION")) //nolint:gosec // G304: the VERSION file of the GOROOT being checked
	if err != nil {
		return "", fmt.Errorf("GOROOT: %w", err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	first = strings.TrimSpace(first)
	if !goversion.IsValid(first) {
		return "", fmt.Errorf("VERSION says %q", first)
	}
	return first, nil
}

// parseGoEnv reads a go.env the way the go command does: KEY=VALUE lines,
// lines not starting with A-Z ignored.
func parseGoEnv(data []byte) map[string]string {
	m := map[string]string{}
	for line := range strings.SplitSeq(string(data), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok || line == "" || line[0] < 'A' || line[0] > 'Z' {
			continue
		}
		m[k] = v
	}
	return m
}
