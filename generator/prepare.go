package generator

import (
	"fmt"

	"github.com/envgen/envgen/internal/project"
	"github.com/envgen/envgen/internal/version"
)

// Rendered is a render ready to plan: the resolved inputs, the target
// state and the lock that would record it.
type Rendered struct {
	Resolved *Resolved
	Target   *Target
	Lock     *project.Lock
}

// RenderInputs resolves the inputs, renders them and describes the render
// as the lock that would record it: the first half of init and sync.
// secrets nil draws fresh random ones (they only reach files that do not
// exist yet: the .env is a once file).
func RenderInputs(src *Source, in Inputs, secrets map[string]string) (*Rendered, error) {
	r, err := src.Resolve(in)
	if err != nil {
		return nil, err
	}
	if r.Secrets = secrets; r.Secrets == nil {
		if r.Secrets, err = NewSecrets(); err != nil {
			return nil, err
		}
	}
	target, err := Render(src, r)
	if err != nil {
		err = fmt.Errorf("rendering template %s %s: %w", src.Manifest.Name, src.Manifest.Version, err)
		if src.Origin.Kind != "builtin" {
			return nil, &StarterError{Err: err}
		}
		return nil, err
	}
	return &Rendered{Resolved: r, Target: target, Lock: newLock(src, r, target, version.Version)}, nil
}
