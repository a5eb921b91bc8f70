package workflow

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/envgen/envgen/generator"
	"github.com/envgen/envgen/generator/generatortest"
	"github.com/envgen/envgen/internal/plan"
)

func builtin(t *testing.T) *generator.Source {
	t.Helper()
	src, err := generator.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func edit(t *testing.T, dir, rel, from, to string) {
	t.Helper()
	data := readFile(t, dir, rel)
	if !strings.Contains(data, from) {
		t.Fatalf("%s has no %q", rel, from)
	}
	writeFile(t, dir, rel, strings.Replace(data, from, to, 1))
}

func change(t *testing.T, res *SyncResult, path string) plan.Change {
	t.Helper()
	for _, c := range res.Plan.Changes {
		if c.Path == path {
			return c
		}
	}
	t.Fatalf("no change for %s", path)
	return plan.Change{}
}

// One key added locally, then a sync that changes the file elsewhere:
// the result is the new render with the user's line, every other byte
// (comments, blank lines, quoting) exactly the render's.
func TestComposeMergeKeepsEveryUnchangedByte(t *testing.T) {
	src := builtin(t)
	dir := initProject(t, src, testInputs, false)
	const mine = "    stop_grace_period: 30s\n"
	edit(t, dir, "docker-compose.yml", "    healthcheck:\n", mine+"    healthcheck:\n")
	set := map[string]string{"grafana_port": "3300"}
	res, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Set: set, Yes: true})
	if err != nil {
		t.Fatal(err)
	}
	if c := change(t, res, "docker-compose.yml"); c.Action != plan.Merge {
		t.Fatalf("docker-compose.yml: %s (%s), want a clean merge", c.Action, c.Detail)
	}
	in := testInputs
	in.Set = set
	want := readFile(t, initProject(t, src, in, false), "docker-compose.yml")
	want = strings.Replace(want, "    healthcheck:\n", mine+"    healthcheck:\n", 1)
	if got := readFile(t, dir, "docker-compose.yml"); got != want {
		t.Errorf("merged docker-compose.yml is not the new render plus the user's line:\n%s", got)
	}
}

// An entry of a list changed differently on both sides is a conflict with
// its key path named, never both entries kept; an argv list is ordered,
// never spliced.
func TestComposeListsConflictInsteadOfDoubling(t *testing.T) {
	src := builtin(t)
	for name, tc := range map[string]struct {
		old, new string
		opts     SyncOptions
		path     string
	}{
		"port": {`"127.0.0.1:8080:8080"`, `"127.0.0.1:8081:8080"`, SyncOptions{Set: map[string]string{"http_port": "9000"}}, "services.app.ports"},
		"argv": {`command: ["redis-server", "--appendonly", "yes"]`, `command: ["redis-server", "--appendonly", "yes", "--maxmemory", "256mb"]`,
			SyncOptions{Profile: "production"}, "services.redis.command"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := initProject(t, src, testInputs, false)
			edit(t, dir, "docker-compose.yml", tc.old, tc.new)
			opts := tc.opts
			opts.Dir, opts.Source, opts.Yes = dir, src, true
			res, err := Sync(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			c := change(t, res, "docker-compose.yml")
			if c.Action != plan.Conflict || len(c.Conflicts) == 0 || !strings.HasPrefix(c.Conflicts[0].Path, tc.path) {
				t.Fatalf("docker-compose.yml: %s %+v, want a conflict at %s", c.Action, c.Conflicts, tc.path)
			}
			if got := readFile(t, dir, "docker-compose.yml"); !strings.Contains(got, "<<<<<<< local\n") || strings.Count(got, tc.new) != 1 {
				t.Errorf("conflict not written with markers, the user's entry once:\n%s", got)
			}
			check, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Check: true})
			if err != nil || strings.Join(check.Unresolved, ",") != "docker-compose.yml" {
				t.Errorf("check after the conflict: %v, unresolved %v", err, check.Unresolved)
			}
		})
	}
}

// The template and the user both add the same file with other content:
// there is no base to merge from, so it is a conflict, not a union.
func TestBothAddedFileIsAConflict(t *testing.T) {
	older := generatortest.Source(t, nil)
	dir := initProject(t, older, testInputs, false)
	writeFile(t, dir, ".gitlab-ci.yml", "test:\n  script:\n    - make test\n")
	newer := generatortest.Source(t, fstest.MapFS{"templates/.gitlab-ci.yml": {Data: []byte("test:\n  script:\n    - go test ./...\n")}})
	res, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: newer, Yes: true})
	if err != nil {
		t.Fatal(err)
	}
	if c := change(t, res, ".gitlab-ci.yml"); c.Action != plan.Conflict {
		t.Fatalf(".gitlab-ci.yml: %s (%s), want a conflict", c.Action, c.Detail)
	}
	if got := readFile(t, dir, ".gitlab-ci.yml"); !strings.Contains(got, "make test") || !strings.Contains(got, "go test") || !strings.Contains(got, "<<<<<<< local") {
		t.Errorf("both versions must be there between markers:\n%s", got)
	}
}

// Appending a comment to a managed policy file is not drift.
func TestCommentOnlyEditOfManagedFileIsNotDrift(t *testing.T) {
	src := builtin(t)
	dir := initProject(t, src, testInputs, false)
	for _, rel := range []string{".golangci.yml", "deploy/prometheus/rules/alerts.yml"} {
		writeFile(t, dir, rel, readFile(t, dir, rel)+"# reviewed by the platform team\n")
	}
	res, err := Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Check: true})
	if err != nil || len(res.Drift(true)) > 0 {
		t.Fatalf("a comment is drift: %v %v", err, res.Drift(true))
	}
	res, err = Sync(context.Background(), SyncOptions{Dir: dir, Source: src, Profile: "staging", Yes: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{".golangci.yml", "deploy/prometheus/rules/alerts.yml"} {
		if got := readFile(t, dir, rel); !strings.Contains(got, "# reviewed by the platform team") {
			t.Errorf("%s: the comment was lost in the switch (%s)", rel, change(t, res, rel).Detail)
		}
	}
}
