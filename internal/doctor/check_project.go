package doctor

import (
	"context"
	"fmt"

	"github.com/envgen/envgen/internal/project"
)

// projectCheck: envgen.lock is present and valid, and whether the
// project's files match what envgen would write (sync --check).
type projectCheck struct{ m *machine }

func (c *projectCheck) Name() string { return "project" }

func (c *projectCheck) Run(ctx context.Context) Result {
	m := c.m
	dir := m.cfg.Dir
	if m.noLock() {
		return Result{Status: StatusSkip, Saw: fmt.Sprintf("no %s in %s: not an envgen project", project.LockFile, dir)}
	}
	if m.lockErr != nil {
		return Result{Status: StatusFail, Saw: m.lockErr.Error(),
			Fix: "restore envgen.lock from version control (git restore envgen.lock); a newer envgen may have written it: compare envgen version with the lock's \"envgen\" field"}
	}
	l := m.lock
	saw := fmt.Sprintf("%s valid: template %s %s, profile %s, Go %s, %d files", project.LockFile, l.Template.Name, l.Template.Version, l.Profile, l.Toolchain.Version, len(l.Files))
	if m.cfg.SyncCheck == nil {
		return Result{Status: StatusOK, Saw: saw, Details: []string{"sync --check: not available yet in this build"}}
	}
	st, err := m.cfg.SyncCheck(ctx, dir)
	switch {
	case err != nil:
		return Result{Status: StatusWarn, Saw: saw + "; sync --check failed: " + err.Error(), Fix: "run envgen sync --check to see the whole error"}
	case !st.InSync:
		return Result{Status: StatusWarn, Saw: saw + "; sync --check: " + st.Summary, Fix: "envgen diff shows the changes; envgen sync applies them"}
	}
	summary := st.Summary
	if summary == "" {
		summary = "in sync"
	}
	return Result{Status: StatusOK, Saw: saw + "; sync --check: " + summary}
}
