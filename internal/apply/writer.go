package apply

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/envgen/envgen/internal/project"
)

// Options tune a run of the writer.
type Options struct {
	// BeforeMutation, when set, runs before each change to the file
	// system, numbered from 1; an error stops the run there, as a crash
	// would. Tests (and ENVGEN_TEST_CRASH_AT) stop envgen at every point
	// with it.
	BeforeMutation func(n int) error
	// BeforeFinish runs after every step and before the journal is
	// removed (init commits to git there), so that a crash before it
	// finishes leaves a journal that the next run resumes.
	BeforeFinish func() error
	// Now stamps the journal.
	Now func() time.Time
}

// run is one pass over a journal's steps.
type run struct {
	d       *project.Dir
	opts    Options
	n       int
	written []string
}

func (r *run) mutate() error {
	r.n++
	if r.opts.BeforeMutation != nil {
		if err := r.opts.BeforeMutation(r.n); err != nil {
			return &stopped{err}
		}
	}
	return nil
}

// stopped is an error from the BeforeMutation seam: the run stops where
// it is, as a crash would, with no rollback.
type stopped struct{ err error }

func (e *stopped) Error() string { return e.err.Error() }
func (e *stopped) Unwrap() error { return e.err }

// IsStopped reports whether err stopped a run at the BeforeMutation seam
// (the state is left for recovery, as after a crash).
func IsStopped(err error) bool {
	var s *stopped
	return errors.As(err, &s)
}

// Apply carries out steps on the project: journal, steps, flush, and
// removes the journal. The caller holds the project mutex.
func Apply(d *project.Dir, label string, steps []Step, opts Options) error {
	if j, err := Pending(d); err != nil {
		return err
	} else if j != nil {
		return fmt.Errorf("an unfinished %s is recorded in %s: finish or abort it first", j.Label, project.JournalFile)
	}
	for i := range steps {
		if err := checkPath(steps[i].Path); err != nil {
			return fmt.Errorf("refusing to write %s: %w", steps[i].Path, err)
		}
		prev, err := current(d, steps[i].Path)
		if err != nil {
			return err
		}
		steps[i].Prev = prev
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	j := &Journal{Version: journalVersion, Label: label, Started: now().UTC(), Steps: steps}
	r := &run{d: d, opts: opts}
	sweep(d, steps)
	if err := r.mutate(); err != nil {
		return err
	}
	if err := writeJournal(d, j); err != nil {
		return err
	}
	if err := r.finish(j); err != nil {
		return rollBack(d, err)
	}
	return nil
}

// rollBack undoes a run that failed on its own (a file that cannot be
// written, a full disk): the project goes back to where it was, and the
// error says both what failed and whether the rollback did. A stopped
// run (the seam) is left to recovery, as a crash would be.
func rollBack(d *project.Dir, err error) error {
	var s *stopped
	if errors.As(err, &s) {
		return err
	}
	if _, abortErr := Abort(d, Options{}); abortErr != nil {
		return fmt.Errorf("%w; rolling back failed too (%w): the journal %s is kept, run envgen sync --abort", err, abortErr, project.JournalFile)
	}
	return fmt.Errorf("%w (every change was rolled back)", err)
}

// Resume finishes an unfinished apply to the result the interrupted run
// would have had. It returns the journal it finished, or nil if there was
// none. The caller holds the project mutex.
func Resume(d *project.Dir, opts Options) (*Journal, error) {
	j, err := Pending(d)
	if err != nil || j == nil {
		return nil, err
	}
	sweep(d, j.Steps)
	r := &run{d: d, opts: opts}
	return j, r.finish(j)
}

// Abort rolls an unfinished apply back: every path as it was before the
// run. It returns the journal it undid, or nil if there was none.
func Abort(d *project.Dir, opts Options) (*Journal, error) {
	j, err := Pending(d)
	if err != nil || j == nil {
		return nil, err
	}
	sweep(d, j.Steps)
	r := &run{d: d, opts: opts}
	for i := len(j.Steps) - 1; i >= 0; i-- {
		s := j.Steps[i]
		undo := Step{Op: OpRemove, Path: s.Path}
		if s.Prev.Exists {
			undo = Step{Op: OpWrite, Path: s.Path, Data: s.Prev.Data, Perm: s.Prev.Perm}
		}
		if err := r.step(undo); err != nil {
			return nil, err
		}
		if !s.Prev.Exists {
			pruneDirs(d, s.Path)
		}
	}
	return j, r.close()
}

// finish applies every step not yet done, in order, then closes the run.
func (r *run) finish(j *Journal) error {
	for _, s := range j.Steps {
		if err := r.step(s); err != nil {
			return err
		}
	}
	if err := r.mutate(); err != nil {
		return err
	}
	for _, s := range j.Steps {
		if s.Op == OpRemove {
			pruneDirs(r.d, s.Path)
		}
	}
	if r.opts.BeforeFinish != nil {
		if err := r.opts.BeforeFinish(); err != nil {
			return err
		}
	}
	return r.close()
}

// step applies one step unless its effect is already there.
func (r *run) step(s Step) error {
	if done(r.d, s) {
		return nil
	}
	if err := r.mutate(); err != nil {
		return err
	}
	var err error
	switch s.Op {
	case OpWrite:
		err = writeFile(r.d, s.Path, s.Data, s.Perm)
		r.written = append(r.written, s.Path)
	case OpRemove:
		err = removeFile(r.d, s.Path)
	case OpChmod:
		err = chmodFile(r.d, s.Path, s.Perm)
		r.written = append(r.written, s.Path)
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", s.Op, s.Path, err)
	}
	return nil
}

// close flushes every step, then removes the journal: the one moment the
// change is complete.
func (r *run) close() error {
	if err := flush(r.d, r.written); err != nil {
		return err
	}
	if err := r.mutate(); err != nil {
		return err
	}
	if err := r.d.Root().Remove(project.JournalFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove the finished journal: %w", err)
	}
	return fsync(r.d, project.StateDir)
}

// writeJournal writes the journal durably: temporary file, fsync,
// rename, fsync of the folder. Only then may the first step run.
func writeJournal(d *project.Dir, j *Journal) error {
	data, err := json.Marshal(j)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := d.CheckState(); err != nil {
		return err
	}
	if err := d.Root().MkdirAll(project.StateDir, 0o755); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := write(d, project.JournalFile, data, 0o600, true); err != nil {
		return fmt.Errorf("journal %s: %w", project.JournalFile, err)
	}
	return fsync(d, project.StateDir)
}

// sweep removes temporary files a crashed run left next to the paths it
// was writing, and the journal's own.
func sweep(d *project.Dir, steps []Step) {
	_ = d.Root().Remove(tempName(project.JournalFile))
	for _, s := range steps {
		_ = d.Root().Remove(tempName(s.Path))
	}
}
