package workflow

import (
	"fmt"
	"strings"

	"github.com/envgen/envgen/internal/project"
)

// NotProjectError means the folder has no envgen.lock.
type NotProjectError struct{ Dir string }

func (e *NotProjectError) Error() string {
	return e.Dir + ": not an envgen project (no " + project.LockFile + ")"
}

// Hint says how to go on.
func (e *NotProjectError) Hint() string {
	return "run envgen in the project's root folder (or pass -C DIR), or create a project with envgen init"
}

// ExitCode is 2: nothing to work on.
func (e *NotProjectError) ExitCode() int { return 2 }

// AlreadyProjectError refuses init over an existing project.
type AlreadyProjectError struct{ Dir string }

func (e *AlreadyProjectError) Error() string {
	return e.Dir + ": already an envgen project (" + project.LockFile + " exists)"
}

// Hint says how to go on.
func (e *AlreadyProjectError) Hint() string {
	return "run envgen sync to bring it up to date, or envgen init --force to render it anew"
}

// ExitCode is 2: refused before anything was written.
func (e *AlreadyProjectError) ExitCode() int { return 2 }

// BusyError means another envgen works on the project right now.
type BusyError struct{ Err error }

func (e *BusyError) Error() string {
	return "another envgen is working on this project: " + e.Err.Error()
}

// Hint says how to go on.
func (e *BusyError) Hint() string { return "wait for it to finish, then run this again" }

// UncommittedError refuses to rewrite files with uncommitted changes.
type UncommittedError struct{ Paths []string }

func (e *UncommittedError) Error() string {
	return fmt.Sprintf("%d file(s) sync would rewrite hold uncommitted edits of yours: %s", len(e.Paths), strings.Join(e.Paths, ", "))
}

// Hint says how to go on.
func (e *UncommittedError) Hint() string {
	return "commit or stash them first (so sync's changes are easy to review), or pass --yes"
}

// ExitCode is 2: refused before anything was written.
func (e *UncommittedError) ExitCode() int { return 2 }

// UnfinishedError means an earlier run was interrupted: its journal is
// still there. Read-only commands report it; sync finishes it.
type UnfinishedError struct {
	Dir   string
	Label string // what was interrupted: "sync --profile production"
	Since string
}

func (e *UnfinishedError) Error() string {
	return fmt.Sprintf("%s: an unfinished %s (interrupted, started %s) is recorded in %s", e.Dir, e.Label, e.Since, project.JournalFile)
}

// Hint says how to go on.
func (e *UnfinishedError) Hint() string {
	return "run envgen sync to finish it, or envgen sync --abort to roll it back"
}

// ExitCode is 3: the project is not in the state its lock describes.
func (e *UnfinishedError) ExitCode() int { return 3 }

// PlantedError refuses machine-local state that git tracks: someone
// committed it, and replaying it would run their changes.
type PlantedError struct{ Path string }

func (e *PlantedError) Error() string {
	return e.Path + " is tracked by git; envgen's machine-local state is never committed, so this one was planted"
}

// Hint says how to go on.
func (e *PlantedError) Hint() string {
	return "git rm --cached " + e.Path + " && rm " + e.Path + ", review the commit that added it, then run envgen again"
}

// ExitCode is 2: invalid .envgen/ state.
func (e *PlantedError) ExitCode() int { return 2 }
