package generator

import "fmt"

// InputError is a problem with what the user asked for: a bad module path,
// an unknown profile, a --set key nobody declares. It is found before
// anything is written, and the CLI exits 2 for it.
type InputError struct {
	Subject string // what was wrong: "--module", "profile", "--set http_port"
	Problem string
	Hint    string // what to do about it
}

func (e *InputError) Error() string { return e.Subject + ": " + e.Problem }

// ExitCode is 2: bad input, refused before anything was written.
func (e *InputError) ExitCode() int { return 2 }

func inputErrorf(subject, hint, format string, args ...any) *InputError {
	return &InputError{Subject: subject, Problem: fmt.Sprintf(format, args...), Hint: hint}
}
