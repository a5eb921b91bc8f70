package generator

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/envgen/envgen/internal/gitrepo"
	"github.com/envgen/envgen/internal/version"
)

// InitOptions configure Init.
type InitOptions struct {
	Dir    string
	Inputs Inputs
	Source *Source // nil: the built-in template
	Force  bool    // overwrite existing files (after backing them up)
	DryRun bool    // plan only; write nothing
	NoGit  bool    // never create a git repository
	// Secrets for the .env; nil draws random ones.
	Secrets map[string]string
	// Getenv finds the git author; nil means os.Getenv.
	Getenv func(string) string
	// Now stamps backups and the commit; nil means time.Now.
	Now func() time.Time
}

// InitResult says what Init did (or, for a dry run, would do).
type InitResult struct {
	Dir      string          `json:"dir"`
	Module   string          `json:"module"`
	Name     string          `json:"name"`
	Profile  string          `json:"profile"`
	Go       string          `json:"go"`
	Template TemplateRef     `json:"template"`
	DryRun   bool            `json:"dry_run"`
	Plan     *Plan           `json:"plan"`
	Applied  *Applied        `json:"applied,omitempty"`
	Git      *gitrepo.Commit `json:"git,omitempty"`
	// GitSkipped says why no repository was created, when none was.
	GitSkipped string `json:"git_skipped,omitempty"`
}

// Init renders a new project into opts.Dir. Every input is validated and
// the whole plan computed before the first write; bad input leaves the
// folder as it was.
func Init(ctx context.Context, opts InitOptions) (*InitResult, error) {
	src := opts.Source
	if src == nil {
		var err error
		if src, err = Builtin(); err != nil {
			return nil, err
		}
	}
	getenv, now := opts.Getenv, opts.Now
	if getenv == nil {
		getenv = os.Getenv
	}
	if now == nil {
		now = time.Now
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return nil, &InputError{Subject: opts.Dir, Problem: "is a file, not a folder", Hint: "name a folder to create the project in"}
	}

	r, target, lock, err := renderInputs(src, opts.Inputs, opts.Secrets)
	if err != nil {
		return nil, err
	}
	plan, err := planInit(dir, target, lock, opts.Force)
	if err != nil {
		return nil, err
	}
	res := &InitResult{
		Dir: dir, Module: r.Module, Name: r.Name, Profile: r.Profile.Name, Go: r.Go.String(),
		Template: lock.Template, DryRun: opts.DryRun, Plan: plan,
	}
	if opts.DryRun {
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Decide about git before writing: once the files are there, the
	// folder may look different.
	inside, err := gitrepo.Inside(dir)
	if err != nil {
		return nil, fmt.Errorf("looking for a git repository around %s: %w", dir, err)
	}
	if res.Applied, err = apply(plan, now()); err != nil {
		return nil, err
	}
	switch {
	case opts.NoGit:
		res.GitSkipped = "--no-git"
	case inside:
		res.GitSkipped = "already inside a git repository; nothing was committed"
	default:
		paths := []string{LockFile, StateDir + "/.gitignore"}
		for _, c := range plan.Changes {
			paths = append(paths, c.Path)
			if c.Mode == Merged {
				paths = append(paths, BaseDir+"/"+c.Path)
			}
		}
		msg := fmt.Sprintf("Scaffold %s with envgen %s (profile %s, Go %s)", r.Name, version.Version, r.Profile.Name, r.Go)
		if res.Git, err = gitrepo.InitAndCommit(dir, paths, msg, gitrepo.ResolveAuthor(getenv), now()); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// renderInputs resolves the inputs, renders them and describes the render
// as the lock that would record it: the first half of init and sync.
// secrets nil draws fresh random ones.
func renderInputs(src *Source, in Inputs, secrets map[string]string) (*Resolved, *Target, *Lock, error) {
	r, err := src.Resolve(in)
	if err != nil {
		return nil, nil, nil, err
	}
	if r.Secrets = secrets; r.Secrets == nil {
		if r.Secrets, err = NewSecrets(); err != nil {
			return nil, nil, nil, err
		}
	}
	target, err := Render(src, r)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("rendering template %s %s: %w", src.Manifest.Name, src.Manifest.Version, err)
	}
	return r, target, newLock(src, r, target, version.Version), nil
}
