package generator

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"

	"golang.org/x/mod/semver"
	"gopkg.in/yaml.v3"

	"github.com/envgen/envgen/internal/version"
	"github.com/envgen/envgen/profiles"
)

// ManifestFile is the name of a template's manifest.
const ManifestFile = "envgen-template.yaml"

// Manifest describes a template: its identity, the variables it declares
// and, per rendered path, the file's mode and conditions.
type Manifest struct {
	Name        string `yaml:"name"`
	Version     string `yaml:"version"`
	Description string `yaml:"description"`
	// MinEnvgen is the oldest envgen release that can render the template.
	MinEnvgen string `yaml:"min_envgen"`
	// Extends is "builtin" for a starter that starts from envgen's own
	// tree, dependency sets and profiles, or empty for one that starts empty.
	Extends   string              `yaml:"extends"`
	Variables profiles.Variables  `yaml:"variables"`
	Files     map[string]FileRule `yaml:"files"`
	// Remove drops paths of the built-in tree (extends: builtin only):
	// "dir/**" drops a folder; the .tmpl suffix may be left out.
	Remove []string `yaml:"remove"`
	// Functions lists the clock and random sprig functions the template
	// uses, accepting that its renders are no longer reproducible.
	Functions []string `yaml:"functions"`
	// Hooks are commands a starter wants run; envgen lists them and runs
	// them only when the user trusts the starter.
	Hooks Hooks `yaml:"hooks"`
}

// ExtendsBuiltin is the only template a starter can extend.
const ExtendsBuiltin = "builtin"

// Hooks are commands run after a step, each an argv (no shell).
type Hooks struct {
	PostInit [][]string `yaml:"post_init" json:"post_init,omitempty"`
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
		return nil, fmt.Errorf("template manifest: %w", err)
	}
	return ParseManifest(data)
}

// ParseManifest decodes envgen-template.yaml strictly (an unknown key is an
// error) and checks every field.
func ParseManifest(data []byte) (*Manifest, error) {
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
			if err := rule.Mode.Valid(); err != nil {
				return nil, fmt.Errorf("%s: files[%q]: %w", ManifestFile, pattern, err)
			}
		}
		if rule.Delims != nil && (len(rule.Delims) != 2 || rule.Delims[0] == "" || rule.Delims[1] == "") { //nolint:gocritic // weakCond: len is checked before indexing; nil is no delims key, [] is an error
			return nil, fmt.Errorf("%s: files[%q]: delims must be two non-empty strings", ManifestFile, pattern)
		}
	}
	for _, name := range m.Variables.Names() {
		if err := m.Variables[name].Check(name); err != nil {
			return nil, fmt.Errorf("%s: %w", ManifestFile, err)
		}
	}
	if err := m.checkStarterFields(); err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestFile, err)
	}
	return &m, nil
}

func (m *Manifest) checkStarterFields() error {
	switch m.Extends {
	case "", ExtendsBuiltin:
	default:
		return fmt.Errorf("extends is %q; a template can only extend %q (or omit extends to start empty)", m.Extends, ExtendsBuiltin)
	}
	if m.MinEnvgen != "" {
		if err := checkMinEnvgen(m.MinEnvgen, version.Version); err != nil {
			return err
		}
	}
	if len(m.Remove) > 0 && m.Extends != ExtendsBuiltin {
		return fmt.Errorf("remove only applies with extends: %s", ExtendsBuiltin)
	}
	for _, p := range m.Remove {
		if err := checkRelPath(strings.TrimSuffix(p, "/**")); err != nil {
			return fmt.Errorf("remove %q: %w", p, err)
		}
	}
	for _, name := range m.Functions {
		if err := checkAllowedFunc(name); err != nil {
			return fmt.Errorf("functions: %w", err)
		}
	}
	for i, argv := range m.Hooks.PostInit {
		if len(argv) == 0 || argv[0] == "" {
			return fmt.Errorf("hooks.post_init[%d]: a hook is a non-empty command, e.g. [make, tidy]", i)
		}
	}
	return nil
}

// MinEnvgenError says a template needs a newer envgen.
type MinEnvgenError struct{ Need, Have string }

func (e *MinEnvgenError) Error() string {
	return fmt.Sprintf("min_envgen: the template needs envgen %s or newer; this is envgen %s", e.Need, e.Have)
}

// Hint says how to go on.
func (e *MinEnvgenError) Hint() string {
	return "upgrade envgen: go install github.com/envgen/envgen/cmd/envgen@latest"
}

// checkMinEnvgen compares semantic versions, with or without a leading v.
// A build that is not a release (no semantic version) is let through.
func checkMinEnvgen(need, have string) error {
	n := "v" + strings.TrimPrefix(need, "v")
	if !semver.IsValid(n) {
		return fmt.Errorf("min_envgen %q is not a semantic version such as 0.3.0", need)
	}
	h := "v" + strings.TrimPrefix(have, "v")
	if !semver.IsValid(h) {
		return nil
	}
	// A pre-release of the needed version (0.3.0-dev) counts as that version.
	if semver.Compare(semver.Canonical(strings.SplitN(h, "-", 2)[0]), semver.Canonical(n)) < 0 {
		return &MinEnvgenError{Need: need, Have: have}
	}
	return nil
}

// Extend returns m laid over base, as a starter with extends: builtin
// sees it: m's identity, functions and hooks; base's file rules and
// variables with m's replacing those of the same name.
func (m *Manifest) Extend(base *Manifest) *Manifest {
	out := *m
	out.Files = make(map[string]FileRule, len(base.Files)+len(m.Files))
	for k, r := range base.Files {
		out.Files[k] = r
	}
	for k, r := range m.Files {
		out.Files[k] = r
	}
	out.Variables = make(profiles.Variables, len(base.Variables)+len(m.Variables))
	for k, v := range base.Variables {
		out.Variables[k] = v
	}
	for k, v := range m.Variables {
		out.Variables[k] = v
	}
	return &out
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
