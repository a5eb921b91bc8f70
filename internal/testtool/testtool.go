// Package testtool finds the external tools some tests run (promtool,
// make, dpkg-deb, golangci-lint). One rule for all of them: a missing tool
// fails the test on CI, where .ci/run installs every tool, and skips it
// elsewhere with the hint to install it, so that CI never passes by
// running less.
package testtool

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// Require returns the path of name on PATH, or reports it Missing.
func Require(t testing.TB, name, hint string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "%s not found on PATH: %s", name, hint)
	}
	return path
}

// Missing ends the test for a tool that is not there (or not usable):
// t.Fatal when the CI environment variable is set, t.Skip otherwise.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") != "" {
		t.Fatal(msg + " (CI is set: .ci/run must install it)")
	}
	t.Skip(msg)
}
