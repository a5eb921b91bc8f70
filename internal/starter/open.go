package starter

import (
	"context"
	"os"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/project"
)

// Options configure loading a starter.
type Options struct {
	// CacheDir holds fetched starters; empty means DefaultCacheDir.
	CacheDir string
	// Limits bound the starter's files; zero means DefaultLimits.
	Limits Limits
	// Getenv reads the environment: the tokens (ENVGEN_GIT_TOKEN,
	// ENVGEN_GIT_TOKEN_<HOST>), ENVGEN_GIT_CREDENTIAL_HELPER, SSH_AUTH_SOCK,
	// SSH_KNOWN_HOSTS and HOME. Nil means os.Getenv.
	Getenv func(string) string
}

func (o Options) getenv() func(string) string {
	if o.Getenv != nil {
		return o.Getenv
	}
	return os.Getenv
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
// source's Origin says what was loaded, for envgen.lock: for git, the URL
// (without any credential it held), the ref asked for and the commit it
// resolved to.
//
// spec is taken as the user's own choice, named on the command line: the
// unscoped ENVGEN_GIT_TOKEN may be sent to its host. A starter named by a
// file someone else can edit goes through OpenOrigin.
func Open(ctx context.Context, spec string, opts Options) (*generator.Source, error) {
	s, cred, err := parseSpec(spec)
	if err != nil {
		return nil, err
	}
	return openSpec(ctx, s, cred, true, opts)
}

// OpenOrigin loads exactly the starter a lock recorded: a git starter at
// the recorded commit (from the cache, without the network, when it was
// fetched before) with the recorded ref kept in the origin. To move to a
// newer version, Open SOURCE@NEWREF instead.
//
// The lock is untrusted input (a pull request can edit it), so only a
// token scoped to the origin's host (ENVGEN_GIT_TOKEN_<HOST>) or git's
// credential helper for that host is used, never ENVGEN_GIT_TOKEN.
func OpenOrigin(ctx context.Context, o project.Origin, opts Options) (*generator.Source, error) {
	spec, err := SpecFor(o)
	if err != nil {
		return nil, err
	}
	s, cred, err := parseSpec(spec)
	if err != nil {
		return nil, err
	}
	src, err := openSpec(ctx, s, cred, false, opts)
	if err != nil {
		return nil, err
	}
	if o.Kind == "git" && o.Ref != "" {
		src.Origin.Ref = o.Ref
	}
	return src, nil
}

// openSpec loads s. cred is the credential its URL held; trusted says
// whether the user named it on the command line (see access).
func openSpec(ctx context.Context, s Spec, cred *credential, trusted bool, opts Options) (*generator.Source, error) {
	if !s.Git {
		return Load(s.Source, project.Origin{Kind: "dir", URL: s.Source}, opts.Limits)
	}
	c, err := opts.cache()
	if err != nil {
		return nil, err
	}
	acc := newAccess(s.Source, cred, trusted, opts.getenv())
	defer acc.close()
	dir, commit, err := fetchGit(ctx, s, c, opts.Limits, acc)
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
	src, err := build(files, origin)
	if err != nil {
		return nil, &generator.StarterError{Err: err}
	}
	return src, nil
}
