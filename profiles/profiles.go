// Package profiles defines envgen's profiles: named, inheritable settings
// (development, staging, production and any an organisation adds) that
// decide how a project is rendered. Profiles are YAML files, decoded
// strictly, that may extend one another over any number of levels.
package profiles

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
)

//go:embed *.yaml
var builtinFS embed.FS

// DefaultName is the profile used when none is given.
const DefaultName = "development"

// ErrUnknown is wrapped by errors for a profile name nobody defines.
var ErrUnknown = errors.New("unknown profile")

// file is a profile as written in its YAML file, before inheritance.
type file struct {
	Name        string         `yaml:"name"`
	Description string         `yaml:"description"`
	Extends     string         `yaml:"extends"`
	Abstract    bool           `yaml:"abstract"`
	Settings    map[string]any `yaml:"settings"`
	Variables   Variables      `yaml:"variables"`

	source string // where it was read from, for error messages
}

// Profile is a profile's effective definition after `extends`.
type Profile struct {
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Abstract    bool      `json:"abstract,omitempty"`
	Chain       []string  `json:"chain"` // the profile, then its parents, nearest first
	Settings    Settings  `json:"settings"`
	Variables   Variables `json:"variables"`
}

// Set is a collection of profile definitions that may extend each other.
type Set struct {
	files map[string]*file
}

var builtin = sync.OnceValues(func() (*Set, error) { return Load(builtinFS, ".") })

// Builtin returns envgen's own profiles, embedded in the binary.
func Builtin() (*Set, error) { return builtin() }

// Load reads every *.yaml file in dir of fsys as a profile. A profile's
// name must match its file name, so `extends: staging` always means
// staging.yaml.
func Load(fsys fs.FS, dir string) (*Set, error) {
	paths, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("profiles in %s: %w", dir, err)
	}
	set := &Set{files: map[string]*file{}}
	for _, p := range paths {
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("profile: %w", err)
		}
		f, err := parseFile(data, p)
		if err != nil {
			return nil, err
		}
		set.files[f.Name] = f
	}
	return set, nil
}

func parseFile(data []byte, source string) (*file, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("profile %s: %w", source, err)
	}
	f.source = source
	want := strings.TrimSuffix(path.Base(source), ".yaml")
	if f.Name == "" {
		f.Name = want // the file's name is the profile's name
	}
	if f.Name != want {
		return nil, fmt.Errorf("profile %s: name is %q, want %q (the file name)", source, f.Name, want)
	}
	// Decode this file's own settings strictly so a typo is reported
	// against the file that has it, not against a child profile.
	if _, err := decodeSettings(f.Settings); err != nil {
		return nil, fmt.Errorf("profile %s: settings: %w", source, err)
	}
	for _, name := range f.Variables.Names() {
		if err := f.Variables[name].Check(name); err != nil {
			return nil, fmt.Errorf("profile %s: %w", source, err)
		}
	}
	return &f, nil
}

// With returns a set holding s's profiles and, replacing any of the same
// name, over's. An organisation's starter overlays the built-in set this way.
func (s *Set) With(over *Set) *Set {
	merged := &Set{files: map[string]*file{}}
	for name, f := range s.files {
		merged.files[name] = f
	}
	for name, f := range over.files {
		merged.files[name] = f
	}
	return merged
}

// Names lists the profiles users can choose (not the abstract ones), sorted.
func (s *Set) Names() []string {
	var names []string
	for name, f := range s.files {
		if !f.Abstract {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// Get resolves a profile's effective definition: its settings deep-merged
// over its parents' (nearest wins), its variables added to theirs.
func (s *Set) Get(name string) (*Profile, error) {
	var chain []*file
	seen := map[string]bool{}
	for cur := name; cur != ""; {
		f, ok := s.files[cur]
		if !ok {
			if cur == name {
				return nil, fmt.Errorf("%w %q", ErrUnknown, name)
			}
			return nil, fmt.Errorf("profile %q extends %q, which does not exist", chain[len(chain)-1].Name, cur)
		}
		if seen[cur] {
			return nil, fmt.Errorf("profile %q: extends cycle: %s", name, cycleText(chain, cur))
		}
		seen[cur] = true
		chain = append(chain, f)
		cur = f.Extends
	}

	p := &Profile{Name: name, Description: chain[0].Description, Abstract: chain[0].Abstract, Variables: Variables{}}
	merged := map[string]any{}
	for i := len(chain) - 1; i >= 0; i-- { // root first, so nearer profiles win
		merged = deepMerge(merged, chain[i].Settings)
		for vn, v := range chain[i].Variables {
			p.Variables[vn] = v
		}
	}
	for _, f := range chain {
		p.Chain = append(p.Chain, f.Name)
	}
	settings, err := decodeSettings(merged)
	if err != nil {
		return nil, fmt.Errorf("profile %q: settings: %w", name, err)
	}
	if err := settings.validate(); err != nil {
		return nil, fmt.Errorf("profile %q: %w", name, err)
	}
	p.Settings = *settings
	return p, nil
}

func cycleText(chain []*file, again string) string {
	var names []string
	for _, f := range chain {
		names = append(names, f.Name)
	}
	return strings.Join(append(names, again), " -> ")
}

// deepMerge returns base with over's keys laid on top: maps merge key by
// key, anything else replaces.
func deepMerge(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		if om, ok := v.(map[string]any); ok {
			if bm, ok := out[k].(map[string]any); ok {
				out[k] = deepMerge(bm, om)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// decodeSettings turns a settings map into Settings, rejecting unknown keys.
func decodeSettings(m map[string]any) (*Settings, error) {
	data, err := yaml.Marshal(m)
	if err != nil {
		return nil, err //nolint:wrapcheck // both callers wrap it as "profile NAME: settings: ..."
	}
	var s Settings
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil && !errors.Is(err, io.EOF) {
		return nil, err //nolint:wrapcheck // both callers wrap it as "profile NAME: settings: ..."
	}
	return &s, nil
}

func (s Settings) validate() error {
	switch s.AppEnv {
	case "development", "staging", "production":
	default:
		return fmt.Errorf("settings.app_env is %q, want development, staging or production", s.AppEnv)
	}
	switch s.Compose.Restart {
	case "no", "always", "on-failure", "unless-stopped":
	default:
		return fmt.Errorf("settings.compose.restart is %q, want no, always, on-failure or unless-stopped", s.Compose.Restart)
	}
	if s.Lint.Strictness < 1 || s.Lint.Strictness > 3 {
		return fmt.Errorf("settings.lint.strictness is %d, want 1 to 3", s.Lint.Strictness)
	}
	if d, err := time.ParseDuration(s.Lint.RunTimeout); err != nil || d <= 0 {
		return fmt.Errorf("settings.lint.run_timeout is %q, want a duration such as 5m", s.Lint.RunTimeout)
	}
	if p := s.Packaging; p != nil && (!strings.Contains(p.Maintainer, "@") || p.Description == "") {
		return fmt.Errorf("settings.packaging needs a maintainer (\"Name <email>\") and a description")
	}
	return nil
}
