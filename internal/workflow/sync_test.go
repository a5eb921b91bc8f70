package workflow

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/generator/generatortest"
	"github.com/envgen/envgen/internal/apply"
	"github.com/envgen/envgen/internal/filelock"
	"github.com/envgen/envgen/internal/gitrepo"
	"github.com/envgen/envgen/internal/plan"
	"github.com/envgen/envgen/internal/project"
)

// notesTemplate adds a merged text file that changes with a variable.
var notesTemplate = fstest.MapFS{
	"templates/notes.txt.tmpl": {Data: []byte("line 1\nline 2\nline 3\n{{ .Vars.greeting }}\n")},
}

// A sync stopped at every point of its write (the writer's fault seam),
// then finished by a plain sync, ends exactly as an uninterrupted sync
// does; rolled back instead, it ends exactly as before it started. In
// between, a check sees the unfinished sync and fails on it.
func TestSyncStoppedAtEveryPointFinishesOrRollsBack(t *testing.T) {
	src := generatortest.Source(t, notesTemplate)
	start := initProject(t, src, testInputs, false)
	writeFile(t, start, "notes.txt", "line 1\nmy line\nline 3\nhello\n")
	change := map[string]string{"http_port": "9000", "greeting": "bye"}
	before := tree(t, start, project.MutexFile)

	clean := copyTree(t, start)
	if _, err := Sync(context.Background(), SyncOptions{Dir: clean, Source: src, Set: change, Yes: true}); err != nil {
		t.Fatal(err)
	}
	want := tree(t, clean, project.MutexFile, project.BackupDir)

	for n := 1; ; n++ {
		dir := copyTree(t, start)
		stop := apply.Options{BeforeMutation: func(i int) error {
			if i == n {
				return errCrash
			}
			return nil
		}}
		_, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Set: change, Yes: true, Apply: stop})
		if err == nil {
			if n < 5 {
				t.Fatalf("sync finished before mutation %d: the seam is not reached", n)
			}
			t.Logf("stopped and recovered at each of %d points", n-1)
			return
		}
		if !errors.Is(err, errCrash) {
			t.Fatalf("n=%d: %v", n, err)
		}
		_, checkErr := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Check: true})
		var unfinished *UnfinishedError
		journal := fileExists(dir, project.JournalFile)
		if journal != errors.As(checkErr, &unfinished) {
			t.Fatalf("n=%d: journal present %v, check said %v", n, journal, checkErr)
		}
		aborted := copyTree(t, dir)

		// Finish: a plain sync (no flags) gives the uninterrupted result.
		if journal {
			res, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Yes: true})
			if err != nil || res.Resumed == "" {
				t.Fatalf("n=%d: finishing sync: %v (resumed %q)", n, err, res.Resumed)
			}
		} else if _, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Set: change, Yes: true}); err != nil {
			t.Fatalf("n=%d: nothing was written, so the sync runs again: %v", n, err)
		}
		diffTrees(t, "finished", tree(t, dir, project.MutexFile, project.BackupDir), want)
		if res, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Check: true}); err != nil || len(res.Drift(true)) > 0 {
			t.Errorf("n=%d: not in sync after finishing: %v %v", n, err, res.Drift(true))
		}

		// Abort: every path as before the sync.
		if _, err := Abort(aborted, apply.Options{}); err != nil {
			t.Fatalf("n=%d: abort: %v", n, err)
		}
		diffTrees(t, "aborted", tree(t, aborted, project.MutexFile), before)
		if t.Failed() {
			t.Fatalf("n=%d", n)
		}
	}
}

func fileExists(dir, rel string) bool {
	_, err := os.Lstat(filepath.Join(dir, rel))
	return err == nil
}

func TestSyncRefusesASecondEnvgen(t *testing.T) {
	src := generatortest.Source(t, nil)
	dir := initProject(t, src, testInputs, false)
	held, err := filelock.TryLock(filepath.Join(dir, project.MutexFile))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = held.Unlock() }()
	_, err = Sync(context.Background(), SyncOptions{Dir: dir, Source: src})
	var busy *BusyError
	if !errors.As(err, &busy) || !strings.Contains(err.Error(), "pid") {
		t.Fatalf("err = %v; want a BusyError naming the holder", err)
	}
}

// Read-only commands create nothing, not even envgen's mutex.
func TestSyncCheckWritesAndCreatesNothing(t *testing.T) {
	src := generatortest.Source(t, nil)
	dir := initProject(t, src, testInputs, false)
	if err := os.Remove(filepath.Join(dir, project.MutexFile)); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "policy.yml", "static: false\n")
	before := tree(t, dir)
	res, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Check: true, Set: map[string]string{"http_port": "9000"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Edited) != 1 || res.Edited[0] != "policy.yml" || !res.InputsChanged || len(res.Drift(false)) < 2 {
		t.Fatalf("edited %v, drift %v; want policy.yml edited and the port change previewed", res.Edited, res.Drift(false))
	}
	diffTrees(t, "after --check", tree(t, dir), before)
}

// A clone lacks the git-ignored secrets: not drift; sync creates them.
func TestCloneWithoutIgnoredSecretsIsInSync(t *testing.T) {
	src := generatortest.Source(t, nil)
	dir := initProject(t, src, testInputs, false)
	if err := os.Remove(filepath.Join(dir, "secret.env")); err != nil {
		t.Fatal(err)
	}
	res, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Check: true})
	if err != nil || len(res.Drift(true)) > 0 {
		t.Fatalf("check of a clone: %v, drift %v", err, res.Drift(true))
	}
	if _, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src}); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, dir, "secret.env"); !strings.HasPrefix(got, "PASSWORD=") || strings.Contains(got, "fixed-") {
		t.Errorf("secret.env not recreated with a fresh secret: %q", got)
	}
	if res, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Check: true}); err != nil || len(res.Drift(true)) > 0 {
		t.Fatalf("after sync: %v, drift %v", err, res.Drift(true))
	}
}

// Values keep their type through init -> lock -> sync, whatever their
// size; defaults are recorded, and a changed default is reported, never
// applied silently.
func TestVariablesKeepTypeAndPinnedDefaults(t *testing.T) {
	manifest := func(def string) fstest.MapFS {
		m := fstest.MapFS{}
		for k, v := range notesTemplate {
			m[k] = v
		}
		m["envgen-template.yaml"] = &fstest.MapFile{Data: []byte(`name: test
version: 1.0.0
variables:
  greeting: {type: string, default: ` + def + `}
  replicas: {type: int, default: 1}
  zip: {type: string, default: "007"}
files:
  policy.yml: {mode: managed}
  cmd/**: {mode: once}
  secret.env: {mode: once, private: true}
`)}
		m["templates/replicas.txt.tmpl"] = &fstest.MapFile{Data: []byte("{{ .Vars.replicas }} {{ .Vars.zip }}\n")}
		return m
	}
	old := generatortest.Source(t, manifest("hello"))
	in := testInputs
	in.Set = map[string]string{"replicas": "1000000"}
	dir := initProject(t, old, in, false)
	if res, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: old, Check: true}); err != nil || len(res.Drift(true)) > 0 {
		t.Fatalf("check after init with replicas=1000000: %v %v", err, res)
	}
	if got := readFile(t, dir, "replicas.txt"); got != "1000000 007\n" {
		t.Fatalf("replicas.txt = %q", got)
	}
	if lock := readFile(t, dir, project.LockFile); !strings.Contains(lock, `"replicas": 1000000`) || !strings.Contains(lock, `"zip": "007"`) {
		t.Errorf("lock does not keep the values typed:\n%s", lock)
	}

	newer := generatortest.Source(t, manifest("bye"))
	res, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: newer, Yes: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.DefaultChanges) != 1 || res.DefaultChanges[0].Name != "greeting" || res.DefaultChanges[0].Old != "hello" || res.DefaultChanges[0].New != "bye" {
		t.Fatalf("default changes = %+v", res.DefaultChanges)
	}
	if got := readFile(t, dir, "notes.txt"); !strings.Contains(got, "hello") {
		t.Errorf("a changed default was applied silently: %q", got)
	}
	if _, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: newer, Yes: true, Set: map[string]string{"greeting": "bye"}}); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, dir, "notes.txt"); !strings.Contains(got, "bye") {
		t.Errorf("--set greeting=bye did not follow the new default: %q", got)
	}
}

// The executable bit is part of the target: applied at init, a change
// on disk is drift, restored by sync; a change in the template follows.
func TestExecutableBitIsTarget(t *testing.T) {
	script := fstest.MapFS{"templates/run.sh": {Data: []byte("#!/bin/sh\necho hi\n"), Mode: 0o755}}
	src := generatortest.Source(t, script)
	dir := initProject(t, src, testInputs, false)
	if fi, _ := os.Stat(filepath.Join(dir, "run.sh")); fi.Mode().Perm() != 0o755 {
		t.Fatalf("run.sh written %v; the template's file is executable", fi.Mode().Perm())
	}
	if err := os.Chmod(filepath.Join(dir, "run.sh"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Check: true})
	if err != nil || strings.Join(res.Edited, ",") != "run.sh" {
		t.Fatalf("mode drift not seen: %v %v", err, res.Edited)
	}
	if _, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "run.sh")); fi.Mode().Perm() != 0o755 {
		t.Errorf("sync left run.sh %v", fi.Mode().Perm())
	}
	plain := generatortest.Source(t, fstest.MapFS{"templates/run.sh": {Data: script["templates/run.sh"].Data, Mode: 0o644}})
	res, err = Sync(context.Background(), SyncOptions{Dir: dir, Source: plain, Check: true})
	if err != nil || strings.Join(res.Behind, ",") != "run.sh" || len(res.Edited) != 0 {
		t.Fatalf("a template mode change is an upgrade (behind): %v edited %v behind %v", err, res.Edited, res.Behind)
	}
}

// In git, files holding uncommitted edits are rewritten only after
// Confirm says yes; a file envgen wrote and nobody touched, git-ignored
// or not, is never asked about.
func TestSyncAsksOnlyAboutUncommittedEdits(t *testing.T) {
	extra := fstest.MapFS{
		"templates/.gitignore":         {Data: []byte("secret.env\ngen/\n")},
		"templates/gen/cache.yml.tmpl": {Data: []byte("greeting: {{ .Vars.greeting }}\n")},
		"envgen-template.yaml": {Data: []byte(`name: test
version: 1.0.0
variables:
  greeting: {type: string, default: hello}
files:
  policy.yml: {mode: managed}
  gen/**: {mode: managed}
  secret.env: {mode: once, private: true}
`)},
	}
	src := generatortest.Source(t, extra)
	dir := initProject(t, src, testInputs, true)
	var asked []string
	confirm := func(paths []string) (bool, error) { asked = paths; return false, nil }
	if _, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Set: map[string]string{"greeting": "bye"}, Confirm: confirm}); err != nil || asked != nil {
		t.Fatalf("untouched files: err %v, asked about %v", err, asked)
	}
	writeFile(t, dir, "policy.yml", "static: false\n")
	_, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Confirm: confirm})
	var unc *UncommittedError
	if !errors.As(err, &unc) || strings.Join(asked, ",") != "policy.yml" {
		t.Fatalf("err = %v, asked about %v; want a refusal after asking about policy.yml", err, asked)
	}
	if readFile(t, dir, "policy.yml") != "static: false\n" {
		t.Fatal("rewritten although the answer was no")
	}
}

// --commit commits exactly what the sync created, changed and deleted.
func TestSyncCommitCoversCreatedAndDeletedFiles(t *testing.T) {
	src := generatortest.Source(t, nil)
	in := testInputs
	in.Profile = "staging" // renders alerts/
	dir := initProject(t, src, in, true)
	author := gitrepo.DefaultAuthor
	res, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Profile: "development", Commit: &author})
	if err != nil || res.Commit == nil {
		t.Fatalf("sync --commit: %v %+v", err, res)
	}
	if fileExists(dir, "alerts") {
		t.Error("alerts/ left behind as an empty folder")
	}
	dirty, err := gitrepo.Uncommitted(dir, append(res.Paths, "alerts/rules.yml"))
	if err != nil || len(dirty) > 0 {
		t.Fatalf("after --commit, uncommitted: %v %v", dirty, err)
	}
	if tracked, _ := gitrepo.Tracked(dir, "alerts/rules.yml"); tracked {
		t.Error("the deleted file is still in git")
	}
	_, err = Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Profile: "staging", Commit: &author})
	if err != nil {
		t.Fatal(err)
	}
	if tracked, _ := gitrepo.Tracked(dir, "alerts/rules.yml"); !tracked {
		t.Error("the created file was not committed")
	}
}

// A journal that git tracks was planted: refused, never replayed.
func TestPlantedJournalIsRefused(t *testing.T) {
	src := generatortest.Source(t, nil)
	dir := initProject(t, src, testInputs, true)
	writeFile(t, dir, project.JournalFile, `{"version":1,"label":"sync","steps":[{"op":"remove","path":"policy.yml","prev":{"exists":false}}]}`)
	if _, err := gitrepo.CommitPaths(dir, []string{project.JournalFile}, "plant", gitrepo.DefaultAuthor, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, check := range []bool{true, false} {
		_, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Check: check, Yes: true})
		var planted *PlantedError
		if !errors.As(err, &planted) || planted.ExitCode() != 2 {
			t.Fatalf("check=%v: err = %v; want PlantedError", check, err)
		}
	}
	if !fileExists(dir, "policy.yml") {
		t.Fatal("the planted journal was replayed")
	}
}

// Every envgen command sees a lock that cannot be trusted, before any work.
func TestBadLockIsRefusedBeforeAnything(t *testing.T) {
	src := generatortest.Source(t, nil)
	dir := initProject(t, src, testInputs, false)
	writeFile(t, dir, project.LockFile, `{"schema":2,"files":null}`)
	before := tree(t, dir)
	_, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Yes: true})
	var le *project.LockError
	if !errors.As(err, &le) || le.ExitCode() != 2 {
		t.Fatalf("err = %v; want a LockError", err)
	}
	diffTrees(t, "after a bad lock", tree(t, dir), before)
}

var _ = generator.FixedSecrets
var _ = plan.Unchanged

// A sync whose write fails half way is rolled back through its journal:
// the project exactly as before, and the check still clean.
func TestSyncRollsBackWhenAWriteFails(t *testing.T) {
	src := generatortest.Source(t, notesTemplate)
	dir := initProject(t, src, testInputs, false)
	writeFile(t, dir, "alerts", "a file of mine where staging needs a folder\n")
	before := tree(t, dir)
	_, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Profile: "staging", Set: map[string]string{"greeting": "bye"}, Yes: true})
	if err == nil || !strings.Contains(err.Error(), "rolled back") {
		t.Fatalf("err = %v; want the failed write, rolled back", err)
	}
	diffTrees(t, "after a failed sync", tree(t, dir), before)
	if fileExists(dir, project.JournalFile) {
		t.Error("the journal outlived the rollback")
	}
}
