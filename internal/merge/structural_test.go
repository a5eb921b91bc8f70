package merge

import (
	"strings"
	"testing"
)

// Maps merge key by key: each side's edit of its own keys is kept, and a
// key the template adds lands where the line merge puts it.
func TestYAMLMapIndependentEdits(t *testing.T) {
	base := "# settings\nhttp:\n  addr: \":8080\" # listener\n  timeout: 5s\n\nlog:\n  level: info\n"
	local := "# settings\nhttp:\n  addr: \":8080\" # listener\n  timeout: 9s\n\nlog:\n  level: info\n"
	next := "# settings\nhttp:\n  addr: \":9000\" # listener\n  timeout: 5s\n\nlog:\n  level: info\n  format: json\n"
	want := "# settings\nhttp:\n  addr: \":9000\" # listener\n  timeout: 9s\n\nlog:\n  level: info\n  format: json\n"
	wantClean(t, mergeYAML(t, base, local, next), want)
}

func TestYAMLMapConflicts(t *testing.T) {
	base := "a: 1\nb: 1\nc: 1\n"
	for _, c := range []struct{ name, local, next, path, detail string }{
		{"same key, different values", "a: 2\nb: 1\nc: 1\n", "a: 3\nb: 1\nc: 1\n", "a", "changed differently on both sides"},
		{"edited locally, removed", "a: 1\nb: 2\nc: 1\n", "a: 1\nc: 1\n", "b", "edited locally, removed by the template"},
		{"removed locally, changed", "a: 1\nc: 1\n", "a: 1\nb: 3\nc: 1\n", "b", "removed locally, changed by the template"},
		{"added differently", "a: 1\nb: 1\nc: 1\nd: 1\n", "a: 1\nb: 1\nc: 1\nd: 2\n", "d", "added on both sides with different content"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := mergeYAML(t, base, c.local, c.next)
			wantConflict(t, r, c.path)
			if r.Conflicts[0].Detail != c.detail {
				t.Errorf("detail %q, want %q", r.Conflicts[0].Detail, c.detail)
			}
		})
	}
}

// Keys both sides added with the same value are taken once, even where
// the lines merged cleanly into a duplicate key.
func TestYAMLSameKeyAddedTwiceIsTakenOnce(t *testing.T) {
	base := "a: 1\nb: 2\n"
	r := mergeYAML(t, base, "x: 5\na: 1\nb: 2\n", "a: 1\nb: 2\nx: 5\n")
	wantClean(t, r, "x: 5\na: 1\nb: 2\n")
	// With different values it is a conflict, although no line conflicts.
	wantConflict(t, mergeYAML(t, base, "x: 5\na: 1\nb: 2\n", "a: 1\nb: 2\nx: 6\n"), "x")
}

// Lines that conflict only because they touch are resolved when the
// structure says both changes fit: an edit next to an insertion, two new
// keys at the same place.
func TestYAMLTouchingEditsMerge(t *testing.T) {
	base := "app:\n  image: orders:1.0\n  restart: \"no\"\n"
	local := "app:\n  image: orders:1.0\n  mem_limit: 512m\n  restart: \"no\"\n"
	next := "app:\n  image: orders:1.1\n  restart: \"no\"\n"
	wantClean(t, mergeYAML(t, base, local, next), "app:\n  image: orders:1.1\n  mem_limit: 512m\n  restart: \"no\"\n")

	local = "app:\n  image: orders:1.0\n  restart: \"no\"\n  # mine\n  cpus: 2\n"
	next = "app:\n  image: orders:1.0\n  restart: \"no\"\n  init: true\n"
	wantClean(t, mergeYAML(t, base, local, next), "app:\n  image: orders:1.0\n  restart: \"no\"\n  # mine\n  cpus: 2\n  init: true\n")
}

// Lists of named things merge by name: both sides appending a different
// scrape job is no conflict, local's comes first.
func TestYAMLListsByIdentity(t *testing.T) {
	base := "scrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: [\"app:8080\"]\n"
	mine := "  - job_name: mine\n    static_configs:\n      - targets: [\"mine:1\"]\n"
	node := "  - job_name: node\n    static_configs:\n      - targets: [\"node:9100\"]\n"
	wantClean(t, mergeYAML(t, base, base+mine, base+node), base+mine+node)

	// Prometheus rules by alert/record, each side editing its own rule.
	rules := "groups:\n  - name: orders\n    rules:\n      - alert: Down\n        expr: up == 0\n        for: 1m\n      - record: job:rate5m\n        expr: rate(x[5m])\n      - alert: Slow\n        expr: latency > 1\n        for: 5m\n"
	local := replace(t, rules, "for: 1m", "for: 2m")
	next := replace(t, rules, "expr: latency > 1", "expr: latency > 2")
	wantClean(t, mergeYAML(t, rules, local, next), replace(t, local, "expr: latency > 1", "expr: latency > 2"))

	// The same rule changed differently: a conflict named by the rule.
	next = replace(t, rules, "for: 1m", "for: 3m")
	wantConflict(t, mergeYAML(t, rules, local, next), "groups[name=orders].rules[alert=Down].for")
}

// A script in a block scalar merges line by line, like the shell file it is.
func TestYAMLBlockScalarMergesByLine(t *testing.T) {
	base := "build:\n  script: |\n    go mod download\n    go build ./...\n    go test ./...\n    go vet ./...\n"
	local := replace(t, base, "go mod download", "go mod download -x")
	next := replace(t, base, "go vet ./...", "go vet ./... && staticcheck ./...")
	wantClean(t, mergeYAML(t, base, local, next), replace(t, local, "go vet ./...", "go vet ./... && staticcheck ./..."))
}

// A structural conflict keeps its markers, and only it: the rest of the
// line merge is resolved as if there were no conflict.
func TestYAMLConflictMarksOnlyTheConflict(t *testing.T) {
	base := "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\n"
	r := mergeYAML(t, base, "a: 9\nb: 2\nc: 3\nd: 4\nmine: x\ne: 5\n", "a: 8\nb: 2\nc: 3\nd: 4\ntheirs: y\ne: 5\n")
	wantConflict(t, r, "a")
	if got := stripConflicts(string(r.Data)); got != "b: 2\nc: 3\nd: 4\nmine: x\ntheirs: y\ne: 5\n" {
		t.Errorf("outside the conflict:\n%s", got)
	}
}

// Both sides edited different items of a one-line flow list: the value
// merges, but no text made of the sides' lines has it, so the merge is
// re-encoded. That is the one case where layout (here the blank line)
// may be lost; comments attached to nodes survive.
func TestYAMLReencodesOnlyWhenNoSpliceFits(t *testing.T) {
	base := "# tools\nargs: [a, b, c] # keep\n\nlevel: 1\n"
	r := mergeYAML(t, base, "# tools\nargs: [A, b, c] # keep\n\nlevel: 1\n", "# tools\nargs: [a, b, C] # keep\n\nlevel: 1\n")
	if !r.Clean() || !SameValue(r.Data, []byte("args: [A, b, C]\nlevel: 1\n")) {
		t.Fatalf("merged %v:\n%s", r.Conflicts, r.Data)
	}
	if !strings.Contains(string(r.Data), "# keep") || !strings.Contains(string(r.Data), "# tools") {
		t.Errorf("comments lost:\n%s", r.Data)
	}
}

// An anchor the template changed and an alias the user moved: the alias
// still refers to the anchor, nothing conflicts.
func TestYAMLAnchors(t *testing.T) {
	base := "x-logging: &logging\n  driver: json-file\nservices:\n  app:\n    image: a\n    logging: *logging\n"
	local := replace(t, base, "    image: a\n", "    image: a\n    init: true\n")
	next := replace(t, base, "driver: json-file", "driver: local")
	wantClean(t, mergeYAML(t, base, local, next), replace(t, local, "driver: json-file", "driver: local"))
}

func TestYAMLParseErrorFallsBackToText(t *testing.T) {
	base := "a: 1\n"
	if _, err := YAML([]byte(base), []byte("a: [1\n"), []byte(base)); err == nil {
		t.Error("YAML accepted a broken side")
	}
	r := File("config.yml", []byte(base), []byte("a: [1\n"), []byte("a: 1\nb: 2\n"))
	if want := Text([]byte(base), []byte("a: [1\n"), []byte("a: 1\nb: 2\n")); string(r.Data) != string(want.Data) {
		t.Errorf("File did not fall back to Text:\n%s", r.Data)
	}
}

// Compose's string lists with an identity of their own: environment
// entries by variable, volumes by container path.
func TestYAMLComposeStringLists(t *testing.T) {
	base := "environment:\n  - APP_ENV=dev\n  - APP_LOG=info\nvolumes:\n  - ./data:/data\n  - cache:/cache\n"
	local := "environment:\n  - APP_ENV=dev\n  - APP_LOG=debug\n  - MINE=1\nvolumes:\n  - ./data:/data:ro\n  - cache:/cache\n  - ./mine:/mine\n"
	next := "environment:\n  - APP_ENV=prod\n  - APP_LOG=info\n  - APP_NEW=1\nvolumes:\n  - ./data:/data\n  - cache2:/cache\n  - ./tmp:/tmp\n"
	want := "environment:\n  - APP_ENV=prod\n  - APP_LOG=debug\n  - MINE=1\n  - APP_NEW=1\nvolumes:\n  - ./data:/data:ro\n  - cache2:/cache\n  - ./mine:/mine\n  - ./tmp:/tmp\n"
	wantClean(t, mergeYAML(t, base, local, next), want)
	wantConflict(t, mergeYAML(t, base, replace(t, base, "APP_LOG=info", "APP_LOG=debug"), replace(t, base, "APP_LOG=info", "APP_LOG=warn")), "environment[APP_LOG]")
}

// A stream of documents merges document by document.
func TestYAMLMultiDocument(t *testing.T) {
	base := "kind: Deployment\nreplicas: 1\n---\nkind: Service\nport: 80\n"
	local := replace(t, base, "replicas: 1", "replicas: 3")
	next := replace(t, base, "port: 80", "port: 8080")
	wantClean(t, mergeYAML(t, base, local, next), replace(t, local, "port: 80", "port: 8080"))
	wantConflict(t, mergeYAML(t, base, local, replace(t, base, "replicas: 1", "replicas: 2")), "document[0].replicas")
}
