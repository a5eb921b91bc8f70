package dist

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// GoBuild describes one static, trimmed cross-build with the go command.
type GoBuild struct {
	Dir     string // module folder the go command runs in
	Package string // ./cmd/envgen
	Output  string
	GOOS    string
	GOARCH  string
	LDFlags string // besides -s -w
}

// BuildError is a failed go build, with the compiler's output.
type BuildError struct {
	Package, GOOS, GOARCH string
	Output                string
	Err                   error
}

func (e *BuildError) Error() string {
	return fmt.Sprintf("go build %s for %s/%s: %v\n%s", e.Package, e.GOOS, e.GOARCH, e.Err, strings.TrimRight(e.Output, "\n"))
}

func (e *BuildError) Unwrap() error { return e.Err }

// Hint says how to go on.
func (e *BuildError) Hint() string {
	return "fix the errors above; `go build " + e.Package + "` in the project shows them again"
}

// Run builds the binary: CGO_ENABLED=0, -trimpath, -ldflags "-s -w ...".
func (b GoBuild) Run(ctx context.Context) error {
	ldflags := strings.TrimSpace("-s -w " + b.LDFlags)
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", ldflags, "-o", b.Output, b.Package) //nolint:gosec // G204: the go command; package, output and flags are set by envgen's callers
	cmd.Dir = b.Dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+b.GOOS, "GOARCH="+b.GOARCH)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return &BuildError{Package: b.Package, GOOS: b.GOOS, GOARCH: b.GOARCH, Output: out.String(), Err: err}
	}
	return nil
}
