package generator

import (
	"fmt"
	"strings"
)

// InputError is a problem with what the user asked for: a bad module path,
// an unknown profile, a --set key nobody declares. It is found before
// anything is written, and the CLI exits 2 for it.
type InputError struct {
	Subject string // what was wrong: "--module", "profile", "--set http_port"
	Problem string
	Hint    string // what to do about it
}

func (e *InputError) Error() string { return e.Subject + ": " + e.Problem }

func inputErrorf(subject, hint, format string, args ...any) *InputError {
	return &InputError{Subject: subject, Problem: fmt.Sprintf(format, args...), Hint: hint}
}

// ExistingFilesError refuses to overwrite files that are already in the
// project folder; --force overwrites them after backing them up.
type ExistingFilesError struct {
	Dir   string
	Paths []string
}

func (e *ExistingFilesError) Error() string {
	const show = 10
	paths := e.Paths
	more := ""
	if len(paths) > show {
		more = fmt.Sprintf(" (and %d more)", len(paths)-show)
		paths = paths[:show]
	}
	return fmt.Sprintf("%s: %d file(s) would be overwritten: %s%s", e.Dir, len(e.Paths), strings.Join(paths, ", "), more)
}

// Hint says how to go on.
func (e *ExistingFilesError) Hint() string {
	return "run in an empty folder, or pass --force to overwrite them (your versions are kept under " + BackupDir + "/)"
}
