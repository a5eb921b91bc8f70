package workflow

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/generator/generatortest"
	"github.com/envgen/envgen/internal/apply"
	"github.com/envgen/envgen/internal/plan"
	"github.com/envgen/envgen/internal/project"
)

func TestInitWritesFilesLockAndBases(t *testing.T) {
	src := generatortest.Source(t, nil)
	dir := filepath.Join(t.TempDir(), "orders")
	in := testInputs
	in.Profile = "staging"
	res, err := Init(context.Background(), InitOptions{Dir: dir, Source: src, NoGit: true, Secrets: generator.FixedSecrets(), Inputs: in})
	if err != nil {
		t.Fatal(err)
	}
	if res.Plan.Count(plan.Create) != len(res.Plan.Changes) {
		t.Errorf("fresh init: not every change is a create: %+v", res.Plan.Changes)
	}
	lock, err := project.ReadLock(dir)
	if err != nil {
		t.Fatal(err)
	}
	if lock.Profile != "staging" || lock.Inputs.Module != in.Module || lock.Toolchain.Version != "go1.26.3" || lock.Template.Name != "test" {
		t.Errorf("lock inputs wrong: %+v", lock)
	}
	if lock.Inputs.Defaults["greeting"] != "hello" {
		t.Errorf("the lock does not record the resolved default of greeting: %v", lock.Inputs.Defaults)
	}
	for _, lf := range lock.Files {
		data, err := os.ReadFile(filepath.Join(dir, lf.Path))
		if err != nil {
			t.Fatalf("lock names %s, which was not written: %v", lf.Path, err)
		}
		if project.HashBytes(data) != lf.Hash {
			t.Errorf("%s: lock hash differs from the file on disk", lf.Path)
		}
		_, baseErr := os.Stat(filepath.Join(dir, project.BaseDir, lf.Path))
		if lf.Mode.KeepsBase() != (baseErr == nil) {
			t.Errorf("%s (%s): base copy present = %v; managed and merged files keep one", lf.Path, lf.Mode, baseErr == nil)
		}
	}
	lockData, _ := os.ReadFile(filepath.Join(dir, project.LockFile))
	if strings.Contains(string(lockData), "fixed-postgres_password") {
		t.Error("a secret leaked into envgen.lock")
	}
	if fi, _ := os.Stat(filepath.Join(dir, "secret.env")); fi.Mode().Perm() != 0o600 {
		t.Errorf("secret.env mode %v, want 0600", fi.Mode().Perm())
	}
	for _, leftover := range []string{project.JournalFile, project.StagingDir} {
		if _, err := os.Stat(filepath.Join(dir, leftover)); err == nil {
			t.Errorf("%s left behind", leftover)
		}
	}
}

func TestInitLeavesFolderAloneOnBadInputOrClash(t *testing.T) {
	src := generatortest.Source(t, nil)
	dir := t.TempDir()
	user := []byte("my own config\n")
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), user, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Init(context.Background(), InitOptions{Dir: dir, Source: src, NoGit: true, Inputs: testInputs})
	var clash *ExistingFilesError
	if !errors.As(err, &clash) || len(clash.Paths) != 1 || clash.Paths[0] != "config.yaml" || clash.ExitCode() != 2 {
		t.Fatalf("err = %v; want ExistingFilesError naming config.yaml", err)
	}
	bad := testInputs
	bad.Profile = "qa"
	if _, err := Init(context.Background(), InitOptions{Dir: dir, Source: src, NoGit: true, Inputs: bad}); err == nil {
		t.Fatal("unknown profile accepted")
	}
	if _, err := Init(context.Background(), InitOptions{Dir: dir, Source: src, NoGit: true, Inputs: testInputs, DryRun: true}); err == nil {
		t.Fatal("dry run ignored the clash")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder holds %d entries after refused inits; want only config.yaml", len(entries))
	}

	now := func() time.Time { return time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC) }
	res, err := Init(context.Background(), InitOptions{Dir: dir, Source: src, NoGit: true, Inputs: testInputs, Force: true, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if res.BackupDir != project.BackupDir+"/20261124T060000Z" {
		t.Errorf("backup dir = %q", res.BackupDir)
	}
	kept, err := os.ReadFile(filepath.Join(dir, res.BackupDir, "config.yaml"))
	if err != nil || string(kept) != string(user) {
		t.Errorf("user's config.yaml not kept: %q, %v", kept, err)
	}
}

func TestInitDryRunIntoANewFolderCreatesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	res, err := Init(context.Background(), InitOptions{Dir: dir, Source: generatortest.Source(t, nil), Inputs: testInputs, DryRun: true})
	if err != nil || res.Plan.Count(plan.Create) == 0 {
		t.Fatalf("dry run: %v %+v", err, res)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("dry run created the folder: %v", err)
	}
}

func TestInitRefusesWritingThroughSymlink(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "cmd")); err != nil {
		t.Fatal(err)
	}
	_, err := Init(context.Background(), InitOptions{Dir: dir, Source: generatortest.Source(t, nil), NoGit: true, Force: true, Inputs: testInputs})
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("err = %v; want a refusal to go through the link", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Error("files were written outside the project")
	}
	if _, err := os.Stat(filepath.Join(dir, project.LockFile)); err == nil {
		t.Error("envgen.lock written although the init was refused")
	}
}

// An init stopped at any point of its write is finished by running the
// same init again, with the secrets it had drawn (they are in the
// journal), and ends as an uninterrupted init does.
func TestKilledInitCanBeRunAgain(t *testing.T) {
	src := generatortest.Source(t, nil)
	want := tree(t, initProject(t, src, testInputs, false))
	for n := 1; ; n++ {
		dir := filepath.Join(t.TempDir(), "p")
		opts := InitOptions{Dir: dir, Source: src, NoGit: true, Inputs: testInputs, Secrets: generator.FixedSecrets(),
			Apply: apply.Options{BeforeMutation: func(i int) error {
				if i == n {
					return errCrash
				}
				return nil
			}}}
		_, err := Init(context.Background(), opts)
		if err == nil {
			if n < 3 {
				t.Fatalf("init finished before mutation %d: the seam is not reached", n)
			}
			return
		}
		if !errors.Is(err, errCrash) {
			t.Fatalf("n=%d: %v", n, err)
		}
		// A rerun draws new secrets: once the journal was written, its
		// secrets must win; before that, nothing was written at all.
		opts.Apply, opts.Secrets = apply.Options{}, nil
		if n == 1 {
			opts.Secrets = generator.FixedSecrets()
		}
		res, err := Init(context.Background(), opts)
		if err != nil {
			t.Fatalf("n=%d: rerun: %v", n, err)
		}
		got := tree(t, dir, project.MutexFile)
		delete(want, project.MutexFile)

		diffTrees(t, "killed init, run again", got, want)
		if n > 1 && !res.Resumed {
			t.Errorf("n=%d: rerun did not resume the journal", n)
		}
		if t.Failed() {
			t.Fatalf("n=%d", n)
		}
	}
}

var errCrash = errors.New("simulated crash")

// A write that fails half way (a file of the user's where envgen needs a
// folder) rolls the whole init back: the user's files as they were, and
// nothing of envgen's left, not even the folder a new project would be in.
func TestInitRollsBackWhenAWriteFails(t *testing.T) {
	src := generatortest.Source(t, nil)
	dir := t.TempDir()
	writeFile(t, dir, "config.yaml", "my own config\n")
	writeFile(t, dir, "cmd/orders", "a file where envgen needs a folder\n")
	before := tree(t, dir)
	_, err := Init(context.Background(), InitOptions{Dir: dir, Source: src, NoGit: true, Force: true, Inputs: testInputs})
	if err == nil || !strings.Contains(err.Error(), "rolled back") {
		t.Fatalf("err = %v; want the failed write, rolled back", err)
	}
	diffTrees(t, "after a failed init", tree(t, dir), before)
}
