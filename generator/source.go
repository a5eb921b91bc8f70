package generator

import (
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/envgen/envgen/internal/project"
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
	Origin   project.Origin
	// Caps bound its renders; the zero value means DefaultCaps (field by
	// field). Raise them only for a template you trust.
	Caps Caps
}

var builtinSource = sync.OnceValues(func() (*Source, error) {
	return NewSource(templates.FS(), nil, project.Origin{Kind: "builtin"})
})

// Builtin returns envgen's own template and profiles.
func Builtin() (*Source, error) { return builtinSource() }

// The layout of a template, built-in or starter: ManifestFile at the root,
// the tree rendered into the project under TreeDir, the dependency sets
// under DepsDir (and, for a starter, its profiles under profiles/).
const (
	TreeDir = "templates"
	DepsDir = "deps"
)

// NewSource opens a template laid out as ManifestFile, TreeDir/ and
// DepsDir/. Its profiles are the built-in ones overlaid with extra, if any.
func NewSource(fsys fs.FS, extra *profiles.Set, origin project.Origin) (*Source, error) {
	m, err := loadManifest(fsys)
	if err != nil {
		return nil, err
	}
	tree, err := fs.Sub(fsys, TreeDir)
	if err != nil {
		return nil, fmt.Errorf("template %s/: %w", TreeDir, err)
	}
	deps, err := fs.Sub(fsys, DepsDir)
	if err != nil {
		return nil, fmt.Errorf("template %s/: %w", DepsDir, err)
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

// CheckTemplates parses, without executing, every template of the tree
// for the inputs r: the path expressions, the `when` conditions and the
// content of every .tmpl file, including files that r's profile leaves
// out. It returns every problem found, each naming the file (and, for a
// parse error, the line), so that a starter's author sees them all at once.
func (src *Source) CheckTemplates(r *Resolved) []error {
	rd := newRenderer(src.Manifest.Functions, src.Caps)
	problems, err := within(rd, func() ([]error, error) { return rd.checkTemplates(src, r), nil })
	if err != nil {
		problems = append(problems, err)
	}
	return problems
}

func (rd *renderer) checkTemplates(src *Source, r *Resolved) []error {
	data := newData(r)
	var problems []error
	err := fs.WalkDir(src.Tree, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		out, err := rd.renderPath(p, data)
		if err != nil {
			problems = append(problems, err)
			return nil
		}
		rule := src.Manifest.rule(out)
		if rule.When != "" {
			if _, err := rd.newTemplate(out + " when").Parse(rule.When); err != nil {
				problems = append(problems, fmt.Errorf("%s: when for %s: %w", ManifestFile, out, err))
			}
		}
		if !strings.HasSuffix(p, ".tmpl") {
			return nil
		}
		content, err := fs.ReadFile(src.Tree, p)
		if err != nil {
			return fmt.Errorf("template %s: %w", p, err)
		}
		t := rd.newTemplate(p)
		if rule.Delims != nil {
			t = t.Delims(rule.Delims[0], rule.Delims[1])
		}
		if _, err := t.Parse(string(content)); err != nil {
			problems = append(problems, err) // "template: NAME:LINE: ..."
		}
		return nil
	})
	if err != nil {
		problems = append(problems, err)
	}
	return problems
}
