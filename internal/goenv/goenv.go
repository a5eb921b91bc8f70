// Package goenv reads the go command's environment the way the go command
// reads it: the process environment first, then the user's go env file
// (written by `go env -w`), then $GOROOT/go.env, then the go command's
// documented defaults. It runs no subprocess, so it also works when the go
// command is missing or broken, which is when envgen doctor needs it most.
package goenv

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"golang.org/x/mod/module"
)

// Env is the part of the go command's environment that decides where
// modules and toolchains come from and how they are checked.
type Env struct {
	Proxy    []ProxyEntry // parsed GOPROXY
	ProxyRaw string
	SumDB    SumDB // parsed GOSUMDB
	SumDBRaw string

	// Comma-separated glob lists, as module.MatchPrefixPatterns reads them.
	NoSumDB, Private, NoProxy, Insecure string // GONOSUMDB, GOPRIVATE, GONOPROXY, GOINSECURE

	ModCache, Flags, Toolchain, GOROOT string // GOMODCACHE, GOFLAGS, GOTOOLCHAIN, GOROOT

	// GOPATH is the first GOPATH entry; SumDBDir ($GOPATH/pkg/sumdb) is
	// where the go command keeps each checksum database's latest signed
	// tree head, which envgen shares so both see the same tree.
	GOPATH, SumDBDir string

	// EnvFile is the user's go env file consulted ("" with GOENV=off).
	EnvFile string
	// Source tells, per variable, where its value came from: "env",
	// "user" (the go env file), "goroot" (GOROOT/go.env) or "default".
	Source map[string]string
}

// The go command's defaults when neither the environment nor a go env
// file sets a variable. GOROOT/go.env normally sets the first two; the go
// command's documentation gives all three as the defaults.
const (
	DefaultProxy     = "https://proxy.golang.org,direct"
	DefaultSumDB     = "sum.golang.org"
	DefaultToolchain = "auto"
)

// Load reads the go command's environment. getenv is usually os.Getenv;
// goRoot overrides where GOROOT/go.env is read from ("" finds GOROOT as
// the go command would: $GOROOT, the go env file, or the go binary on PATH).
// Malformed GOPROXY or GOSUMDB values are returned as errors, with the
// rest of Env filled in.
func Load(getenv func(string) string, goRoot string) (*Env, error) {
	r := &reader{getenv: getenv, user: map[string]string{}, goroot: map[string]string{}}
	r.envFile = envFile(getenv)
	if r.envFile != "" {
		r.user = readEnvFile(r.envFile)
	}
	e := &Env{EnvFile: r.envFile, Source: map[string]string{}}
	if goRoot == "" {
		goRoot, _ = r.lookup("GOROOT", e)
	}
	if goRoot == "" {
		goRoot = findGOROOT()
	}
	e.GOROOT = goRoot
	if goRoot != "" {
		r.goroot = readEnvFile(filepath.Join(goRoot, "go.env"))
	}

	e.ProxyRaw = r.get("GOPROXY", DefaultProxy, e)
	e.SumDBRaw = r.get("GOSUMDB", DefaultSumDB, e)
	e.Private = r.get("GOPRIVATE", "", e)
	// GONOPROXY and GONOSUMDB default to GOPRIVATE, as in the go command.
	e.NoProxy = r.get("GONOPROXY", e.Private, e)
	e.NoSumDB = r.get("GONOSUMDB", e.Private, e)
	e.Insecure = r.get("GOINSECURE", "", e)
	e.Flags = r.get("GOFLAGS", "", e)
	e.Toolchain = r.get("GOTOOLCHAIN", DefaultToolchain, e)
	e.GOPATH = firstGOPATH(r, e)
	if e.GOPATH != "" {
		e.SumDBDir = filepath.Join(e.GOPATH, "pkg", "sumdb")
	}
	def := ""
	if e.GOPATH != "" {
		def = filepath.Join(e.GOPATH, "pkg", "mod")
	}
	e.ModCache = r.get("GOMODCACHE", def, e)

	var firstErr error
	var err error
	if e.Proxy, err = ParseProxy(e.ProxyRaw); err != nil {
		firstErr = err
	}
	if e.SumDB, err = ParseSumDB(e.SumDBRaw); err != nil && firstErr == nil {
		firstErr = err
	}
	return e, firstErr
}

// NoSumDBFor reports whether the go command skips the checksum database
// for modulePath (GONOSUMDB, which defaults to GOPRIVATE). It says nothing
// about toolchains: the go command checks golang.org/toolchain whatever
// GONOSUMDB says, and so does envgen.
func (e *Env) NoSumDBFor(modulePath string) bool {
	return module.MatchPrefixPatterns(e.NoSumDB, modulePath)
}

// NoProxyFor reports whether GONOPROXY (default GOPRIVATE) sends
// modulePath straight to its origin instead of through GOPROXY.
func (e *Env) NoProxyFor(modulePath string) bool {
	return module.MatchPrefixPatterns(e.NoProxy, modulePath)
}

// InsecureFor reports whether GOINSECURE allows plain HTTP for modulePath
// when fetched directly. It never exempts checksum checks.
func (e *Env) InsecureFor(modulePath string) bool {
	return module.MatchPrefixPatterns(e.Insecure, modulePath)
}

type reader struct {
	getenv       func(string) string
	envFile      string
	user, goroot map[string]string
}

// lookup follows cmd/go/internal/cfg.Getenv: a non-empty environment
// variable wins, then the user's file, then GOROOT/go.env.
func (r *reader) lookup(key string, e *Env) (string, bool) {
	if v := r.getenv(key); v != "" {
		e.Source[key] = "env"
		return v, true
	}
	if v, ok := r.user[key]; ok {
		e.Source[key] = "user"
		return v, true
	}
	if v, ok := r.goroot[key]; ok {
		e.Source[key] = "goroot"
		return v, true
	}
	return "", false
}

func (r *reader) get(key, def string, e *Env) string {
	if v, ok := r.lookup(key, e); ok && v != "" {
		return v
	}
	e.Source[key] = "default"
	return def
}

// envFile is cmd/go's EnvFile: $GOENV, "" for GOENV=off, else
// os.UserConfigDir()/go/env computed from getenv.
func envFile(getenv func(string) string) string {
	switch f := getenv("GOENV"); f {
	case "off":
		return ""
	case "":
	default:
		return f
	}
	dir := userConfigDir(getenv)
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "go", "env")
}

// userConfigDir is os.UserConfigDir over getenv.
func userConfigDir(getenv func(string) string) string {
	switch runtime.GOOS {
	case "windows":
		return getenv("AppData")
	case "darwin", "ios":
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, "Library", "Application Support")
		}
		return ""
	case "plan9":
		if h := getenv("home"); h != "" {
			return filepath.Join(h, "lib")
		}
		return ""
	}
	if d := getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return d
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".config")
	}
	return ""
}

// readEnvFile parses a go env file exactly as cmd/go does: KEY=VALUE per
// line, no quoting, lines not starting with A-Z ignored.
func readEnvFile(name string) map[string]string {
	m := map[string]string{}
	data, err := os.ReadFile(name) //nolint:gosec // G304: the go env file, found as cmd/go finds it (GOENV or the user's config folder)
	if err != nil {
		return m
	}
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		i := bytes.IndexByte(line, '=')
		if i < 0 || line[0] < 'A' || 'Z' < line[0] {
			continue
		}
		m[string(line[:i])] = string(line[i+1:])
	}
	return m
}

// firstGOPATH is the first GOPATH entry, GOPATH defaulting to ~/go.
func firstGOPATH(r *reader, e *Env) string {
	gopath, _ := r.lookup("GOPATH", e)
	if gopath == "" {
		home := r.getenv("HOME")
		if runtime.GOOS == "windows" {
			home = r.getenv("USERPROFILE")
		}
		if home == "" {
			return ""
		}
		gopath = filepath.Join(home, "go")
	}
	list := filepath.SplitList(gopath)
	if len(list) == 0 || list[0] == "" {
		return ""
	}
	return list[0]
}

// findGOROOT finds the go binary on PATH and returns its GOROOT; no
// subprocess.
func findGOROOT() string {
	p, err := exec.LookPath("go")
	if err != nil {
		return ""
	}
	if q, err := filepath.EvalSymlinks(p); err == nil {
		p = q
	}
	root := filepath.Dir(filepath.Dir(p))
	if _, err := os.Stat(filepath.Join(root, "src", "runtime")); err != nil {
		if _, err := os.Stat(filepath.Join(root, "go.env")); err != nil {
			return ""
		}
	}
	return root
}
