package doctor

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestGoCheck(t *testing.T) {
	tests := []struct {
		name           string
		pin            string // go.mod toolchain line; "" for none
		env            map[string]string
		goEnv          string // GOROOT/go.env; "" keeps the release one
		want           Status
		sawHas, fixHas string
		goLine         string // go.mod's go line; "" means 1.26
	}{
		{"no project", "", nil, "", StatusOK, "go1.26.11 (/fake/bin/go), GOTOOLCHAIN=auto (from $GOROOT/go.env)", "", ""},
		{"pin met", "go1.26.11", nil, "", StatusOK, "project pins go1.26.11", "", ""},
		{"switches", "go1.26.12", nil, "", StatusOK, "switches to the project's go1.26.12 on first use", "", ""},
		// local never switches: builds work with the local go while it is at
		// least the go line, only without the pinned toolchain
		{"local in env", "go1.26.12", map[string]string{"GOTOOLCHAIN": "local"}, "", StatusWarn, "GOTOOLCHAIN=local (from the environment) never switches: builds use go1.26.11, not the pinned toolchain", "unset GOTOOLCHAIN", ""},
		{"local in env, go line too new", "go1.27.1", map[string]string{"GOTOOLCHAIN": "local"}, "", StatusFail, "never switches: builds stop with 'go.mod requires go >= 1.27.0'", "unset GOTOOLCHAIN", "1.27.0"},
		{"local in go.env", "go1.26.12", nil, "GOTOOLCHAIN=local\n", StatusWarn, "(from $GOROOT/go.env) never switches", "go env -w GOTOOLCHAIN=auto", ""},
		{"local in go.env, go line too new", "go1.27.1", nil, "GOTOOLCHAIN=local\n", StatusFail, "(from $GOROOT/go.env) never switches: builds stop", "go env -w GOTOOLCHAIN=auto", "1.27.0"},
		{"path", "go1.26.12", map[string]string{"GOTOOLCHAIN": "path"}, "", StatusWarn, "only switches to toolchains found on PATH", "golang.org/dl/go1.26.12", ""},
		{"switch needs the proxy", "go1.26.12", map[string]string{"GOPROXY": "off"}, "", StatusFail, "GOPROXY=off forbids downloads", "export GOPROXY=https://proxy.golang.org,direct", ""},
		{"switch needs the sumdb", "go1.26.12", map[string]string{"GOSUMDB": "off"}, "", StatusFail, "refuses toolchain downloads", "export GOSUMDB=sum.golang.org", ""},
		{"forced other", "go1.26.11", map[string]string{"GOTOOLCHAIN": "go1.25.3"}, "", StatusWarn, "forces go1.25.3, the project pins go1.26.11", "unset GOTOOLCHAIN", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			for k, v := range tt.env {
				w.env[k] = v
			}
			if tt.goEnv != "" {
				writeFile(t, filepath.Join(w.cfg.GOROOT, "go.env"), tt.goEnv)
			}
			if tt.pin != "" {
				goLine := tt.goLine
				if goLine == "" {
					goLine = "1.26"
				}
				writeFile(t, filepath.Join(w.cfg.Dir, "go.mod"), "module example.com/svc\n\ngo "+goLine+"\n\ntoolchain "+tt.pin+"\n")
			}
			wantResult(t, w.run("go"), tt.want, tt.sawHas, tt.fixHas)
			// go version never switches (or downloads) while doctor looks.
			for _, e := range w.execs {
				if !strings.HasSuffix(e, " version") {
					t.Errorf("ran %q", e)
				}
			}
		})
	}
}

func TestGoMissing(t *testing.T) {
	w := newWorld(t)
	w.cfg.LookPath = func(string) (string, error) { return "", errors.New("not found") }
	wantResult(t, w.run("go"), StatusFail, "no go command on PATH", "https://go.dev/dl/")
}

func TestGoBroken(t *testing.T) {
	w := newWorld(t)
	w.cfg.Exec = func(context.Context, []string, string, ...string) ([]byte, error) {
		return []byte("cannot execute binary file"), errors.New("exit status 126")
	}
	wantResult(t, w.run("go"), StatusFail, "cannot execute binary file", "reinstall Go")
}

func TestGoRoot(t *testing.T) {
	tests := []struct {
		name           string
		version, goEnv string
		env            map[string]string
		deep           func(context.Context, string) (GOROOTVerdict, error)
		want           Status
		sawHas, fixHas string
	}{
		{"as released", fakeGoVersion + "\n", "", nil, nil, StatusOK, "go.env as released", ""},
		{"go.env local", fakeGoVersion + "\n", "GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=local\n", nil, nil,
			StatusWarn, "go.env sets GOTOOLCHAIN=local (a release sets auto): go silently never switches", "go env -w GOTOOLCHAIN=auto"},
		{"go.env local overridden", fakeGoVersion + "\n", "GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=local\n",
			map[string]string{"GOTOOLCHAIN": "auto"}, nil, StatusOK, "go.env changes overridden by your settings", ""},
		{"go.env proxy", fakeGoVersion + "\n", "GOPROXY=https://mirror.example\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=auto\n", nil, nil,
			StatusWarn, "GOPROXY=https://mirror.example (a release sets https://proxy.golang.org,direct)", "go env -w GOPROXY="},
		{"other version", "go1.25.1\n", "", nil, nil, StatusWarn, "is go1.25.1 but the go command on PATH is go1.26.11", "unset GOROOT"},
		{"no VERSION", "", "", nil, nil, StatusFail, "no readable VERSION", "reinstall Go"},
		{"deep ok", fakeGoVersion + "\n", "", nil, func(context.Context, string) (GOROOTVerdict, error) { return GOROOTVerdict{OK: true}, nil }, StatusOK, "go.env as released", ""},
		{"deep mismatch", fakeGoVersion + "\n", "", nil, func(context.Context, string) (GOROOTVerdict, error) {
			return GOROOTVerdict{Differs: []string{"src/net/http/server.go"}, Summary: "1 file(s) differ: src/net/http/server.go (modified)"}, nil
		}, StatusFail, "differs from the go1.26.11 release: 1 file(s) differ: src/net/http/server.go", "reinstall Go"},
		{"deep only go.env", fakeGoVersion + "\n", "GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=local\n", nil, func(context.Context, string) (GOROOTVerdict, error) {
			return GOROOTVerdict{Differs: []string{"go.env"}, Summary: "1 file(s) differ: go.env (modified)"}, nil
		}, StatusWarn, "go.env sets GOTOOLCHAIN=local", "go env -w GOTOOLCHAIN=auto"},
		{"deep unreachable", fakeGoVersion + "\n", "", nil, func(context.Context, string) (GOROOTVerdict, error) {
			return GOROOTVerdict{}, errors.New("checksum database: connection refused")
		},
			StatusWarn, "could not verify", "envgen toolchain verify --goroot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			for k, v := range tt.env {
				w.env[k] = v
			}
			if tt.version == "" {
				writeFile(t, filepath.Join(w.cfg.GOROOT, "VERSION"), "devel\n")
			} else {
				writeFile(t, filepath.Join(w.cfg.GOROOT, "VERSION"), tt.version)
			}
			if tt.goEnv != "" {
				writeFile(t, filepath.Join(w.cfg.GOROOT, "go.env"), tt.goEnv)
			}
			if tt.deep != nil {
				w.cfg.Deep, w.cfg.VerifyGOROOT = true, tt.deep
			}
			wantResult(t, w.run("goroot"), tt.want, tt.sawHas, tt.fixHas)
		})
	}
}

func TestGoRootDeepNotAvailable(t *testing.T) {
	w := newWorld(t)
	w.cfg.Deep = true
	r := w.run("goroot")
	wantResult(t, r, StatusOK, "", "")
	if !strings.Contains(strings.Join(r.Details, "\n"), "not available yet") {
		t.Errorf("details %q do not say --deep is not available", r.Details)
	}
}
