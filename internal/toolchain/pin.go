package toolchain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/envgen/envgen/internal/atomicfile"
	"github.com/envgen/envgen/internal/exitcode"
	"github.com/envgen/envgen/internal/goversion"
	"github.com/envgen/envgen/internal/project"
)

// PinResult is what Pin wrote.
type PinResult struct {
	Version  string            `json:"version"`
	GoLine   string            `json:"go_line"`
	GoRaised string            `json:"go_raised_from,omitempty"`
	Hashes   map[string]string `json:"hashes"`
	// Skipped are platforms the proxy or the database does not have:
	// reported, not pinned, never fatal to the others (the host's is).
	Skipped     []SkippedPlatform `json:"skipped,omitempty"`
	LockWritten bool              `json:"lock_written"`
	// Proofs is the project's proof bundle the pin wrote, if any.
	Proofs string `json:"proofs,omitempty"`
	// Sync is the re-render that carried the pin into an envgen project.
	Sync any `json:"sync,omitempty"`
}

// SyncFunc re-renders an envgen project with the new pin, its hashes and,
// when the project carries them, its proofs (a proofs-only bundle).
type SyncFunc func(ctx context.Context, hashes map[string]string, proofs []byte) (any, error)

// PinOptions says what to pin.
type PinOptions struct {
	// AllPlatforms pins every platform the release ships (the proxy's
	// list), not only PinnedPlatforms.
	AllPlatforms bool
	// Proofs keeps the proofs in the project (project.ToolchainProofsFile)
	// so that CI and new machines verify the pin offline. A project that
	// already carries them always gets them refreshed.
	Proofs bool
}

// minToolchainGo is the first go line that knows the toolchain directive.
const minToolchainGo = "1.21"

// ResolveRelease turns "1.24.1", "go1.24.1" or "latest" into a release.
// In an envgen project (supportedOnly) latest is the newest release envgen
// can render, and newer names a newer one the proxy lists, if any.
func (m *Manager) ResolveRelease(arg string, supportedOnly bool) (r goversion.Release, newer string, err error) {
	if arg != "latest" {
		r, err = goversion.Parse(arg)
		return r, "", err
	}
	rs, _, err := m.List()
	if err != nil {
		return r, "", err
	}
	newest, err := Latest(rs)
	if err != nil || !supportedOnly {
		return newest, "", err
	}
	if r, err = LatestSupported(rs); err != nil {
		return r, "", err
	}
	if newest != r {
		newer = newest.Toolchain()
	}
	return r, newer, nil
}

// Pin writes the toolchain line of dir/go.mod (raising the go line only
// when it predates toolchain lines) and records in dir/envgen.lock the h1
// of the toolchain zip for every pinned platform, each proved by the
// checksum database.
//
// In an envgen project the pin is an input of the render (go.mod, the
// Dockerfile's builder image, the Makefile), so it goes through sync, as
// `envgen sync --go VERSION` would, and the hashes land in the same lock
// write. Elsewhere only go.mod changes.
// syncProject is the caller's project sync (the workflow layer's, so that
// this package never renders a project): it gets the verified hashes.
func (m *Manager) Pin(ctx context.Context, dir string, r goversion.Release, opts PinOptions, syncProject SyncFunc) (*PinResult, error) {
	res := &PinResult{Version: r.Toolchain(), Hashes: map[string]string{}}
	gomod := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(gomod) //nolint:gosec // G304: the go.mod of the project being pinned
	if errors.Is(err, fs.ErrNotExist) {
		abs, _ := filepath.Abs(dir)
		return nil, exitcode.Usagef(abs, "run it in a Go module (go mod init MODULE), or pass -C DIR; to start a new service: envgen init",
			"no go.mod here: toolchain pin pins the toolchain of a Go module")
	}
	if err != nil {
		return nil, fmt.Errorf("pin: %w", err)
	}
	f, err := modfile.Parse(gomod, data, nil)
	if err != nil {
		return nil, fmt.Errorf("pin: %w", err)
	}
	lock, lockErr := project.ReadLock(dir)
	if lockErr != nil && !errors.Is(lockErr, project.ErrNoLock) {
		return nil, lockErr
	}
	// Prove every hash before writing anything.
	withProofs := lock != nil && (opts.Proofs || lock.Toolchain.Proofs != "")
	proofs, proved, err := m.ProjectProofs(r, opts.AllPlatforms)
	if err != nil {
		return nil, err
	}
	res.Hashes, res.Skipped = proved.Hashes(), proved.Skipped

	if lock != nil {
		if syncProject == nil {
			return nil, fmt.Errorf("%s is an envgen project: pin it with envgen sync --go %s", dir, r)
		}
		if !withProofs {
			proofs = nil
		} else {
			res.Proofs = project.ToolchainProofsFile
		}
		res.Sync, err = syncProject(ctx, res.Hashes, proofs)
		if err != nil {
			return nil, err
		}
		res.GoLine, res.LockWritten = r.MinorString()+".0", true
		return res, nil
	}
	if opts.Proofs {
		return nil, exitcode.Usagef("--proofs", "run envgen init here first, or keep a bundle yourself: envgen toolchain bundle "+r.String()+" --proofs-only -o FILE",
			"a project's proofs live in an envgen project (%s)", project.LockFile)
	}

	goLine := ""
	if f.Go != nil {
		goLine = f.Go.Version
	}
	if goLine == "" || semver.Compare("v"+goLine, "v"+minToolchainGo) < 0 {
		res.GoRaised = goLine
		if err := f.AddGoStmt(minToolchainGo); err != nil {
			return nil, fmt.Errorf("pin: %w", err)
		}
		goLine = minToolchainGo
	}
	if semver.Compare("v"+goLine, "v"+r.String()) > 0 {
		return nil, &exitcode.UsageError{Subject: "toolchain " + r.Toolchain(),
			Problem: "older than go.mod's go line " + goLine,
			Hint:    "pin go" + goLine + " or newer, or lower the go line first"}
	}
	res.GoLine = goLine
	if err := f.AddToolchainStmt(r.Toolchain()); err != nil {
		return nil, fmt.Errorf("pin: %w", err)
	}
	f.Cleanup()
	out, err := f.Format()
	if err != nil {
		return nil, fmt.Errorf("pin: %w", err)
	}
	if err := atomicfile.WriteFile(gomod, out, 0o644); err != nil {
		return nil, err
	}
	return res, nil
}

// ProjectProofs proves release r's hashes for the platforms envgen pins
// (or, with all, every platform the release ships), skipping and
// reporting those the proxy or the database lack (the host's is
// required), and returns them with their proofs as a proofs-only bundle.
func (m *Manager) ProjectProofs(r goversion.Release, all bool) ([]byte, *BundleResult, error) {
	var buf bytes.Buffer
	res, err := m.Bundle(BundleOptions{Release: r, Platforms: PinnedPlatforms, AllPlatforms: all, BestEffort: true, ProofsOnly: true, Writer: &buf})
	if err != nil {
		return nil, nil, err
	}
	return buf.Bytes(), res, nil
}

// Pinned reads the project's pin: envgen.lock's toolchain, else go.mod's
// toolchain line. hashes may be nil.
func Pinned(dir string) (r goversion.Release, hashes map[string]string, err error) {
	if lock, err := project.ReadLock(dir); err == nil && lock.Toolchain.Version != "" {
		r, err := goversion.Parse(lock.Toolchain.Version)
		return r, lock.Toolchain.Hashes, err
	} else if err != nil && !errors.Is(err, project.ErrNoLock) {
		return r, nil, err
	}
	data, err := os.ReadFile(filepath.Join(dir, "go.mod")) //nolint:gosec // G304: the go.mod of the project asked about
	if err != nil {
		return r, nil, fmt.Errorf("no pinned toolchain: %w", err)
	}
	f, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil {
		return r, nil, fmt.Errorf("pinned toolchain: %w", err)
	}
	if f.Toolchain == nil {
		return r, nil, fmt.Errorf("no pinned toolchain: go.mod has no toolchain line and there is no %s", project.LockFile)
	}
	r, err = goversion.Parse(strings.TrimSpace(f.Toolchain.Name))
	return r, nil, err
}
