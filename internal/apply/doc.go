// Package apply is envgen's one writer of project state. It carries out a
// list of steps the way a database applies a transaction:
//
//  1. the whole change, new content and the content it replaces, is
//     written to .envgen/journal, flushed, and renamed into place: from
//     then on the change will happen, whatever stops the process;
//  2. each step is applied atomically (temporary file, rename), project
//     files first, base copies after, envgen.lock last;
//  3. one flush, then the journal is removed.
//
// A run that finds a journal finishes it (Resume) or rolls it back
// (Abort), both idempotent, so a crash at any point leaves either the old
// project, the new one, or a journal that turns into one of them. Every
// path goes through the project's os.Root and is refused if it, or a
// folder above it, is a symbolic link or names .git.
package apply
