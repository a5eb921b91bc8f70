// Package e2e renders whole projects with envgen and checks them with the
// real upstream tools (compose-go, promtool, amtool, the Grafana SDK, make).
package e2e

import (
	"github.com/envgen/envgen/internal/testtool"

	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

// testModule is the module path every rendered test project gets.
const testModule = "example.com/demo"

// testName is the service name: the project folder is named after it.
const testName = "demo"

var (
	buildOnce sync.Once
	envgenBin string
	errBuild  error
	buildLog  []byte
)

// repoRoot is the envgen repository root (this file is internal/e2e/...).
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate helpers_test.go")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// envgen builds envgen's CLI once per test binary and returns its path.
func envgen(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "envgen-e2e-bin-")
		if err != nil {
			errBuild = err
			return
		}
		envgenBin = filepath.Join(dir, "envgen")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", envgenBin, "./cmd/envgen")
		cmd.Dir = repoRoot(t)
		buildLog, errBuild = cmd.CombinedOutput()
	})
	if errBuild != nil {
		t.Fatalf("go build ./cmd/envgen: %v\n%s", errBuild, buildLog)
	}
	return envgenBin
}

// renderProject runs `envgen init DIR --module example.com/demo --profile
// PROFILE --no-git` into a fresh temporary folder and returns the project
// folder. The folder is removed when the test ends.
func renderProject(t testing.TB, profile string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), testName)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, envgen(t), "init", dir,
		"--module", testModule, "--profile", profile, "--no-git")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// Keep the render hermetic: no user git config, no inherited APP_*.
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir())
	if err := cmd.Run(); err != nil {
		t.Fatalf("envgen init --profile %s: %v\n%s", profile, err, out.String())
	}
	return dir
}

// requireTool returns the path of an external tool (see testtool.Require).
func requireTool(t testing.TB, name, hint string) string {
	t.Helper()
	return testtool.Require(t, name, hint)
}

// profilesUnderTest are the built-in profiles every e2e check covers.
var profilesUnderTest = []string{"development", "staging", "production"}
