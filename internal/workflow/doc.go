// Package workflow composes envgen's commands from its parts: render
// (generator) -> plan (internal/plan) -> apply (internal/apply). It owns
// what surrounds them: the project mutex, the journal of an interrupted
// run, the git calls the user asked for, and the guard against rewriting
// uncommitted work. Init is the plan of a project with nothing written;
// sync, --check, diff and status are one plan read by different callers,
// and only Sync with Check false reaches the writer.
package workflow
