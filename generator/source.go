package generator

import (
	"fmt"
	"io/fs"
	"sync"

	"github.com/envgen/envgen/profiles"
	"github.com/envgen/envgen/templates"
)

// Source is a template ready to render: its manifest, the tree rendered
// into the project, the tested dependency sets, the profiles it offers,
// and where it came from (recorded in envgen.lock).
type Source struct {
	Manifest *Manifest
	Tree     fs.FS // rendered path for path into the project
	Deps     fs.FS // goX.Y.mod and goX.Y.sum per supported Go minor
	Profiles *profiles.Set
	Origin   Origin
}

// Origin says where a template came from.
type Origin struct {
	// Kind is "builtin", "dir" or "git".
	Kind string `json:"kind"`
	// URL is the folder or repository for dir and git templates.
	URL string `json:"url,omitempty"`
	// Ref and Commit pin a git template: the ref asked for and the commit it resolved to.
	Ref    string `json:"ref,omitempty"`
	Commit string `json:"commit,omitempty"`
}

var builtinSource = sync.OnceValues(func() (*Source, error) {
	return NewSource(templates.FS(), nil, Origin{Kind: "builtin"})
})

// Builtin returns envgen's own template and profiles.
func Builtin() (*Source, error) { return builtinSource() }

// NewSource opens a template laid out as envgen-template.yaml, service/
// and deps/. Its profiles are the built-in ones overlaid with extra, if any.
func NewSource(fsys fs.FS, extra *profiles.Set, origin Origin) (*Source, error) {
	m, err := loadManifest(fsys)
	if err != nil {
		return nil, err
	}
	tree, err := fs.Sub(fsys, "service")
	if err != nil {
		return nil, err
	}
	deps, err := fs.Sub(fsys, "deps")
	if err != nil {
		return nil, err
	}
	set, err := profiles.Builtin()
	if err != nil {
		return nil, fmt.Errorf("built-in profiles: %w", err)
	}
	if extra != nil {
		set = set.With(extra)
	}
	return &Source{Manifest: m, Tree: tree, Deps: deps, Profiles: set, Origin: origin}, nil
}
