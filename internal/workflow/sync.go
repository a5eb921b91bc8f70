package workflow

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/apply"
	"github.com/envgen/envgen/internal/filelock"
	"github.com/envgen/envgen/internal/gitrepo"
	"github.com/envgen/envgen/internal/goversion"
	"github.com/envgen/envgen/internal/plan"
	"github.com/envgen/envgen/internal/project"
)

// SyncOptions configure Sync.
type SyncOptions struct {
	Dir string
	// Profile, Go and Set change the inputs recorded in envgen.lock;
	// empty means as recorded. Set adds to and overrides the recorded values.
	Profile string
	Go      string
	Set     map[string]string
	// Source is the template to render (sync --from); nil means the one
	// envgen.lock records, opened with OpenSource if it is not built in.
	Source     *generator.Source
	OpenSource OpenSourceFunc
	// Check computes the plan and writes nothing (sync --check, diff,
	// status, --dry-run): no mutex, no journal, nothing created.
	Check bool
	// Yes rewrites files holding uncommitted edits without asking.
	Yes bool
	// Confirm is asked, when Yes is false, whether to rewrite files that
	// hold uncommitted edits; nil refuses.
	Confirm func(paths []string) (bool, error)
	// Commit commits exactly what the sync changed, with this author.
	Commit *gitrepo.Author
	Now    func() time.Time
	// ToolchainHashes, verified by the caller against the checksum
	// database, are recorded in the lock for the pinned toolchain.
	ToolchainHashes map[string]string
	// ToolchainProofs, with ToolchainHashes, is their proof bundle
	// (proofs only), verified by the caller: written to
	// project.ToolchainProofsFile in the same change.
	ToolchainProofs []byte
	// CheckProofs proves the proofs a project carries (offline); nil
	// checks only that they are what envgen wrote.
	CheckProofs ProofChecker
	// Label names the run in the journal ("sync --profile production").
	Label string
	// Apply tunes the writer (tests stop it half way with it).
	Apply apply.Options
}

// SyncResult is what Sync found and did.
type SyncResult struct {
	Dir      string              `json:"dir"`
	Profile  Transition          `json:"profile"`
	Go       Transition          `json:"go"`
	Template project.TemplateRef `json:"template"`
	Check    bool                `json:"check"`
	Plan     *plan.Plan          `json:"plan"`
	// InputsChanged: the run was asked to change the profile, the Go pin
	// or a variable, so every difference it finds is drift.
	InputsChanged bool `json:"inputs_changed"`
	// DriftPaths is what a check fails on (see Drift; without --strict).
	DriftPaths []string `json:"drift"`
	// Edited lists files that differ from what envgen last wrote.
	Edited []string `json:"edited"`
	// Behind lists files a newer render would change: an upgrade.
	Behind []string `json:"behind"`
	// Conflicts lists files written with conflict markers (or, for a
	// check, that would be); Unresolved those still holding markers.
	Conflicts  []string `json:"conflicts"`
	Unresolved []string `json:"unresolved"`
	// DefaultChanges are variables whose default changed in the template;
	// the project keeps its value.
	DefaultChanges []generator.DefaultChange `json:"default_changes,omitempty"`
	// LockUpgrade says the lock's schema is older than this envgen's:
	// "1 -> 2" (sync rewrites it in the new schema).
	LockUpgrade string `json:"lock_upgrade,omitempty"`
	// Resumed names an interrupted run this one finished first.
	Resumed string `json:"resumed,omitempty"`
	// Applied is set when files were written; Paths lists every path
	// created, changed or deleted (what to commit).
	Applied   bool            `json:"applied"`
	Paths     []string        `json:"paths,omitempty"`
	BackupDir string          `json:"backup_dir,omitempty"`
	Commit    *gitrepo.Commit `json:"commit,omitempty"`
	// NewerTemplate tells of a newer release of the project's starter, if
	// the caller looked for one.
	NewerTemplate string `json:"newer_template,omitempty"`
	// GoSupport warns of a Go pin out of upstream support or behind the
	// newest patch of its minor (envgen's release list, offline); nil when
	// neither. Not drift.
	GoSupport *goversion.Support `json:"go_support,omitempty"`
}

// Transition is an input before and after the sync.
type Transition struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Drift lists what a check fails on: with changed inputs, everything that
// would change; otherwise the local edits only (an upgrade on offer is
// not the project's fault; strict counts it too).
func (r *SyncResult) Drift(strict bool) []string {
	if r.InputsChanged || strict {
		return append(append([]string(nil), r.Edited...), r.Behind...)
	}
	return r.Edited
}

// Sync brings a project back to what its inputs render, keeping every
// local edit; with Check it only computes the plan.
func Sync(ctx context.Context, opts SyncOptions) (*SyncResult, error) {
	d, err := openProject(opts.Dir)
	if err != nil {
		return nil, err
	}
	defer d.Close() //nolint:errcheck // the project folder's os.Root: a failed close loses nothing
	res := &SyncResult{Dir: d.Path, Check: opts.Check}

	if opts.Check {
		if err := refuseUnfinished(d); err != nil {
			return nil, err
		}
	} else {
		held, err := holdForWriting(d)
		if err != nil {
			return nil, err
		}
		defer held.Unlock() //nolint:errcheck // closing the descriptor releases the lock; a failed close loses nothing
		if res.Resumed, err = resume(d, opts.Apply); err != nil {
			return nil, err
		}
	}

	last, rendered, err := renderProject(ctx, d, opts)
	if err != nil {
		return nil, err
	}
	next := rendered.Lock
	p, err := plan.Compute(d, plan.Request{Target: rendered.Target, Last: last, Next: next})
	if err != nil {
		return nil, err
	}
	if err := planProofs(d, p, last, opts); err != nil {
		return nil, err
	}
	describe(res, p, last, rendered)
	if opts.Check || !p.Writes() {
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("sync: %w", err)
	}
	if err := guardUncommitted(d.Path, p, opts); err != nil {
		return nil, err
	}
	if err := writeSync(d, p, opts, res); err != nil {
		return nil, err
	}
	if err := commitSync(d, next, opts, res); err != nil {
		return res, err // written: res says what
	}
	return res, nil
}

// holdForWriting takes the project mutex for a sync that writes. The lock
// is validated first: a bent lock is refused with nothing written, not
// even the mutex's pid.
func holdForWriting(d *project.Dir) (*filelock.Lock, error) {
	if _, err := d.ReadLock(); err != nil && !errors.Is(err, project.ErrNoLock) {
		return nil, err
	}
	return lockProject(d)
}

// renderProject renders the project's inputs, as envgen.lock records them
// and opts changes them, with the template the lock names (or opts.Source).
// It returns the last lock and the render, whose lock keeps the recorded
// toolchain hashes while the toolchain stays, or takes opts'.
func renderProject(ctx context.Context, d *project.Dir, opts SyncOptions) (*project.Lock, *generator.Rendered, error) {
	last, err := d.ReadLock()
	if errors.Is(err, project.ErrNoLock) {
		return nil, nil, &NotProjectError{Dir: d.Path}
	}
	if err != nil {
		return nil, nil, err
	}
	src, err := projectSource(ctx, opts.Source, opts.OpenSource, last.Template)
	if err != nil {
		return nil, nil, err
	}
	in := inputsFrom(last, opts.Profile, opts.Go, opts.Set)
	rendered, err := generator.RenderInputs(src, in, nil)
	if err != nil {
		return nil, nil, err
	}
	next := rendered.Lock
	next.Toolchain.Hashes = nil
	if last.Toolchain.Version == next.Toolchain.Version {
		next.Toolchain.Hashes = last.Toolchain.Hashes
	}
	if opts.ToolchainHashes != nil {
		next.Toolchain.Hashes = opts.ToolchainHashes
	}
	return last, rendered, nil
}

// describe fills in what the plan says of the project: the transitions,
// the Go support advice, changed defaults, a lock upgrade, and the paths
// by kind (classify).
func describe(res *SyncResult, p *plan.Plan, last *project.Lock, rendered *generator.Rendered) {
	next := rendered.Lock
	res.Plan, res.Template = p, next.Template
	res.Profile = Transition{From: last.Profile, To: next.Profile}
	res.Go = Transition{From: last.Inputs.Go, To: next.Inputs.Go}
	res.GoSupport = goversion.AdviseText(next.Inputs.Go)
	res.DefaultChanges = rendered.Resolved.DefaultChanges
	res.InputsChanged = inputsChanged(last, next)
	if last.Schema < next.MinSchema() {
		res.LockUpgrade = fmt.Sprintf("%d -> %d", last.Schema, next.MinSchema())
	}
	classify(res)
}

// writeSync writes the plan through the journaled writer and records
// in res what it wrote.
func writeSync(d *project.Dir, p *plan.Plan, opts SyncOptions, res *SyncResult) error {
	now := opts.clock()
	ss, backupDir, err := steps(d, p, now().UTC().Format("20060102T150405Z"))
	if err != nil {
		return err
	}
	label := opts.Label
	if label == "" {
		label = "sync"
	}
	ao := opts.Apply
	ao.Now = now
	if err := apply.Apply(d, label, ss, ao); err != nil {
		return err
	}
	res.Applied, res.Paths, res.BackupDir = true, touched(ss, p), backupDir
	return nil
}

// commitSync commits exactly the paths the sync wrote, when asked to.
func commitSync(d *project.Dir, next *project.Lock, opts SyncOptions, res *SyncResult) error {
	if opts.Commit == nil || len(res.Paths) == 0 {
		return nil
	}
	msg := fmt.Sprintf("envgen sync: profile %s, Go %s", next.Profile, next.Inputs.Go)
	var err error
	res.Commit, err = gitrepo.CommitPaths(d.Path, res.Paths, msg, *opts.Commit, opts.clock()())
	return err
}

// clock is opts.Now, or time.Now.
func (opts SyncOptions) clock() func() time.Time {
	if opts.Now != nil {
		return opts.Now
	}
	return time.Now
}

// openProject opens an existing project folder for reading.
func openProject(dir string) (*project.Dir, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("project folder: %w", err)
	}
	fi, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, &NotProjectError{Dir: abs}
	case err != nil:
		return nil, fmt.Errorf("project folder: %w", err)
	case !fi.IsDir():
		return nil, &NotProjectError{Dir: abs}
	}
	d, err := project.OpenDir(abs)
	if err != nil {
		return nil, err
	}
	if !d.Exists(project.LockFile) {
		_ = d.Close()
		return nil, &NotProjectError{Dir: abs}
	}
	return d, nil
}

// refuseUnfinished is what read-only commands do about a journal: say
// so. Only then does it ask git whether the journal is tracked (reading
// git's index costs as much as the repository is large; a check must not).
func refuseUnfinished(d *project.Dir) error {
	j, err := apply.Pending(d)
	if err != nil || j == nil {
		return err
	}
	if err := refusePlanted(d); err != nil {
		return err
	}
	return &UnfinishedError{Dir: d.Path, Label: j.Label, Since: j.Started.Format(time.RFC3339)}
}

// resume finishes an interrupted run, returning its label ("" if none).
func resume(d *project.Dir, opts apply.Options) (string, error) {
	if err := refusePlanted(d); err != nil {
		return "", err
	}
	j, err := apply.Resume(d, opts)
	if err != nil || j == nil {
		return "", err
	}
	return j.Label, nil
}

// refusePlanted refuses machine-local state that git tracks.
func refusePlanted(d *project.Dir) error {
	for _, p := range []string{project.JournalFile, project.MutexFile, project.BackupDir} {
		if !d.Exists(p) {
			continue
		}
		tracked, err := gitrepo.Tracked(d.Path, p)
		if err != nil {
			return fmt.Errorf("asking git whether %s is tracked: %w", p, err)
		}
		if tracked {
			return &PlantedError{Path: p}
		}
	}
	return nil
}

func inputsChanged(last, next *project.Lock) bool {
	if last.Profile != next.Profile || last.Inputs.Go != next.Inputs.Go || len(last.Inputs.Set) != len(next.Inputs.Set) {
		return true
	}
	for k, v := range next.Inputs.Set {
		if fmt.Sprint(last.Inputs.Set[k]) != fmt.Sprint(v) {
			return true
		}
	}
	return false
}

func classify(res *SyncResult) {
	for _, c := range res.Plan.Changes {
		switch c.Drift {
		case plan.Edited:
			res.Edited = append(res.Edited, c.Path)
		case plan.Behind:
			res.Behind = append(res.Behind, c.Path)
		default: // plan.NoDrift
		}
		if c.Drift == plan.Edited || c.Drift == plan.Behind && res.InputsChanged {
			res.DriftPaths = append(res.DriftPaths, c.Path)
		}
		switch c.Action {
		case plan.Conflict:
			res.Conflicts = append(res.Conflicts, c.Path)
		case plan.Unresolved:
			res.Unresolved = append(res.Unresolved, c.Path)
		default: // every other action is neither a conflict nor unresolved
		}
	}
}

// guardUncommitted asks before rewriting files that hold edits of the
// user's that git has not recorded. A file envgen wrote and nobody
// touched holds nothing to lose, git-ignored or not.
func guardUncommitted(dir string, p *plan.Plan, opts SyncOptions) error {
	if opts.Yes {
		return nil
	}
	var rewrites []string
	for _, c := range p.Changes {
		if c.LocalEdit && (c.Write || c.Remove) {
			rewrites = append(rewrites, c.Path)
		}
	}
	if len(rewrites) == 0 {
		return nil
	}
	dirty, err := gitrepo.Uncommitted(dir, rewrites)
	if err != nil {
		return fmt.Errorf("checking git for uncommitted changes: %w", err)
	}
	if len(dirty) == 0 {
		return nil
	}
	sort.Strings(dirty)
	if opts.Confirm != nil {
		ok, err := opts.Confirm(dirty)
		if err != nil || ok {
			return err
		}
	}
	return &UncommittedError{Paths: dirty}
}
