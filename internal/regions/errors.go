package regions

import "fmt"

// SyntaxError is a misplaced or malformed marker. Line is 1-based.
type SyntaxError struct {
	Line    int
	Problem string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Problem) }

func syntaxErrorf(line int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Line: line, Problem: fmt.Sprintf(format, args...)}
}

// FileError says which input of Apply a SyntaxError is in: "the local
// file" (the user's copy) or "the render" (the template's output).
type FileError struct {
	File string
	Err  error
}

func (e *FileError) Error() string { return e.File + ": " + e.Err.Error() }

func (e *FileError) Unwrap() error { return e.Err }
