package e2e

// Validation of the operational half of a rendered project: docker compose
// stack, Dockerfile, Makefile, Prometheus rules and their unit tests,
// Alertmanager, Grafana. Each check runs the real upstream tool or library:
// compose-go (docker compose's own loader), promtool, amtool, the Grafana
// Foundation SDK's strict decoder, the PromQL parser and GNU make.

import (
	"fmt"

	"github.com/envgen/envgen/internal/testtool"

	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	units "github.com/docker/go-units"
	"github.com/grafana/grafana-foundation-sdk/go/cog/plugins"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	grafanaprom "github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/prometheus/prometheus/promql/parser"
	"gopkg.in/yaml.v3"

	"github.com/envgen/envgen/profiles"
)

const (
	promtoolHint = "install it with `apt-get install prometheus` (promtool 2.42+)"
	amtoolHint   = "install it with `apt-get install prometheus-alertmanager` (amtool 0.25+)"
	makeHint     = "install GNU make 4.3+"
)

// TestDeploy renders each built-in profile once and validates every
// operational file of the result.
func TestDeploy(t *testing.T) {
	set, err := profiles.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range profilesUnderTest {
		t.Run(name, func(t *testing.T) {
			p, err := set.Get(name)
			if err != nil {
				t.Fatal(err)
			}
			dir := renderProject(t, name)
			vars := profileVars(t, p)
			t.Run("compose", func(t *testing.T) { checkCompose(t, dir, p.Settings, vars) })
			t.Run("dockerfile", func(t *testing.T) { checkDockerfile(t, dir) })
			t.Run("makefile", func(t *testing.T) { checkMakefile(t, dir, p.Settings) })
			t.Run("prometheus", func(t *testing.T) { checkPrometheus(t, dir, p.Settings) })
			t.Run("alertmanager", func(t *testing.T) { checkAlertmanager(t, dir, p.Settings) })
			t.Run("grafana", func(t *testing.T) { checkGrafana(t, dir) })
			t.Run("gitignore", func(t *testing.T) { checkGitignore(t, dir) })
			t.Run("readme", func(t *testing.T) { checkReadme(t, dir, p.Settings) })
		})
	}
}

// profileVars are the profile's variable defaults (what init used: no --set).
func profileVars(t *testing.T, p *profiles.Profile) map[string]any {
	t.Helper()
	vars := map[string]any{}
	for name, v := range p.Variables {
		val, err := v.Normalize(v.Default)
		if err != nil {
			t.Fatalf("variable %s: %v", name, err)
		}
		vars[name] = val
	}
	return vars
}

// ---------------------------------------------------------------- compose

// loadCompose loads docker-compose.yml the way `docker compose` does: the
// project's .env (if any) and nothing from the test's own environment.
func loadCompose(t *testing.T, dir string, withDotEnv bool) (*types.Project, error) {
	t.Helper()
	opts := []cli.ProjectOptionsFn{
		cli.WithWorkingDirectory(dir),
		cli.WithName(testName),
	}
	if withDotEnv {
		opts = append(opts, cli.WithEnvFiles(), cli.WithDotEnv)
	}
	po, err := cli.NewProjectOptions([]string{filepath.Join(dir, "docker-compose.yml")}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	proj, err := po.LoadProject(ctx)
	if err != nil {
		return nil, fmt.Errorf("load docker-compose.yml: %w", err)
	}
	return proj, nil
}

// portVar is the port variable name of a render, typed as compose-go
// types ports.
func portVar(t *testing.T, vars map[string]any, name string) uint32 {
	t.Helper()
	if n, ok := vars[name].(int); ok && n >= 1 && n <= 65535 {
		return uint32(n)
	}
	t.Fatalf("%s = %v (%T); want a port number", name, vars[name], vars[name])
	return 0
}

func checkCompose(t *testing.T, dir string, s profiles.Settings, vars map[string]any) {
	proj, err := loadCompose(t, dir, true)
	if err != nil {
		t.Fatalf("compose-go rejects docker-compose.yml: %v", err)
	}
	httpPort := portVar(t, vars, "http_port")
	debugPort := portVar(t, vars, "debug_port")

	want := []string{"app", "grafana", "postgres", "prometheus", "redis", "toxiproxy"}
	if s.Alertmanager.Enabled {
		want = append(want, "alertmanager")
	}
	sort.Strings(want)
	if got := proj.ServiceNames(); !slices.Equal(got, want) {
		t.Errorf("services started by `docker compose up`: got %v, want %v", got, want)
	}

	raw := readFile(t, dir, "docker-compose.yml")
	for name, svc := range proj.Services {
		// Health checks and healthy dependencies everywhere.
		if svc.HealthCheck == nil || len(svc.HealthCheck.Test) == 0 || svc.HealthCheck.Disable {
			t.Errorf("service %s has no health check", name)
		}
		for dep, cond := range svc.DependsOn {
			if cond.Condition != types.ServiceConditionHealthy {
				t.Errorf("%s depends on %s with condition %q, want %q", name, dep, cond.Condition, types.ServiceConditionHealthy)
			}
		}
		// Exact image versions.
		if svc.Build == nil {
			checkPinnedImage(t, name, svc.Image)
		}
		if svc.Restart != s.Compose.Restart {
			t.Errorf("%s: restart %q, want the profile's %q", name, svc.Restart, s.Compose.Restart)
		}
		// Ports: loopback only, except the app's own port outside development.
		for _, port := range svc.Ports {
			public := name == "app" && port.Target == httpPort && !s.Compose.PublishDebugPorts
			if !public && port.HostIP != "127.0.0.1" {
				t.Errorf("%s publishes %d on %q, want 127.0.0.1 only", name, port.Target, port.HostIP)
			}
		}
		// Named volumes for data, and bind mounts of files that exist.
		for _, v := range svc.Volumes {
			switch v.Type {
			case types.VolumeTypeVolume:
				if _, ok := proj.Volumes[v.Source]; !ok {
					t.Errorf("%s mounts undeclared volume %q", name, v.Source)
				}
			case types.VolumeTypeBind:
				rel, err := filepath.Rel(dir, v.Source)
				if err != nil || strings.HasPrefix(rel, "..") {
					t.Errorf("%s bind-mounts %s from outside the project", name, v.Source)
					continue
				}
				if strings.HasPrefix(rel, "deploy/tls/") {
					continue // made by `make tls-cert` or the operator
				}
				if _, err := os.Stat(v.Source); err != nil {
					t.Errorf("%s bind-mounts %s, which the project does not have", name, rel)
				}
				if !v.ReadOnly {
					t.Errorf("%s bind-mounts %s read-write", name, rel)
				}
			}
		}
	}
	for _, name := range []string{"cpu-burn", "debug"} {
		if _, ok := proj.DisabledServices[name]; !ok {
			t.Errorf("helper service %s missing or not behind a compose profile", name)
		}
	}
	for _, svc := range proj.DisabledServices {
		checkPinnedImage(t, svc.Name, svc.Image)
	}

	app := proj.Services["app"]
	env := func(k string) string {
		if v := app.Environment[k]; v != nil {
			return *v
		}
		return ""
	}
	if got := env("APP_ENV"); got != s.AppEnv {
		t.Errorf("app APP_ENV = %q, want %q", got, s.AppEnv)
	}
	// SIGTERM drains (http.drain_period 5s) then waits for in-flight
	// requests (http.shutdown_timeout 15s): docker must not SIGKILL sooner.
	if app.StopGracePeriod == nil || time.Duration(*app.StopGracePeriod) < 20*time.Second {
		t.Errorf("app stop_grace_period %v, want at least drain_period + shutdown_timeout (20s)", app.StopGracePeriod)
	}
	if app.Build == nil || app.Build.Dockerfile != "Dockerfile" {
		t.Errorf("app is not built from the project's Dockerfile: %+v", app.Build)
	}
	if _, ok := proj.Volumes["postgres-data"]; !ok {
		t.Error("no named volume for postgres data")
	}

	// The app reaches Postgres through toxiproxy, which forwards to postgres.
	dbURL, err := url.Parse(env("APP_DATABASE_URL"))
	if err != nil {
		t.Fatalf("APP_DATABASE_URL: %v", err)
	}
	var proxies []struct {
		Name     string `json:"name"`
		Listen   string `json:"listen"`
		Upstream string `json:"upstream"`
	}
	if err := json.Unmarshal([]byte(readFile(t, dir, "deploy/toxiproxy/toxiproxy.json")), &proxies); err != nil {
		t.Fatalf("toxiproxy.json: %v", err)
	}
	routed := false
	for _, px := range proxies {
		_, listenPort, _ := strings.Cut(px.Listen, ":")
		if dbURL.Hostname() == "toxiproxy" && dbURL.Port() == listenPort && px.Upstream == "postgres:5432" {
			routed = true
		}
	}
	if !routed {
		t.Errorf("APP_DATABASE_URL host %s does not go through a toxiproxy proxy to postgres:5432 (%+v)", dbURL.Host, proxies)
	}
	if got := env("APP_REDIS_ADDR"); got != "redis:6379" {
		t.Errorf("APP_REDIS_ADDR = %q", got)
	}
	pgPassword := ""
	if v := proj.Services["postgres"].Environment["POSTGRES_PASSWORD"]; v != nil {
		pgPassword = *v
	}
	if pw, _ := dbURL.User.Password(); pw != pgPassword || pw == "" {
		t.Errorf("the app's database password %q is not postgres's %q", pw, pgPassword)
	}

	// pprof: on 0.0.0.0 in the container, published on loopback, only in profiles that enable it.
	debugPublished := false
	for _, port := range app.Ports {
		if port.Target == debugPort {
			debugPublished = true
		}
	}
	if s.Pprof.Enabled {
		if env("APP_DEBUG_ENABLED") != "true" || env("APP_DEBUG_ADDR") != "0.0.0.0:"+itoa(debugPort) {
			t.Errorf("pprof profile: APP_DEBUG_ENABLED=%q APP_DEBUG_ADDR=%q", env("APP_DEBUG_ENABLED"), env("APP_DEBUG_ADDR"))
		}
	} else if env("APP_DEBUG_ENABLED") == "true" {
		t.Error("pprof enabled in a profile without pprof")
	}
	if debugPublished != (s.Pprof.Enabled && s.Compose.PublishDebugPorts) {
		t.Errorf("debug port published = %v, want %v", debugPublished, s.Pprof.Enabled && s.Compose.PublishDebugPorts)
	}
	for _, svc := range []string{"postgres", "redis"} {
		if published := len(proj.Services[svc].Ports) > 0; published != s.Compose.PublishDebugPorts {
			t.Errorf("%s ports published = %v, want %v", svc, published, s.Compose.PublishDebugPorts)
		}
	}

	// Resource limits.
	limits := (*types.Resource)(nil)
	if app.Deploy != nil {
		limits = app.Deploy.Resources.Limits
	}
	if rl := s.Compose.ResourceLimits; rl.CPUs != "" || rl.Memory != "" {
		if limits == nil {
			t.Fatal("profile sets resource limits, app has none")
		}
		if rl.CPUs != "" {
			want, err := strconv.ParseFloat(rl.CPUs, 32)
			if err != nil || float32(limits.NanoCPUs) != float32(want) {
				t.Errorf("app cpus limit %v, want %s", limits.NanoCPUs, rl.CPUs)
			}
		}
		if rl.Memory != "" {
			want, err := units.RAMInBytes(rl.Memory)
			if err != nil || int64(limits.MemoryBytes) != want {
				t.Errorf("app memory limit %d, want %s", limits.MemoryBytes, rl.Memory)
			}
		}
	} else if limits != nil {
		t.Errorf("profile without limits, app has %+v", limits)
	}

	// GOMEMLIMIT below the memory limit, so the GC tightens before the OOM killer.
	if limits != nil && limits.MemoryBytes > 0 {
		gomem, err := units.RAMInBytes(env("GOMEMLIMIT"))
		if err != nil || gomem <= 0 || gomem >= int64(limits.MemoryBytes) {
			t.Errorf("app GOMEMLIMIT %q is not below the memory limit %d (%v)", env("GOMEMLIMIT"), limits.MemoryBytes, err)
		}
	}

	// Production: a read-only root with an explicit tmpfs, no capabilities,
	// no privilege gain.
	if s.AppEnv == "production" {
		if !app.ReadOnly {
			t.Error("production app: read_only is not true")
		}
		if len(app.Tmpfs) == 0 {
			t.Error("production app: read_only without an explicit tmpfs")
		}
		if !slices.Contains(app.CapDrop, "ALL") {
			t.Errorf("production app: cap_drop %v, want ALL", app.CapDrop)
		}
		if !slices.Contains(app.SecurityOpt, "no-new-privileges:true") {
			t.Errorf("production app: security_opt %v, want no-new-privileges:true", app.SecurityOpt)
		}
	}

	// TLS: certificate and key mounted where APP_TLS_* point.
	if s.Compose.TLS {
		for _, k := range []string{"APP_TLS_CERT_FILE", "APP_TLS_KEY_FILE"} {
			target := env(k)
			mounted := false
			for _, v := range app.Volumes {
				if v.Type == types.VolumeTypeBind && v.Target == target && target != "" {
					mounted = true
				}
			}
			if !mounted {
				t.Errorf("%s=%q is not a mounted file", k, target)
			}
		}
	} else if env("APP_TLS_CERT_FILE") != "" {
		t.Error("TLS configured in a profile without TLS")
	}

	// The database connection: production refuses anything short of
	// verify-full, so a TLS profile's stack must serve PostgreSQL over TLS
	// and verify it with a mounted CA.
	if s.Compose.TLS {
		q := dbURL.Query()
		if q.Get("sslmode") != "verify-full" {
			t.Errorf("APP_DATABASE_URL sslmode %q, want verify-full", q.Get("sslmode"))
		}
		mounted := func(svc types.ServiceConfig, target string) bool {
			for _, v := range svc.Volumes {
				if v.Type == types.VolumeTypeBind && v.Target == target && v.ReadOnly {
					return true
				}
			}
			return false
		}
		if root := q.Get("sslrootcert"); root == "" || !mounted(app, root) {
			t.Errorf("APP_DATABASE_URL sslrootcert %q is not a file mounted into app", root)
		}
		pg := proj.Services["postgres"]
		cmd := strings.Join(pg.Command, " ")
		if !strings.Contains(cmd, "ssl=on") {
			t.Errorf("postgres command %q does not turn ssl on", cmd)
		}
		for _, f := range []string{"cert.pem", "key.pem"} {
			if !mounted(pg, "/etc/postgresql/tls/"+f) {
				t.Errorf("postgres does not mount deploy/tls/%s read-only", f)
			}
		}
	} else if pg := proj.Services["postgres"]; slices.Contains(pg.Command, "ssl=on") {
		t.Error("postgres TLS in a profile without TLS")
	}

	// Secrets: from .env, never defaults.
	if s.Compose.EnvFileSecrets {
		if m := regexp.MustCompile(`\$\{[A-Z_]*PASSWORD:-`).FindString(raw); m != "" {
			t.Errorf("docker-compose.yml has a default password: %s", m)
		}
		dotenv := parseDotEnv(t, readFile(t, dir, ".env"))
		for _, k := range []string{"POSTGRES_PASSWORD", "REDIS_PASSWORD", "GRAFANA_ADMIN_PASSWORD"} {
			if dotenv[k] == "" {
				t.Errorf(".env has no %s", k)
			}
		}
		if pgPassword != dotenv["POSTGRES_PASSWORD"] {
			t.Errorf("postgres password %q is not .env's", pgPassword)
		}
		if _, err := loadCompose(t, dir, false); err == nil || !strings.Contains(err.Error(), "PASSWORD") {
			t.Errorf("without .env the stack must not load (no default passwords); got err = %v", err)
		}
	} else if _, err := os.Stat(filepath.Join(dir, ".env")); err == nil {
		t.Error(".env written in a profile without env-file secrets")
	}
}

func checkPinnedImage(t *testing.T, service, image string) {
	t.Helper()
	_, tag, ok := strings.Cut(lastSegment(image), ":")
	if !ok || tag == "" || strings.Contains(tag, "latest") || !regexp.MustCompile(`\d+\.\d+`).MatchString(tag) {
		t.Errorf("%s: image %q is not pinned to an exact version", service, image)
	}
}

func lastSegment(image string) string { return image[strings.LastIndex(image, "/")+1:] }

func parseDotEnv(t *testing.T, text string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Errorf(".env: malformed line %q", line)
			continue
		}
		m[k] = v
	}
	return m
}

// ---------------------------------------------------------------- Dockerfile

func checkDockerfile(t *testing.T, dir string) {
	df := readFile(t, dir, "Dockerfile")
	// The binary stamps its version, as make build does.
	if !regexp.MustCompile(`(?m)^ARG VERSION=`).MatchString(df) || !strings.Contains(df, "-X main.version=${VERSION}") {
		t.Error("Dockerfile does not stamp the version (ARG VERSION, -ldflags -X main.version=${VERSION})")
	}
	if mk := readFile(t, dir, "Makefile"); !strings.Contains(mk, "-X main.version=$(VERSION)") {
		t.Error("make build does not stamp the version (-ldflags -X main.version=$(VERSION))")
	}
	gomod := readFile(t, dir, "go.mod")
	m := regexp.MustCompile(`(?m)^toolchain go(\S+)$`).FindStringSubmatch(gomod)
	if m == nil {
		m = regexp.MustCompile(`(?m)^go (\S+)$`).FindStringSubmatch(gomod)
	}
	if m == nil {
		t.Fatal("go.mod has neither toolchain nor go line")
	}
	goVersion := m[1]
	froms := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(df, -1)
	if len(froms) < 2 {
		t.Fatalf("Dockerfile is not multi-stage: %v", froms)
	}
	if got, want := froms[0][1], "golang:"+goVersion+"-bookworm"; got != want {
		t.Errorf("builder image %s, want %s (go.mod's toolchain)", got, want)
	}
	runtime := froms[len(froms)-1][1]
	if !strings.HasPrefix(runtime, "gcr.io/distroless/static") || !strings.HasSuffix(runtime, ":nonroot") {
		t.Errorf("runtime image %s is not distroless static nonroot", runtime)
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "--mount=type=cache,target=/go/pkg/mod", "USER nonroot", "COPY config/"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	// What it copies exists in the project.
	for _, p := range []string{"config/default.yaml", "tools/healthcheck/main.go"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("Dockerfile needs %s: %v", p, err)
		}
	}
}

// ---------------------------------------------------------------- Makefile

func checkMakefile(t *testing.T, dir string, s profiles.Settings) {
	makeBin := requireTool(t, "make", makeHint)
	if out, err := exec.CommandContext(t.Context(), makeBin, "--version").Output(); err != nil || !bytes.HasPrefix(out, []byte("GNU Make")) {
		testtool.Missing(t, "make is not GNU make: %s", out)
	}
	mk := readFile(t, dir, "Makefile")
	targets := regexp.MustCompile(`(?m)^([a-zA-Z0-9_-]+):`).FindAllStringSubmatch(mk, -1)
	var names []string
	for _, m := range targets {
		names = append(names, m[1])
	}
	want := []string{"help", "dev", "down", "run", "build", "test", "lint", "shell", "logs", "toolchain",
		"chaos-latency", "chaos-db-down", "chaos-cpu"}
	if s.Pprof.Enabled {
		want = append(want, "pprof-cpu", "pprof-heap")
	}
	for _, w := range want {
		if !slices.Contains(names, w) {
			t.Errorf("Makefile has no %s target", w)
		}
	}
	if !s.Pprof.Enabled && (slices.Contains(names, "pprof-cpu") || slices.Contains(names, "pprof-heap")) {
		t.Error("pprof targets in a profile without pprof")
	}

	run := func(args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, makeBin, append([]string{"--no-print-directory"}, args...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	help, err := run()
	if err != nil {
		t.Fatalf("make (default goal): %v\n%s", err, help)
	}
	if h2, _ := run("help"); h2 != help {
		t.Error("help is not the default goal")
	}
	phony := phonyTargets(t, run)
	for _, name := range names {
		if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(name) + `\s+\S`).MatchString(help) {
			t.Errorf("make help does not list %s:\n%s", name, help)
		}
		if !slices.Contains(phony, name) {
			t.Errorf("%s is not .PHONY", name)
		}
		if out, err := run("-n", name); err != nil {
			t.Errorf("make -n %s: %v\n%s", name, err, out)
		}
	}
	// The experiments say what to watch.
	for _, name := range []string{"chaos-latency", "chaos-db-down", "chaos-cpu"} {
		i := strings.Index(help, "  "+name+" ")
		if i < 0 {
			continue
		}
		rest := help[i+len(name)+2:]
		next := strings.Index(rest[1:], "\n  chaos")
		if next < 0 {
			next = len(rest) - 1
		}
		if !strings.Contains(rest[:next+1], "watch:") {
			t.Errorf("make help gives no \"watch:\" line for %s", name)
		}
	}
	// The experiments are real commands against the compose stack.
	for name, wants := range map[string][]string{
		"chaos-latency": {"docker compose exec -T toxiproxy /toxiproxy-cli toxic add --type latency", "toxic remove"},
		"chaos-db-down": {"docker compose stop postgres", "docker compose start postgres", "/readyz"},
		"chaos-cpu":     {"docker compose --profile chaos run --rm", "cpu-burn"},
		"dev":           {"docker compose up --build -d"},
		"toolchain":     {"GOTOOLCHAIN=go"},
	} {
		out, _ := run("-n", name)
		for _, w := range wants {
			if !strings.Contains(out, w) {
				t.Errorf("make -n %s does not run %q:\n%s", name, w, out)
			}
		}
	}
}

func phonyTargets(t *testing.T, run func(...string) (string, error)) []string {
	t.Helper()
	db, _ := run("-pRrq", "-f", "Makefile", "__no_such_target__")
	for _, line := range strings.Split(db, "\n") {
		if rest, ok := strings.CutPrefix(line, ".PHONY:"); ok {
			return strings.Fields(rest)
		}
	}
	t.Fatal("make -p shows no .PHONY")
	return nil
}

// ---------------------------------------------------------------- Prometheus

func checkPrometheus(t *testing.T, dir string, s profiles.Settings) {
	cfgPath := filepath.Join(dir, filepath.FromSlash("deploy/prometheus/prometheus.yml"))
	var cfg struct {
		RuleFiles []string `yaml:"rule_files"`
		Alerting  *struct {
			Alertmanagers []any `yaml:"alertmanagers"`
		} `yaml:"alerting"`
		ScrapeConfigs []struct {
			JobName string `yaml:"job_name"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, dir, "deploy/prometheus/prometheus.yml")), &cfg); err != nil {
		t.Fatal(err)
	}
	var jobs []string
	for _, sc := range cfg.ScrapeConfigs {
		jobs = append(jobs, sc.JobName)
	}
	if !slices.Contains(jobs, testName) || !slices.Contains(jobs, "prometheus") {
		t.Errorf("scrape jobs %v, want %s and prometheus", jobs, testName)
	}
	if (cfg.Alerting != nil && len(cfg.Alerting.Alertmanagers) > 0) != s.Alertmanager.Enabled {
		t.Errorf("alertmanager wiring present = %v, want %v", cfg.Alerting != nil, s.Alertmanager.Enabled)
	}
	// The rule glob takes the rules and not the promtool unit tests.
	var matched []string
	for _, g := range cfg.RuleFiles {
		m, err := filepath.Glob(filepath.Join(filepath.Dir(cfgPath), g))
		if err != nil {
			t.Fatal(err)
		}
		matched = append(matched, m...)
	}
	if !slices.Contains(matched, filepath.Join(dir, filepath.FromSlash("deploy/prometheus/rules/alerts.yml"))) {
		t.Errorf("rule_files %v do not load rules/alerts.yml", cfg.RuleFiles)
	}
	for _, m := range matched {
		if strings.Contains(m, "/tests/") || strings.HasSuffix(m, "_test.yml") {
			t.Errorf("rule_files %v load the unit test file %s", cfg.RuleFiles, m)
		}
	}

	// The alerts the contract asks for, with severity and annotations.
	var rules struct {
		Groups []struct {
			Rules []struct {
				Alert       string            `yaml:"alert"`
				Expr        string            `yaml:"expr"`
				For         string            `yaml:"for"`
				Labels      map[string]string `yaml:"labels"`
				Annotations map[string]string `yaml:"annotations"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, dir, "deploy/prometheus/rules/alerts.yml")), &rules); err != nil {
		t.Fatal(err)
	}
	exprs := map[string]string{}
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			exprs[r.Alert] = r.Expr
			if r.For == "" || r.Labels["severity"] == "" || r.Annotations["summary"] == "" || r.Annotations["description"] == "" {
				t.Errorf("alert %s lacks for, severity, summary or description", r.Alert)
			}
		}
	}
	for alert, metric := range map[string]string{
		"HighErrorRate":   "http_requests_total",
		"GoroutineGrowth": "go_goroutines",
		"GCPauseHigh":     "go_gc_duration_seconds_sum",
		"InstanceDown":    "up",
	} {
		expr, ok := exprs[alert]
		if !ok {
			t.Errorf("no %s alert", alert)
			continue
		}
		if !slices.Contains(exprMetrics(t, expr), metric) {
			t.Errorf("%s does not query %s: %s", alert, metric, expr)
		}
	}

	promtool := requireTool(t, "promtool", promtoolHint)
	runTool(t, dir, promtool, "check", "config", "deploy/prometheus/prometheus.yml")
	runTool(t, dir, promtool, "check", "rules", "deploy/prometheus/rules/alerts.yml")
	out := runTool(t, dir, promtool, "test", "rules", "deploy/prometheus/tests/alerts_test.yml")
	if !strings.Contains(out, "SUCCESS") {
		t.Errorf("promtool test rules did not report SUCCESS:\n%s", out)
	}
	// Every alert has a unit test.
	tests := readFile(t, dir, "deploy/prometheus/tests/alerts_test.yml")
	for alert := range exprs {
		if !strings.Contains(tests, "alertname: "+alert+"\n") {
			t.Errorf("alert %s has no promtool unit test", alert)
		}
	}
}

// ---------------------------------------------------------------- Alertmanager

func checkAlertmanager(t *testing.T, dir string, s profiles.Settings) {
	cfg := filepath.Join(dir, filepath.FromSlash("deploy/alertmanager/alertmanager.yml"))
	if !s.Alertmanager.Enabled {
		if _, err := os.Stat(cfg); err == nil {
			t.Error("alertmanager.yml rendered in a profile without Alertmanager")
		}
		return
	}
	text := readFile(t, dir, "deploy/alertmanager/alertmanager.yml")
	for _, want := range []string{"email_configs", "wechat_configs", "smtp_auth_password_file", "corp_id", "agent_id", "to_party"} {
		if !strings.Contains(text, want) {
			t.Errorf("alertmanager.yml lacks %s", want)
		}
	}
	secretsDir := filepath.Join(dir, filepath.FromSlash("deploy/alertmanager/secrets"))
	for _, f := range []string{"smtp_auth_password", "wecom_api_secret"} {
		if _, err := os.Stat(filepath.Join(secretsDir, f)); err != nil {
			t.Errorf("placeholder secret missing: %v", err)
		}
	}
	amtool := requireTool(t, "amtool", amtoolHint)
	runTool(t, dir, amtool, "check-config", "deploy/alertmanager/alertmanager.yml")

	// run.sh (the container's entrypoint) fills in the WeCom secret; run it
	// here with amtool in place of alertmanager.
	tmp := t.TempDir()
	secret := "s3cr3t-From_File"
	if err := os.WriteFile(filepath.Join(tmp, "wecom_api_secret"), []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "alertmanager.yml")
	cmd := exec.CommandContext(t.Context(), "sh", filepath.Join(dir, "deploy", "alertmanager", "run.sh"), amtool, "check-config", out)
	cmd.Env = append(os.Environ(), "AM_CONFIG_IN="+cfg, "AM_CONFIG_OUT="+out, "AM_SECRETS_DIR="+tmp)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("run.sh + amtool check-config: %v\n%s", err, b)
	}
	filled := readFile(t, tmp, "alertmanager.yml")
	if !strings.Contains(filled, "api_secret: "+secret+"\n") || strings.Contains(filled, "__WECOM_API_SECRET__") {
		t.Errorf("run.sh did not put the secret in place:\n%s", filled)
	}
	// A secret that could break the YAML is refused.
	if err := os.WriteFile(filepath.Join(tmp, "wecom_api_secret"), []byte("a: b"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd = exec.CommandContext(t.Context(), "sh", filepath.Join(dir, "deploy", "alertmanager", "run.sh"), "true")
	cmd.Env = append(os.Environ(), "AM_CONFIG_IN="+cfg, "AM_CONFIG_OUT="+out, "AM_SECRETS_DIR="+tmp)
	if err := cmd.Run(); err == nil {
		t.Error("run.sh accepted a secret with YAML syntax in it")
	}
}

// ---------------------------------------------------------------- Grafana

func checkGrafana(t *testing.T, dir string) {
	var ds struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			Type string `yaml:"type"`
			UID  string `yaml:"uid"`
			URL  string `yaml:"url"`
		} `yaml:"datasources"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, dir, "deploy/grafana/provisioning/datasources/prometheus.yml")), &ds); err != nil {
		t.Fatal(err)
	}
	if ds.APIVersion != 1 || len(ds.Datasources) != 1 || ds.Datasources[0].Type != "prometheus" {
		t.Fatalf("datasource provisioning: %+v", ds)
	}
	var prov struct {
		APIVersion int `yaml:"apiVersion"`
		Providers  []struct {
			Type    string         `yaml:"type"`
			Options map[string]any `yaml:"options"`
		} `yaml:"providers"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, dir, "deploy/grafana/provisioning/dashboards/provider.yml")), &prov); err != nil {
		t.Fatal(err)
	}
	if prov.APIVersion != 1 || len(prov.Providers) == 0 || prov.Providers[0].Type != "file" {
		t.Fatalf("dashboard provider: %+v", prov)
	}

	path := filepath.Join(dir, filepath.FromSlash("deploy/grafana/dashboards"), testName+".json")
	d := parseDashboard(t, path)
	if d.Uid == nil || !regexp.MustCompile(`^[a-zA-Z0-9_-]{1,40}$`).MatchString(*d.Uid) || !strings.Contains(*d.Uid, testName) {
		t.Errorf("dashboard uid %v is not a stable uid derived from %q", d.Uid, testName)
	}
	for _, p := range d.Panels {
		if p.Panel == nil {
			continue
		}
		if p.Panel.Datasource == nil || p.Panel.Datasource.Uid == nil || *p.Panel.Datasource.Uid != ds.Datasources[0].UID {
			t.Errorf("panel %v does not use the provisioned data source %q", p.Panel.Title, ds.Datasources[0].UID)
		}
	}
	metrics := dashboardMetrics(t, path)
	for _, want := range []string{"go_goroutines", "go_memstats_alloc_bytes_total", "go_gc_duration_seconds_sum",
		"http_requests_total", "http_request_duration_seconds_bucket"} {
		if !slices.Contains(metrics, want) {
			t.Errorf("dashboard does not query %s (it queries %v)", want, metrics)
		}
	}
	for _, m := range metrics {
		if m == "up" || !regexp.MustCompile(`^(go_|process_|http_request)`).MatchString(m) {
			t.Errorf("dashboard queries %s, which the service does not export", m)
		}
	}
	// Latency percentiles p50, p90 and p99 from the histogram.
	quantiles := map[float64]bool{}
	for _, expr := range dashboardExprs(t, path) {
		parser.Inspect(parsePromQL(t, expr), func(n parser.Node, _ []parser.Node) error {
			if c, ok := n.(*parser.Call); ok && c.Func.Name == "histogram_quantile" {
				if q, ok := c.Args[0].(*parser.NumberLiteral); ok && slices.Contains(exprMetrics(t, c.Args[1].String()), "http_request_duration_seconds_bucket") {
					quantiles[q.Val] = true
				}
			}
			return nil
		})
	}
	for _, q := range []float64{0.5, 0.9, 0.99} {
		if !quantiles[q] {
			t.Errorf("no p%v latency query on http_request_duration_seconds_bucket", q*100)
		}
	}
}

// parseDashboard decodes a dashboard strictly with the Grafana Foundation
// SDK (unknown fields, wrong types and missing required fields are errors)
// and validates it.
func parseDashboard(t testing.TB, path string) *dashboard.Dashboard {
	t.Helper()
	plugins.RegisterDefaultPlugins()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard.Dashboard
	if err := d.UnmarshalJSONStrict(raw); err != nil {
		t.Fatalf("%s: strict decode: %v", path, err)
	}
	if err := d.Validate(); err != nil {
		t.Fatalf("%s: validate: %v", path, err)
	}
	// fieldConfig is decoded leniently by the SDK: check it strictly too.
	var loose struct {
		Panels []struct {
			Title       string          `json:"title"`
			FieldConfig json.RawMessage `json:"fieldConfig"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &loose); err != nil {
		t.Fatal(err)
	}
	for _, p := range loose.Panels {
		if p.FieldConfig == nil {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(p.FieldConfig))
		dec.DisallowUnknownFields()
		var fc dashboard.FieldConfigSource
		if err := dec.Decode(&fc); err != nil {
			t.Errorf("%s: panel %q fieldConfig: %v", path, p.Title, err)
		}
	}
	return &d
}

// dashboardExprs returns the PromQL of every Prometheus query in the
// dashboard; a query of another kind fails the test.
func dashboardExprs(t testing.TB, path string) []string {
	t.Helper()
	d := parseDashboard(t, path)
	var exprs []string
	var panels []*dashboard.Panel
	for _, p := range d.Panels {
		switch {
		case p.Panel != nil:
			panels = append(panels, p.Panel)
		case p.RowPanel != nil:
			for _, rp := range p.RowPanel.Panels {
				panels = append(panels, &rp)
			}
		}
	}
	for _, p := range panels {
		for _, q := range p.Targets {
			pq, ok := q.(*grafanaprom.Dataquery)
			if !ok {
				t.Fatalf("%s: panel %v has a %T query, not a Prometheus one", path, p.Title, q)
			}
			exprs = append(exprs, pq.Expr)
		}
	}
	if len(exprs) == 0 {
		t.Fatalf("%s: no queries", path)
	}
	return exprs
}

// grafanaVars stand in for Grafana's built-in variables so that the PromQL
// parser can check the expressions.
var grafanaVars = strings.NewReplacer(
	"$__rate_interval", "1m", "${__rate_interval}", "1m",
	"$__interval", "1m", "${__interval}", "1m",
	"$__range", "1h", "${__range}", "1h",
)

func parsePromQL(t testing.TB, expr string) parser.Expr {
	t.Helper()
	e, err := parser.NewParser(parser.Options{}).ParseExpr(grafanaVars.Replace(expr))
	if err != nil {
		t.Fatalf("PromQL %q: %v", expr, err)
	}
	return e
}

// exprMetrics returns the metric names an expression selects.
func exprMetrics(t testing.TB, expr string) []string {
	t.Helper()
	var names []string
	parser.Inspect(parsePromQL(t, expr), func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			name := vs.Name
			if name == "" {
				for _, m := range vs.LabelMatchers {
					if m.Name == "__name__" {
						name = m.Value
					}
				}
			}
			if name == "" {
				t.Errorf("PromQL %q selects series without a metric name", expr)
			} else if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
		return nil
	})
	return names
}

// dashboardMetrics returns, sorted, the metric names (as sample names on
// /metrics: http_request_duration_seconds_bucket, go_gc_duration_seconds_sum)
// that the Grafana dashboard at path queries. It fails the test if the
// dashboard does not decode strictly or a query does not parse. The test
// that runs the generated service checks each of them is exported.
func dashboardMetrics(t testing.TB, path string) []string {
	t.Helper()
	var all []string
	for _, expr := range dashboardExprs(t, path) {
		for _, m := range exprMetrics(t, expr) {
			if !slices.Contains(all, m) {
				all = append(all, m)
			}
		}
	}
	sort.Strings(all)
	return all
}

// ---------------------------------------------------------------- misc

func checkGitignore(t *testing.T, dir string) {
	lines := strings.Split(readFile(t, dir, ".gitignore"), "\n")
	for _, want := range []string{".env", "deploy/alertmanager/secrets/", "deploy/tls/*.pem", "bin/"} {
		if !slices.Contains(lines, want) {
			t.Errorf(".gitignore does not ignore %s", want)
		}
	}
	di := readFile(t, dir, ".dockerignore")
	for _, want := range []string{".env", "*.pem"} {
		if !strings.Contains(di, want+"\n") {
			t.Errorf(".dockerignore lets %s into the build context", want)
		}
	}
}

// checkReadme: the project README explains every make target and every
// configuration key of config/default.yaml.
func checkReadme(t *testing.T, dir string, s profiles.Settings) {
	readme := readFile(t, dir, "README.md")
	mk := readFile(t, dir, "Makefile")
	for _, m := range regexp.MustCompile(`(?m)^([a-zA-Z0-9_-]+):.*## `).FindAllStringSubmatch(mk, -1) {
		if !strings.Contains(readme, "`"+m[1]+"`") {
			t.Errorf("README.md does not explain make %s", m[1])
		}
	}
	// One line per guarantee, naming what proves or shows it.
	for _, want := range []string{
		"## Guarantees", "`http_panics_total`", "`audit_dropped_lines_total`", "`http.Flusher`",
		"`outbound_breaker_state`", "`http.drain_period`", "`readiness.interval`", "`statement_timeout`",
		"`build_info`", "`APP_DATABASE_URL_FILE`",
	} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md does not mention %s", want)
		}
	}
	if prod := strings.Contains(readme, "Under `APP_ENV=production` the service refuses to start"); prod != (s.AppEnv == "production") {
		t.Errorf("README.md states production's start-up checks = %v with APP_ENV=%s", prod, s.AppEnv)
	}
	var cfg map[string]any
	if err := yaml.Unmarshal([]byte(readFile(t, dir, "config/default.yaml")), &cfg); err != nil {
		t.Fatal(err)
	}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			if sub, ok := v.(map[string]any); ok {
				walk(prefix+k+".", sub)
				continue
			}
			if !strings.Contains(readme, "`"+prefix+k+"`") {
				t.Errorf("README.md does not explain config key %s", prefix+k)
			}
		}
	}
	walk("", cfg)
}

func readFile(t testing.TB, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// runTool runs an external validator in dir and fails the test on a non-zero exit.
func runTool(t *testing.T, dir, tool string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("%s %s: %v\n%s", filepath.Base(tool), strings.Join(args, " "), err, out)
	}
	return string(out)
}

func itoa(n uint32) string { return strconv.FormatUint(uint64(n), 10) }
