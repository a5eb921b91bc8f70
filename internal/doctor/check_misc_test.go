package doctor

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envgen/envgen/internal/goversion"
)

func TestPrivate(t *testing.T) {
	tests := []struct {
		name           string
		env            map[string]string
		want           Status
		sawHas, fixHas string
	}{
		{"none", nil, StatusOK, "no private modules configured", ""},
		{"GOPRIVATE only", map[string]string{"GOPRIVATE": "git.corp.example/*"}, StatusOK, "consistent", ""},
		{"everything", map[string]string{"GOPRIVATE": "*"}, StatusWarn, "makes every module private", "go env -w GOPRIVATE=git.example.com"},
		{"noproxy without nosumdb", map[string]string{"GONOPROXY": "git.corp.example"}, StatusWarn, "GONOPROXY covers git.corp.example but GONOSUMDB does not", "go env -w GOPRIVATE=git.corp.example"},
		{"nosumdb without noproxy", map[string]string{"GONOSUMDB": "git.corp.example/*"}, StatusWarn, "GONOSUMDB covers git.corp.example/* but GONOPROXY does not", "GOPRIVATE=git.corp.example/*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			for k, v := range tt.env {
				w.env[k] = v
			}
			wantResult(t, w.run("private"), tt.want, tt.sawHas, tt.fixHas)
		})
	}
}

func TestDocker(t *testing.T) {
	tests := []struct {
		name           string
		installed      bool
		server, comp   string
		want           Status
		sawHas, fixHas string
	}{
		{"not installed", false, "", "", StatusWarn, "no docker command", "install Docker Engine"},
		{"engine down", true, "", "", StatusWarn, "engine does not answer: Cannot connect", "systemctl start docker"},
		{"no compose", true, "27.3.1", "", StatusWarn, "no compose v2 plugin", "docker-compose-plugin"},
		{"fine", true, "27.3.1", "2.30.0", StatusOK, "Docker engine 27.3.1, compose 2.30.0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.cfg.LookPath = func(name string) (string, error) {
				if name == "docker" && tt.installed {
					return "/fake/bin/docker", nil
				}
				return "", errors.New("not found")
			}
			w.cfg.Exec = func(_ context.Context, _ []string, name string, args ...string) ([]byte, error) {
				switch strings.Join(args, " ") {
				case "version --format {{.Server.Version}}":
					if tt.server == "" {
						return []byte("Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\n"), errors.New("exit status 1")
					}
					return []byte(tt.server + "\n"), nil
				case "compose version --short":
					if tt.comp == "" {
						return []byte("docker: 'compose' is not a docker command.\n"), errors.New("exit status 1")
					}
					return []byte(tt.comp + "\n"), nil
				}
				return nil, errors.New("unexpected")
			}
			wantResult(t, w.run("docker"), tt.want, tt.sawHas, tt.fixHas)
		})
	}
}

const validLock = `{
  "schema": 1,
  "envgen": "v1.0.0",
  "template": {"name": "service", "version": "1.0.0", "kind": "embedded"},
  "profile": "development",
  "inputs": {"module": "example.com/svc", "name": "svc", "go": "1.26.11"},
  "toolchain": {"version": "go1.26.11"},
  "files": [{"path": "Makefile", "mode": "managed", "hash": "sha256:0000000000000000000000000000000000000000000000000000000000000000"}]
}
`

func TestProject(t *testing.T) {
	t.Run("not a project", func(t *testing.T) {
		w := newWorld(t)
		wantResult(t, w.run("project"), StatusSkip, "not an envgen project", "")
	})
	t.Run("invalid lock", func(t *testing.T) {
		w := newWorld(t)
		writeFile(t, filepath.Join(w.cfg.Dir, "envgen.lock"), `{"schema": 1, "surprise": true}`)
		wantResult(t, w.run("project"), StatusFail, "envgen.lock", "git restore envgen.lock")
	})
	t.Run("valid, sync not wired", func(t *testing.T) {
		w := newWorld(t)
		writeFile(t, filepath.Join(w.cfg.Dir, "envgen.lock"), validLock)
		r := w.run("project")
		wantResult(t, r, StatusOK, "envgen.lock valid: template service 1.0.0, profile development, Go go1.26.11, 1 files", "")
		if !strings.Contains(strings.Join(r.Details, "\n"), "sync --check: not available yet") {
			t.Errorf("details %q", r.Details)
		}
	})
	t.Run("drift", func(t *testing.T) {
		w := newWorld(t)
		writeFile(t, filepath.Join(w.cfg.Dir, "envgen.lock"), validLock)
		var gotDir string
		w.cfg.SyncCheck = func(_ context.Context, dir string) (SyncStatus, error) {
			gotDir = dir
			return SyncStatus{Summary: "1 file changed locally: Makefile"}, nil
		}
		wantResult(t, w.run("project"), StatusWarn, "sync --check: 1 file changed locally: Makefile", "envgen sync")
		if gotDir != w.cfg.Dir {
			t.Errorf("sync check ran in %q, want %q", gotDir, w.cfg.Dir)
		}
	})
	t.Run("in sync", func(t *testing.T) {
		w := newWorld(t)
		writeFile(t, filepath.Join(w.cfg.Dir, "envgen.lock"), validLock)
		w.cfg.SyncCheck = func(context.Context, string) (SyncStatus, error) { return SyncStatus{InSync: true}, nil }
		wantResult(t, w.run("project"), StatusOK, "sync --check: in sync", "")
	})
}

// The lock's pin is the project's pin, ahead of go.mod.
func TestLockPin(t *testing.T) {
	w := newWorld(t)
	writeFile(t, filepath.Join(w.cfg.Dir, "envgen.lock"), strings.Replace(validLock, `"version": "go1.26.11"`, `"version": "go1.26.12"`, 1))
	w.env["GOTOOLCHAIN"] = "local"
	wantResult(t, w.run("go"), StatusFail, "the project pins go1.26.12", "unset GOTOOLCHAIN")
}

// The pin against Go's release policy, offline: an old minor and an old
// patch are warnings with the exact fix; the default pin is fine.
func TestGoSupport(t *testing.T) {
	newest := goversion.Supported[len(goversion.Supported)-1]
	oldest := goversion.Supported[0]
	for _, tc := range []struct {
		name, lock, gomod string
		want              Status
		sawHas, fixHas    string
	}{
		{"no pin", "", "", StatusSkip, "no pinned Go release", ""},
		{"default", goversion.Default, "", StatusOK, "Go " + newest + " is supported upstream", ""},
		{"old minor", oldest + ".1", "", StatusWarn, "Go " + oldest + " is out of upstream support", "envgen sync -C DIR --go " + goversion.Default},
		{"old patch", newest + ".0", "", StatusWarn, "go" + newest + ".0 is not the newest patch of Go " + newest, "envgen sync -C DIR --go " + goversion.Default},
		{"plain module", "", "module m\n\ngo " + oldest + ".0\n", StatusWarn, "out of upstream support", "envgen toolchain pin -C DIR " + goversion.Default},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			if tc.lock != "" {
				lock := strings.ReplaceAll(validLock, "1.26.11", tc.lock)
				writeFile(t, filepath.Join(w.cfg.Dir, "envgen.lock"), lock)
			}
			if tc.gomod != "" {
				writeFile(t, filepath.Join(w.cfg.Dir, "go.mod"), tc.gomod)
			}
			r := w.run("gosupport")
			wantResult(t, r, tc.want, tc.sawHas, strings.ReplaceAll(tc.fixHas, "DIR", w.cfg.Dir))
		})
	}
}
