//go:build unix

package explain

import (
	"os/exec"
	"syscall"
)

// signalExit is a shell's exit code for a command a signal ended:
// 128 + the signal's number; 1 when it was not a signal.
func signalExit(ee *exec.ExitError) int {
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return 1
}
