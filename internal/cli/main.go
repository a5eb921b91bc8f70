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

	"github.com/envgen/envgen/generator"
)

// Exit codes. 3 (drift) and 4 (conflict) belong to sync.
const (
	ExitOK      = 0
	ExitFailure = 1 // something went wrong while working
	ExitUsage   = 2 // bad input: nothing was written
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

func usageError(err error, hint string) error {
	return &exitError{code: ExitUsage, err: err, hint: hint}
}

// exitCoder is an error that knows its exit code (see the table in
// envgen help exit-codes): invalid project state is 2, an unfinished
// sync found by a check 3.
type exitCoder interface {
	error
	ExitCode() int
}

// hinter is an error that knows what the user should do next.
type hinter interface {
	error
	Hint() string
}

// report prints `envgen: error: ...` and `envgen: hint: ...` and picks the
// exit code.
func report(w io.Writer, err error) int {
	code, hint := ExitFailure, ""
	var ee *exitError
	if errors.As(err, &ee) {
		code, hint = ee.code, ee.hint
	}
	if ie, ok := errors.AsType[*generator.InputError](err); ok {
		code = ExitUsage
		if hint == "" {
			hint = ie.Hint
		}
	}
	if ec, ok := errors.AsType[exitCoder](err); ok && ee == nil {
		code = ec.ExitCode()
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
