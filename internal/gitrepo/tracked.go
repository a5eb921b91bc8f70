package gitrepo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// open finds the repository around dir and dir's path inside it.
func open(dir string) (*git.Repository, *git.Worktree, string, error) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return nil, nil, "", fmt.Errorf("git: %w", err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, nil, "", fmt.Errorf("git worktree: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, nil, "", fmt.Errorf("git: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		abs = resolved
	}
	top := wt.Filesystem.Root()
	if resolved, err := filepath.EvalSymlinks(top); err == nil {
		top = resolved
	}
	prefix, err := filepath.Rel(top, abs)
	if err != nil {
		return nil, nil, "", fmt.Errorf("git: %w", err)
	}
	return repo, wt, filepath.ToSlash(prefix), nil
}

func inRepo(prefix, p string) string {
	if prefix == "." || prefix == "" {
		return p
	}
	return prefix + "/" + p
}

// Tracked reports whether git's index holds path (relative to dir).
// Outside a repository nothing is tracked.
func Tracked(dir, path string) (bool, error) {
	repo, _, prefix, err := open(dir)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	idx, err := repo.Storer.Index()
	if err != nil {
		return false, fmt.Errorf("git index: %w", err)
	}
	name := inRepo(prefix, path)
	for _, e := range idx.Entries {
		if e.Name == name || strings.HasPrefix(e.Name, name+"/") {
			return true, nil
		}
	}
	return false, nil
}

// CommitPaths stages exactly paths (relative to dir: changed, created or
// deleted files) and commits them, leaving out what .gitignore ignores.
// Nothing else in the working tree is staged.
func CommitPaths(dir string, paths []string, message string, author Author, when time.Time) (*Commit, error) {
	_, wt, prefix, err := open(dir)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, fmt.Errorf("%s is not in a git repository: nothing to commit to", dir)
	}
	if err != nil {
		return nil, err
	}
	ignore, err := ignoreMatcher(dir)
	if err != nil {
		return nil, err
	}
	return stageAndCommit(dir, wt, prefix, paths, ignore, &Commit{Author: author}, message, author, when)
}

// stageAndCommit stages exactly paths (git add for a file that is there,
// git rm for one that is gone), leaving out what .gitignore ignores, and
// commits them.
func stageAndCommit(dir string, wt *git.Worktree, prefix string, paths []string, ignore gitignore.Matcher, res *Commit, message string, author Author, when time.Time) (*Commit, error) {
	for _, p := range paths {
		if ignore.Match(strings.Split(p, "/"), false) {
			res.Skip = append(res.Skip, p)
			continue
		}
		name := inRepo(prefix, p)
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p))); errors.Is(err, os.ErrNotExist) {
			if _, err := wt.Remove(name); err != nil && !isNotTracked(err) {
				return nil, fmt.Errorf("git rm %s: %w", p, err)
			}
			res.Files++
			continue
		}
		if _, err := wt.Add(name); err != nil {
			return nil, fmt.Errorf("git add %s: %w", p, err)
		}
		res.Files++
	}
	sig := &object.Signature{Name: author.Name, Email: author.Email, When: when}
	hash, err := wt.Commit(message, &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		return nil, fmt.Errorf("git commit: %w", err)
	}
	res.Hash = hash.String()
	return res, nil
}

func isNotTracked(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "entry not found") || strings.Contains(err.Error(), "not found"))
}
