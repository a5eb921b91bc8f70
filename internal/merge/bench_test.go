package merge

import (
	"fmt"
	"strings"
	"testing"
)

// bigCompose is the production compose file with a few more services:
// about 300 lines of comments, blank lines, anchors and lists.
func bigCompose(t testing.TB) string {
	base := readFile(t, "testdata/compose-production.yml")
	var extra strings.Builder
	for i := range 4 {
		fmt.Fprintf(&extra, `
  # Worker %[1]d: drains the outbox.
  worker-%[1]d:
    image: orders:local
    restart: "always"
    command: ["/orders", "worker", "--queue=outbox-%[1]d"]
    environment:
      APP_ENV: production
      APP_WORKER_ID: "%[1]d"
    depends_on:
      postgres:
        condition: service_healthy
    healthcheck:
      test: ["CMD", "/healthcheck", "-url", "http://127.0.0.1:8080/healthz"]
      interval: 10s
      timeout: 5s
      retries: 5
    logging: *logging
`, i)
	}
	at := strings.Index(base, "\nvolumes:\n")
	return base[:at] + extra.String() + base[at:]
}

func BenchmarkYAMLCompose(b *testing.B) {
	base := bigCompose(b)
	local := strings.Replace(base, "    command: [\"/orders\", \"worker\", \"--queue=outbox-1\"]\n",
		"    command: [\"/orders\", \"worker\", \"--queue=outbox-1\"]\n    # more memory for the big queue\n    mem_limit: 1g\n", 1)
	next := strings.Replace(base, "image: postgres:17.5-bookworm", "image: postgres:17.6-bookworm", 1)
	next = strings.Replace(next, "      APP_WORKER_ID: \"2\"\n", "      APP_WORKER_ID: \"2\"\n      APP_WORKER_BATCH: \"100\"\n", 1)
	b.Logf("%d lines", strings.Count(base, "\n"))
	for b.Loop() {
		r, err := YAML([]byte(base), []byte(local), []byte(next))
		if err != nil || !r.Clean() {
			b.Fatalf("%v %v", err, r.Conflicts)
		}
	}
}

func BenchmarkYAMLComposeConflict(b *testing.B) {
	base := bigCompose(b)
	local := strings.Replace(base, "image: postgres:17.5-bookworm", "image: postgres:18.0-bookworm", 1)
	next := strings.Replace(base, "image: postgres:17.5-bookworm", "image: postgres:17.6-bookworm", 1)
	for b.Loop() {
		if r, err := YAML([]byte(base), []byte(local), []byte(next)); err != nil || r.Clean() {
			b.Fatalf("%v %v", err, r.Conflicts)
		}
	}
}

func BenchmarkText(b *testing.B) {
	base := bigCompose(b)
	local := strings.ReplaceAll(base, "mem", "MEM")
	next := strings.Replace(base, "image: postgres:17.5-bookworm", "image: postgres:17.6-bookworm", 1)
	for b.Loop() {
		Text([]byte(base), []byte(local), []byte(next))
	}
}
