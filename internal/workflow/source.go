package workflow

import (
	"context"
	"fmt"
	"time"

	"github.com/envgen/envgen/internal/starter"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/project"
)

// SourceTimeout bounds fetching the starter commit a lock pins when the
// cache lacks it (a fresh CI runner): the one network call a check makes.
const SourceTimeout = 60 * time.Second

// OpenSourceFunc opens a template a lock records that is not the
// built-in one (an organisation's starter, from its cache or its repository).
type OpenSourceFunc func(ctx context.Context, o project.Origin) (*generator.Source, error)

// projectSource picks the template to render: the one asked for, else the
// one the lock records. Rendering a starter's project with the built-in
// template would look like every starter file had gone, so an origin
// that cannot be opened is an error, never a fallback.
func projectSource(ctx context.Context, asked *generator.Source, open OpenSourceFunc, recorded project.TemplateRef) (*generator.Source, error) {
	switch {
	case asked != nil:
		return asked, nil
	case recorded.Kind == "" || recorded.Kind == "builtin":
		return generator.Builtin()
	case open == nil:
		return nil, fmt.Errorf("the project was rendered from template %s %s (%s %s), which this command cannot open",
			recorded.Name, recorded.Version, recorded.Kind, starter.Redact(recorded.URL))
	}
	ctx, cancel := context.WithTimeout(ctx, SourceTimeout)
	defer cancel()
	src, err := open(ctx, recorded.Origin)
	if err != nil {
		return nil, fmt.Errorf("opening the project's template %s %s: %w", recorded.Name, recorded.Version, err)
	}
	return src, nil
}

// inputsFrom rebuilds the render's inputs from the lock, with the changes
// asked for. Values the lock resolved from defaults stay pinned unless
// the user sets them.
func inputsFrom(l *project.Lock, profile, goRelease string, set map[string]string) generator.Inputs {
	in := generator.Inputs{
		Module: l.Inputs.Module, Name: l.Inputs.Name, Profile: l.Profile, Go: l.Inputs.Go,
		Set: map[string]string{}, Pinned: map[string]string{},
	}
	for k, v := range l.Inputs.Set {
		in.Set[k] = fmt.Sprint(v)
	}
	for k, v := range set {
		in.Set[k] = v
	}
	if profile != "" {
		in.Profile = profile
	}
	if goRelease != "" {
		in.Go = goRelease
	}
	// A profile switch means the new profile's defaults: pinning the old
	// profile's would make staging keep development's values.
	if in.Profile == l.Profile {
		for k, v := range l.Inputs.Defaults {
			if _, explicit := in.Set[k]; !explicit {
				in.Pinned[k] = fmt.Sprint(v)
			}
		}
	}
	return in
}
