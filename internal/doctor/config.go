package doctor

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/envgen/envgen/internal/goenv"
	"github.com/envgen/envgen/internal/project"
)

// Config is everything a doctor run looks at. Every way out of the process
// (environment, clock, network, subprocesses, files) is a field, so tests
// run without touching the real network or the real module cache.
type Config struct {
	// Dir is the project folder (-C); "" is the current folder.
	Dir string
	// Offline skips every network probe.
	Offline bool
	// Fix removes damaged module cache entries.
	Fix bool
	// Deep verifies the installed GOROOT file by file.
	Deep bool
	// Timeout bounds each check; the whole run ends in about Timeout.
	Timeout time.Duration
	// DeepTimeout bounds the --deep GOROOT verification, which hashes
	// every file (default 2 minutes, never less than Timeout).
	DeepTimeout time.Duration

	Getenv func(string) string
	// GOROOT overrides where the go command's root is ("" = find it as the
	// go command does).
	GOROOT string
	Now    func() time.Time
	Net    Network
	// Exec runs a program with extra environment variables and returns
	// its combined output.
	Exec     func(ctx context.Context, env []string, name string, args ...string) ([]byte, error)
	LookPath func(string) (string, error)
	// GOOS and GOARCH name the toolchain zip to look for in the cache.
	GOOS, GOARCH string

	// SyncCheck reports whether the project is in sync with its template
	// (what `envgen sync --check` says); nil means not available.
	SyncCheck SyncChecker
	// VerifyGOROOT is the full h1 verification of an installed GOROOT
	// (`envgen toolchain verify`), used by --deep; nil means not available.
	VerifyGOROOT func(ctx context.Context, goroot string) (GOROOTVerdict, error)
}

// GOROOTVerdict is what the --deep verification found.
type GOROOTVerdict struct {
	OK bool
	// Differs are the GOROOT-relative paths that differ from the release.
	Differs []string
	// Summary says how it differs, in one line.
	Summary string
}

// SyncChecker is the seam for `envgen sync --check`: it says in one line
// whether the project's files match what envgen would write.
type SyncChecker func(ctx context.Context, dir string) (SyncStatus, error)

// SyncStatus is the one-line outcome of a sync check.
type SyncStatus struct {
	InSync  bool
	Summary string // e.g. "2 files changed locally, 1 template update"
}

func (c *Config) defaults() {
	if c.Dir == "" {
		c.Dir = "."
	}
	if c.Timeout <= 0 {
		c.Timeout = 5 * time.Second
	}
	if c.DeepTimeout <= 0 {
		c.DeepTimeout = 2 * time.Minute
	}
	if c.Getenv == nil {
		c.Getenv = os.Getenv
	}
	if c.Net.Proxy == nil {
		c.Net.Proxy = ProxyFromEnv(c.Getenv)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Exec == nil {
		c.Exec = execCommand
	}
	if c.LookPath == nil {
		c.LookPath = exec.LookPath
	}
	if c.GOOS == "" {
		c.GOOS = runtime.GOOS
	}
	if c.GOARCH == "" {
		c.GOARCH = runtime.GOARCH
	}
}

func execCommand(ctx context.Context, env []string, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...) //nolint:gosec // G204: the checks run the go command found on PATH, with their own arguments
	cmd.Env = append(os.Environ(), env...)
	cmd.WaitDelay = time.Second
	return cmd.CombinedOutput() //nolint:wrapcheck // the default Config.Exec: callers say which command failed, with its output
}

// machine is what the checks share: read once, before they start.
type machine struct {
	cfg    Config
	env    *goenv.Env
	envErr error // a malformed GOPROXY or GOSUMDB
	projectState
	probes *prober

	goOnce sync.Once
	goInfo localGo
}

// projectState is the envgen project in Config.Dir, if any.
type projectState struct {
	lock    *project.Lock
	lockErr error
	// pin is the Go toolchain the project needs ("go1.26.11"): the lock's
	// pin, else go.mod's toolchain line, else "".
	pin string
	// goLine is go.mod's go line as a toolchain name ("go1.26.0"): the
	// oldest go that may build the project at all.
	goLine string
	// goSum is the project's go.sum ("" when absent).
	goSum string
}

// Checks returns the checks of a run, in the order they are reported.
func Checks(cfg Config) []Check {
	m := newMachine(cfg)
	return []Check{
		&goCheck{m},
		&gorootCheck{m},
		&proxyCheck{m},
		&sumdbCheck{m},
		&clockCheck{m},
		&modcacheCheck{m},
		&privateCheck{m},
		&dockerCheck{m},
		&projectCheck{m},
		&goSupportCheck{m},
	}
}

func newMachine(cfg Config) *machine {
	cfg.defaults()
	m := &machine{cfg: cfg, probes: newProber(cfg.Net, cfg.Now)}
	m.env, m.envErr = goenv.Load(cfg.Getenv, cfg.GOROOT)
	m.projectState = readProject(cfg.Dir)
	return m
}

// Run runs every check under cfg.Timeout and reports.
func Run(ctx context.Context, cfg Config) *Report {
	cfg.defaults()
	return Runner{Timeout: cfg.Timeout, Now: cfg.Now}.Run(ctx, Checks(cfg))
}

func readProject(dir string) projectState {
	var p projectState
	p.lock, p.lockErr = project.ReadLock(dir)
	if p.lock != nil {
		p.pin = p.lock.Toolchain.Version
	}
	if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil { //nolint:gosec // G304: the go.mod of the project being checked
		// Parse, not ParseLax: the lax parser skips the toolchain line.
		if f, err := modfile.Parse("go.mod", data, nil); err == nil {
			if f.Toolchain != nil && p.pin == "" {
				p.pin = f.Toolchain.Name
			}
			if f.Go != nil {
				p.goLine = "go" + f.Go.Version
			}
		}
	}
	if data, err := os.ReadFile(filepath.Join(dir, "go.sum")); err == nil { //nolint:gosec // G304: the go.sum of the project being checked
		p.goSum = string(data)
	}
	return p
}

// noLock reports whether the folder simply is not an envgen project.
func (p projectState) noLock() bool { return errors.Is(p.lockErr, project.ErrNoLock) }
