package generator

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/envgen/envgen/internal/project"
	"github.com/envgen/envgen/internal/version"
	"github.com/envgen/envgen/profiles"
)

// File is one rendered file of the target state.
type File struct {
	Path string // slash-separated, relative to the project root
	Data []byte
	Mode Mode
	Perm fs.FileMode // permission bits for a new file
	// Floor marks a managed policy file whose entries sync restores while
	// keeping the user's additions.
	Floor bool
	// LocalOnly marks a file the rendered .gitignore keeps out of git
	// (secrets): a clone lacks it, and that is not drift.
	LocalOnly bool
}

// Hash is the content hash envgen.lock records for a file.
func (f File) Hash() string { return project.HashBytes(f.Data) }

// Exec reports whether the file is written executable.
func (f File) Exec() bool { return f.Perm&0o111 != 0 }

// HashBytes is the lock's content hash (see project.HashBytes).
func HashBytes(data []byte) string { return project.HashBytes(data) }

// Target is the state a render asks for: every file, sorted by path.
type Target struct {
	Files []File
}

// Data is what templates see.
type Data struct {
	Module  string
	Name    string
	Profile ProfileData
	Go      GoData
	Vars    map[string]any
	Secrets map[string]string
	Envgen  string
}

// ProfileData is .Profile: the effective settings plus the profile's name.
type ProfileData struct {
	Name string
	profiles.Settings
}

// GoData is .Go: the pinned release in the forms files need.
type GoData struct {
	Version   string // 1.26.11
	Minor     string // 1.26
	Toolchain string // go1.26.11
}

func newData(r *Resolved) Data {
	return Data{
		Module:  r.Module,
		Name:    r.Name,
		Profile: ProfileData{Name: r.Profile.Name, Settings: r.Profile.Settings},
		Go:      GoData{Version: r.Go.String(), Minor: r.Go.MinorString(), Toolchain: r.Go.Toolchain()},
		Vars:    r.Vars,
		Secrets: r.Secrets,
		Envgen:  version.Version,
	}
}

// Render computes the target state for resolved inputs. It is pure: no
// disk but the source's file system, no network; the same inputs give
// byte-identical output. It stays within src.Caps (zero: DefaultCaps),
// the only use it makes of the clock, and checks the target as a whole
// (checkTarget) before returning it: a render that could not be written
// whole is refused before anything is written.
func Render(src *Source, r *Resolved) (*Target, error) {
	rd := newRenderer(src.Manifest.Functions, src.Caps)
	return within(rd, func() (*Target, error) { return rd.render(src, r) })
}

func (rd *renderer) render(src *Source, r *Resolved) (*Target, error) {
	data := newData(r)
	var files []File
	seen := map[string]string{}

	err := fs.WalkDir(src.Tree, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("template tree: %w", err)
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("template %s: not a regular file", p)
		}
		out, err := rd.renderPath(p, data)
		if err != nil {
			return err
		}
		rule := src.Manifest.rule(out)
		if rule.When != "" {
			ok, err := rd.evalWhen(p, out, rule.When, data)
			if err != nil || !ok {
				return err
			}
		}
		if prev, dup := seen[out]; dup {
			return fmt.Errorf("templates %s and %s both render to %s", prev, p, out)
		}
		seen[out] = p
		content, err := fs.ReadFile(src.Tree, p)
		if err != nil {
			return fmt.Errorf("template %s: %w", p, err)
		}
		if strings.HasSuffix(p, ".tmpl") {
			content, err = rd.renderContent(p, content, rule.Delims, data)
			if err != nil {
				return err
			}
		}
		if err := rd.count(p, int64(len(content))); err != nil {
			return err
		}
		perm := rule.perm()
		// A starter marks scripts executable in git; honour that as the
		// manifest's executable: true.
		if info, err := d.Info(); err == nil && info.Mode().Perm()&0o111 != 0 {
			perm = withExec(perm)
		}
		files = append(files, File{Path: out, Data: content, Mode: rule.Mode, Perm: perm, Floor: rule.Floor})
		return nil
	})
	if err != nil {
		return nil, err //nolint:wrapcheck // the walk function's own errors, each already says which template
	}

	for _, p := range []string{"go.mod", "go.sum"} {
		if tpl, dup := seen[p]; dup {
			return nil, fmt.Errorf("template %s: go.mod and go.sum come from the dependency sets (deps/), not from templates", tpl)
		}
	}
	gomod, gosum, err := goModFiles(src.Deps, r.Module, r.Go)
	if err != nil {
		return nil, err
	}
	files = append(files,
		File{Path: "go.mod", Data: gomod, Mode: src.Manifest.rule("go.mod").Mode, Perm: 0o644},
		File{Path: "go.sum", Data: gosum, Mode: src.Manifest.rule("go.sum").Mode, Perm: 0o644},
	)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	if err := checkTarget(files, seen, rd.caps); err != nil {
		return nil, err
	}
	markLocalOnly(files)
	return &Target{Files: files}, nil
}

// count adds a rendered file of size bytes, made from template p, to the
// render's totals and refuses it above the caps.
func (rd *renderer) count(p string, size int64) error {
	rd.files++
	rd.total += size
	var ce *capError
	switch {
	case size > rd.caps.MaxFileBytes:
		ce = rd.fileError()
	case rd.total > rd.caps.MaxTotalBytes:
		ce = rd.totalError()
	case rd.files > rd.caps.MaxFiles:
		ce = &capError{key: CapFiles, problem: fmt.Sprintf("the render makes more than %d files, the render limit (%s)", rd.caps.MaxFiles, CapFiles)}
	default:
		return nil
	}
	return inputErrorFor(p, nil, ce)
}

func (rd *renderer) fileError() *capError {
	return &capError{key: CapFileBytes, problem: fmt.Sprintf("renders more than %s, the render limit per file (%s)",
		sizeText(rd.caps.MaxFileBytes), CapFileBytes)}
}

func (rd *renderer) totalError() *capError {
	return &capError{key: CapTotalBytes, problem: fmt.Sprintf("the render passes %s, the render limit for all files together (%s)",
		sizeText(rd.caps.MaxTotalBytes), CapTotalBytes)}
}

// failed turns an execution error of template p that a cap caused into
// the InputError naming p and the cap.
func failed(p string, err error) error {
	if ce, ok := findCapError(err); ok {
		return inputErrorFor(p, err, ce)
	}
	return err
}

// renderPath renders the template expressions in a template's path, drops
// the .tmpl suffix, and refuses a result that would leave the project.
func (rd *renderer) renderPath(p string, data Data) (string, error) {
	out := p
	if strings.Contains(p, "{{") {
		t, err := rd.newTemplate(p).Parse(p)
		if err != nil {
			return "", fmt.Errorf("template path %s: %w", p, err)
		}
		b, err := rd.execute(p, t, data, len(p), MaxPathBytes, func(int64) *capError {
			return &capError{problem: fmt.Sprintf("the path renders to more than %d bytes, the longest path file systems take", MaxPathBytes)}
		})
		if err != nil {
			return "", failed(p, fmt.Errorf("template path %s: %w", p, err))
		}
		out = string(b)
	}
	out = strings.TrimSuffix(out, ".tmpl")
	if err := checkRelPath(out); err != nil {
		return "", fmt.Errorf("template %s: %w", p, err)
	}
	return out, nil
}

// checkRelPath accepts a clean, relative, slash-separated path inside the
// project that names neither git's folder nor envgen's state.
func checkRelPath(p string) error {
	if err := project.CheckPath(p); err != nil {
		return &UnsafePathError{Err: err}
	}
	return nil
}

// UnsafePathError is a template whose path renders outside the project,
// under .git/ or onto envgen's own state: the template breaks the rules,
// and nothing is written.
type UnsafePathError struct{ Err error }

func (e *UnsafePathError) Error() string { return "renders to an unsafe path: " + e.Err.Error() }
func (e *UnsafePathError) Unwrap() error { return e.Err }

// Hint says how to go on.
func (e *UnsafePathError) Hint() string {
	return "the template (or starter) is at fault: fix its paths, or ask its owners to; nothing was written"
}

// ExitCode is 2: a starter that breaks the rules is refused input.
func (e *UnsafePathError) ExitCode() int { return 2 }

func (rd *renderer) renderContent(name string, content []byte, delims []string, data Data) ([]byte, error) {
	t := rd.newTemplate(name)
	if delims != nil {
		t = t.Delims(delims[0], delims[1])
	}
	t, err := t.Parse(string(content))
	if err != nil {
		return nil, fmt.Errorf("template %w", err) // text/template names file and line
	}
	limit := min(rd.caps.MaxFileBytes, rd.caps.MaxTotalBytes-rd.total)
	out, err := rd.execute(name, t, data, len(content), limit, func(need int64) *capError {
		if need > rd.caps.MaxFileBytes {
			return rd.fileError()
		}
		return rd.totalError()
	})
	if err != nil {
		return nil, failed(name, fmt.Errorf("template %w", err))
	}
	return out, nil
}

func (rd *renderer) evalWhen(tmpl, file, expr string, data Data) (bool, error) {
	t, err := rd.newTemplate(file + " when").Parse(expr)
	if err != nil {
		return false, fmt.Errorf("%s: when: %w", ManifestFile, err)
	}
	b, err := rd.execute(tmpl, t, data, 16, rd.caps.MaxFileBytes, func(int64) *capError { return rd.fileError() })
	if err != nil {
		return false, failed(tmpl, fmt.Errorf("%s: when for %s: %w", ManifestFile, file, err))
	}
	switch strings.TrimSpace(string(b)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("%s: when for %s renders to %q, want true or false", ManifestFile, file, b)
}
