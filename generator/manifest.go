package generator

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/envgen/envgen/profiles"
)

// ManifestFile is the name of a template's manifest.
const ManifestFile = "envgen-template.yaml"

// Manifest describes a template: its identity, the variables it declares
// and, per rendered path, the file's mode and conditions.
type Manifest struct {
	Name        string              `yaml:"name"`
	Version     string              `yaml:"version"`
	Description string              `yaml:"description"`
	Variables   profiles.Variables  `yaml:"variables"`
	Files       map[string]FileRule `yaml:"files"`
}

// FileRule says how one rendered path (or "dir/**") is owned and rendered.
type FileRule struct {
	Mode Mode `yaml:"mode"`
	// When is a template that must render to true or false; false leaves
	// the file out of the project.
	When string `yaml:"when"`
	// Delims replaces {{ and }} for files whose content uses them itself.
	Delims []string `yaml:"delims"`
	// Private files (secrets) are written readable by their owner only.
	Private bool `yaml:"private"`
	// Executable files (scripts) get execute permission.
	Executable bool `yaml:"executable"`
	// Floor marks a managed YAML policy file whose rendered entries are a
	// floor: sync restores them and keeps what the user added (extra
	// linters, exclusions, settings).
	Floor bool `yaml:"floor"`
}

func loadManifest(fsys fs.FS) (*Manifest, error) {
	data, err := fs.ReadFile(fsys, ManifestFile)
	if err != nil {
		return nil, err
	}
	var m Manifest
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestFile, err)
	}
	if m.Name == "" || m.Version == "" {
		return nil, fmt.Errorf("%s: name and version are required", ManifestFile)
	}
	for pattern, rule := range m.Files {
		if rule.Mode != "" {
			if err := rule.Mode.valid(); err != nil {
				return nil, fmt.Errorf("%s: files[%q]: %w", ManifestFile, pattern, err)
			}
		}
		if rule.Delims != nil && (len(rule.Delims) != 2 || rule.Delims[0] == "" || rule.Delims[1] == "") {
			return nil, fmt.Errorf("%s: files[%q]: delims must be two non-empty strings", ManifestFile, pattern)
		}
	}
	for _, name := range m.Variables.Names() {
		if err := m.Variables[name].Check(name); err != nil {
			return nil, fmt.Errorf("%s: %w", ManifestFile, err)
		}
	}
	return &m, nil
}

// rule returns the rule for a rendered path: an exact entry wins over a
// "dir/**" entry, a longer directory over a shorter one. Fields a rule
// leaves empty are taken from the next matching rule, and mode defaults
// to merged.
func (m *Manifest) rule(path string) FileRule {
	var matches []FileRule
	if r, ok := m.Files[path]; ok {
		matches = append(matches, r)
	}
	for dir := parentDir(path); dir != ""; dir = parentDir(dir) {
		if r, ok := m.Files[dir+"/**"]; ok {
			matches = append(matches, r)
		}
	}
	var out FileRule
	for _, r := range matches {
		if out.Mode == "" {
			out.Mode = r.Mode
		}
		if out.When == "" {
			out.When = r.When
		}
		if out.Delims == nil {
			out.Delims = r.Delims
		}
		out.Private = out.Private || r.Private
		out.Executable = out.Executable || r.Executable
		out.Floor = out.Floor || r.Floor
	}
	if out.Mode == "" {
		out.Mode = Merged
	}
	return out
}

func parentDir(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ""
	}
	return p[:i]
}

func (r FileRule) perm() fs.FileMode {
	switch {
	case r.Private && r.Executable:
		return 0o700
	case r.Private:
		return 0o600
	case r.Executable:
		return 0o755
	}
	return 0o644
}
