package generator

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/envgen/envgen/internal/filelock"
	"github.com/envgen/envgen/internal/gitrepo"
)

// SyncOptions configure Sync.
type SyncOptions struct {
	Dir string
	// Profile, Go and Set change the inputs recorded in envgen.lock;
	// empty means as recorded. Set adds to and overrides the recorded values.
	Profile string
	Go      string
	Set     map[string]string
	// Source is the template to render: a newer version of the project's
	// starter (sync --from), say. nil means the one envgen.lock records:
	// the built-in template, or OpenSource(origin) for any other.
	Source *Source
	// OpenSource opens a template recorded in envgen.lock that is not the
	// built-in one (an organisation's starter, from its cache or its repository).
	OpenSource func(ctx context.Context, o Origin) (*Source, error)
	// Check computes the plan and writes nothing (sync --check, diff, status).
	Check bool
	// Yes rewrites files with uncommitted git changes without asking.
	Yes bool
	// Confirm is asked, when Yes is false, whether to rewrite files that
	// have uncommitted changes; nil refuses.
	Confirm func(paths []string) (bool, error)
	Now     func() time.Time
	// ToolchainHashes, verified by the caller against the checksum
	// database, are recorded in the lock for the pinned toolchain.
	ToolchainHashes map[string]string
	// beforeWrite is passed to the plan (tests simulate crashes with it).
	beforeWrite func(path string) error
}

// SyncResult is what Sync found and did.
type SyncResult struct {
	Dir      string      `json:"dir"`
	Profile  Transition  `json:"profile"`
	Go       Transition  `json:"go"`
	Template TemplateRef `json:"template"`
	Check    bool        `json:"check"`
	Plan     *Plan       `json:"plan"`
	Applied  *Applied    `json:"applied,omitempty"`
	// Drift lists the paths whose change is drift (see Action.IsDrift).
	Drift []string `json:"drift"`
	// Conflicts lists files written with conflict markers (or still holding them).
	Conflicts []string `json:"conflicts"`
	// NewerTemplate tells of a newer release of the project's starter, if
	// the caller looked for one.
	NewerTemplate string `json:"newer_template,omitempty"`
}

// Transition is an input before and after the sync.
type Transition struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// InSync reports whether nothing differs.
func (r *SyncResult) InSync() bool { return len(r.Drift) == 0 }

// NotProjectError means the folder has no envgen.lock.
type NotProjectError struct{ Dir string }

func (e *NotProjectError) Error() string {
	return e.Dir + ": not an envgen project (no " + LockFile + ")"
}

// Hint says how to go on.
func (e *NotProjectError) Hint() string {
	return "run envgen in the project's root folder (or pass -C DIR), or create a project with envgen init"
}

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
	return fmt.Sprintf("%d file(s) sync would rewrite have uncommitted changes: %v", len(e.Paths), e.Paths)
}

// Hint says how to go on.
func (e *UncommittedError) Hint() string {
	return "commit or stash them first (so sync's changes are easy to review), or pass --yes"
}

// Sync brings a project back to what its inputs render, keeping every
// local edit: it re-renders from envgen.lock (with the changes asked for),
// compares the render, the disk and what envgen last wrote, and applies
// the plan (or, with Check, only returns it).
func Sync(ctx context.Context, opts SyncOptions) (*SyncResult, error) {
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, LockFile)); errors.Is(err, os.ErrNotExist) {
		return nil, &NotProjectError{Dir: dir}
	}
	held, err := filelock.TryLock(filepath.Join(dir, StateDir, "lock"))
	if errors.Is(err, filelock.ErrLocked) {
		return nil, &BusyError{Err: err}
	}
	if err != nil {
		return nil, err
	}
	defer held.Unlock()

	old, err := ReadLock(dir)
	if err != nil {
		return nil, err
	}
	src, err := projectSource(ctx, opts, old.Template)
	if err != nil {
		return nil, err
	}
	in := Inputs{Module: old.Inputs.Module, Name: old.Inputs.Name, Profile: old.Profile, Go: old.Inputs.Go, Set: map[string]string{}}
	for k, v := range old.Inputs.Set {
		in.Set[k] = fmt.Sprint(v)
	}
	if opts.Profile != "" {
		in.Profile = opts.Profile
	}
	if opts.Go != "" {
		in.Go = opts.Go
	}
	for k, v := range opts.Set {
		in.Set[k] = v
	}
	// Fresh secrets only reach files the render adds: the .env is a once
	// file, never rewritten.
	_, target, next, err := renderInputs(src, in, nil)
	if err != nil {
		return nil, err
	}
	next.Toolchain.Hashes = keepHashes(old.Toolchain, next.Toolchain.Version)
	if opts.ToolchainHashes != nil {
		next.Toolchain.Hashes = opts.ToolchainHashes
	}
	plan, err := planSync(dir, target, old, next)
	if err != nil {
		return nil, err
	}
	plan.beforeWrite = opts.beforeWrite

	res := &SyncResult{
		Dir: dir, Check: opts.Check, Plan: plan, Template: next.Template,
		Profile: Transition{From: old.Profile, To: next.Profile},
		Go:      Transition{From: old.Inputs.Go, To: next.Inputs.Go},
	}
	var rewrites []string
	for _, c := range plan.Changes {
		if c.Action.IsDrift() {
			res.Drift = append(res.Drift, c.Path)
		}
		if c.Action == Conflict || c.Action == Unresolved {
			res.Conflicts = append(res.Conflicts, c.Path)
		}
		if (c.write || c.remove) && c.old != nil {
			rewrites = append(rewrites, c.Path)
		}
	}
	if opts.Check || len(res.Drift) == 0 && !lockChanged(old, next) {
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	if !opts.Yes && len(rewrites) > 0 {
		dirty, err := gitrepo.Uncommitted(dir, rewrites)
		if err != nil {
			return nil, fmt.Errorf("checking git for uncommitted changes: %w", err)
		}
		if len(dirty) > 0 {
			sort.Strings(dirty)
			ok := false
			if opts.Confirm != nil {
				if ok, err = opts.Confirm(dirty); err != nil {
					return nil, err
				}
			}
			if !ok {
				return nil, &UncommittedError{Paths: dirty}
			}
		}
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	if res.Applied, err = apply(plan, now()); err != nil {
		return nil, err
	}
	return res, nil
}

// projectSource picks the template to render: the one asked for, else the
// one the lock records. Rendering a starter's project with the built-in
// template would look like every starter file had gone, so an origin
// that cannot be opened is an error, never a fallback.
func projectSource(ctx context.Context, opts SyncOptions, recorded TemplateRef) (*Source, error) {
	switch {
	case opts.Source != nil:
		return opts.Source, nil
	case recorded.Kind == "" || recorded.Kind == "builtin":
		return Builtin()
	case opts.OpenSource == nil:
		return nil, fmt.Errorf("the project was rendered from template %s %s (%s %s), which this command cannot open",
			recorded.Name, recorded.Version, recorded.Kind, recorded.URL)
	}
	src, err := opts.OpenSource(ctx, recorded.Origin)
	if err != nil {
		return nil, fmt.Errorf("opening the project's template %s %s: %w", recorded.Name, recorded.Version, err)
	}
	return src, nil
}

// keepHashes carries verified toolchain hashes over when the pin stays.
func keepHashes(old ToolchainPin, pin string) map[string]string {
	if old.Version == pin {
		return old.Hashes
	}
	return nil
}

// lockChanged reports whether the lock must be rewritten although no file
// changes (a profile switch that renders the same files, say).
func lockChanged(old, next *Lock) bool {
	a, errA := old.Marshal()
	b, errB := next.Marshal()
	return errA != nil || errB != nil || string(a) != string(b)
}
