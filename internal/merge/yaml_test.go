package merge

import (
	"strings"
	"testing"
)

// mergeYAML runs YAML and fails the test on a parse error.
func mergeYAML(t *testing.T, base, local, next string) Result {
	t.Helper()
	r, err := YAML([]byte(base), []byte(local), []byte(next))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func wantClean(t *testing.T, r Result, want string) {
	t.Helper()
	if !r.Clean() {
		t.Fatalf("conflicts %v:\n%s", r.Conflicts, r.Data)
	}
	if string(r.Data) != want {
		t.Fatalf("merged:\n%s\nwant:\n%s", r.Data, want)
	}
}

func wantConflict(t *testing.T, r Result, path string) {
	t.Helper()
	if r.Clean() {
		t.Fatalf("merged cleanly, want a conflict at %s:\n%s", path, r.Data)
	}
	for _, c := range r.Conflicts {
		if c.Path == path {
			if !HasMarkers(r.Data) {
				t.Fatalf("conflict at %s without markers:\n%s", path, r.Data)
			}
			return
		}
	}
	t.Fatalf("conflicts %v, want one at %s", r.Conflicts, path)
}

// A key the user added to a compose file full of comments and blank
// lines, and a template change elsewhere: the merge is the base with both
// changes and nothing else, byte for byte.
func TestYAMLKeepsCommentsAndBlankLines(t *testing.T) {
	base := readFile(t, "testdata/compose.yml")
	local := replace(t, base, "    restart: \"no\"\n    command: [\"redis-server\"", "    restart: \"no\"\n    mem_limit: 512m\n    command: [\"redis-server\"")
	next := replace(t, base, "image: grafana/grafana:12.0.2", "image: grafana/grafana:12.1.0")
	want := replace(t, local, "image: grafana/grafana:12.0.2", "image: grafana/grafana:12.1.0")
	wantClean(t, mergeYAML(t, base, local, next), want)
}

// A comment is all the user changed; the template changed a value: the
// comment stays.
func TestYAMLKeepsACommentOnlyEdit(t *testing.T) {
	base := readFile(t, "testdata/compose.yml")
	local := replace(t, base, "      # redis-cli exits 0 on an error reply, so look for the PONG.\n",
		"      # redis-cli exits 0 on an error reply, so look for the PONG.\n      # (checked by the on-call team, 2025-03)\n",
		"# Every image is pinned", "# Every image (ours too) is pinned")
	next := replace(t, base, "image: redis:7.4.2-alpine", "image: redis:7.4.5-alpine")
	want := replace(t, local, "image: redis:7.4.2-alpine", "image: redis:7.4.5-alpine")
	wantClean(t, mergeYAML(t, base, local, next), want)
}

// Quoting is presentation the merge must not touch: single, double and
// no quotes all stay as each side wrote them.
func TestYAMLKeepsQuoting(t *testing.T) {
	base := readFile(t, "testdata/compose.yml")
	local := replace(t, base, "image: orders:local", "image: 'orders:dev'")
	next := replace(t, base, "    max-file: \"3\"", "    max-file: \"5\"")
	got := mergeYAML(t, base, local, next)
	wantClean(t, got, replace(t, local, "    max-file: \"3\"", "    max-file: \"5\""))
	for _, s := range []string{"image: 'orders:dev'", "max-file: \"5\"", "restart: \"no\"", `APP_HTTP_ADDR: ":8080"`, "profiles: [\"chaos\"]"} {
		if !strings.Contains(string(got.Data), s) {
			t.Errorf("lost %s", s)
		}
	}
}

const composePorts = `services:
  app:
    image: orders:local
    ports:
      - "8080:8080"
      - "6060:6060"
`

// The regression from the field: both sides moved the host port of the
// same container port. That is one conflict on that port, never two
// mappings of it.
func TestYAMLPortsConflictByTarget(t *testing.T) {
	local := replace(t, composePorts, `"8080:8080"`, `"8081:8080"`)
	next := replace(t, composePorts, `"8080:8080"`, `"9000:8080"`)
	r := mergeYAML(t, composePorts, local, next)
	wantConflict(t, r, "services.app.ports[target=8080]")
	if len(r.Conflicts) != 1 {
		t.Errorf("conflicts %v, want only the port", r.Conflicts)
	}
	outside := stripConflicts(string(r.Data))
	if strings.Contains(outside, "8081:8080") || strings.Contains(outside, "9000:8080") {
		t.Errorf("a side's mapping leaked out of the conflict:\n%s", r.Data)
	}
}

// Ports that the sides change independently merge, by target, in the
// short and the long syntax.
func TestYAMLPortsMergeByTarget(t *testing.T) {
	local := replace(t, composePorts, `"8080:8080"`, `"8081:8080"`)
	next := replace(t, composePorts, `      - "6060:6060"`, "      - target: 6060\n        published: 16060")
	want := replace(t, local, `      - "6060:6060"`, "      - target: 6060\n        published: 16060")
	wantClean(t, mergeYAML(t, composePorts, local, next), want)
}

// An argv is ordered: the user's extra flags and the template's new
// command line are a conflict on the command, not a spliced command.
func TestYAMLArgvConflict(t *testing.T) {
	base := readFile(t, "testdata/compose.yml")
	flow := `command: ["redis-server", "--appendonly", "yes"]`
	local := replace(t, base, flow, `command: ["redis-server", "--appendonly", "yes", "--maxmemory", "256mb"]`)
	next := replace(t, base, flow, `command: ["sh", "-c", "exec redis-server --appendonly yes --requirepass \"$$REDIS_PASSWORD\""]`)
	wantConflict(t, mergeYAML(t, base, local, next), "services.redis.command")

	// The same in block style, and an entry changed differently on both
	// sides: a conflict on that entry, not both entries.
	block := "command:\n  - redis-server\n  - --appendonly\n  - \"yes\"\n"
	r := mergeYAML(t, block, replace(t, block, `"yes"`, `"no"`), replace(t, block, `"yes"`, `everysec`))
	wantConflict(t, r, "command[2]")
	if out := stripConflicts(string(r.Data)); strings.Contains(out, `"no"`) || strings.Contains(out, "everysec") {
		t.Errorf("an entry leaked out of the conflict:\n%s", r.Data)
	}

	// Neighbouring entries changed by each side: still one command line
	// each, not valkey-server with the user's flag value.
	local = replace(t, block, `"yes"`, `"no"`)
	next = replace(t, block, "  - redis-server\n  - --appendonly\n", "  - valkey-server\n  - --save\n")
	wantConflict(t, mergeYAML(t, block, local, next), "command")
}

// Lists of mappings without an identity: an entry both sides edited in
// place merges field by field.
func TestYAMLListOfMappings(t *testing.T) {
	base := "test:\n  rules:\n    - if: $CI_COMMIT_TAG\n      when: never\n    - when: always\n"
	local := replace(t, base, "when: never", "when: manual")
	next := replace(t, base, "if: $CI_COMMIT_TAG", "if: $CI_COMMIT_TAG =~ /^v/")
	wantClean(t, mergeYAML(t, base, local, next), replace(t, local, "if: $CI_COMMIT_TAG", "if: $CI_COMMIT_TAG =~ /^v/"))

	// An entry inserted right after one the other side edited: both, as
	// git merge-file does with these lines. Unlike scalars, mappings do
	// not depend on their neighbours.
	steps := "steps:\n  - run: make\n    shell: sh\n  - run: make test\n    shell: sh\n"
	local = replace(t, steps, "run: make\n", "run: make all\n")
	next = replace(t, steps, "  - run: make test\n", "  - run: make lint\n    shell: sh\n  - run: make test\n")
	wantClean(t, mergeYAML(t, steps, local, next), replace(t, next, "run: make\n", "run: make all\n"))
	// The same entry replaced differently is still a conflict.
	wantConflict(t, mergeYAML(t, steps, replace(t, steps, "  - run: make\n    shell: sh\n", "  - uses: build\n"),
		replace(t, steps, "  - run: make\n    shell: sh\n", "  - run: make\n  - run: make vet\n")), "steps[0]")
}

// Insertions into one list at different places merge, in order.
func TestYAMLOrderedListInsertions(t *testing.T) {
	base := readFile(t, "testdata/compose.yml")
	local := replace(t, base, "      - --config.file=/etc/prometheus/prometheus.yml\n",
		"      - --config.file=/etc/prometheus/prometheus.yml\n      - --web.enable-lifecycle\n")
	next := replace(t, base, "      - --storage.tsdb.retention.time=15d\n",
		"      - --storage.tsdb.retention.time=15d\n      - --storage.tsdb.retention.size=1GB\n")
	want := replace(t, local, "      - --storage.tsdb.retention.time=15d\n",
		"      - --storage.tsdb.retention.time=15d\n      - --storage.tsdb.retention.size=1GB\n")
	wantClean(t, mergeYAML(t, base, local, next), want)

	// At the same place they conflict: the order of flags is not ours to pick.
	next = replace(t, base, "      - --config.file=/etc/prometheus/prometheus.yml\n",
		"      - --config.file=/etc/prometheus/prometheus.yml\n      - --log.level=warn\n")
	wantConflict(t, mergeYAML(t, base, local, next), "services.prometheus.command[1]")
}

// A file both the template and the user added: different values are a
// conflict (a union of two CI jobs is nobody's CI job); the same value
// written differently is not.
func TestYAMLBothAdded(t *testing.T) {
	local := "test:\n  image: golang:1.26\n  script:\n    - make test\n"
	next := "test:\n  image: golang:1.26\n  script:\n    - go test ./...\n    - go vet ./...\n"
	r := mergeYAML(t, "", local, next)
	if r.Clean() || !HasMarkers(r.Data) {
		t.Fatalf("both added differently merged cleanly:\n%s", r.Data)
	}
	same := "test: {image: \"golang:1.26\", script: [make test]}\n"
	wantClean(t, mergeYAML(t, "", local, same), local)
}

// stripConflicts drops conflict blocks, leaving what the merge decided.
func stripConflicts(s string) string {
	var out []string
	in := false
	for _, l := range strings.SplitAfter(s, "\n") {
		switch strings.TrimRight(l, "\r\n") {
		case markerLocal:
			in = true
			continue
		case markerEnvgen:
			in = false
			continue
		}
		if !in {
			out = append(out, l)
		}
	}
	return strings.Join(out, "")
}
