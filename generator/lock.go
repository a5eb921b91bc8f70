package generator

import (
	"encoding/json"
	"sort"

	"github.com/envgen/envgen/internal/project"
)

// newLock describes a render about to be written: its inputs, every
// resolved variable (explicit ones under Set, the rest under Defaults) and
// one entry per rendered file.
func newLock(src *Source, r *Resolved, t *Target, envgenVersion string) *project.Lock {
	l := &project.Lock{
		Schema:   project.LockSchema,
		Envgen:   envgenVersion,
		Template: project.TemplateRef{Name: src.Manifest.Name, Version: src.Manifest.Version, Origin: src.Origin},
		Profile:  r.Profile.Name,
		Inputs: project.LockInputs{
			Module: r.Module,
			Name:   r.Name,
			Go:     r.Go.String(),
			Set:    lockValues(r.Set),
		},
		Toolchain: project.ToolchainPin{Version: r.Go.Toolchain()},
	}
	defaults := map[string]any{}
	for name, v := range r.Vars {
		if _, explicit := r.Set[name]; !explicit {
			defaults[name] = v
		}
	}
	l.Inputs.Defaults = lockValues(defaults)
	for _, f := range t.Files {
		l.Files = append(l.Files, project.LockedFile{Path: f.Path, Mode: f.Mode, Hash: f.Hash(), Exec: f.Exec()})
	}
	sort.Slice(l.Files, func(i, j int) bool { return l.Files[i].Path < l.Files[j].Path })
	return l
}

// lockValues gives variable values the types envgen.lock reads back:
// numbers as json.Number (an int of any size never turns into 1e+06).
func lockValues(vals map[string]any) map[string]any {
	if len(vals) == 0 {
		return nil
	}
	out := make(map[string]any, len(vals))
	for k, v := range vals {
		switch x := v.(type) {
		case int:
			out[k] = json.Number(itoa(int64(x)))
		case int64:
			out[k] = json.Number(itoa(x))
		default:
			out[k] = v
		}
	}
	return out
}
