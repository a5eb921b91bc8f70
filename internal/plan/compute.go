package plan

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/project"
)

// Request is what to plan: the target state and the last-written state.
type Request struct {
	Target *generator.Target
	// Last is the project's envgen.lock; nil when nothing was written
	// yet (init).
	Last *project.Lock
	// Next is the lock of the new render; Compute fills its Files.
	Next *project.Lock
	// Force lets init replace files in its way (after backing them up).
	Force bool
}

// ExistingFilesError refuses to overwrite files that are already in the
// project folder; --force overwrites them after backing them up.
type ExistingFilesError struct {
	Paths []string
}

func (e *ExistingFilesError) Error() string {
	const show = 10
	paths, more := e.Paths, ""
	if len(paths) > show {
		more = fmt.Sprintf(" (and %d more)", len(e.Paths)-show)
		paths = paths[:show]
	}
	return fmt.Sprintf("%d file(s) would be overwritten: %s%s", len(e.Paths), join(paths), more)
}

// Hint says how to go on.
func (e *ExistingFilesError) Hint() string {
	return "run in an empty folder, or pass --force to overwrite them (your versions are kept under " + project.BackupDir + "/)"
}

// ExitCode is 2: refused before anything was written.
func (e *ExistingFilesError) ExitCode() int { return 2 }

// Compute returns the plan. It reads only the files the target or the
// last lock names, so its cost follows the number of files envgen
// manages, not the size of the repository; and it writes nothing.
func Compute(r Reader, req Request) (*Plan, error) {
	p := &Plan{Lock: req.Next, Last: req.Last}
	entries := make([]project.LockedFile, 0, len(req.Target.Files))
	rendered := make(map[string]bool, len(req.Target.Files))
	var clashes []string

	for _, f := range req.Target.Files {
		rendered[f.Path] = true
		disk, perm, err := r.ReadFile(f.Path)
		exists := err == nil
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		st := fileState{f: f, disk: disk, exists: exists, diskExec: perm&0o111 != 0}
		if req.Last == nil {
			c, e := decideInit(st)
			if c.Action == Overwrite {
				clashes = append(clashes, f.Path)
			}
			p.Changes, entries = append(p.Changes, c), append(entries, e)
			continue
		}
		st.last, st.tracked = req.Last.Entry(f.Path)
		st.knowsExec = req.Last.Schema >= 2
		if f.Mode.KeepsBase() && st.tracked {
			base, err := r.ReadBase(f.Path)
			switch {
			case err == nil:
				st.base, st.hasBase = base, true
			case !errors.Is(err, fs.ErrNotExist):
				return nil, err
			}
		}
		c, e := decide(st)
		p.Changes, entries = append(p.Changes, c), append(entries, e)
	}
	if len(clashes) > 0 && !req.Force {
		return nil, &ExistingFilesError{Paths: clashes}
	}

	if req.Last != nil {
		for _, le := range req.Last.Files {
			if rendered[le.Path] {
				continue
			}
			c, err := decideObsolete(r, le)
			if err != nil {
				return nil, err
			}
			if c != nil {
				p.Changes = append(p.Changes, *c)
			}
		}
	}
	sort.Slice(p.Changes, func(i, j int) bool { return p.Changes[i].Path < p.Changes[j].Path })
	sort.Slice(entries, func(i, j int) bool { return entries[i].Path < entries[j].Path })
	req.Next.Files = entries
	return p, nil
}

func join(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
