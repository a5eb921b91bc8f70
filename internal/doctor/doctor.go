// Package doctor explains why Go downloads fail on a machine: each check
// looks at one root cause (the go command and its toolchain, GOPROXY, the
// checksum database, the clock, the module cache, private-module settings,
// Docker, the envgen project) and says what it saw and the one fix that
// applies. Checks run concurrently, each under its own timeout, so a run
// ends in about the timeout even when every network probe hangs.
package doctor

import (
	"context"
	"time"
)

// Status is a check's verdict.
type Status string

const (
	StatusOK   Status = "ok"
	StatusWarn Status = "warn"
	StatusFail Status = "fail"
	// StatusSkip means the check did not look (for example --offline):
	// it neither passes nor fails.
	StatusSkip Status = "skip"
)

// severity orders statuses so that a check can keep the worst one.
func (s Status) severity() int {
	switch s {
	case StatusFail:
		return 3
	case StatusWarn:
		return 2
	case StatusOK:
		return 1
	default: // StatusSkip
		return 0
	}
}

// Result is what one check found.
type Result struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	// Saw is what the check observed, in one line.
	Saw string `json:"saw"`
	// Fix is the one thing to do about it; empty when there is nothing to do.
	Fix string `json:"fix,omitempty"`
	// Details are the observations behind Saw, one per line (per proxy
	// entry, per damaged cache entry, ...).
	Details []string `json:"details,omitempty"`
	// Removed lists what --fix deleted.
	Removed []string `json:"removed,omitempty"`
	// Duration is how long the check ran.
	Duration time.Duration `json:"-"`
	// DurationMS is Duration for JSON readers.
	DurationMS int64 `json:"duration_ms"`
}

// Check is one root cause envgen doctor looks at.
type Check interface {
	Name() string
	Run(ctx context.Context) Result
}

// finding is one problem a check found; a check reports the worst.
type finding struct {
	status Status
	saw    string
	fix    string
}

// worst turns a check's findings into its result: the worst status, its
// observation and fix, and every other finding as a detail.
func worst(name string, okSaw string, findings []finding, details []string) Result {
	r := Result{Name: name, Status: StatusOK, Saw: okSaw}
	best := -1
	for i, f := range findings {
		if best < 0 || f.status.severity() > findings[best].status.severity() {
			best = i
		}
	}
	if best < 0 {
		r.Details = details
		return r
	}
	r.Status, r.Saw, r.Fix = findings[best].status, findings[best].saw, findings[best].fix
	for i, f := range findings {
		if i != best {
			d := string(f.status) + ": " + f.saw
			if f.fix != "" {
				d += " (fix: " + f.fix + ")"
			}
			details = append(details, d)
		}
	}
	r.Details = details
	return r
}
