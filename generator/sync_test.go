package generator

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/envgen/envgen/internal/filelock"
)

func initTestProject(t *testing.T, src *Source, in Inputs) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "p")
	if in.Module == "" {
		in.Module = "example.com/acme/orders"
	}
	if in.Go == "" {
		in.Go = "1.26.3"
	}
	if _, err := Init(context.Background(), InitOptions{Dir: dir, Source: src, NoGit: true, Inputs: in, Secrets: FixedSecrets()}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func readFile(t *testing.T, dir, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func writeFile(t *testing.T, dir, rel, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, rel), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkLockMatchesDisk asserts the invariant sync relies on: every file the
// lock tracks is on disk, and managed files hold what the lock says.
func checkLockMatchesDisk(t *testing.T, dir string) {
	t.Helper()
	lock, err := ReadLock(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, lf := range lock.Files {
		data, err := os.ReadFile(filepath.Join(dir, lf.Path))
		if lf.Deleted {
			continue
		}
		if err != nil {
			t.Errorf("lock tracks %s, which is missing: %v", lf.Path, err)
			continue
		}
		if lf.Mode == Managed && HashBytes(data) != lf.Hash {
			t.Errorf("%s: managed file differs from the lock", lf.Path)
		}
	}
}

// A crash between two writes (simulated by failing the second write) leaves
// a state from which the next sync finishes with the same result as an
// uninterrupted one, local edits included.
func TestSyncRecoversFromACrashBetweenWrites(t *testing.T) {
	src := testSource(t, fstest3())
	crashed := initTestProject(t, src, Inputs{})
	clean := initTestProject(t, src, Inputs{})
	for _, dir := range []string{crashed, clean} {
		writeFile(t, dir, "notes.txt", "line 1\nmy line\nline 3\nhello\n")
	}
	change := map[string]string{"http_port": "9000", "greeting": "bye"}

	writes := 0
	_, err := Sync(context.Background(), SyncOptions{Dir: crashed, Source: src, Set: change, Yes: true,
		beforeWrite: func(string) error {
			if writes++; writes == 2 {
				return errors.New("simulated crash")
			}
			return nil
		}})
	if err == nil || writes != 2 {
		t.Fatalf("sync did not stop at the second write: err=%v writes=%d", err, writes)
	}
	if lock, _ := ReadLock(crashed); lock.Inputs.Set != nil {
		t.Fatal("the lock was written although the apply stopped half way")
	}

	for _, dir := range []string{crashed, clean} {
		res, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Set: change, Yes: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Conflicts) > 0 {
			t.Fatalf("%s: conflicts after recovery: %v", dir, res.Conflicts)
		}
	}
	for _, rel := range []string{"config.yaml", "notes.txt", "policy.yml", "go.mod"} {
		if a, b := readFile(t, crashed, rel), readFile(t, clean, rel); a != b {
			t.Errorf("%s after crash+sync:\n%s\nwant (uninterrupted sync):\n%s", rel, a, b)
		}
	}
	if !strings.Contains(readFile(t, crashed, "notes.txt"), "my line") {
		t.Error("the local edit of notes.txt was lost")
	}
	checkLockMatchesDisk(t, crashed)
	res, err := Sync(context.Background(), SyncOptions{Dir: crashed, Source: src, Check: true})
	if err != nil || !res.InSync() {
		t.Fatalf("not in sync after recovery: %v %v", res.Drift, err)
	}
}

// fstest3 adds a merged text file whose template changes with a variable.
func fstest3() fstest.MapFS {
	return fstest.MapFS{
		"service/notes.txt.tmpl": {Data: []byte("line 1\nline 2\nline 3\n{{ .Vars.greeting }}\n")},
	}
}

func TestSyncRefusesASecondEnvgen(t *testing.T) {
	src := testSource(t, nil)
	dir := initTestProject(t, src, Inputs{})
	held, err := filelock.TryLock(filepath.Join(dir, StateDir, "lock"))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Unlock()
	_, err = Sync(context.Background(), SyncOptions{Dir: dir, Source: src})
	var busy *BusyError
	if !errors.As(err, &busy) || !strings.Contains(err.Error(), "pid") {
		t.Fatalf("err = %v; want a BusyError naming the holder", err)
	}
}

func TestSyncCheckWritesNothing(t *testing.T) {
	src := testSource(t, nil)
	dir := initTestProject(t, src, Inputs{})
	writeFile(t, dir, "policy.yml", "static: false\n")
	before, _ := os.ReadFile(filepath.Join(dir, LockFile))
	res, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Check: true, Set: map[string]string{"http_port": "9000"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.InSync() {
		t.Fatal("drift not found")
	}
	after, _ := os.ReadFile(filepath.Join(dir, LockFile))
	if string(before) != string(after) || readFile(t, dir, "policy.yml") != "static: false\n" {
		t.Error("--check wrote to the project")
	}
}

// In a git repository, files with uncommitted changes are rewritten only
// after Confirm says yes (or with Yes); Confirm hears exactly those files.
func TestSyncAsksBeforeRewritingUncommittedFiles(t *testing.T) {
	src := testSource(t, nil)
	dir := filepath.Join(t.TempDir(), "p")
	_, err := Init(context.Background(), InitOptions{Dir: dir, Source: src, Secrets: FixedSecrets(),
		Inputs: Inputs{Module: "example.com/acme/orders", Go: "1.26.3"},
		Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "policy.yml", "static: false\n") // managed: sync restores it

	var asked []string
	_, err = Sync(context.Background(), SyncOptions{Dir: dir, Source: src,
		Confirm: func(paths []string) (bool, error) { asked = paths; return false, nil }})
	var unc *UncommittedError
	if !errors.As(err, &unc) || strings.Join(asked, ",") != "policy.yml" {
		t.Fatalf("err = %v, asked about %v; want a refusal after asking about policy.yml", err, asked)
	}
	if readFile(t, dir, "policy.yml") != "static: false\n" {
		t.Fatal("the file was rewritten although the answer was no")
	}
	if _, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src,
		Confirm: func([]string) (bool, error) { return true, nil }}); err != nil {
		t.Fatal(err)
	}
	if readFile(t, dir, "policy.yml") != "static: true\n" {
		t.Error("not restored after a yes")
	}
}
