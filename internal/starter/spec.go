// Package starter loads organisation starters: templates, profiles and
// dependency sets kept in a local folder or a git repository. A git
// starter is fetched with go-git (shallow where the server allows) into a
// cache keyed by URL and commit, so it works offline once fetched. Every
// starter passes the same sandbox checks when it is loaded: no symlink
// leading out of it, no file above the size limit, no unsafe path.
package starter

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/project"
)

// Spec is a parsed SOURCE[@REF].
type Spec struct {
	// Source is a git URL, or the absolute path of a local folder.
	Source string
	// Ref is a tag, branch or commit; empty means the repository's HEAD
	// (git) or the folder as it is (local).
	Ref string
	// Git is true when Source is fetched with git: a URL, or a local
	// folder with @REF (a repository on disk).
	Git bool
}

func (s Spec) String() string {
	if s.Ref == "" {
		return s.Source
	}
	return s.Source + "@" + s.Ref
}

var (
	urlScheme = regexp.MustCompile(`^(https?|ssh|git|file)://`)
	// scpLike is git's user@host:path form of an ssh URL.
	scpLike = regexp.MustCompile(`^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:`)
)

// ParseSpec splits SOURCE[@REF]. The @ of a user name (ssh://git@host/x,
// git@host:x) is not a ref separator; the last @ after the host is. A
// local folder whose own name holds an @ is taken as it is. A credential
// in the URL (https://user:token@host/repo) is left out of Source, and
// out of every error.
func ParseSpec(spec string) (Spec, error) {
	s, _, err := parseSpec(spec)
	return s, err
}

// parseSpec is ParseSpec that also returns the credential the URL held,
// for the one fetch it names.
func parseSpec(raw string) (Spec, *credential, error) {
	spec, cred := splitUserinfo(raw)
	s, err := parseCleanSpec(spec)
	return s, cred, err
}

func parseCleanSpec(spec string) (Spec, error) {
	if strings.TrimSpace(spec) == "" {
		return Spec{}, specError(spec, "empty source", "pass a git URL or a folder, optionally with @TAG, @BRANCH or @COMMIT")
	}
	pathStart := 0
	remote := false
	switch {
	case urlScheme.MatchString(spec):
		remote = true
		hostStart := strings.Index(spec, "://") + 3
		if i := strings.IndexByte(spec[hostStart:], '/'); i >= 0 {
			pathStart = hostStart + i
		} else {
			pathStart = len(spec)
		}
	case scpLike.MatchString(spec):
		remote = true
		pathStart = strings.IndexByte(spec, ':') + 1
	default:
		if fi, err := os.Stat(spec); err == nil && fi.IsDir() {
			return localSpec(spec, "")
		}
	}
	source, ref := spec, ""
	if at := strings.LastIndexByte(spec[pathStart:], '@'); at >= 0 {
		source, ref = spec[:pathStart+at], spec[pathStart+at+1:]
		if ref == "" {
			return Spec{}, specError(spec, "nothing after @", "write SOURCE@REF with a tag, branch or commit, or leave out the @")
		}
	}
	if remote {
		return Spec{Source: strings.TrimSuffix(source, "/"), Ref: ref, Git: true}, nil
	}
	return localSpec(source, ref)
}

func localSpec(dir, ref string) (Spec, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Spec{}, fmt.Errorf("starter: %s: %w", dir, err)
	}
	fi, err := os.Stat(abs)
	if err != nil || !fi.IsDir() {
		return Spec{}, specError(dir, "is neither a folder nor a git URL (https://, ssh://, git@host:path, file://)",
			"name a folder holding "+generator.ManifestFile+", or a git repository URL")
	}
	return Spec{Source: abs, Ref: ref, Git: ref != ""}, nil
}

func specError(spec, problem, hint string) error {
	return &generator.InputError{Subject: "--from " + spec, Problem: problem, Hint: hint}
}

// SpecFor returns the spec that opens exactly the starter an origin
// recorded: a git starter at its commit (served from the cache when
// fetched before), a folder as it is now.
func SpecFor(o project.Origin) (string, error) {
	switch o.Kind {
	case "git":
		if o.Commit == "" {
			return "", fmt.Errorf("git template origin %s has no commit", Redact(o.URL))
		}
		return o.URL + "@" + o.Commit, nil
	case "dir":
		return o.URL, nil
	}
	return "", fmt.Errorf("template origin %q is not a starter", o.Kind)
}
