package toolchain

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/internal/project"
	"github.com/envgen/envgen/internal/workflow"
)

// In an envgen project, pin goes through the render: go.mod, the lock's Go
// input and its toolchain entry change together, with every platform's hash
// from the checksum database, and a later sync --check has nothing to undo.
func TestPinInAnEnvgenProject(t *testing.T) {
	fw := newFakeWorld(t)
	m := fw.manager(t, fw.env(t, ""))
	dir := filepath.Join(t.TempDir(), "svc")
	if _, err := workflow.Init(context.Background(), workflow.InitOptions{Dir: dir, NoGit: true,
		Secrets: generator.FixedSecrets(), Inputs: generator.Inputs{Module: "example.com/acme/svc", Go: "1.26.3"}}); err != nil {
		t.Fatal(err)
	}
	res, err := m.Pin(context.Background(), dir, testRelease, PinOptions{}, func(ctx context.Context, hashes map[string]string, _ []byte) (any, error) {
		return workflow.Sync(ctx, workflow.SyncOptions{Dir: dir, Go: testRelease.String(), ToolchainHashes: hashes, Yes: true})
	})
	if err != nil {
		t.Fatal(err)
	}
	gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	if !strings.Contains(string(gomod), "\ntoolchain go1.24.1\n") || !strings.Contains(string(gomod), "\ngo 1.24.0\n") {
		t.Errorf("go.mod not pinned to go1.24.1 with the go1.24 dependency set:\n%s", gomod)
	}
	lock, err := project.ReadLock(dir)
	if err != nil {
		t.Fatal(err)
	}
	if lock.Inputs.Go != "1.24.1" || lock.Toolchain.Version != "go1.24.1" || len(lock.Toolchain.Hashes) != len(PinnedPlatforms) {
		t.Fatalf("lock: inputs.go %q, toolchain %+v", lock.Inputs.Go, lock.Toolchain)
	}
	for _, p := range PinnedPlatforms {
		if got, want := lock.Toolchain.Hashes[p.String()], fw.sums[Module(testRelease, p).Version]; got != want {
			t.Errorf("%s: lock has %s, the checksum database %s", p, got, want)
		}
	}
	if !res.LockWritten || res.Sync == nil {
		t.Errorf("result: %+v", res)
	}
	check, err := workflow.Sync(context.Background(), workflow.SyncOptions{Dir: dir, Check: true})
	if err != nil || len(check.Drift(true)) > 0 {
		t.Fatalf("sync --check after pin: %v, drift %v", err, check.Drift(true))
	}
	// sync keeps the verified hashes while the pin stays
	if _, err := workflow.Sync(context.Background(), workflow.SyncOptions{Dir: dir, Set: map[string]string{"http_port": "9000"}, Yes: true}); err != nil {
		t.Fatal(err)
	}
	if lock, _ = project.ReadLock(dir); len(lock.Toolchain.Hashes) != len(PinnedPlatforms) {
		t.Error("a sync that kept the pin dropped its hashes")
	}
	// Pinning the same release again changes nothing: no write, the
	// lock byte for byte as it was.
	before, _ := os.ReadFile(filepath.Join(dir, project.LockFile))
	var again *workflow.SyncResult
	if _, err := m.Pin(context.Background(), dir, testRelease, PinOptions{}, func(ctx context.Context, hashes map[string]string, _ []byte) (any, error) {
		var err error
		again, err = workflow.Sync(ctx, workflow.SyncOptions{Dir: dir, Go: testRelease.String(), ToolchainHashes: hashes, Yes: true})
		return again, err
	}); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, project.LockFile))
	if again.Applied || string(before) != string(after) {
		t.Errorf("pinning the same release again wrote (applied %v, lock changed %v)", again.Applied, string(before) != string(after))
	}
}

func TestPinAPlainModule(t *testing.T) {
	fw := newFakeWorld(t)
	m := fw.manager(t, fw.env(t, ""))
	dir := t.TempDir()
	gomod := filepath.Join(dir, "go.mod")
	if err := os.WriteFile(gomod, []byte("module example.com/x\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := m.Pin(context.Background(), dir, testRelease, PinOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(gomod)
	if string(data) != "module example.com/x\n\ngo 1.22\n\ntoolchain go1.24.1\n" {
		t.Errorf("go.mod:\n%s", data)
	}
	if res.LockWritten || len(res.Hashes) != len(PinnedPlatforms) {
		t.Errorf("result: %+v", res)
	}

	// a toolchain older than the go line is refused, go.mod untouched
	if err := os.WriteFile(gomod, []byte("module example.com/x\n\ngo 1.25.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = m.Pin(context.Background(), dir, testRelease, PinOptions{}, nil)
	var ie *generator.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v; want an input error", err)
	}
	if data, _ := os.ReadFile(gomod); string(data) != "module example.com/x\n\ngo 1.25.0\n" {
		t.Errorf("go.mod changed by a refused pin:\n%s", data)
	}
}

// A platform the checksum database does not have is reported and
// skipped, never fatal to the others; the host's stops the pin before
// anything is written.
func TestPinSkipsWhatTheDatabaseLacksButNotTheHost(t *testing.T) {
	fw := newFakeWorld(t)
	windows := Platform{"windows", "amd64"}
	delete(fw.sums, Module(testRelease, windows).Version)
	m := fw.manager(t, fw.env(t, ""))
	dir := t.TempDir()
	gomod := filepath.Join(dir, "go.mod")
	original := []byte("module example.com/x\n\ngo 1.22\n")
	if err := os.WriteFile(gomod, original, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := m.Pin(context.Background(), dir, testRelease, PinOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Platform != windows.String() || len(res.Hashes) != len(PinnedPlatforms)-1 || res.Hashes[windows.String()] != "" {
		t.Fatalf("pin = %+v, want windows-amd64 skipped and the other four pinned", res)
	}

	fw = newFakeWorld(t)
	delete(fw.sums, Module(testRelease, Host()).Version)
	if err := os.WriteFile(gomod, original, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := fw.manager(t, fw.env(t, "")).Pin(context.Background(), dir, testRelease, PinOptions{}, nil); err == nil {
		t.Fatal("pinned without this machine's platform")
	}
	if data, _ := os.ReadFile(gomod); string(data) != string(original) {
		t.Errorf("go.mod changed:\n%s", data)
	}
}

func TestLatestSupportedSkipsMinorsWithoutADependencySet(t *testing.T) {
	rs := []Release{{Version: "go1.99rc1"}, {Version: "go1.98.4"}, {Version: "go1.26.11"}, {Version: "go1.26.10"}}
	newest, err := Latest(rs)
	if err != nil || newest.Toolchain() != "go1.98.4" {
		t.Fatalf("Latest = %v, %v", newest, err)
	}
	supported, err := LatestSupported(rs)
	if err != nil || supported.Toolchain() != "go1.26.11" {
		t.Fatalf("LatestSupported = %v, %v", supported, err)
	}
	if _, err := LatestSupported([]Release{{Version: "go1.98.4"}}); err == nil {
		t.Error("no supported release, yet no error")
	}
}

// --all-platforms pins every platform the release ships (the proxy's
// list), each proved by the database.
func TestPinAllPlatforms(t *testing.T) {
	fw := newFakeWorld(t)
	extra := Module(testRelease, Platform{"freebsd", "riscv64"})
	z := fakeZip(t, extra, nil)
	fw.zips[extra.Version], fw.sums[extra.Version] = z, h1Of(t, z)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/x\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := fw.manager(t, fw.env(t, "")).Pin(context.Background(), dir, testRelease, PinOptions{AllPlatforms: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hashes) != len(PinnedPlatforms)+1 || res.Hashes["freebsd-riscv64"] != fw.sums[extra.Version] {
		t.Fatalf("hashes = %v, want the five and freebsd-riscv64", res.Hashes)
	}
}
