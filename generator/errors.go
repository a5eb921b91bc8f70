package generator

import (
	"errors"

	"github.com/envgen/envgen/internal/exitcode"
)

// InputError is a problem with what the user asked for: a bad module path,
// an unknown profile, a --set key nobody declares. It is found before
// anything is written, and the CLI exits 2 for it (exitcode.UsageError).
type InputError = exitcode.UsageError

func inputErrorf(subject, hint, format string, args ...any) *InputError {
	return exitcode.Usagef(subject, hint, format, args...)
}

// StarterError is a starter (not the built-in template) that does not
// render: the starter breaks the rules, so it is refused input (exit 2)
// unless the error inside already has its own code.
type StarterError struct{ Err error }

func (e *StarterError) Error() string { return e.Err.Error() }
func (e *StarterError) Unwrap() error { return e.Err }

// ExitCode is the inner error's code if it has one, else 2.
func (e *StarterError) ExitCode() int {
	if c, ok := errors.AsType[exitcode.Coder](e.Err); ok {
		return c.ExitCode()
	}
	return exitcode.Usage
}

// Hint says whose the fault is.
func (e *StarterError) Hint() string {
	return "the starter is at fault: fix it (envgen template lint checks one), or ask its owners to; nothing was written"
}
