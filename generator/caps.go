package generator

import (
	"fmt"
	"time"

	units "github.com/docker/go-units"
)

// Caps bound what one render may produce, so that a hostile or broken
// template (a starter is someone else's code) cannot exhaust the memory
// or the time of whoever renders it. starter.Limits bound what is read
// from a starter; Caps bound what its templates make of it.
//
// A zero field means its DefaultCaps value.
type Caps struct {
	// MaxFileBytes bounds one rendered file, one rendered path, and what
	// any single template function call may allocate.
	MaxFileBytes int64
	// MaxTotalBytes bounds every rendered file together.
	MaxTotalBytes int64
	// MaxFiles bounds the number of files the render produces.
	MaxFiles int
	// MaxTemplateTime bounds the whole render, every template together.
	MaxTemplateTime time.Duration
}

// DefaultCaps fit any sensible template many times over: the built-in
// one renders about 1% of them.
var DefaultCaps = Caps{
	MaxFileBytes:    8 << 20,
	MaxTotalBytes:   64 << 20,
	MaxFiles:        5000,
	MaxTemplateTime: 10 * time.Second,
}

// withDefaults fills every zero (or negative) field from DefaultCaps.
func (c Caps) withDefaults() Caps {
	if c.MaxFileBytes <= 0 {
		c.MaxFileBytes = DefaultCaps.MaxFileBytes
	}
	if c.MaxTotalBytes <= 0 {
		c.MaxTotalBytes = DefaultCaps.MaxTotalBytes
	}
	if c.MaxFiles <= 0 {
		c.MaxFiles = DefaultCaps.MaxFiles
	}
	if c.MaxTemplateTime <= 0 {
		c.MaxTemplateTime = DefaultCaps.MaxTemplateTime
	}
	return c
}

// The keys that name each cap in --render-limits and ENVGEN_RENDER_LIMITS.
const (
	CapFileBytes  = "file-bytes"
	CapTotalBytes = "total-bytes"
	CapFiles      = "files"
	CapTime       = "time"
)

// capError is a cap a render ran into. It travels through text/template
// (as a writer's or a function's error) and becomes an InputError naming
// the template in Render.
type capError struct {
	key     string // CapFileBytes, ...; "" for a limit no setting raises
	problem string // what went over, e.g. "renders more than 8MiB"
	need    int64  // bytes the render needed, when known: the hint suggests a cap above
}

func (e *capError) Error() string { return e.problem }

func sizeText(n int64) string { return units.BytesSize(float64(n)) }

func fileBytesError(what string, need, limit int64) *capError {
	return &capError{key: CapFileBytes, need: need, problem: fmt.Sprintf("%s %s, above the render limit of %s (%s)",
		what, sizeText(need), sizeText(limit), CapFileBytes)}
}

// raiseHint says how a user who trusts the starter raises the cap of e.
func raiseHint(e *capError) string {
	if e.key == "" {
		return "no setting raises this limit; fix the starter's template (nothing was written)"
	}
	value := map[string]string{
		CapFileBytes:  "64MiB",
		CapTotalBytes: "512MiB",
		CapFiles:      "20000",
		CapTime:       "1m",
	}[e.key]
	if e.need > 0 && e.need < 1<<50 {
		size := int64(1 << 20)
		for size < e.need {
			size *= 2
		}
		value = sizeText(size)
	}
	setting := e.key + "=" + value
	return "if you trust this starter, raise the limit: --render-limits " + setting + " (init, sync) or " +
		"ENVGEN_RENDER_LIMITS=" + setting + " in the environment; the limits keep a hostile starter from " +
		"exhausting memory, disk or time (nothing was written)"
}

// inputErrorFor turns a capError met while rendering template name into
// the InputError the user sees.
func inputErrorFor(name string, err error, ce *capError) error {
	problem := ce.problem
	if loc := execLocation(err); loc != "" {
		problem += " (at " + loc + ")"
	}
	return &InputError{Subject: "template " + name, Problem: problem, Hint: raiseHint(ce)}
}
