package starter

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/envgen/envgen/generator"
)

func TestOpenGitAtTagRecordsCommitAndRenders(t *testing.T) {
	repo := newStarterRepo(t, minimalStarter("1.0.0"))
	repo.tag("v1.0.0")
	v1 := repo.commit(minimalStarter("1.1.0"), "v1.1.0")
	repo.tag("v1.1.0")
	opts := testOptions(t)

	src, err := Open(ctx, repo.url()+"@v1.0.0", opts)
	if err != nil {
		t.Fatal(err)
	}
	if src.Origin.Kind != "git" || src.Origin.URL != repo.url() || src.Origin.Ref != "v1.0.0" || len(src.Origin.Commit) != 40 {
		t.Fatalf("origin = %+v", src.Origin)
	}
	if src.Origin.Commit == v1.String() {
		t.Fatalf("v1.0.0 resolved to the commit of v1.1.0")
	}
	files := render(t, src, generator.Inputs{Profile: "acme", Set: map[string]string{"team": "payments"}})
	if got := string(files["docs/OWNERS.md"].Data); got != "owner: payments (orders, 1.0.0)\n" {
		t.Errorf("OWNERS.md = %q", got)
	}
	if files["docs/OWNERS.md"].Mode != generator.Once {
		t.Errorf("OWNERS.md mode = %s, want once", files["docs/OWNERS.md"].Mode)
	}
	if _, ok := files["cmd/orders/main.go"]; !ok {
		t.Error("cmd/orders/main.go not rendered")
	}
	if _, ok := files["README.md"]; ok {
		t.Error("the starter's own README.md was rendered")
	}
	if _, ok := files["go.mod"]; !ok {
		t.Error("no go.mod: a starter without deps/ uses the built-in dependency sets")
	}
	if _, ok := files["Makefile"]; ok {
		t.Error("a starter without extends rendered the built-in Makefile")
	}

	newer, err := Open(ctx, repo.url()+"@v1.1.0", opts)
	if err != nil {
		t.Fatal(err)
	}
	if newer.Origin.Commit != v1.String() || newer.Manifest.Version != "1.1.0" {
		t.Errorf("v1.1.0: origin %+v, version %s", newer.Origin, newer.Manifest.Version)
	}
	repo.commit(minimalStarter("2.0.0-rc.1"), "rc")
	repo.tag("v2.0.0-rc.1") // a pre-release is not offered
	repo.tag("not-a-version")
	if tag, err := LatestTag(ctx, repo.url()); err != nil || tag != "v1.1.0" {
		t.Errorf("LatestTag = %q, %v; want v1.1.0", tag, err)
	}
}

func TestOpenBranchAndCommit(t *testing.T) {
	repo := newStarterRepo(t, minimalStarter("1.0.0"))
	first, _ := repo.repo.Head()
	repo.commit(minimalStarter("2.0.0"), "two")
	opts := testOptions(t)

	head, err := Open(ctx, repo.url()+"@main", opts)
	if err != nil {
		t.Fatal(err)
	}
	if head.Manifest.Version != "2.0.0" {
		t.Errorf("@main: version %s, want 2.0.0", head.Manifest.Version)
	}
	noRef, err := Open(ctx, repo.url(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if noRef.Origin.Commit != head.Origin.Commit {
		t.Errorf("no ref resolved to %s, want HEAD %s", noRef.Origin.Commit, head.Origin.Commit)
	}
	// a folder with @REF is a repository on disk
	onDisk, err := Open(ctx, repo.dir+"@main", opts)
	if err != nil {
		t.Fatal(err)
	}
	if onDisk.Origin.Kind != "git" || onDisk.Origin.URL != repo.dir || onDisk.Origin.Commit != head.Origin.Commit {
		t.Errorf("folder@main: origin %+v", onDisk.Origin)
	}
	for _, ref := range []string{first.Hash().String(), first.Hash().String()[:10]} {
		old, err := Open(ctx, repo.url()+"@"+ref, opts)
		if err != nil {
			t.Fatalf("@%s: %v", ref, err)
		}
		if old.Manifest.Version != "1.0.0" || old.Origin.Commit != first.Hash().String() {
			t.Errorf("@%s: version %s commit %s", ref, old.Manifest.Version, old.Origin.Commit)
		}
	}
}

func TestOpenUnknownRefAndUnreachableRepository(t *testing.T) {
	repo := newStarterRepo(t, minimalStarter("1.0.0"))
	repo.tag("v1.0.0")
	opts := testOptions(t)

	_, err := Open(ctx, repo.url()+"@v9.9.9", opts)
	var ie *generator.InputError
	if !errors.As(err, &ie) || !strings.Contains(ie.Problem, `ref "v9.9.9" does not exist`) || !strings.Contains(ie.Hint, "v1.0.0") {
		t.Errorf("unknown ref: %v (hint %q)", err, hintOf(err))
	}

	_, err = Open(ctx, "file://"+t.TempDir()+"/nothing-here@v1.0.0", opts)
	var fe *FetchError
	if !errors.As(err, &fe) || fe.Err == nil || fe.Err.Error() == "" {
		t.Errorf("unreachable: %v, want a FetchError with git's reason", err)
	}
}

func hintOf(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}

func TestCachedStarterWorksOffline(t *testing.T) {
	repo := newStarterRepo(t, minimalStarter("1.0.0"))
	repo.tag("v1.0.0")
	opts := testOptions(t)
	src, err := Open(ctx, repo.url()+"@v1.0.0", opts)
	if err != nil {
		t.Fatal(err)
	}
	// The repository disappears: the network is gone, as far as envgen can tell.
	if err := os.RemoveAll(repo.dir); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"v1.0.0", src.Origin.Commit} {
		again, err := Open(ctx, repo.url()+"@"+ref, opts)
		if err != nil {
			t.Fatalf("offline @%s: %v", ref, err)
		}
		if again.Origin.Commit != src.Origin.Commit || again.Manifest.Version != "1.0.0" {
			t.Errorf("offline @%s: origin %+v", ref, again.Origin)
		}
	}
	byOrigin, err := OpenOrigin(ctx, src.Origin, opts)
	if err != nil {
		t.Fatal(err)
	}
	if byOrigin.Origin != src.Origin {
		t.Errorf("OpenOrigin: origin %+v, want %+v", byOrigin.Origin, src.Origin)
	}
	// A ref never fetched cannot be served offline.
	if _, err := Open(ctx, repo.url()+"@v2.0.0", opts); err == nil {
		t.Error("offline, an uncached ref opened")
	}
}

func TestOpenLocalFolder(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, minimalStarter("1.0.0"))
	src, err := Open(ctx, dir, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if src.Origin.Kind != "dir" || src.Origin.URL != dir {
		t.Errorf("origin = %+v", src.Origin)
	}
	files := render(t, src, generator.Inputs{Profile: "acme", Set: map[string]string{"team": "core"}})
	if !strings.HasPrefix(string(files["docs/OWNERS.md"].Data), "owner: core") {
		t.Errorf("OWNERS.md = %q", files["docs/OWNERS.md"].Data)
	}
}
