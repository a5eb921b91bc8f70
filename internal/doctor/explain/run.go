package explain

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os/exec"
	"sync"
	"time"
)

// maxCapture bounds what Run keeps of a command's output for Explain;
// the output itself is passed through whole.
const maxCapture = 8 << 20

// TimeoutExit is Run's exit code when the command ran out of time (as
// timeout(1)).
const TimeoutExit = 124

// Run runs argv under timeout with its output passed through unchanged
// to stdout and stderr, and returns its exit code (128+N when signal N
// ended it, as a shell says; TimeoutExit when timeout did) and its combined
// output (at most the last 8 MiB) for Explain. err is set only when the
// command could not be started.
func Run(ctx context.Context, argv []string, stdin io.Reader, stdout, stderr io.Writer, timeout time.Duration) (code int, output []byte, timedOut bool, err error) {
	if len(argv) == 0 {
		return 0, nil, false, errors.New("no command to run")
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var (
		mu  sync.Mutex
		buf bytes.Buffer
	)
	capture := writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		buf.Write(p)
		if buf.Len() > maxCapture {
			buf.Next(buf.Len() - maxCapture)
		}
		return len(p), nil
	})
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...) //nolint:gosec // the command the user asked doctor to run (doctor -- CMD)
	cmd.Stdin = stdin
	cmd.Stdout = io.MultiWriter(stdout, capture)
	cmd.Stderr = io.MultiWriter(stderr, capture)
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return TimeoutExit, buf.Bytes(), true, nil
	}
	if ee, ok := errors.AsType[*exec.ExitError](err); ok {
		c := ee.ExitCode()
		if c < 0 {
			c = signalExit(ee)
		}
		return c, buf.Bytes(), false, nil
	}
	if err != nil {
		return 0, buf.Bytes(), false, err
	}
	return 0, buf.Bytes(), false, nil
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
