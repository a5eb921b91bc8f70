package merge

import (
	"bytes"
	"strings"
	"testing"
)

const readme = `# orders

orders is a Go service rendered by envgen. It serves an HTTP API,
keeps its state in postgres and caches in redis. Metrics go to
prometheus and the dashboards live in grafana.

## Install

Run the stack with docker compose:

    make up

Then open http://127.0.0.1:8080/healthz to check it is up.

## Configuration

The service reads config/default.yaml, then the file of its
environment, then APP_* variables.
Secrets come from .env and
are never committed.

## Development

    make test
    make lint

The tests need docker for the database tests.
`

const makefile = "GO ?= go\nGOFLAGS ?= -trimpath\nBIN := bin/orders\n\n.PHONY: build test lint up down\n\nbuild:\n\t$(GO) build $(GOFLAGS) -o $(BIN) ./cmd/orders\n\ntest:\n\t$(GO) test ./...\n\nlint:\n\tgolangci-lint run\n\nup:\n\tdocker compose up -d --wait\n\ndown:\n\tdocker compose down\n"

const dockerfile = `# syntax=docker/dockerfile:1
FROM golang:1.24-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/orders ./cmd/orders

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/orders /orders
USER nonroot
ENTRYPOINT ["/orders"]
`

const shellScript = `#!/bin/sh
set -eu

# Renders the alertmanager config from the template and the secrets.
dir=$(dirname "$0")
out=/etc/alertmanager/alertmanager.yml

if [ ! -f "$dir/secrets/smtp_auth_password" ]; then
  echo "missing smtp password" >&2
  exit 1
fi

sed -e "s/@SMTP@/$(cat "$dir/secrets/smtp_auth_password")/" \
  "$dir/alertmanager.yml" > "$out"

exec /bin/alertmanager --config.file="$out"
`

const goFile = `package server

import (
	"net/http"
	"time"
)

// Server is the HTTP server of the service.
type Server struct {
	http *http.Server
}

// New returns a server listening on addr.
func New(addr string, h http.Handler) *Server {
	return &Server{http: &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
	}}
}

// Start serves until Shutdown.
func (s *Server) Start() error {
	return s.http.ListenAndServe()
}

// Shutdown stops the server.
func (s *Server) Shutdown() error {
	return s.http.Close()
}
`

// replace replaces the first old in s by new; the test fails if old is not there.
func replace(t *testing.T, s string, pairs ...string) string {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("replace: %q not found", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

type corpusCase struct {
	name              string
	base, local, next string
	clean             bool // what git merge-file (and so Text) does
}

func corpus(t *testing.T) []corpusCase {
	split := "environment, then APP_* variables.\n\nEvery key has a default.\nUnknown keys are an error.\n"
	return []corpusCase{
		{"readme: edits in different sections", readme,
			replace(t, readme, "# orders\n", "# orders (payments team)\n"),
			replace(t, readme, "    make up\n", "    make up WAIT=1\n"), true},
		{"readme: same line edited differently", readme,
			replace(t, readme, "    make up\n", "    make start\n"),
			replace(t, readme, "    make up\n", "    make up WAIT=1\n"), false},
		{"readme: template splits a paragraph, user edits its last line", readme,
			replace(t, readme, "are never committed.\n", "are never committed (see SECURITY.md).\n"),
			replace(t, readme, "environment, then APP_* variables.\n", split), true},
		{"readme: template inserts right before the line the user edits", readme,
			replace(t, readme, "are never committed.\n", "are never committed (see SECURITY.md).\n"),
			replace(t, readme, "are never committed.\n", "\nand\nare never committed.\n"), false},
		{"readme: both append a section", readme,
			readme + "\n## Team\n\npayments@example.com\n",
			readme + "\n## License\n\nMIT\n", false},
		{"readme: the same edit on both sides", readme,
			replace(t, readme, "make lint\n", "make lint vet\n"),
			replace(t, readme, "make lint\n", "make lint vet\n"), true},
		{"readme: user removes a section, template edits another", readme,
			replace(t, readme, "## Development\n\n    make test\n    make lint\n\nThe tests need docker for the database tests.\n", ""),
			replace(t, readme, "Then open http://127.0.0.1:8080/healthz", "Then open http://localhost:8080/healthz"), true},
		{"readme: user removes a section the template edits", readme,
			replace(t, readme, "## Development\n\n    make test\n    make lint\n\nThe tests need docker for the database tests.\n", ""),
			replace(t, readme, "The tests need docker", "The tests need docker or podman"), false},
		{"readme: both insert the same paragraph", readme,
			replace(t, readme, "## Development\n", "## Development\n\nUse Go 1.26.\n"),
			replace(t, readme, "## Development\n", "## Development\n\nUse Go 1.26.\n"), true},
		{"readme: insertions two lines apart", readme,
			replace(t, readme, "    make test\n", "    make generate\n    make test\n"),
			replace(t, readme, "The tests need docker", "Note: the tests need docker"), true},
		{"makefile: user adds a target, template changes a variable", makefile,
			makefile + "\nbench:\n\t$(GO) test -bench=. ./...\n",
			replace(t, makefile, "GOFLAGS ?= -trimpath\n", "GOFLAGS ?= -trimpath -buildvcs=false\n"), true},
		{"makefile: adjacent recipe lines", makefile,
			replace(t, makefile, "up:\n\tdocker compose up -d --wait\n", "up:\n\tdocker compose up -d --wait --build\n"),
			replace(t, makefile, "down:\n", "down: ## stop the stack\n"), true},
		{"makefile: edits of neighbouring lines conflict", makefile,
			replace(t, makefile, "\tdocker compose up -d --wait\n", "\tdocker compose up -d\n"),
			replace(t, makefile, "up:\n", "up: build\n"), false},
		{"makefile: both extend .PHONY differently", makefile,
			replace(t, makefile, ".PHONY: build test lint up down\n", ".PHONY: build test lint up down bench\n"),
			replace(t, makefile, ".PHONY: build test lint up down\n", ".PHONY: build test lint up down logs\n"), false},
		{"makefile: template adds a target between two, user edits the one before", makefile,
			replace(t, makefile, "\tgolangci-lint run\n", "\tgolangci-lint run --fix\n"),
			replace(t, makefile, "up:\n", "vet:\n\t$(GO) vet ./...\n\nup:\n"), true},
		{"dockerfile: base image bump and a user's extra step", dockerfile,
			replace(t, dockerfile, "WORKDIR /src\n", "WORKDIR /src\nRUN apt-get update && apt-get install -y git\n"),
			replace(t, dockerfile, "FROM golang:1.24-bookworm", "FROM golang:1.26-bookworm"), true},
		{"dockerfile: both bump the image differently", dockerfile,
			replace(t, dockerfile, "FROM golang:1.24-bookworm", "FROM golang:1.25-bookworm"),
			replace(t, dockerfile, "FROM golang:1.24-bookworm", "FROM golang:1.26-bookworm"), false},
		{"dockerfile: the same bump and a local edit elsewhere", dockerfile,
			replace(t, dockerfile, "FROM golang:1.24-bookworm", "FROM golang:1.26-bookworm", "USER nonroot\n", "USER 65532\n"),
			replace(t, dockerfile, "FROM golang:1.24-bookworm", "FROM golang:1.26-bookworm"), true},
		{"shell: set -x after the shebang, template edits the exec line", shellScript,
			replace(t, shellScript, "set -eu\n", "set -eux\n"),
			replace(t, shellScript, "exec /bin/alertmanager", "exec /bin/alertmanager --log.level=warn"), true},
		{"shell: template removes a block, user edits the line before", shellScript,
			replace(t, shellScript, "out=/etc/alertmanager/alertmanager.yml\n", "out=/tmp/alertmanager.yml\n"),
			replace(t, shellScript, "if [ ! -f \"$dir/secrets/smtp_auth_password\" ]; then\n  echo \"missing smtp password\" >&2\n  exit 1\nfi\n\n", ""), true},
		{"go: both add a different import at the same place", goFile,
			replace(t, goFile, "\t\"net/http\"\n", "\t\"log/slog\"\n\t\"net/http\"\n"),
			replace(t, goFile, "\t\"net/http\"\n", "\t\"context\"\n\t\"net/http\"\n"), false},
		{"go: template adds a function, user edits a body", goFile,
			replace(t, goFile, "\treturn s.http.ListenAndServe()\n", "\tslogStart()\n\treturn s.http.ListenAndServe()\n"),
			goFile + "\n// Addr is where the server listens.\nfunc (s *Server) Addr() string {\n\treturn s.http.Addr\n}\n", true},
		{"go: new function between two, user's line at the end of the one before", goFile,
			replace(t, goFile, "\treturn s.http.ListenAndServe()\n}\n", "\terr := s.http.ListenAndServe()\n\treturn err\n}\n"),
			replace(t, goFile, "// Shutdown stops the server.\n", "// Addr is where the server listens.\nfunc (s *Server) Addr() string {\n\treturn s.http.Addr\n}\n\n// Shutdown stops the server.\n"), true},
		{"go: both append different functions", goFile,
			goFile + "\nfunc a() {}\n",
			goFile + "\nfunc b() {}\n", false},
		{"trailing newline removed locally, template edits the top", dockerfile,
			strings.TrimSuffix(dockerfile, "\n"),
			replace(t, dockerfile, "# syntax=docker/dockerfile:1\n", "# syntax=docker/dockerfile:1.7\n"), true},
		{"trailing newline removed locally, template appends", dockerfile,
			strings.TrimSuffix(dockerfile, "\n"),
			dockerfile + "HEALTHCHECK NONE\n", false},
		{"crlf: edits far apart", crlf(dockerfile),
			crlf(replace(t, dockerfile, "WORKDIR /src\n", "WORKDIR /app\n")),
			crlf(replace(t, dockerfile, "USER nonroot\n", "USER 65532\n")), true},
		{"crlf: the same line edited differently", crlf(dockerfile),
			crlf(replace(t, dockerfile, "WORKDIR /src\n", "WORKDIR /app\n")),
			crlf(replace(t, dockerfile, "WORKDIR /src\n", "WORKDIR /build\n")), false},
		{"crlf: user converted the file, template edits it", dockerfile,
			crlf(dockerfile),
			replace(t, dockerfile, "USER nonroot\n", "USER 65532\n"), false},
		{"both added, different", "", readme, makefile, false},
		{"both added, the same", "", readme, readme, true},
		{"added by the template only", "", "", readme, true},
		{"user emptied the file, template edits it", readme, "", replace(t, readme, "# orders\n", "# Orders\n"), false},
		{"both insert a block that differs in one line", makefile,
			replace(t, makefile, "up:\n", "fmt:\n\tgofmt -l .\n\tgo vet ./...\n\nup:\n"),
			replace(t, makefile, "up:\n", "fmt:\n\tgofmt -l -s .\n\tgo vet ./...\n\nup:\n"), false},
		{"gitignore: both append", "/bin/\n.env\n", "/bin/\n.env\n*.out\n", "/bin/\n.env\ncoverage.txt\n", false},
		{"blank lines: template adds one, user edits the next line", readme,
			replace(t, readme, "## Install\n", "## Installing\n"),
			replace(t, readme, "prometheus and the dashboards live in grafana.\n", "prometheus and the dashboards live in grafana.\n\n"), false},
	}
}

// TestTextCorpusAgainstGit runs Text and git merge-file on realistic
// edits: whenever git merges cleanly, Text must merge cleanly to the same
// bytes; when git conflicts, Text may conflict, and may only be clean if
// every conflict git wrote has the same text on both sides (the zealous
// refinement takes it once).
func TestTextCorpusAgainstGit(t *testing.T) {
	cases := corpus(t)
	if len(cases) < 25 {
		t.Fatalf("only %d corpus cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, l, n := []byte(c.base), []byte(c.local), []byte(c.next)
			want, gitClean := gitMergeFile(t, b, l, n)
			got := Text(b, l, n)
			if gitClean != c.clean {
				t.Errorf("git merge-file clean = %v, the case expects %v", gitClean, c.clean)
			}
			switch {
			case gitClean && (!got.Clean() || !bytes.Equal(got.Data, want)):
				t.Errorf("git merged cleanly, Text: clean %v\n%s\nwant:\n%s", got.Clean(), got.Data, want)
			case !gitClean && got.Clean():
				if resolved, ok := sameSidesResolved(want); !ok || !bytes.Equal(got.Data, resolved) {
					t.Errorf("git conflicts, Text claims clean:\n%s\ngit:\n%s", got.Data, want)
				}
			case !gitClean && !HasMarkers(got.Data):
				t.Errorf("conflicts without markers:\n%s", got.Data)
			}
		})
	}
}

// sameSidesResolved resolves git's diff3 output when each conflict has
// the same local and envgen text; ok is false if one does not.
func sameSidesResolved(out []byte) ([]byte, bool) {
	var res, local, next []string
	state := 0 // 0 outside, 1 local, 2 base, 3 next
	for _, l := range splitLines(out) {
		switch strings.TrimRight(l, "\r\n") {
		case markerLocal:
			state, local, next = 1, nil, nil
			continue
		case markerBase:
			state = 2
			continue
		case markerSep:
			if state == 2 {
				state = 3
				continue
			}
		case markerEnvgen:
			if strings.Join(local, "") != strings.Join(next, "") {
				return nil, false
			}
			res = append(res, local...)
			state = 0
			continue
		}
		switch state {
		case 0:
			res = append(res, l)
		case 1:
			local = append(local, l)
		case 3:
			next = append(next, l)
		}
	}
	return joinLines(res), true
}
