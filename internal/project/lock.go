package project

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
)

// LockSchema is the newest envgen.lock schema this envgen reads and
// writes. Schema 1 locks (no resolved defaults, no exec bits) are still
// read. A lock is written with the oldest schema that holds what it
// records (MinSchema): schema 3 only when it names toolchain proofs, so
// that teammates on an envgen that reads schema 2 are not locked out of
// projects that do not use them.
const LockSchema = 3

// MinSchema is the oldest schema that holds everything l records.
func (l *Lock) MinSchema() int {
	if l.Toolchain.Proofs != "" {
		return 3
	}
	return 2
}

// MaxLockSize bounds envgen.lock: it is read before anything else and may
// come from a pull request.
const MaxLockSize = 8 << 20

// Lock is envgen.lock. Designed for sync: the inputs reproduce the render,
// the per-file hash tells a user's edit from a template change, and the
// base copies (under BaseDir) feed the three-way merge.
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

// LockInputs are the inputs that reproduce the render. Set holds what the
// user set explicitly; Defaults the value every other variable resolved
// to, so that a template release that changes a default is noticed, not
// applied silently. Values keep their JSON type: numbers are json.Number
// (any size, never a float), bools and strings as they are.
type LockInputs struct {
	Module   string         `json:"module"`
	Name     string         `json:"name"`
	Go       string         `json:"go"`
	Set      map[string]any `json:"set,omitempty"`
	Defaults map[string]any `json:"defaults,omitempty"`
}

// ToolchainPin is the pinned Go toolchain. Hashes (the h1: of the
// golang.org/toolchain module zip per GOOS-GOARCH) are filled once they
// have been verified against the checksum database.
type ToolchainPin struct {
	Version string            `json:"version"`
	Hashes  map[string]string `json:"hashes,omitempty"`
	// Proofs names the project's proof bundle (ToolchainProofsFile) that
	// proves Hashes offline, and ProofsHash is what envgen wrote there
	// (HashBytes): a hand edit is drift.
	Proofs     string `json:"proofs,omitempty"`
	ProofsHash string `json:"proofs_hash,omitempty"`
}

// LockedFile is one file envgen wrote.
type LockedFile struct {
	Path string `json:"path"`
	Mode Mode   `json:"mode"`
	Hash string `json:"hash"` // HashBytes of the content written
	// Exec records that envgen made the file executable.
	Exec bool `json:"exec,omitempty"`
	// Deleted records a merged or once file the user deleted on purpose,
	// so that sync does not bring it back.
	Deleted bool `json:"deleted,omitempty"`
}

// Entry returns the lock's entry for a path.
func (l *Lock) Entry(p string) (LockedFile, bool) {
	i := sort.Search(len(l.Files), func(i int) bool { return l.Files[i].Path >= p })
	if i < len(l.Files) && l.Files[i].Path == p {
		return l.Files[i], true
	}
	return LockedFile{}, false
}

// Marshal renders the lock deterministically (sorted files and keys).
func (l *Lock) Marshal() ([]byte, error) {
	sort.Slice(l.Files, func(i, j int) bool { return l.Files[i].Path < l.Files[j].Path })
	written := *l
	written.Schema = l.MinSchema()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&written); err != nil {
		return nil, fmt.Errorf("%s: %w", LockFile, err)
	}
	return b.Bytes(), nil
}

// ErrNoLock means the folder holds no envgen project.
var ErrNoLock = errors.New("no " + LockFile)

// LockError is an envgen.lock that cannot be trusted: refused before
// anything is read or written on its word.
type LockError struct {
	Entry   string // the entry at fault ("files[3]"), or ""
	Problem string
}

func (e *LockError) Error() string {
	if e.Entry == "" {
		return LockFile + ": " + e.Problem
	}
	return LockFile + ": " + e.Entry + ": " + e.Problem
}

// Hint says how to go on.
func (e *LockError) Hint() string {
	return "restore envgen.lock from git (git checkout -- envgen.lock) or review the change that edited it; envgen writes it, people should not"
}

// ExitCode is 2: invalid project state is refused before any work.
func (e *LockError) ExitCode() int { return 2 }

func lockErrorf(entry, format string, args ...any) *LockError {
	return &LockError{Entry: entry, Problem: fmt.Sprintf(format, args...)}
}

// NewerLockError is a lock written by a newer envgen than this one.
type NewerLockError struct {
	Schema int
	Envgen string // the envgen that wrote it
}

func (e *NewerLockError) Error() string {
	return fmt.Sprintf("%s: schema %d, written by envgen %s; this envgen reads schemas up to %d", LockFile, e.Schema, e.Envgen, LockSchema)
}

// Hint names the envgen to install.
func (e *NewerLockError) Hint() string {
	v := e.Envgen
	if v == "" {
		v = "latest"
	}
	return "install envgen " + v + " or newer: go install github.com/envgen/envgen/cmd/envgen@" + v
}

// ExitCode is 2: refused before any work.
func (e *NewerLockError) ExitCode() int { return 2 }

var hashPattern = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// ParseLock decodes envgen.lock strictly and validates every field as
// untrusted input: an unknown field, trailing data, an unknown schema or
// hash algorithm, a path that is not clean and inside the project, or a
// duplicate entry is refused with the entry named.
func ParseLock(data []byte) (*Lock, error) {
	if len(data) > MaxLockSize {
		return nil, lockErrorf("", "is %d bytes, more than the %d this envgen accepts", len(data), MaxLockSize)
	}
	// The schema first, leniently: a newer envgen's lock has fields this
	// one does not know, and the right error names the envgen to install.
	var head struct {
		Schema int    `json:"schema"`
		Envgen string `json:"envgen"`
	}
	if json.Unmarshal(data, &head) == nil && head.Schema > LockSchema {
		return nil, &NewerLockError{Schema: head.Schema, Envgen: head.Envgen}
	}
	var l Lock
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&l); err != nil {
		return nil, lockErrorf("", "%v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, lockErrorf("", "data after the JSON document")
	}
	if l.Schema < 1 || l.Schema > LockSchema {
		return nil, lockErrorf("schema", "%d; this envgen reads schemas 1 to %d", l.Schema, LockSchema)
	}
	if l.Files == nil {
		return nil, lockErrorf("files", "missing or null")
	}
	if l.Profile == "" || l.Inputs.Module == "" || l.Inputs.Go == "" {
		return nil, lockErrorf("", "profile, inputs.module and inputs.go are required")
	}
	seen := make(map[string]bool, len(l.Files))
	for i, f := range l.Files {
		entry := fmt.Sprintf("files[%d]", i)
		if err := CheckPath(f.Path); err != nil {
			return nil, lockErrorf(entry, "path %v", err)
		}
		if seen[f.Path] {
			return nil, lockErrorf(entry, "%s is listed twice", f.Path)
		}
		seen[f.Path] = true
		if err := f.Mode.Valid(); err != nil {
			return nil, lockErrorf(entry, "%s: %v", f.Path, err)
		}
		if !hashPattern.MatchString(f.Hash) {
			return nil, lockErrorf(entry, "%s: hash %q is not sha256:<64 hex digits>", f.Path, f.Hash)
		}
	}
	if err := checkToolchain(&l); err != nil {
		return nil, err
	}
	for _, vals := range []map[string]any{l.Inputs.Set, l.Inputs.Defaults} {
		for k, v := range vals {
			switch v.(type) {
			case json.Number, bool, string:
			default:
				return nil, lockErrorf("inputs", "variable %q has a value of type %T; want a number, bool or string", k, v)
			}
		}
	}
	sort.Slice(l.Files, func(i, j int) bool { return l.Files[i].Path < l.Files[j].Path })
	return &l, nil
}

// checkToolchain validates the toolchain entry: proofs only in their one
// place, with a hash, for a pin with hashes, in a schema that has them.
func checkToolchain(l *Lock) error {
	t := l.Toolchain
	if t.Proofs == "" {
		if t.ProofsHash != "" {
			return lockErrorf("toolchain", "proofs_hash without proofs")
		}
		return nil
	}
	switch {
	case l.Schema < 3:
		return lockErrorf("toolchain", "proofs in a schema %d lock (proofs came with schema 3)", l.Schema)
	case t.Proofs != ToolchainProofsFile:
		return lockErrorf("toolchain", "proofs %q: the project's proofs live in %s", t.Proofs, ToolchainProofsFile)
	case !hashPattern.MatchString(t.ProofsHash):
		return lockErrorf("toolchain", "proofs_hash %q is not sha256:<64 hex digits>", t.ProofsHash)
	case t.Version == "" || len(t.Hashes) == 0:
		return lockErrorf("toolchain", "proofs without a pinned version and its hashes")
	}
	return nil
}
