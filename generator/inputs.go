package generator

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"

	"golang.org/x/mod/module"

	"github.com/envgen/envgen/internal/goversion"
	"github.com/envgen/envgen/profiles"
)

// Inputs are what the user asked for, as given on the command line.
type Inputs struct {
	Module  string            `json:"module"`
	Name    string            `json:"name"`
	Profile string            `json:"profile"`
	Go      string            `json:"go"`
	Set     map[string]string `json:"set,omitempty"` // --set name=value, unparsed
	// Pinned are the values defaulted variables resolved to when the
	// project was last rendered (envgen.lock's defaults). They hold until
	// the user sets the variable: a template release that changes a
	// default is reported (Resolved.DefaultChanges), never applied silently.
	Pinned map[string]string `json:"-"`
}

// DefaultChange is a variable whose default changed since the project
// last resolved it; the project keeps the old value.
type DefaultChange struct {
	Name string `json:"name"`
	Old  any    `json:"old"`
	New  any    `json:"new"`
}

// Resolved are validated, defaulted inputs: everything a render needs.
type Resolved struct {
	Module  string
	Name    string
	Profile *profiles.Profile
	Go      goversion.Release
	// Vars holds every declared variable: --set values, else defaults.
	Vars map[string]any
	// Set holds only what the user set explicitly, typed; the lock records
	// these so that a later default change still reaches the project.
	Set map[string]any
	// Secrets fill the git-ignored .env; never recorded in the lock.
	Secrets map[string]string
	// DefaultChanges lists pinned defaults that the template now defaults
	// differently.
	DefaultChanges []DefaultChange
}

var namePattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)

// ValidName reports whether name can name a service: its binary, compose
// project and Prometheus job.
func ValidName(name string) bool { return namePattern.MatchString(name) }

// DefaultName derives a service name from a module path: its last element
// (skipping a major-version suffix such as /v2), lower-cased, with
// characters a binary or compose project name cannot have replaced.
func DefaultName(modulePath string) string {
	prefix, _, ok := module.SplitPathVersion(modulePath)
	if !ok {
		prefix = modulePath
	}
	base := strings.ToLower(path.Base(prefix))
	var b strings.Builder
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

// Resolve validates every input against the source before anything is
// written, and fills in the defaults. Its errors are *InputError.
func (src *Source) Resolve(in Inputs) (*Resolved, error) {
	r := &Resolved{Module: strings.TrimSpace(in.Module)}
	if r.Module == "" {
		return nil, inputErrorf("--module", "pass the Go module path of the new service, for example --module github.com/acme/orders", "a module path is required")
	}
	if err := module.CheckPath(r.Module); err != nil {
		var pe *module.InvalidPathError
		problem := err.Error()
		if errors.As(err, &pe) {
			problem = fmt.Sprintf("%q is not a valid module path: %s", r.Module, pe.Err)
		}
		return nil, &InputError{Subject: "--module", Problem: problem,
			Hint: "a module path looks like github.com/acme/orders: a domain with a dot, then path elements of letters, digits, '-', '.', '_' or '~'"}
	}

	r.Name = in.Name
	if r.Name == "" {
		r.Name = DefaultName(r.Module)
	}
	if !namePattern.MatchString(r.Name) {
		return nil, inputErrorf("--name", "pass --name with lower-case letters, digits and '-', starting with a letter (it names the binary, the compose project and the Prometheus job)",
			"%q is not a valid service name", r.Name)
	}

	profileName := in.Profile
	if profileName == "" {
		profileName = profiles.DefaultName
	}
	p, err := src.Profiles.Get(profileName)
	if err != nil {
		if errors.Is(err, profiles.ErrUnknown) {
			hint := "choose one of: " + strings.Join(src.Profiles.Names(), ", ") + " (see envgen profile list)"
			if near := nearest(profileName, src.Profiles.Names()); near != "" {
				hint = "did you mean --profile " + near + "? Otherwise " + hint
			}
			return nil, inputErrorf("--profile", hint, "unknown profile %q", profileName)
		}
		return nil, err // a broken profile definition is not the user's input
	}
	if p.Abstract {
		return nil, inputErrorf("--profile", "choose one of: "+strings.Join(src.Profiles.Names(), ", "),
			"profile %q is abstract: it only exists to be extended", profileName)
	}
	r.Profile = p

	goText := in.Go
	if goText == "" {
		goText = goversion.Default
	}
	r.Go, err = goversion.Parse(goText)
	if err != nil {
		return nil, inputErrorf("--go", "pass a stable release of Go "+goversion.SupportedText()+", for example --go "+goversion.Default,
			"%v", err)
	}

	r.Vars, r.Set, r.DefaultChanges, err = src.resolveVars(p, in.Set, in.Pinned)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Variables returns every variable the profile and the template declare;
// the template's declaration wins over a profile's of the same name.
func (src *Source) Variables(p *profiles.Profile) profiles.Variables {
	all := profiles.Variables{}
	for name, v := range p.Variables {
		all[name] = v
	}
	for name, v := range src.Manifest.Variables {
		all[name] = v
	}
	return all
}

func (src *Source) resolveVars(p *profiles.Profile, set, pinned map[string]string) (vars, explicit map[string]any, changes []DefaultChange, err error) {
	decls := src.Variables(p)
	vars, explicit = map[string]any{}, map[string]any{}
	for key, text := range set {
		decl, ok := decls[key]
		if !ok {
			hint := "declared variables: " + strings.Join(decls.Names(), ", ") + " (see envgen profile show " + p.Name + ")"
			if near := nearest(key, decls.Names()); near != "" {
				hint = "did you mean --set " + near + "=...? The " + hint
			}
			return nil, nil, nil, inputErrorf("--set "+key, hint,
				"unknown variable %q: neither profile %q nor the template declares it", key, p.Name)
		}
		value, perr := decl.Parse(text)
		if perr != nil {
			return nil, nil, nil, inputErrorf("--set "+key, "variable "+key+" is "+article(string(decl.Type))+" "+string(decl.Type)+helpSuffix(decl.Help), "%v", perr)
		}
		explicit[key] = value
	}
	for _, name := range decls.Names() {
		decl := decls[name]
		if v, ok := explicit[name]; ok {
			vars[name] = v
			continue
		}
		def := zeroValue(decl.Type)
		if decl.Default != nil {
			v, derr := decl.Normalize(decl.Default)
			if derr != nil {
				return nil, nil, nil, fmt.Errorf("variable %q: default: %w", name, derr)
			}
			def = v
		} else if decl.Required {
			if _, ok := pinned[name]; !ok {
				return nil, nil, nil, inputErrorf("--set "+name, "pass --set "+name+"=VALUE"+helpSuffix(decl.Help), "variable %q is required", name)
			}
		}
		vars[name] = def
		if text, ok := pinned[name]; ok {
			old, perr := decl.Parse(text)
			if perr != nil {
				// The template's rules for the variable changed so that the
				// recorded value is no longer valid: the user must choose.
				return nil, nil, nil, inputErrorf("--set "+name, "pass --set "+name+"=VALUE"+helpSuffix(decl.Help),
					"variable %q: the value the project resolved earlier (%s) is no longer valid: %v", name, text, perr)
			}
			if fmt.Sprint(old) != fmt.Sprint(def) {
				changes = append(changes, DefaultChange{Name: name, Old: old, New: def})
			}
			vars[name] = old
		}
	}
	if err := checkDistinct(decls, vars, explicit); err != nil {
		return nil, nil, nil, err
	}
	return vars, explicit, changes, nil
}

// checkDistinct refuses two variables of one distinct group with the same
// value (http_port=8080 and debug_port=8080: the service would fail with
// "address already in use"), naming the one the user set.
func checkDistinct(decls profiles.Variables, vars, explicit map[string]any) error {
	seen := map[string]string{} // group + value -> variable
	for _, name := range decls.Names() {
		group := decls[name].Distinct
		if group == "" {
			continue
		}
		key := group + "\x00" + fmt.Sprint(vars[name])
		other, dup := seen[key]
		if !dup {
			seen[key] = name
			continue
		}
		subject, with := name, other
		if _, ok := explicit[name]; !ok {
			subject, with = other, name
		}
		return inputErrorf("--set "+subject, "choose another value: "+strings.Join(groupMembers(decls, group), ", ")+" must all differ",
			"%v is also %s's value; the %s must differ", vars[name], with, group)
	}
	return nil
}

// article is "an" before a vowel ("an int"), else "a" ("a string").
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

func groupMembers(decls profiles.Variables, group string) []string {
	var out []string
	for _, name := range decls.Names() {
		if decls[name].Distinct == group {
			out = append(out, name)
		}
	}
	return out
}

// nearest is the one name that starts with what was typed, or is one
// edit away from it: what "did you mean" offers. "" when none or several.
func nearest(typed string, names []string) string {
	var hits []string
	for _, n := range names {
		if strings.HasPrefix(n, typed) || editDistance(typed, n) <= 2 {
			hits = append(hits, n)
		}
	}
	if len(hits) == 1 {
		return hits[0]
	}
	return ""
}

// editDistance is the Levenshtein distance of two short names.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func helpSuffix(help string) string {
	if help == "" {
		return ""
	}
	return " (" + help + ")"
}

func zeroValue(t profiles.VarType) any {
	switch t {
	case profiles.TypeInt:
		return 0
	case profiles.TypeBool:
		return false
	default: // TypeString
		return ""
	}
}
