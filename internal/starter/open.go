package starter

import (
	"context"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/project"
)

// Options configure loading a starter.
type Options struct {
	// CacheDir holds fetched starters; empty means DefaultCacheDir.
	CacheDir string
	// Limits bound the starter's files; zero means DefaultLimits.
	Limits Limits
}

func (o Options) cache() (cache, error) {
	if o.CacheDir != "" {
		return cache{root: o.CacheDir}, nil
	}
	root, err := DefaultCacheDir()
	return cache{root: root}, err
}

// Open loads the starter named by spec, SOURCE[@REF]: a local folder as it
// is, or a git repository (a URL, or a folder with @REF) at a tag, branch
// or commit, fetched into the cache unless it is there already. The
// source's Origin says what was loaded, for envgen.lock: for git, the URL,
// the ref asked for and the commit it resolved to.
func Open(ctx context.Context, spec string, opts Options) (*generator.Source, error) {
	s, err := ParseSpec(spec)
	if err != nil {
		return nil, err
	}
	return openSpec(ctx, s, opts)
}

// OpenOrigin loads exactly the starter a lock recorded: a git starter at
// the recorded commit (from the cache, without the network, when it was
// fetched before) with the recorded ref kept in the origin. To move to a
// newer version, Open SOURCE@NEWREF instead.
func OpenOrigin(ctx context.Context, o project.Origin, opts Options) (*generator.Source, error) {
	spec, err := SpecFor(o)
	if err != nil {
		return nil, err
	}
	src, err := Open(ctx, spec, opts)
	if err != nil {
		return nil, err
	}
	if o.Kind == "git" && o.Ref != "" {
		src.Origin.Ref = o.Ref
	}
	return src, nil
}

func openSpec(ctx context.Context, s Spec, opts Options) (*generator.Source, error) {
	if !s.Git {
		return Load(s.Source, project.Origin{Kind: "dir", URL: s.Source}, opts.Limits)
	}
	c, err := opts.cache()
	if err != nil {
		return nil, err
	}
	dir, commit, err := fetchGit(ctx, s, c, opts.Limits)
	if err != nil {
		return nil, err
	}
	return Load(dir, project.Origin{Kind: "git", URL: s.Source, Ref: s.Ref, Commit: commit}, opts.Limits)
}

// Load reads a starter from a folder under the sandbox rules and builds
// its source. The cache's copies go through the same checks as a user's
// folder, so a tampered cache is no way around them.
func Load(dir string, origin project.Origin, lim Limits) (*generator.Source, error) {
	files, err := readFolder(dir, lim)
	if err != nil {
		return nil, err
	}
	return build(files, origin)
}
