package workflow

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/envgen/envgen/generator/generatortest"
	"github.com/envgen/envgen/internal/project"
)

// A project's toolchain proofs are written with the pin in one change,
// kept while the pin stays, drift when edited (with the check the caller
// passes, too), and a Go switch without new proofs is refused, with
// nothing written.
func TestToolchainProofsFollowThePin(t *testing.T) {
	src := generatortest.Source(t, nil)
	dir := initProject(t, src, testInputs, false)
	ctx := context.Background()
	last, err := project.ReadLock(dir)
	if err != nil {
		t.Fatal(err)
	}
	hashes := map[string]string{"linux-amd64": "h1:proved"}
	proofs := []byte("proofs v1")
	if _, err := Sync(ctx, SyncOptions{Dir: dir, Source: src, Go: last.Inputs.Go, ToolchainHashes: hashes, ToolchainProofs: proofs}); err != nil {
		t.Fatal(err)
	}
	lock, err := project.ReadLock(dir)
	if err != nil {
		t.Fatal(err)
	}
	if lock.Toolchain.Proofs != project.ToolchainProofsFile || lock.Toolchain.ProofsHash != project.HashBytes(proofs) || lock.Schema != 3 {
		t.Fatalf("lock toolchain %+v, schema %d", lock.Toolchain, lock.Schema)
	}
	if got := readFile(t, dir, project.ToolchainProofsFile); got != string(proofs) {
		t.Fatalf("proofs file %q", got)
	}

	checked := 0
	check := func(pin project.ToolchainPin, data []byte) error {
		checked++
		if string(data) != "proofs v1" || pin.Hashes["linux-amd64"] != "h1:proved" {
			return errors.New("they do not prove the pin")
		}
		return nil
	}
	res, err := Sync(ctx, SyncOptions{Dir: dir, Source: src, Check: true, CheckProofs: check})
	if err != nil || len(res.Drift(true)) != 0 || checked != 1 {
		t.Fatalf("untouched: %v, drift %v, checked %d", err, res.Drift(true), checked)
	}
	if _, err := Sync(ctx, SyncOptions{Dir: dir, Source: src, Set: map[string]string{"http_port": "9000"}}); err != nil {
		t.Fatal(err)
	}
	if lock, _ := project.ReadLock(dir); lock.Toolchain.ProofsHash != project.HashBytes(proofs) {
		t.Fatalf("another sync dropped the proofs: %+v", lock.Toolchain)
	}

	writeFile(t, dir, project.ToolchainProofsFile, "edited")
	res, err = Sync(ctx, SyncOptions{Dir: dir, Source: src, Check: true, CheckProofs: check})
	if err != nil || !slices.Contains(res.Edited, project.ToolchainProofsFile) {
		t.Fatalf("edited proofs: %v, edited %v", err, res.Edited)
	}

	before := tree(t, dir)
	_, err = Sync(ctx, SyncOptions{Dir: dir, Source: src, Go: "1.26.4"})
	if _, ok := errors.AsType[*StaleProofsError](err); !ok {
		t.Fatalf("a Go switch without new proofs: %v, want StaleProofsError", err)
	}
	diffTrees(t, "after the refused switch", tree(t, dir), before)

	// New proofs replace the edited ones, which are backed up.
	res, err = Sync(ctx, SyncOptions{Dir: dir, Source: src, Go: "1.26.4", ToolchainHashes: hashes, ToolchainProofs: []byte("proofs v2"), Yes: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, dir, project.ToolchainProofsFile); got != "proofs v2" {
		t.Fatalf("proofs file %q", got)
	}
	if got := readFile(t, dir, filepath.ToSlash(filepath.Join(res.BackupDir, project.ToolchainProofsFile))); got != "edited" {
		t.Fatalf("backup %q, want the edited proofs", got)
	}
}
