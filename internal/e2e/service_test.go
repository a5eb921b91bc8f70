package e2e

import (
	"github.com/envgen/envgen/internal/testtool"

	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"golang.org/x/mod/modfile"

	"github.com/envgen/envgen/internal/goversion"
)

// goEnv is the environment of the go command (and of golangci-lint, make)
// on the generated project in dir, with GOFLAGS=-mod=readonly: the set
// must be complete as rendered. See projectToolchain for GOTOOLCHAIN.
func goEnv(t testing.TB, dir string) []string {
	t.Helper()
	env, err := goEnvFor(dir)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// goEnvFor is goEnv for callers that must not end the test (shared checks).
func goEnvFor(dir string) ([]string, error) {
	tc, err := projectToolchain(dir)
	if err != nil {
		return nil, err
	}
	return append(os.Environ(), "GOTOOLCHAIN="+tc, "GOFLAGS=-mod=readonly"), nil
}

// projectToolchain is the GOTOOLCHAIN the tests build the project in dir
// with, chosen by its go.mod's go line: local when the machine's Go is that
// minor or newer (the toolchain line pins a release for developers and must
// not make the tests download one), else the release lifecycleReleases
// names for that minor (go1.27.4 on a machine with Go 1.26), which the go
// command downloads once through GOPROXY and checks against GOSUMDB. Both
// share the machine's module and build caches (GOMODCACHE, GOCACHE).
func projectToolchain(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("project toolchain: %w", err)
	}
	f, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil {
		return "", fmt.Errorf("project toolchain: %s/go.mod: %w", dir, err)
	}
	if f.Go == nil {
		return "", fmt.Errorf("%s/go.mod has no go line", dir)
	}
	local, err := goversion.Local()
	if err != nil {
		return "", err
	}
	if goversion.Compare("go"+f.Go.Version, local) <= 0 {
		return "local", nil
	}
	minor := goversionMinor(f.Go.Version)
	r, ok := lifecycleReleases[minor]
	if !ok {
		return "", fmt.Errorf("%s/go.mod says go %s, newer than the machine's %s, and lifecycleReleases names no release of Go %s to build it with", dir, f.Go.Version, local, minor)
	}
	return "go" + r, nil
}

// run runs a command in dir and fails the test with its output on error.
func run(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = goEnv(t, dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// renderWith renders like renderProject with extra init flags.
func renderWith(t *testing.T, profile string, extra ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), testName)
	args := append([]string{"init", dir, "--module", testModule, "--profile", profile, "--no-git"}, extra...)
	cmd := exec.CommandContext(t.Context(), envgen(t), args...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("envgen %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return dir
}

// TestGeneratedProjectBuildsVetsAndTests is the first promise of init: the
// project builds without `go mod tidy`, and its own tests (config layering,
// handlers) pass, with the race detector as its Makefile runs them. `go mod
// tidy -diff` proves go.mod and go.sum complete and exact: nothing missing,
// nothing extra, and no dependency that needs a newer go line than the one
// rendered. Every profile, on init's default Go (the newest supported
// minor, built with that release when it is newer than the machine's Go).
func TestGeneratedProjectBuildsVetsAndTests(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: needs the Go module proxy")
	}
	for _, profile := range profilesUnderTest {
		t.Run(profile, func(t *testing.T) {
			dir := renderProject(t, profile)
			if !strings.Contains(readFile(t, dir, "go.mod"), "\ntoolchain go"+goversion.Default+"\n") {
				t.Fatalf("init did not pin the default go%s:\n%s", goversion.Default, readFile(t, dir, "go.mod"))
			}
			run(t, dir, "go", "build", "./...")
			run(t, dir, "go", "vet", "./...")
			run(t, dir, "go", "test", "-race", "-count=1", "./...")
			run(t, dir, "go", "mod", "tidy", "-diff")
		})
	}
}

// TestGeneratedDatabaseAgainstPostgres runs the generated project's
// database tests against the PostgreSQL server of APP_TEST_DATABASE_URL
// (.ci/run starts one): a query past query_timeout must leave the pool's
// connection in place. The generated test skips without a server; this one
// makes sure it ran.
func TestGeneratedDatabaseAgainstPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: needs the Go module proxy and PostgreSQL")
	}
	if os.Getenv("APP_TEST_DATABASE_URL") == "" {
		testtool.Missing(t, "APP_TEST_DATABASE_URL is not set: start PostgreSQL and export its URL (see .ci/run)")
	}
	dir := renderProject(t, "production")
	out := run(t, dir, "go", "test", "-count=1", "-v", "-run", "TestTimedOutQueryKeepsThePool", "./internal/database/")
	if !strings.Contains(out, "--- PASS: TestTimedOutQueryKeepsThePool") {
		t.Fatalf("the database test did not run and pass:\n%s", out)
	}
}

// TestDependencySetPerGoMinor renders with every supported Go minor but
// the newest (TestGeneratedProjectBuildsVetsAndTests has it), at the
// release lifecycleReleases names: each has its own tested dependency set,
// and tidy finding nothing to change proves every dependency accepts that
// go line.
func TestDependencySetPerGoMinor(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: needs the Go module proxy")
	}
	for _, minor := range goversion.Supported[:len(goversion.Supported)-1] {
		release := releaseFor(t, minor)
		t.Run(release, func(t *testing.T) {
			dir := renderWith(t, "development", "--go", release)
			gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
			if err != nil {
				t.Fatal(err)
			}
			minor := release[:strings.LastIndex(release, ".")]
			if !bytes.Contains(gomod, []byte("\ngo "+minor+".0\n")) || !bytes.Contains(gomod, []byte("\ntoolchain go"+release+"\n")) {
				t.Fatalf("go.mod does not pin go %s.0 / toolchain go%s:\n%s", minor, release, gomod)
			}
			run(t, dir, "go", "mod", "tidy", "-diff")
			run(t, dir, "go", "vet", "./...")
			run(t, dir, "go", "test", "-race", "-count=1", "./...")
		})
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := new(net.ListenConfig).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String()
}

// service is a running generated binary. exited is closed once the
// process has exited, after err holds its exit status: any number of
// waiters can see the exit, and stderr is complete from then on.
type service struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	exited chan struct{}
	err    error
}

func startService(t *testing.T, bin, dir string, env ...string) *service {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin)
	cmd.Dir = dir
	// No databases: the service must start anyway and say so in /readyz.
	cmd.Env = append(os.Environ(),
		"APP_DATABASE_URL=postgres://app:app@127.0.0.1:1/app?sslmode=disable",
		"APP_REDIS_ADDR=127.0.0.1:1")
	cmd.Env = append(cmd.Env, env...)
	s := &service{cmd: cmd, stderr: &bytes.Buffer{}, exited: make(chan struct{})}
	cmd.Stderr = s.stderr
	cmd.WaitDelay = 5 * time.Second // Wait returns even if a child holds stderr open
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.err = cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(s.stop)
	return s
}

// stop kills the process (if it still runs) and waits for its exit.
func (s *service) stop() {
	_ = s.cmd.Process.Kill() // an error means it has exited already
	<-s.exited
}

// testClient talks to the generated service; every request also carries
// a context with a shorter deadline.
var testClient = &http.Client{Timeout: 10 * time.Second}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// waitHealthy polls /healthz until it answers, failing the test if the
// process exits first or healthTimeout passes (or the test's context ends).
// It always returns: every wait is bounded, and the exit is only observed
// (exited stays closed for other waiters and the cleanup).
func (s *service) waitHealthy(t *testing.T, base string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), healthTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
	if err != nil {
		t.Fatal(err)
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if answers(req) {
			return
		}
		select {
		case <-s.exited:
			t.Fatalf("service exited early: %v\n%s", s.err, s.stderr)
		case <-ctx.Done():
			s.stop() // so that stderr is complete and no longer written to
			t.Fatalf("service did not answer /healthz within %v: %v\n%s", healthTimeout, context.Cause(ctx), s.stderr)
		case <-tick.C:
		}
	}
}

// healthTimeout bounds waitHealthy.
const healthTimeout = 20 * time.Second

// answers reports whether req gets any response within a second (and
// before its context ends).
func answers(req *http.Request) bool {
	ctx, cancel := context.WithTimeout(req.Context(), time.Second)
	defer cancel()
	resp, err := testClient.Do(req.WithContext(ctx))
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return true
}

// TestGeneratedServiceRuns starts the generated binary as a user would and
// checks what the issue promises of it: health, readiness without its
// databases, metrics (including every metric the dashboard queries), pprof
// on the debug listener only, APP_* overrides, graceful shutdown, and a
// production start without TLS files refused with a clear message.
func TestGeneratedServiceRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: needs the Go module proxy")
	}
	dir := renderProject(t, "development")
	bin := filepath.Join(t.TempDir(), testName)
	// As make build and the Dockerfile stamp it.
	run(t, dir, "go", "build", "-ldflags", "-X main.version=9.9.9-e2e", "-o", bin, "./cmd/"+testName)

	t.Run("development", func(t *testing.T) {
		httpAddr, debugAddr := freeAddr(t), freeAddr(t)
		// APP_HTTP_ADDR overrides http.addr from config/default.yaml: the
		// service answering on this address proves the override.
		s := startService(t, bin, dir, "APP_ENV=development", "APP_HTTP_ADDR="+httpAddr, "APP_DEBUG_ADDR="+debugAddr)
		base, debugBase := "http://"+httpAddr, "http://"+debugAddr
		s.waitHealthy(t, base)

		if code, body := get(t, base+"/healthz"); code != http.StatusOK {
			t.Errorf("/healthz = %d %q, want 200", code, body)
		}
		code, body := get(t, base+"/readyz")
		if code != http.StatusServiceUnavailable {
			t.Errorf("/readyz = %d without databases, want 503: %s", code, body)
		}
		var ready map[string]any
		if err := json.Unmarshal([]byte(body), &ready); err != nil {
			t.Errorf("/readyz body is not JSON: %v: %s", err, body)
		}
		for _, dep := range []string{"database", "redis"} {
			if !strings.Contains(body, dep) {
				t.Errorf("/readyz does not report %s: %s", dep, body)
			}
		}

		code, metrics := get(t, base+"/metrics")
		if code != http.StatusOK {
			t.Fatalf("/metrics = %d", code)
		}
		parser := expfmt.NewTextParser(model.UTF8Validation)
		families, err := parser.TextToMetricFamilies(strings.NewReader(metrics))
		if err != nil {
			t.Fatalf("/metrics is not valid exposition format: %v", err)
		}
		exported := map[string]bool{}
		for name, mf := range families {
			exported[name] = true
			switch mf.GetType().String() {
			case "HISTOGRAM":
				exported[name+"_bucket"], exported[name+"_sum"], exported[name+"_count"] = true, true, true
			case "SUMMARY":
				exported[name+"_sum"], exported[name+"_count"] = true, true
			}
		}
		if !strings.Contains(metrics, `version="9.9.9-e2e"`) || !exported["build_info"] {
			t.Error("/metrics has no build_info with the stamped version 9.9.9-e2e")
		}
		for _, want := range []string{"http_requests_total", "http_request_duration_seconds_bucket", "go_goroutines"} {
			if !exported[want] {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		dashboards, _ := filepath.Glob(filepath.Join(dir, "deploy", "grafana", "dashboards", "*.json"))
		if len(dashboards) == 0 {
			t.Fatal("no dashboard rendered")
		}
		for _, d := range dashboards {
			for _, m := range dashboardMetrics(t, d) {
				if !exported[m] {
					t.Errorf("dashboard %s queries %s, which the service does not export", filepath.Base(d), m)
				}
			}
		}

		if code, _ := get(t, debugBase+"/debug/pprof/"); code != http.StatusOK {
			t.Errorf("pprof index on the debug listener = %d, want 200", code)
		}
		if code, _ := get(t, debugBase+"/debug/pprof/heap?debug=1"); code != http.StatusOK {
			t.Errorf("heap profile on the debug listener = %d, want 200", code)
		}
		if code, _ := get(t, base+"/debug/pprof/"); code == http.StatusOK {
			t.Error("pprof is served on the API listener; it must stay on the debug listener")
		}

		if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case <-s.exited:
			if s.err != nil {
				t.Errorf("exit after SIGTERM: %v, want a clean exit\n%s", s.err, s.stderr)
			}
		case <-time.After(20 * time.Second):
			t.Error("no exit within 20s of SIGTERM")
		}
	})

	t.Run("production without TLS files", func(t *testing.T) {
		s := startService(t, bin, dir, "APP_ENV=production", "APP_HTTP_ADDR="+freeAddr(t))
		select {
		case <-s.exited:
			if s.err == nil {
				t.Fatal("production started without TLS files")
			}
			msg := s.stderr.String()
			if !strings.Contains(msg, "tls") || strings.Count(strings.TrimSpace(msg), "\n") > 5 {
				t.Errorf("message does not explain the missing TLS files clearly:\n%s", msg)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("production without TLS files kept running")
		}
	})

	t.Run("drain and a second signal", func(t *testing.T) {
		addr := freeAddr(t)
		s := startService(t, bin, dir, "APP_ENV=development", "APP_HTTP_ADDR="+addr,
			"APP_DEBUG_ENABLED=false", "APP_HTTP_DRAIN_PERIOD=30s")
		base := "http://" + addr
		s.waitHealthy(t, base)
		if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		// /readyz turns 503 "draining" at once, and the listener still accepts.
		deadline := time.Now().Add(2 * time.Second)
		for {
			code, body := get(t, base+"/readyz")
			if code == http.StatusServiceUnavailable && strings.Contains(body, "draining") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("/readyz = %d %q 2s after SIGTERM, want 503 draining", code, body)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if code, _ := get(t, base+"/healthz"); code != http.StatusOK {
			t.Errorf("/healthz while draining = %d, want 200", code)
		}
		// The second signal ends the process at once, drain period or not.
		if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case <-s.exited:
		case <-time.After(3 * time.Second):
			t.Fatal("still running 3s after a second SIGTERM")
		}
	})

	t.Run("staging with a mistyped variable", func(t *testing.T) {
		s := startService(t, bin, dir, "APP_ENV=staging", "APP_HTTP_ADDR="+freeAddr(t), "APP_HTTP_ADRR=:1")
		select {
		case <-s.exited:
			if s.err == nil {
				t.Fatal("staging started with an unknown APP_* variable")
			}
			if !strings.Contains(s.stderr.String(), "APP_HTTP_ADRR (did you mean APP_HTTP_ADDR?)") {
				t.Errorf("message does not name the typo:\n%s", s.stderr)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("staging kept running with an unknown APP_* variable")
		}
	})

	t.Run("invalid config", func(t *testing.T) {
		s := startService(t, bin, dir, "APP_ENV=development", "APP_HTTP_READ_TIMEOUT=soon")
		select {
		case <-s.exited:
			if s.err == nil {
				t.Fatal("started with an invalid duration")
			}
			if !strings.Contains(s.stderr.String(), "read_timeout") {
				t.Errorf("message does not name the bad key:\n%s", s.stderr)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("kept running with an invalid config")
		}
	})
}
