package starter

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/storage/memory"
	"golang.org/x/mod/semver"

	"github.com/envgen/envgen/generator"
)

var (
	fullHash  = regexp.MustCompile(`^[0-9a-f]{40}$`)
	shortHash = regexp.MustCompile(`^[0-9a-f]{7,40}$`)
)

// FetchError is a repository envgen could not reach or read, with git's reason.
type FetchError struct {
	URL string
	Err error
}

func (e *FetchError) Error() string {
	return fmt.Sprintf("starter repository %s: cannot fetch: %v", e.URL, e.Err)
}
func (e *FetchError) Unwrap() error { return e.Err }

// Hint says how to go on.
func (e *FetchError) Hint() string {
	return "check the URL, your network and your git credentials (ssh agent, https token); a starter fetched before at a tag or commit also works offline"
}

// refNotFound is a REF the repository does not have.
func refNotFound(spec Spec, tags []string) error {
	hint := "name a tag, a branch or a commit of the repository"
	if len(tags) > 0 {
		if len(tags) > 5 {
			tags = tags[len(tags)-5:]
		}
		hint += "; newest tags: " + strings.Join(tags, ", ")
	}
	return &generator.InputError{Subject: "--from " + spec.String(),
		Problem: fmt.Sprintf("ref %q does not exist in %s", spec.Ref, spec.Source), Hint: hint}
}

// listRefs asks the remote for its refs, peeled tags included.
func listRefs(ctx context.Context, url string, auth transport.AuthMethod) ([]*plumbing.Reference, error) {
	remote := git.NewRemote(memory.NewStorage(), &config.RemoteConfig{Name: "origin", URLs: []string{url}})
	refs, err := remote.ListContext(ctx, &git.ListOptions{PeelingOption: git.AppendPeeled, Auth: auth})
	if err != nil {
		return nil, &FetchError{URL: url, Err: err}
	}
	return refs, nil
}

// resolved is where a ref points, as far as the remote's ref list says.
type resolved struct {
	name   plumbing.ReferenceName // the ref to fetch; empty: fetch everything
	commit string                 // empty until fetched, for a commit prefix
}

func resolveRef(refs []*plumbing.Reference, spec Spec) (resolved, error) {
	byName := map[plumbing.ReferenceName]*plumbing.Reference{}
	for _, r := range refs {
		byName[r.Name()] = r
	}
	peeled := func(name plumbing.ReferenceName) resolved {
		if p, ok := byName[name+"^{}"]; ok { // an annotated tag: its commit
			return resolved{name: name, commit: p.Hash().String()}
		}
		r := byName[name]
		if r.Type() == plumbing.SymbolicReference {
			if t, ok := byName[r.Target()]; ok {
				return resolved{name: r.Target(), commit: t.Hash().String()}
			}
		}
		return resolved{name: name, commit: r.Hash().String()}
	}
	ref := spec.Ref
	if ref == "" {
		if _, ok := byName[plumbing.HEAD]; ok {
			return peeled(plumbing.HEAD), nil
		}
		return resolved{}, &FetchError{URL: spec.Source, Err: errors.New("the repository has no HEAD; name a tag or branch with @REF")}
	}
	for _, name := range []plumbing.ReferenceName{
		plumbing.NewTagReferenceName(ref), plumbing.NewBranchReferenceName(ref), plumbing.ReferenceName(ref),
	} {
		if _, ok := byName[name]; ok && strings.HasPrefix(string(name), "refs/") {
			return peeled(name), nil
		}
	}
	if fullHash.MatchString(ref) {
		return resolved{commit: ref}, nil
	}
	if shortHash.MatchString(ref) {
		return resolved{}, nil // found, if at all, after fetching
	}
	return resolved{}, refNotFound(spec, semverTags(refs))
}

// fetchGit returns the cache folder holding the starter at spec.Ref and
// the commit it resolved to. A commit already cached needs no network; a
// tag or branch is resolved against the remote, or, when it cannot be
// reached, against what it resolved to last time. acc says what
// credentials the fetches send.
func fetchGit(ctx context.Context, spec Spec, c cache, lim Limits, acc *access) (dir, commit string, err error) {
	if fullHash.MatchString(spec.Ref) && c.has(spec.Source, spec.Ref) {
		return c.commitDir(spec.Source, spec.Ref), spec.Ref, nil
	}
	var refs []*plumbing.Reference
	err = acc.run(ctx, func(auth transport.AuthMethod) (err error) {
		refs, err = listRefs(ctx, spec.Source, auth)
		return err
	})
	if err != nil {
		if last, ok := c.refs(spec.Source)[spec.Ref]; ok && c.has(spec.Source, last) {
			return c.commitDir(spec.Source, last), last, nil
		}
		return "", "", err
	}
	res, err := resolveRef(refs, spec)
	if err != nil {
		return "", "", err
	}
	if res.commit != "" && c.has(spec.Source, res.commit) {
		return c.commitDir(spec.Source, res.commit), res.commit, c.remember(spec.Source, spec.Ref, res.commit)
	}
	var tree *object.Tree
	var hash string
	err = acc.run(ctx, func(auth transport.AuthMethod) (err error) {
		tree, hash, err = fetchCommit(ctx, spec, res, auth)
		return err
	})
	if err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(c.repoDir(spec.Source), 0o750); err != nil {
		return "", "", fmt.Errorf("starter: creating the cache folder: %w", err)
	}
	tmp, err := os.MkdirTemp(c.repoDir(spec.Source), ".fetch-")
	if err != nil {
		return "", "", fmt.Errorf("starter: creating a folder in the cache: %w", err)
	}
	defer func() { _ = os.RemoveAll(tmp) }() // gone after publish, or refused
	if err := materialize(tree, tmp, lim); err != nil {
		return "", "", err
	}
	if err := c.publish(tmp, spec.Source, hash); err != nil {
		return "", "", err
	}
	return c.commitDir(spec.Source, hash), hash, c.remember(spec.Source, spec.Ref, hash)
}

// fetchCommit clones into memory: only the one commit of a tag or branch
// (depth 1) where it can, the whole history for a commit hash.
func fetchCommit(ctx context.Context, spec Spec, res resolved, auth transport.AuthMethod) (*object.Tree, string, error) {
	opts := &git.CloneOptions{URL: spec.Source, Tags: git.NoTags, NoCheckout: true, Auth: auth}
	if res.name != "" {
		opts.ReferenceName, opts.SingleBranch, opts.Depth = res.name, true, 1
	}
	repo, err := git.CloneContext(ctx, memory.NewStorage(), nil, opts)
	if err != nil && opts.Depth > 0 && !errors.Is(err, context.Canceled) && !isAuthFailure(err) && !isHostKeyFailure(err) {
		// Some servers refuse shallow fetches; take the branch whole.
		opts.Depth = 0
		repo, err = git.CloneContext(ctx, memory.NewStorage(), nil, opts)
	}
	if err != nil {
		return nil, "", &FetchError{URL: spec.Source, Err: err}
	}
	rev := plumbing.Revision(spec.Ref)
	if res.name != "" {
		rev = plumbing.Revision(res.name)
	}
	hash, err := repo.ResolveRevision(rev)
	if err != nil {
		return nil, "", refNotFound(spec, nil)
	}
	commit, err := repo.CommitObject(*hash)
	if err != nil {
		return nil, "", refNotFound(spec, nil)
	}
	tree, err := commit.Tree()
	if err != nil {
		return nil, "", &FetchError{URL: spec.Source, Err: err}
	}
	return tree, hash.String(), nil
}

// materialize writes a commit's starter parts into dir as plain files,
// applying the sandbox rules: a symlink is replaced by the file it leads
// to, which must be inside the starter; every blob counts against the
// limits before it is read.
func materialize(tree *object.Tree, dir string, lim Limits) error {
	b := &budget{Limits: lim.orDefault()}
	// The callback's own errors (sandbox refusals, limits) are returned as
	// they are; only a failure to walk the tree gets this step's context.
	var refused error
	err := tree.Files().ForEach(func(f *object.File) error {
		refused = materializeFile(tree, f, dir, b)
		return refused
	})
	if refused != nil {
		return refused
	}
	if err != nil {
		return fmt.Errorf("starter: reading the commit's files: %w", err)
	}
	return nil
}

// materializeFile writes one file of the commit under dir, if it is a
// starter part.
func materializeFile(tree *object.Tree, f *object.File, dir string, b *budget) error {
	if !isPart(f.Name) {
		return nil
	}
	if err := checkName(f.Name); err != nil {
		return err
	}
	target, err := followLinks(tree, f)
	if err != nil {
		return err
	}
	if err := b.take(f.Name, target.Size); err != nil {
		return err
	}
	data, err := target.Contents()
	if err != nil {
		return fmt.Errorf("starter: reading %s: %w", f.Name, err)
	}
	perm := os.FileMode(0o644)
	if target.Mode == filemode.Executable {
		perm = 0o755
	}
	out := filepath.Join(dir, filepath.FromSlash(f.Name))
	if err := os.MkdirAll(filepath.Dir(out), 0o750); err != nil {
		return fmt.Errorf("starter: creating %s: %w", filepath.Dir(out), err)
	}
	if err := os.WriteFile(out, []byte(data), perm); err != nil {
		return fmt.Errorf("starter: writing %s: %w", out, err)
	}
	return nil
}

func isPart(p string) bool {
	for _, part := range starterParts {
		if p == part || strings.HasPrefix(p, part+"/") {
			return true
		}
	}
	return false
}

// followLinks resolves a symlink inside the commit's tree, hop by hop,
// refusing any hop that leaves the starter.
func followLinks(tree *object.Tree, f *object.File) (*object.File, error) {
	name := f.Name
	for hops := 0; f.Mode == filemode.Symlink; hops++ {
		if hops == 8 {
			return nil, &UnsafeError{Path: name, Problem: "too many levels of symlinks"}
		}
		link, err := f.Contents()
		if err != nil {
			return nil, fmt.Errorf("starter: reading symlink %s: %w", f.Name, err)
		}
		target := path.Join(path.Dir(f.Name), link)
		if path.IsAbs(link) || target == ".." || strings.HasPrefix(target, "../") {
			return nil, &UnsafeError{Path: name, Problem: fmt.Sprintf("symlink to %s, which is outside the starter", link)}
		}
		next, err := tree.File(target)
		if err != nil {
			return nil, &UnsafeError{Path: name, Problem: fmt.Sprintf("symlink to %s, which is not a file of the starter", link)}
		}
		f = next
	}
	if f.Mode != filemode.Regular && f.Mode != filemode.Executable && f.Mode != filemode.Deprecated {
		return nil, &UnsafeError{Path: name, Problem: "not a regular file (mode " + f.Mode.String() + ")"}
	}
	return f, nil
}

// semverTags returns the tags that are semantic versions (v1.2.0 or
// 1.2.0), oldest first.
func semverTags(refs []*plumbing.Reference) []string {
	var tags []string
	for _, r := range refs {
		name := r.Name()
		if !name.IsTag() || strings.HasSuffix(string(name), "^{}") {
			continue
		}
		if tag := name.Short(); semver.IsValid(canonicalTag(tag)) {
			tags = append(tags, tag)
		}
	}
	sort.SliceStable(tags, func(i, j int) bool {
		return semver.Compare(canonicalTag(tags[i]), canonicalTag(tags[j])) < 0
	})
	return tags
}

func canonicalTag(tag string) string { return "v" + strings.TrimPrefix(tag, "v") }

// LatestTag returns the newest release tag of a starter repository by
// semantic version (pre-releases such as v2.0.0-rc.1 are skipped), for
// sync --check to say that a newer starter exists. url may also be a
// local folder holding a repository. url comes from envgen.lock, so it
// gets the credentials OpenOrigin would give it, not ENVGEN_GIT_TOKEN.
func LatestTag(ctx context.Context, url string) (string, error) {
	return latestTag(ctx, url, Options{})
}

func latestTag(ctx context.Context, url string, opts Options) (string, error) {
	url, cred := splitUserinfo(url)
	if !urlScheme.MatchString(url) && !scpLike.MatchString(url) {
		if abs, err := filepath.Abs(url); err == nil {
			url = abs
		}
	}
	acc := newAccess(url, cred, false, opts.getenv())
	defer acc.close()
	var refs []*plumbing.Reference
	err := acc.run(ctx, func(auth transport.AuthMethod) (err error) {
		refs, err = listRefs(ctx, url, auth)
		return err
	})
	if err != nil {
		return "", err
	}
	tags := semverTags(refs)
	for i := len(tags) - 1; i >= 0; i-- {
		if semver.Prerelease(canonicalTag(tags[i])) == "" {
			return tags[i], nil
		}
	}
	return "", fmt.Errorf("starter repository %s has no release tag (such as v1.2.0)", url)
}
