package generator

import "github.com/envgen/envgen/internal/exitcode"

// InputError is a problem with what the user asked for: a bad module path,
// an unknown profile, a --set key nobody declares. It is found before
// anything is written, and the CLI exits 2 for it (exitcode.UsageError).
type InputError = exitcode.UsageError

func inputErrorf(subject, hint, format string, args ...any) *InputError {
	return exitcode.Usagef(subject, hint, format, args...)
}
