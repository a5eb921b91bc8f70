package goversion

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Local is the version of the go command on PATH (go1.26.8), with
// GOTOOLCHAIN=local so that a go.mod nearby cannot switch it. It is asked
// once per process: depsgen and the end-to-end tests choose per Go minor
// between it and a downloaded toolchain.
func Local() (string, error) { return local() }

var local = sync.OnceValues(func() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "env", "GOVERSION")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env GOVERSION: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
})
