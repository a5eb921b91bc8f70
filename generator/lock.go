package generator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

const (
	// LockFile records, at the project root, what envgen last wrote and
	// from which inputs. sync compares it with the disk and a new render.
	LockFile = "envgen.lock"
	// StateDir holds envgen's own files in the project: the content last
	// written of every merged file (the base of sync's three-way merge)
	// and backups of user files envgen replaced.
	StateDir = ".envgen"
	// BaseDir holds the last-written content of merged files.
	BaseDir = StateDir + "/base"
	// BackupDir holds user files that --force or sync replaced.
	BackupDir = StateDir + "/backup"

	lockSchema = 1
)

// Lock is envgen.lock. Designed for sync: the inputs reproduce the render,
// the per-file hash tells a user's edit from a template change, and the
// base copies of merged files (under BaseDir) feed the three-way merge.
type Lock struct {
	Schema    int          `json:"schema"`
	Envgen    string       `json:"envgen"`
	Template  TemplateRef  `json:"template"`
	Profile   string       `json:"profile"`
	Inputs    LockInputs   `json:"inputs"`
	Toolchain ToolchainPin `json:"toolchain"`
	Files     []LockedFile `json:"files"`
}

// TemplateRef identifies the template a project was rendered from.
type TemplateRef struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Origin
}

// LockInputs are the inputs that reproduce the render. Set holds only what
// the user set explicitly; defaults come from the profile at render time.
type LockInputs struct {
	Module string         `json:"module"`
	Name   string         `json:"name"`
	Go     string         `json:"go"`
	Set    map[string]any `json:"set,omitempty"`
}

// ToolchainPin is the pinned Go toolchain. Hashes (the h1: of the
// golang.org/toolchain module zip per GOOS-GOARCH) are filled once they
// have been verified against the checksum database.
type ToolchainPin struct {
	Version string            `json:"version"`
	Hashes  map[string]string `json:"hashes,omitempty"`
}

// LockedFile is one file envgen wrote.
type LockedFile struct {
	Path string `json:"path"`
	Mode Mode   `json:"mode"`
	Hash string `json:"hash"` // HashBytes of the content written
	// Deleted records a merged or once file the user deleted on purpose,
	// so that sync does not bring it back.
	Deleted bool `json:"deleted,omitempty"`
}

// newLock describes a render about to be written.
func newLock(src *Source, r *Resolved, t *Target, envgenVersion string) *Lock {
	l := &Lock{
		Schema:   lockSchema,
		Envgen:   envgenVersion,
		Template: TemplateRef{Name: src.Manifest.Name, Version: src.Manifest.Version, Origin: src.Origin},
		Profile:  r.Profile.Name,
		Inputs: LockInputs{
			Module: r.Module,
			Name:   r.Name,
			Go:     r.Go.String(),
			Set:    r.Set,
		},
		Toolchain: ToolchainPin{Version: r.Go.Toolchain()},
	}
	if len(l.Inputs.Set) == 0 {
		l.Inputs.Set = nil
	}
	for _, f := range t.Files {
		l.Files = append(l.Files, LockedFile{Path: f.Path, Mode: f.Mode, Hash: f.Hash()})
	}
	sort.Slice(l.Files, func(i, j int) bool { return l.Files[i].Path < l.Files[j].Path })
	return l
}

// Marshal renders the lock deterministically (sorted files and keys).
func (l *Lock) Marshal() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(l); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ErrNoLock means the folder holds no envgen project.
var ErrNoLock = errors.New("no " + LockFile)

// ReadLock reads and checks a project's envgen.lock.
func ReadLock(dir string) (*Lock, error) {
	data, err := os.ReadFile(filepath.Join(dir, LockFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", dir, ErrNoLock)
	}
	if err != nil {
		return nil, err
	}
	return ParseLock(data)
}

// ParseLock decodes envgen.lock strictly: an unknown field means a newer
// envgen wrote it, and guessing could lose a user's edit.
func ParseLock(data []byte) (*Lock, error) {
	var l Lock
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("%s: %w", LockFile, err)
	}
	if l.Schema != lockSchema {
		return nil, fmt.Errorf("%s: schema %d, this envgen reads schema %d", LockFile, l.Schema, lockSchema)
	}
	for _, f := range l.Files {
		if err := checkRelPath(f.Path); err != nil {
			return nil, fmt.Errorf("%s: file %w", LockFile, err)
		}
		if err := f.Mode.valid(); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", LockFile, f.Path, err)
		}
	}
	return &l, nil
}
