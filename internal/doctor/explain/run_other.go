//go:build !unix

package explain

import "os/exec"

// signalExit: without unix signals, a command with no exit code exits 1.
func signalExit(*exec.ExitError) int { return 1 }
