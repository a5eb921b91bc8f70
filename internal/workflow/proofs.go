package workflow

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"

	"github.com/envgen/envgen/internal/plan"
	"github.com/envgen/envgen/internal/project"
)

// ProofChecker proves a project's toolchain proofs (a proofs-only bundle)
// offline against a key the machine trusts and holds them to pin: nil
// when they prove exactly pin's version and hashes. The CLI passes the
// toolchain package's; the workflow never imports it.
type ProofChecker func(pin project.ToolchainPin, data []byte) error

// StaleProofsError is a Go switch in a project that carries toolchain
// proofs, without new proofs: they would no longer prove the pin.
type StaleProofsError struct{ From, To string }

func (e *StaleProofsError) Error() string {
	return fmt.Sprintf("this project carries toolchain proofs (%s) of %s: a switch to %s needs new proofs from the checksum database", project.ToolchainProofsFile, e.From, e.To)
}

// Hint names the command that brings them.
func (e *StaleProofsError) Hint() string {
	return "envgen toolchain pin " + e.To + " (online) switches and proves it in one change"
}

// planProofs adds the project's toolchain proofs to the plan. They are
// not rendered (they are the checksum database's evidence at pin time),
// so the lock keeps their hash: fresh proofs (from toolchain pin or a Go
// switch made online) are written in the same change as the pin; else
// what envgen wrote stays, and anything else there is drift.
func planProofs(d *project.Dir, p *plan.Plan, last *project.Lock, opts SyncOptions) error {
	if opts.ToolchainProofs == nil && last.Toolchain.Proofs == "" {
		return nil // the project carries none: nothing to read
	}
	next := p.Lock
	cur, _, err := d.ReadFile(project.ToolchainProofsFile)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	change := plan.Change{Path: project.ToolchainProofsFile, Mode: project.Managed, Perm: 0o644, Before: cur}
	switch {
	case opts.ToolchainProofs != nil:
		next.Toolchain.Proofs, next.Toolchain.ProofsHash = project.ToolchainProofsFile, project.HashBytes(opts.ToolchainProofs)
		change.After, change.Size = opts.ToolchainProofs, len(opts.ToolchainProofs)
		edited := exists && project.HashBytes(cur) != last.Toolchain.ProofsHash
		switch {
		case exists && bytes.Equal(cur, opts.ToolchainProofs):
			change.Action = plan.Unchanged
		case !exists:
			change.Action, change.Write, change.Drift = plan.Create, true, plan.Behind
		case edited:
			change.Action, change.Write, change.Backup, change.Drift = plan.Restore, true, true, plan.Edited
			change.Detail = "edited by hand: replaced by the new proofs (yours is backed up)"
		default:
			change.Action, change.Write, change.Drift = plan.Update, true, plan.Behind
		}
	case next.Toolchain.Version != last.Toolchain.Version:
		if !opts.Check {
			return &StaleProofsError{From: last.Toolchain.Version, To: next.Toolchain.Version}
		}
		change.Action, change.Drift = plan.Update, plan.Behind
		change.Detail = "the proofs of " + next.Toolchain.Version + " come from the checksum database when the switch is made (envgen toolchain pin)"
	default:
		next.Toolchain.Proofs, next.Toolchain.ProofsHash = last.Toolchain.Proofs, last.Toolchain.ProofsHash
		change.Action = plan.Unchanged
		problem := ""
		switch {
		case !exists:
			problem = "deleted by hand"
		case project.HashBytes(cur) != last.Toolchain.ProofsHash:
			problem = "edited by hand: it is not what envgen wrote"
		case opts.CheckProofs != nil:
			if err := opts.CheckProofs(next.Toolchain, cur); err != nil {
				problem = "does not prove the pin: " + err.Error()
			}
		}
		if problem != "" {
			change.Action, change.Drift, change.Detail = plan.KeepLocal, plan.Edited, problem
			change.Hint = "envgen toolchain pin " + next.Toolchain.Version + " (online) writes the proofs again"
		}
	}
	p.Changes = append(p.Changes, change)
	return nil
}
