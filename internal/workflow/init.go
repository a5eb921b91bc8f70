package workflow

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/apply"
	"github.com/envgen/envgen/internal/gitrepo"
	"github.com/envgen/envgen/internal/plan"
	"github.com/envgen/envgen/internal/project"
	"github.com/envgen/envgen/internal/version"
)

// InitOptions configure Init.
type InitOptions struct {
	Dir    string
	Inputs generator.Inputs
	Source *generator.Source // nil: the built-in template
	Force  bool              // overwrite existing files (after backing them up)
	DryRun bool              // plan only; write nothing
	NoGit  bool              // never create a git repository
	// Secrets for the .env; nil draws random ones.
	Secrets map[string]string
	// Getenv finds the git author; nil means os.Getenv.
	Getenv func(string) string
	// Now stamps backups and the commit; nil means time.Now.
	Now func() time.Time
	// Apply tunes the writer (tests stop it half way with it).
	Apply apply.Options
}

// InitResult says what Init did (or, for a dry run, would do).
type InitResult struct {
	Dir       string              `json:"dir"`
	Module    string              `json:"module"`
	Name      string              `json:"name"`
	Profile   string              `json:"profile"`
	Go        string              `json:"go"`
	Template  project.TemplateRef `json:"template"`
	DryRun    bool                `json:"dry_run"`
	Plan      *plan.Plan          `json:"plan,omitempty"`
	BackupDir string              `json:"backup_dir,omitempty"`
	// Resumed: an init interrupted earlier was finished instead.
	Resumed bool            `json:"resumed,omitempty"`
	Git     *gitrepo.Commit `json:"git,omitempty"`
	// GitSkipped says why no repository was created, when none was.
	GitSkipped string `json:"git_skipped,omitempty"`
}

// Init renders a new project into opts.Dir. Every input is validated and
// the whole plan computed before the first write; bad input leaves the
// folder as it was. An init that was interrupted is finished by running
// the same command again.
func Init(ctx context.Context, opts InitOptions) (*InitResult, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	abs, exists, err := initFolder(opts.Dir)
	if err != nil {
		return nil, err
	}
	rendered, err := generator.RenderInputs(opts.Source, opts.Inputs, opts.Secrets)
	if err != nil {
		return nil, err
	}
	r, lock := rendered.Resolved, rendered.Lock
	res := &InitResult{
		Dir: abs, Module: r.Module, Name: r.Name, Profile: r.Profile.Name, Go: r.Go.String(),
		Template: lock.Template, DryRun: opts.DryRun,
	}

	var reader plan.Reader = plan.Empty{}
	var d *project.Dir
	if exists {
		if d, err = project.OpenDir(abs); err != nil {
			return nil, err
		}
		defer d.Close() //nolint:errcheck // the project folder's os.Root: a failed close loses nothing
		interrupted, err := checkInitInto(d, opts)
		if err != nil {
			return nil, err
		}
		if interrupted {
			return resumeInit(d, res, opts, opts.Getenv, opts.Now)
		}
		reader = d
	}
	p, err := plan.Compute(reader, plan.Request{Target: rendered.Target, Next: lock, Force: opts.Force})
	if err != nil {
		var ee *plan.ExistingFilesError
		if errors.As(err, &ee) {
			return nil, &ExistingFilesError{Dir: abs, Paths: ee.Paths}
		}
		return nil, err
	}
	res.Plan = p
	if opts.DryRun {
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("init: %w", err)
	}
	if d == nil {
		return writeNewInit(abs, p, r, res, opts)
	}
	return writeInit(d, false, p, r, res, opts)
}

// withDefaults fills in what opts leaves to Init: the built-in template,
// the environment and the clock.
func (opts InitOptions) withDefaults() (InitOptions, error) {
	if opts.Source == nil {
		src, err := generator.Builtin()
		if err != nil {
			return opts, err
		}
		opts.Source = src
	}
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return opts, nil
}

// initFolder is the absolute path of the folder to init into, and
// whether it exists; a file there is refused input.
func initFolder(dir string) (abs string, exists bool, err error) {
	abs, err = filepath.Abs(dir)
	if err != nil {
		return "", false, fmt.Errorf("init: %w", err)
	}
	fi, err := os.Stat(abs)
	switch {
	case err == nil && !fi.IsDir():
		return "", false, &generator.InputError{Subject: dir, Problem: "is a file, not a folder", Hint: "name a folder to create the project in"}
	case err == nil:
		return abs, true, nil
	case errors.Is(err, fs.ErrNotExist):
		return abs, false, nil
	}
	return "", false, fmt.Errorf("init: %w", err)
}

// checkInitInto checks an existing folder before init plans over it: no
// planted state, and no project already there unless --force. interrupted
// says an init there was stopped half way and is to be finished instead
// (never by a dry run).
func checkInitInto(d *project.Dir, opts InitOptions) (interrupted bool, err error) {
	if err := d.CheckState(); err != nil {
		return false, err
	}
	j, err := apply.Pending(d)
	if err != nil {
		return false, err
	}
	if j != nil && !opts.DryRun {
		return true, nil
	}
	if d.Exists(project.LockFile) && !opts.Force {
		return false, &AlreadyProjectError{Dir: d.Path}
	}
	return false, nil
}

// writeNewInit creates the project folder and writes the plan into it.
func writeNewInit(abs string, p *plan.Plan, r *generator.Resolved, res *InitResult, opts InitOptions) (*InitResult, error) {
	if err := os.MkdirAll(abs, 0o755); err != nil { //nolint:gosec // G301: a project folder, 0755 as any source tree
		return nil, fmt.Errorf("init: %w", err)
	}
	d, err := project.OpenDir(abs)
	if err != nil {
		return nil, err
	}
	defer d.Close() //nolint:errcheck // the project folder's os.Root: a failed close loses nothing
	return writeInit(d, true, p, r, res, opts)
}

// writeInit writes the plan into d under the project mutex and makes the
// first commit before the lock file lands. created: this run made the
// folder.
func writeInit(d *project.Dir, created bool, p *plan.Plan, r *generator.Resolved, res *InitResult, opts InitOptions) (*InitResult, error) {
	hadState := d.Exists(project.StateDir)
	held, err := lockProject(d)
	if err != nil {
		return nil, err
	}
	unlocked := false
	defer func() {
		if !unlocked {
			_ = held.Unlock()
		}
	}()
	// A failed init leaves the folder as it was: the writer has rolled its
	// changes back; what remains to remove is the mutex and the folders
	// this run made.
	fail := func(err error) (*InitResult, error) {
		if apply.IsStopped(err) {
			return nil, err // as after a crash: left for the next run
		}
		_ = held.Unlock()
		unlocked = true
		if !hadState {
			_ = d.Root().Remove(project.MutexFile)
			_ = d.Root().Remove(project.StateDir)
		}
		if created {
			_ = os.Remove(d.Path)
		}
		return nil, err
	}
	now := opts.Now
	ss, backupDir, err := steps(d, p, now().UTC().Format("20060102T150405Z"))
	if err != nil {
		return fail(err)
	}
	res.BackupDir = backupDir
	ao := opts.Apply
	ao.Now = now
	msg := fmt.Sprintf("Scaffold %s with envgen %s (profile %s, Go %s)", r.Name, version.Version, r.Profile.Name, r.Go)
	ao.BeforeFinish = func() error { return commitInit(d.Path, touched(ss, nil), msg, opts, opts.Getenv, now, res) }
	if err := apply.Apply(d, "init", ss, ao); err != nil {
		return fail(err)
	}
	return res, nil
}

// resumeInit finishes an init that was interrupted: the journal holds
// what it was writing (the same secrets included), and the git commit it
// had not made yet is made now.
func resumeInit(d *project.Dir, res *InitResult, opts InitOptions, getenv func(string) string, now func() time.Time) (*InitResult, error) {
	held, err := lockProject(d)
	if err != nil {
		return nil, err
	}
	defer held.Unlock() //nolint:errcheck // closing the descriptor releases the lock; a failed close loses nothing
	if err := refusePlanted(d); err != nil {
		return nil, err
	}
	j, err := apply.Pending(d)
	if err != nil {
		return nil, err
	}
	if j == nil {
		return nil, fmt.Errorf("%s: the interrupted init was finished by another envgen meanwhile", d.Path)
	}
	if j.Label != "init" {
		return nil, &UnfinishedError{Dir: d.Path, Label: j.Label, Since: j.Started.Format(time.RFC3339)}
	}
	msg := fmt.Sprintf("Scaffold %s with envgen %s (profile %s, Go %s)", res.Name, version.Version, res.Profile, res.Go)
	ao := opts.Apply
	ao.BeforeFinish = func() error { return commitInit(d.Path, touched(j.Steps, nil), msg, opts, getenv, now, res) }
	if _, err := apply.Resume(d, ao); err != nil {
		return nil, err
	}
	res.Resumed = true
	return res, nil
}

// commitInit creates the repository and makes init's first commit,
// unless told not to or already inside a repository.
func commitInit(dir string, paths []string, msg string, opts InitOptions, getenv func(string) string, now func() time.Time, res *InitResult) error {
	if opts.NoGit {
		res.GitSkipped = "--no-git"
		return nil
	}
	inside, err := gitrepo.Inside(dir)
	if err != nil {
		return fmt.Errorf("looking for a git repository around %s: %w", dir, err)
	}
	if inside {
		res.GitSkipped = "already inside a git repository; nothing was committed"
		return nil
	}
	res.Git, err = gitrepo.InitAndCommit(dir, paths, msg, gitrepo.ResolveAuthor(getenv), now())
	return err
}

// ExistingFilesError refuses to overwrite files that are already in the
// project folder; --force overwrites them after backing them up.
type ExistingFilesError struct {
	Dir   string
	Paths []string
}

func (e *ExistingFilesError) Error() string {
	return e.Dir + ": " + (&plan.ExistingFilesError{Paths: e.Paths}).Error()
}

// Hint says how to go on.
func (e *ExistingFilesError) Hint() string { return (&plan.ExistingFilesError{}).Hint() }

// ExitCode is 2: refused before anything was written.
func (e *ExistingFilesError) ExitCode() int { return 2 }
