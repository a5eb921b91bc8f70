// Package exitcode is envgen's exit-code contract, in one place: the
// codes, what each means, and the one usage error every package returns
// for input it refuses. An error carries its code (ExitCode); the CLI
// asks the error, not its package.
package exitcode

import (
	"errors"
	"fmt"
)

// The codes, the same for every command.
const (
	OK       = 0 // done; for a check: in sync
	Failure  = 1 // the work failed: I/O, network, a failed verification (SECURITY ERROR)
	Usage    = 2 // input refused before anything was written
	Drift    = 3 // a check found drift
	Conflict = 4 // sync left conflicts, or a check found unresolved ones
)

// Row is one line of the documented table.
type Row struct {
	Code    int    `json:"code"`
	Meaning string `json:"meaning"`
}

// Table is what `envgen help exit-codes` prints.
var Table = []Row{
	{OK, "done; for a check (sync --check, diff): in sync"},
	{Failure, "the work failed: I/O, network, a verification that failed (SECURITY ERROR), a doctor check that failed"},
	{Usage, "input refused before anything was written: usage, a bad flag value, an invalid envgen.lock or .envgen/ state, a starter that breaks the rules or exceeds its limits, uncommitted edits sync would rewrite"},
	{Drift, "a check found drift (sync --check, diff), or an interrupted sync that is not finished"},
	{Conflict, "sync left conflict markers, or a check found unresolved ones"},
}

// Precedence orders codes when a run has several outcomes: a failure
// wins over conflicts, conflicts over drift. Usage is decided before any
// work starts.
var Precedence = []int{Failure, Conflict, Drift, OK}

// Coder is an error that knows its exit code.
type Coder interface {
	error
	ExitCode() int
}

// Of returns err's exit code: the first Coder in its chain, else Failure;
// OK for nil.
func Of(err error) int {
	if err == nil {
		return OK
	}
	if c, ok := errors.AsType[Coder](err); ok {
		return c.ExitCode()
	}
	return Failure
}

// UsageError is input refused before anything was written: what was
// wrong (Subject), why, and what to do about it.
type UsageError struct {
	Subject string // "--module", "profile", "--set http_port"
	Problem string
	Hint    string
}

func (e *UsageError) Error() string {
	if e.Subject == "" {
		return e.Problem
	}
	return e.Subject + ": " + e.Problem
}

// ExitCode is Usage.
func (e *UsageError) ExitCode() int { return Usage }

// Usagef builds a UsageError.
func Usagef(subject, hint, format string, args ...any) *UsageError {
	return &UsageError{Subject: subject, Problem: fmt.Sprintf(format, args...), Hint: hint}
}
