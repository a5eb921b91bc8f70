// Package cli is envgen's command line: thin cobra commands that parse
// flags into a struct, call one library function, and print its result
// as text or JSON. Errors are printed once, here, with a hint.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"github.com/envgen/envgen/internal/exitcode"
)

// Exit codes: the one table is internal/exitcode (envgen help exit-codes).
const (
	ExitOK       = exitcode.OK
	ExitFailure  = exitcode.Failure
	ExitUsage    = exitcode.Usage
	ExitDrift    = exitcode.Drift
	ExitConflict = exitcode.Conflict
)

// streams are the command's connection to the world, injectable for tests.
type streams struct {
	stdin    io.Reader
	stdout   io.Writer
	stderr   io.Writer
	terminal bool // stdin and stderr are a terminal: we may ask questions
}

// Main runs envgen with args (without the program name) and returns the
// exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s := &streams{stdin: stdin, stdout: stdout, stderr: stderr, terminal: isTerminal(stdin) && isTerminal(stderr)}
	root := newRootCmd(s)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	return report(stderr, err)
}

func isTerminal(x any) bool {
	f, ok := x.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// exitError carries an exit code and a hint through cobra.
type exitError struct {
	code int
	err  error
	hint string
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// ExitCode is the code the command chose.
func (e *exitError) ExitCode() int { return e.code }

func usageError(err error, hint string) error {
	return &exitError{code: ExitUsage, err: err, hint: hint}
}

// hinter is an error that knows what the user should do next.
type hinter interface {
	error
	Hint() string
}

// report prints `envgen: error: ...` and `envgen: hint: ...` and picks the
// exit code.
func report(w io.Writer, err error) int {
	code, hint := exitcode.Of(err), ""
	if ee, ok := errors.AsType[*exitError](err); ok {
		hint = ee.hint
	}
	if ue, ok := errors.AsType[*exitcode.UsageError](err); ok && hint == "" {
		hint = ue.Hint
	}
	if h, ok := errors.AsType[hinter](err); ok && hint == "" {
		hint = h.Hint()
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(w, "envgen: interrupted")
		return 130
	}
	fmt.Fprintf(w, "envgen: error: %v\n", err)
	if hint != "" {
		fmt.Fprintf(w, "envgen: hint: %s\n", hint)
	}
	return code
}
