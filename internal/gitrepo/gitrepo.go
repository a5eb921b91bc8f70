// Package gitrepo is the little git envgen needs, through go-git (no git
// binary required): is a folder in a repository, create one, commit files.
package gitrepo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// Inside reports whether dir is inside a git working tree.
func Inside(dir string) (bool, error) {
	_, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("git: %w", err)
	}
	return true, nil
}

// Author is who a commit is by, and where that was found.
type Author struct {
	Name   string `json:"name"`
	Email  string `json:"email"`
	Source string `json:"source"` // "environment", "git config" or "default"
}

// DefaultAuthor is used when neither the environment nor git config names anyone.
var DefaultAuthor = Author{Name: "envgen", Email: "envgen@localhost", Source: "default"}

// ResolveAuthor finds the commit author as git would: GIT_AUTHOR_NAME and
// GIT_AUTHOR_EMAIL, then user.name and user.email from the global git
// config, else DefaultAuthor.
func ResolveAuthor(getenv func(string) string) Author {
	if name, email := getenv("GIT_AUTHOR_NAME"), getenv("GIT_AUTHOR_EMAIL"); name != "" && email != "" {
		return Author{Name: name, Email: email, Source: "environment"}
	}
	if cfg, err := config.LoadConfig(config.GlobalScope); err == nil && cfg.User.Name != "" && cfg.User.Email != "" {
		return Author{Name: cfg.User.Name, Email: cfg.User.Email, Source: "git config"}
	}
	return DefaultAuthor
}

// defaultBranch honours init.defaultBranch from the global git config.
func defaultBranch() plumbing.ReferenceName {
	if cfg, err := config.LoadConfig(config.GlobalScope); err == nil && cfg.Init.DefaultBranch != "" {
		return plumbing.NewBranchReferenceName(cfg.Init.DefaultBranch)
	}
	return plumbing.NewBranchReferenceName("main")
}

// Commit is the result of InitAndCommit.
type Commit struct {
	Hash   string   `json:"hash"`
	Branch string   `json:"branch"`
	Author Author   `json:"author"`
	Files  int      `json:"files"`
	Skip   []string `json:"ignored,omitempty"` // paths left out because .gitignore ignores them
}

// InitAndCommit creates a repository in dir and commits paths (slash
// separated, relative to dir), leaving out those the folder's .gitignore
// ignores: secrets in .env must never reach a commit.
func InitAndCommit(dir string, paths []string, message string, author Author, when time.Time) (*Commit, error) {
	branch := defaultBranch()
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: branch},
	})
	if err != nil {
		return nil, fmt.Errorf("git init: %w", err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, fmt.Errorf("git worktree: %w", err)
	}
	ignore, err := ignoreMatcher(dir)
	if err != nil {
		return nil, err
	}
	return stageAndCommit(dir, wt, ".", paths, ignore, &Commit{Branch: branch.Short(), Author: author}, message, author, when)
}

// ignoreMatcher reads the top-level .gitignore, if there is one.
func ignoreMatcher(dir string) (gitignore.Matcher, error) {
	data, err := os.ReadFile(filepath.Join(dir, ".gitignore")) //nolint:gosec // G304: the .gitignore of the caller's project
	if errors.Is(err, os.ErrNotExist) {
		return gitignore.NewMatcher(nil), nil
	}
	if err != nil {
		return nil, fmt.Errorf("git: %w", err)
	}
	var ps []gitignore.Pattern
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, nil))
	}
	return gitignore.NewMatcher(ps), nil
}

// Uncommitted returns those of paths (slash separated, relative to dir)
// whose content on disk differs from the last commit: edits that a
// rewrite of the file would make hard to get back. It looks only at the
// named files, never at the whole working tree. Outside a repository, or
// in one without commits, it returns nothing.
func Uncommitted(dir string, paths []string) ([]string, error) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("git: %w", err)
	}
	head, err := repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("git HEAD: %w", err)
	}
	commit, err := repo.CommitObject(head.Hash())
	if err != nil {
		return nil, fmt.Errorf("git HEAD %s: %w", head.Hash(), err)
	}
	tree, err := commit.Tree()
	if err != nil {
		return nil, fmt.Errorf("git HEAD %s: %w", head.Hash(), err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, fmt.Errorf("git worktree: %w", err)
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("git: %w", err)
	}
	prefix, err := filepath.Rel(wt.Filesystem.Root(), absDir)
	if err != nil {
		return nil, fmt.Errorf("git: %w", err)
	}
	var dirty []string
	for _, p := range paths {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p))) //nolint:gosec // G304: a file of the caller's project
		if errors.Is(err, os.ErrNotExist) {
			continue // nothing on disk to lose
		}
		if err != nil {
			return nil, fmt.Errorf("git: %w", err)
		}
		inRepo := filepath.ToSlash(filepath.Join(prefix, filepath.FromSlash(p)))
		entry, err := tree.FindEntry(inRepo)
		if err != nil || entry.Hash != plumbing.ComputeHash(plumbing.BlobObject, data) {
			dirty = append(dirty, p)
		}
	}
	return dirty, nil
}
