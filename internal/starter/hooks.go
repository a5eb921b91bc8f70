package starter

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// HookRun is what became of one hook command.
type HookRun struct {
	Argv []string `json:"argv"`
	// Status is "ran", "failed", "skipped" or, for a dry run, "would run".
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// Command is the hook as a shell would show it.
func (h HookRun) Command() string { return strings.Join(h.Argv, " ") }

// HookOptions say whether hooks may run and where their output goes.
type HookOptions struct {
	// Trust is the user's explicit consent (--trust) to run the starter's
	// commands; without it every hook is listed and skipped.
	Trust  bool
	DryRun bool
	Stdout io.Writer
	Stderr io.Writer
}

// RunHooks runs a starter's hook commands in the project folder dir, in
// order, without a shell, and only when the user trusts the starter. The
// list is decided before anything runs, so it can be shown first. The
// first failing hook stops the rest; its error is returned with the runs.
func RunHooks(ctx context.Context, dir string, hooks [][]string, opts HookOptions) ([]HookRun, error) {
	runs := make([]HookRun, len(hooks))
	for i, argv := range hooks {
		runs[i] = HookRun{Argv: argv, Status: "skipped", Reason: "the starter is not trusted: pass --trust to run its hooks"}
		if opts.Trust && opts.DryRun {
			runs[i] = HookRun{Argv: argv, Status: "would run"}
		}
	}
	if !opts.Trust || opts.DryRun {
		return runs, nil
	}
	for i := range runs {
		cmd := exec.CommandContext(ctx, runs[i].Argv[0], runs[i].Argv[1:]...) //nolint:gosec // the starter's post-init hooks, run only when the user passed --trust
		cmd.Dir, cmd.Stdout, cmd.Stderr = dir, opts.Stdout, opts.Stderr
		if err := cmd.Run(); err != nil {
			runs[i].Status, runs[i].Reason = "failed", err.Error()
			for j := i + 1; j < len(runs); j++ {
				runs[j].Status, runs[j].Reason = "skipped", "an earlier hook failed"
			}
			return runs, fmt.Errorf("starter hook %q: %w", runs[i].Command(), err)
		}
		runs[i].Status, runs[i].Reason = "ran", ""
	}
	return runs, nil
}
