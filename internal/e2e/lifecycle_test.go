package e2e

// Acceptance tests of a project's life with envgen, through the CLI:
//
//  1. Untouched means exact: switching an untouched project to another
//     profile or Go minor with sync gives the tree a fresh init of the
//     target would, byte for byte (envgen's own state and the random
//     secrets aside), and that tree builds, vets, tests, verifies, lints
//     clean and is in sync.
//  2. Clones are in sync: a fresh clone of an envgen project (without its
//     git-ignored secrets) is not drift; sync recreates the secrets and
//     leaves nothing for git to show.
//  3. Crash safety: a sync (or init) killed with SIGKILL at any point of its
//     write path is reported as unfinished, and the next sync finishes it
//     exactly (or sync --abort undoes it exactly). The kill comes from
//     envgen itself: ENVGEN_TEST_CRASH_AT=N makes it SIGKILL itself right
//     before its N-th file-system mutation of an apply (N from 1).
//  4. go.mod and go.sum change together: a Go switch keeps a requirement
//     the user added, with its go.sum lines.
//
// Every test here runs envgen and the go command on rendered projects and
// is skipped in -short mode. TestLifecycleUntouchedSwitchIsExact builds,
// tests and lints the synced trees (once per distinct tree) and needs
// golangci-lint (see lint_test.go); give the package a -timeout of 30m.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/envgen/envgen/internal/goversion"
)

// lifecycleReleases is the Go release the e2e tests pin per supported
// minor. The machine's Go (GOTOOLCHAIN=local) builds those of the minors it
// covers; a newer minor's release is also the toolchain the tests build its
// projects with (GOTOOLCHAIN=go1.27.4 on a machine with Go 1.26, see
// projectToolchain), fetched once through the Go module proxy.
var lifecycleReleases = map[string]string{
	"1.24": "1.24.1",
	"1.25": "1.25.4",
	"1.26": "1.26.8",
	"1.27": "1.27.4",
}

// releaseFor is the release lifecycleReleases names for a supported minor.
func releaseFor(t testing.TB, minor string) string {
	t.Helper()
	r, ok := lifecycleReleases[minor]
	if !ok {
		t.Fatalf("Go %s is supported (internal/goversion) but lifecycleReleases names no release of it", minor)
	}
	return r
}

// newestRelease is the release pinned by the tests that do not switch Go.
func newestRelease(t testing.TB) string {
	t.Helper()
	return releaseFor(t, goversion.Supported[len(goversion.Supported)-1])
}

func skipLifecycleShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end lifecycle: renders, syncs and builds projects; skipped in -short mode")
	}
}

// initProject runs `envgen init` of the test module into a fresh folder
// with --no-git and returns the project folder.
func initProject(t testing.TB, profile, release string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), testName)
	mustEnvgen(t, nil, "init", dir, "--module", testModule, "--profile", profile, "--go", release, "--no-git")
	return dir
}

// expectInSync runs `envgen sync --check` and reports an error unless the
// project is in sync (exit 0).
func expectInSync(t testing.TB, dir, when string) {
	t.Helper()
	if res := runEnvgen(t, nil, "sync", "-C", dir, "--check"); res.code != 0 || res.signal != 0 {
		t.Errorf("%s: the project is not in sync:\n%v", when, res)
	}
}

// expectNoLeftovers reports temporary files and a left-over journal.
func expectNoLeftovers(t testing.TB, dir, when string) {
	t.Helper()
	if tmp := leftoverTempFiles(t, dir); len(tmp) > 0 {
		t.Errorf("%s: temporary files left in the project: %s", when, strings.Join(tmp, ", "))
	}
	if _, err := os.Lstat(filepath.Join(dir, ".envgen", "journal")); !os.IsNotExist(err) {
		t.Errorf("%s: .envgen/journal is still there (Lstat: %v)", when, err)
	}
}

// ----------------------------------------------- 1. untouched means exact

// switchCase is one sync of an untouched project from one render to
// another: the profile or the Go release changes.
type switchCase struct {
	name                 string
	fromProfile, profile string
	fromGo, goRelease    string
	syncArgs             []string // the flags of the switch
}

func switchCases(t *testing.T) []switchCase {
	var cases []switchCase
	newest := newestRelease(t)
	for _, a := range profilesUnderTest {
		for _, b := range profilesUnderTest {
			if a != b {
				cases = append(cases, switchCase{
					name:        fmt.Sprintf("profile_%s_to_%s", a, b),
					fromProfile: a, profile: b, fromGo: newest, goRelease: newest,
					syncArgs: []string{"--profile", b},
				})
			}
		}
	}
	// Go: every adjacent pair of minors both ways, and oldest <-> newest.
	minors := goversion.Supported
	type pair struct{ a, b string }
	var pairs []pair
	for i := 0; i+1 < len(minors); i++ {
		pairs = append(pairs, pair{minors[i], minors[i+1]}, pair{minors[i+1], minors[i]})
	}
	if n := len(minors); n > 2 {
		pairs = append(pairs, pair{minors[0], minors[n-1]}, pair{minors[n-1], minors[0]})
	}
	const goProfile = "production" // the most files, the strictest lint policy
	for _, p := range pairs {
		ga, gb := releaseFor(t, p.a), releaseFor(t, p.b)
		cases = append(cases, switchCase{
			name:        fmt.Sprintf("go_%s_to_%s", ga, gb),
			fromProfile: goProfile, profile: goProfile, fromGo: ga, goRelease: gb,
			syncArgs: []string{"--go", gb},
		})
	}
	// The upgrade to the newest minor, in every profile: its trees are
	// those of the profile switches above (checked once, by digest).
	if n := len(minors); n > 1 {
		ga, gb := releaseFor(t, minors[n-2]), releaseFor(t, minors[n-1])
		for _, profile := range profilesUnderTest {
			if profile != goProfile {
				cases = append(cases, switchCase{
					name:        fmt.Sprintf("go_%s_to_%s_%s", ga, gb, profile),
					fromProfile: profile, profile: profile, fromGo: ga, goRelease: gb,
					syncArgs: []string{"--go", gb},
				})
			}
		}
	}
	return cases
}

// checkRun is one run of a check on a tree; trees with the same
// rulesRender digest share it (the checks read nothing else).
type checkRun struct {
	once     sync.Once
	owner    string   // the case whose tree was checked
	failures []string // one message per failed check
}

// sharedChecks runs a check once per distinct tree.
type sharedChecks struct {
	mu   sync.Mutex
	runs map[string]*checkRun
}

// do runs check for the tree with this digest unless a case with the same
// tree has, and reports its failures as errors of t.
func (s *sharedChecks) do(t *testing.T, digest, what string, check func() []string) []string {
	t.Helper()
	s.mu.Lock()
	if s.runs == nil {
		s.runs = map[string]*checkRun{}
	}
	r, ok := s.runs[digest]
	if !ok {
		r = &checkRun{}
		s.runs[digest] = r
	}
	s.mu.Unlock()
	r.once.Do(func() {
		r.owner = t.Name()
		r.failures = check()
	})
	if r.owner != t.Name() {
		t.Logf("%s: shared with %s (a byte-identical tree)", what, r.owner)
	}
	for _, f := range r.failures {
		t.Errorf("synced tree: %s", f)
	}
	return r.failures
}

// checkStep is one command of the checks of a synced tree.
type checkStep struct {
	name string
	args []string
	env  []string
}

// runChecks runs the steps in dir and returns their failures; it never
// ends the test itself, as its result is shared. A failed go build ends
// the run: what follows would only repeat its compile errors.
func runChecks(dir string, steps []checkStep) []string {
	var failures []string
	for _, s := range steps {
		res, err := execCommand(context.Background(), 10*time.Minute, dir, s.env, s.name, s.args...)
		switch {
		case err != nil:
			failures = append(failures, err.Error())
		case res.code != 0 || res.signal != 0:
			failures = append(failures, res.String())
		default:
			continue
		}
		if s.args[0] == "build" {
			break
		}
	}
	return failures
}

// goChecks are go mod verify, go build, go vet and go test with
// GOFLAGS=-mod=readonly and the project's GOTOOLCHAIN (projectToolchain).
func goChecks(dir string) ([]checkStep, error) {
	env, err := goEnvFor(dir)
	if err != nil {
		return nil, err
	}
	return []checkStep{
		{"go", []string{"mod", "verify"}, env},
		{"go", []string{"build", "./..."}, env},
		{"go", []string{"vet", "./..."}, env},
		{"go", []string{"test", "-count=1", "./..."}, env},
	}, nil
}

// lintCheck is golangci-lint run, with a cache per golangci-lint binary
// shared by the cases. The parallel cases (and any other golangci-lint on
// the machine) take turns: golangci-lint refuses to run beside another one
// otherwise.
func lintCheck(dir, bin, cache string) ([]checkStep, error) {
	env, err := goEnvFor(dir)
	if err != nil {
		return nil, err
	}
	return []checkStep{{bin,
		[]string{"run", "--allow-serial-runners", "--output.text.path", "stdout", "--output.text.colors=false", "./..."},
		append(env, "GOLANGCI_LINT_CACHE="+filepath.Join(cache, filepath.Base(bin)), "GOWORK=off", "NO_COLOR=1")}}, nil
}

// checksOf runs the steps steps(dir) makes, or reports why it could not.
func checksOf(dir string, steps func(string) ([]checkStep, error)) []string {
	ss, err := steps(dir)
	if err != nil {
		return []string{err.Error()}
	}
	return runChecks(dir, ss)
}

// TestLifecycleUntouchedSwitchIsExact: for every ordered pair of profiles
// and every adjacent (and the oldest/newest) pair of Go minors, init A then
// sync to B gives the tree init B gives, and that tree passes the build
// checks and sync --check.
func TestLifecycleUntouchedSwitchIsExact(t *testing.T) {
	skipLifecycleShort(t)
	envgen(t) // build once, before the parallel cases
	lintCache := t.TempDir()
	var goShared, lintShared sharedChecks

	for _, c := range switchCases(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			synced := initProject(t, c.fromProfile, c.fromGo)
			args := append([]string{"sync", "-C", synced}, c.syncArgs...)
			mustEnvgen(t, nil, append(args, "--yes")...)
			fresh := initProject(t, c.profile, c.goRelease)

			compareTrees(t, "synced", synced, "fresh-init", fresh, rulesRender)
			expectInSync(t, synced, "after the switch")

			digest := treeDigest(t, synced, rulesRender)
			if len(goShared.do(t, digest, "go checks", func() []string { return checksOf(synced, goChecks) })) > 0 {
				return // the lint would report the same compile errors
			}
			// Built with a Go at least as new as the project's go line;
			// skips (or fails on CI) without it.
			lintBin := golangciLintFor(t, synced)
			lintShared.do(t, digest, "golangci-lint", func() []string {
				return checksOf(synced, func(dir string) ([]checkStep, error) { return lintCheck(dir, lintBin, lintCache) })
			})
		})
	}
}

// ----------------------------------------------------- 2. clones are in sync

// TestLifecycleCloneIsInSync: a git clone of a freshly initialised project
// lacks the git-ignored secrets, and that is not drift; sync recreates them
// (fresh values) and leaves git nothing to show.
func TestLifecycleCloneIsInSync(t *testing.T) {
	skipLifecycleShort(t)
	envgen(t)
	release := newestRelease(t)
	for _, profile := range profilesUnderTest {
		t.Run(profile, func(t *testing.T) {
			t.Parallel()
			git := requireTool(t, "git", "install git")
			home := t.TempDir()
			env := append([]string{"HOME=" + home}, gitIdentity...)
			runGit := func(dir string, args ...string) string {
				t.Helper()
				res, err := execCommand(context.Background(), 2*time.Minute, dir, hermeticEnv(t, env...), git, args...)
				if err != nil {
					t.Fatal(err)
				}
				if res.code != 0 || res.signal != 0 {
					t.Fatalf("%v", res)
				}
				return res.out
			}

			orig := filepath.Join(t.TempDir(), testName)
			mustEnvgen(t, env, "init", orig, "--module", testModule, "--profile", profile, "--go", release)
			if st := runGit(orig, "status", "--porcelain"); st != "" {
				t.Errorf("init left changes it did not commit:\n%s", st)
			}
			ignored := strings.Fields(runGit(orig, "ls-files", "--others", "--ignored", "--exclude-standard"))
			ignored = slices.DeleteFunc(ignored, func(p string) bool { return p == ".envgen/lock" })

			clone := filepath.Join(t.TempDir(), "clone")
			runGit(filepath.Dir(clone), "clone", "-q", orig, clone)
			for _, p := range ignored {
				if _, err := os.Lstat(filepath.Join(clone, p)); !os.IsNotExist(err) {
					t.Fatalf("the clone has the git-ignored %s (Lstat: %v): not a real clone", p, err)
				}
			}

			if res := runEnvgen(t, env, "sync", "-C", clone, "--check"); res.code != 0 || res.signal != 0 {
				t.Errorf("fresh clone: sync --check is not clean (git-ignored secrets are not drift; missing: %s):\n%v",
					strings.Join(ignored, ", "), res)
			}
			if res := runEnvgen(t, env, "sync", "-C", clone); res.code != 0 || res.signal != 0 {
				t.Fatalf("fresh clone: sync: %v", res)
			}

			// The git-ignored files are back: the same modes as in the
			// original, .env with fresh non-empty secrets.
			for _, p := range ignored {
				oi, err := os.Lstat(filepath.Join(orig, p))
				if err != nil {
					t.Fatal(err)
				}
				ci, err := os.Lstat(filepath.Join(clone, p))
				if err != nil {
					t.Errorf("sync did not recreate the git-ignored %s: %v", p, err)
					continue
				}
				if ci.Mode() != oi.Mode() {
					t.Errorf("recreated %s: mode %v, the original's is %v", p, ci.Mode(), oi.Mode())
				}
			}
			if slices.Contains(ignored, ".env") {
				checkFreshSecrets(t, filepath.Join(orig, ".env"), filepath.Join(clone, ".env"))
			}
			// Otherwise the clone is the original (git keeps only the
			// executable bit: compare the owner's bits).
			rules := rulesState
			rules.permMask = 0o700
			compareTrees(t, "clone", clone, "original", orig, rules)

			expectInSync(t, clone, "clone after sync")
			if st := runGit(clone, "status", "--porcelain"); st != "" {
				t.Errorf("clone after sync: git status --porcelain is not empty:\n%s", st)
			}
		})
	}
}

// checkFreshSecrets checks that the recreated .env has the original's keys,
// and fresh non-empty values for its PASSWORD keys.
func checkFreshSecrets(t *testing.T, origPath, clonePath string) {
	t.Helper()
	odata, err := os.ReadFile(origPath)
	if err != nil {
		t.Fatal(err)
	}
	cdata, err := os.ReadFile(clonePath)
	if err != nil {
		return // reported with the other git-ignored files
	}
	o, c := parseDotEnv(t, string(odata)), parseDotEnv(t, string(cdata))
	for k, ov := range o {
		cv, ok := c[k]
		switch {
		case !ok:
			t.Errorf("recreated .env has no %s", k)
		case strings.HasSuffix(k, "PASSWORD") && cv == "":
			t.Errorf("recreated .env: %s is empty", k)
		case strings.HasSuffix(k, "PASSWORD") && cv == ov:
			t.Errorf("recreated .env: %s is the original's value, not a fresh one", k)
		}
	}
	for k := range c {
		if _, ok := o[k]; !ok {
			t.Errorf("recreated .env has %s, the original has not", k)
		}
	}
}

// ------------------------------------------------------- 3. crash safety

// crashSeam is the environment variable of envgen's crash test seam.
const crashSeam = "ENVGEN_TEST_CRASH_AT"

var unfinishedRE = regexp.MustCompile(`(?i)unfinished`)

// TestLifecycleCrashSafety kills `envgen sync --profile production` (from
// development) with SIGKILL before its N-th file-system mutation for
// several N, and checks that the project says so and that the next sync
// finishes the switch exactly; sync --abort undoes it exactly; a killed
// init completes when run again.
func TestLifecycleCrashSafety(t *testing.T) {
	skipLifecycleShort(t)
	envgen(t)
	release := newestRelease(t)

	// The uninterrupted switch, on a twin project.
	before := initProject(t, "development", release)
	twin := filepath.Join(t.TempDir(), testName)
	copyTree(t, before, twin)
	mustEnvgen(t, nil, "sync", "-C", twin, "--profile", "production", "--yes")
	expectInSync(t, twin, "twin after the uninterrupted switch")

	// Every file the switch creates, changes or removes takes at least one
	// mutation (folders are not counted): up to that many, a crash point
	// is inside the apply.
	minSteps := 0
	bs, ts := snapshotTree(t, before, rulesState), snapshotTree(t, twin, rulesState)
	for p, e := range ts {
		if b, ok := bs[p]; e.kind != "folder" && (!ok || b.kind != e.kind || b.perm != e.perm || string(b.data) != string(e.data)) {
			minSteps++
		}
	}
	for p, b := range bs {
		if _, ok := ts[p]; !ok && b.kind != "folder" {
			minSteps++
		}
	}
	if minSteps == 0 {
		t.Fatal("switching development to production changes no file: nothing to crash")
	}
	t.Logf("the switch changes %d file(s): a crash at N <= %d must kill it", minSteps, minSteps)

	// 1 and 2: the first writes; minSteps: as late as is sure to be inside
	// the apply; beyond: past its end, sync completes.
	const beyond = 1_000_000
	points := []int{1, 2, 5, 10, 20, minSteps, beyond}
	slices.Sort(points)
	for _, n := range slices.Compact(points) {
		t.Run(fmt.Sprintf("sync_crash_at_%d", n), func(t *testing.T) {
			t.Parallel()
			dir := initProject(t, "development", release)
			res := runEnvgen(t, []string{crashSeam + "=" + strconv.Itoa(n)},
				"sync", "-C", dir, "--profile", "production", "--yes")
			switch {
			case res.killed() && n == 1:
				// Mutation 1 is the journal's own write: killed before
				// it, nothing changed, and the command simply runs again.
				compareTrees(t, "killed before the journal", dir, "before the sync", before, rulesState)
				expectInSync(t, dir, "killed before the journal")
				mustEnvgen(t, nil, "sync", "-C", dir, "--profile", "production", "--yes")
			case res.killed():
				if n == beyond {
					t.Fatalf("%s=%d is beyond any apply, yet sync was killed:\n%v", crashSeam, n, res)
				}
				checkUnfinished(t, dir)
				mustEnvgen(t, nil, "sync", "-C", dir, "--yes")
			case res.code == 0 && res.signal == 0:
				if n <= minSteps {
					t.Fatalf("%s=%d: sync completed instead of dying by SIGKILL before its mutation %d "+
						"(the switch has at least %d): the crash seam is not honoured\n%v", crashSeam, n, n, minSteps, res)
				}
				t.Logf("%s=%d is beyond this apply's steps: sync completed", crashSeam, n)
			default:
				t.Fatalf("%s=%d: want death by SIGKILL (or completion beyond the apply's steps):\n%v", crashSeam, n, res)
			}
			compareTrees(t, "recovered", dir, "uninterrupted", twin, rulesState)
			expectInSync(t, dir, "after the finished switch")
			expectNoLeftovers(t, dir, "after the finished switch")
		})
	}

	t.Run("abort", func(t *testing.T) {
		t.Parallel()
		n := min(5, minSteps)
		dir := initProject(t, "development", release)
		pre := filepath.Join(t.TempDir(), "pre-sync")
		copyTree(t, dir, pre)
		res := runEnvgen(t, []string{crashSeam + "=" + strconv.Itoa(n)},
			"sync", "-C", dir, "--profile", "production", "--yes")
		if !res.killed() {
			t.Fatalf("%s=%d: want death by SIGKILL:\n%v", crashSeam, n, res)
		}
		checkUnfinished(t, dir)
		mustEnvgen(t, nil, "sync", "-C", dir, "--abort")
		compareTrees(t, "aborted", dir, "pre-sync", pre, rulesExact)
		expectInSync(t, dir, "after sync --abort")
		expectNoLeftovers(t, dir, "after sync --abort")
	})

	t.Run("init_crash_at_3", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), testName)
		args := []string{"init", dir, "--module", testModule, "--profile", "production", "--go", release, "--no-git"}
		if res := runEnvgen(t, []string{crashSeam + "=3"}, args...); !res.killed() {
			t.Fatalf("%s=3: want init to die by SIGKILL:\n%v", crashSeam, res)
		}
		if res := runEnvgen(t, nil, args...); res.code != 0 || res.signal != 0 {
			t.Fatalf("the same init again, after the crash: %v", res)
		}
		fresh := initProject(t, "production", release)
		compareTrees(t, "re-run-init", dir, "fresh-init", fresh, rulesState)
		expectInSync(t, dir, "after the re-run init")
		expectNoLeftovers(t, dir, "after the re-run init")
	})
}

// checkUnfinished checks that sync --check fails and that it and status
// name the unfinished sync.
func checkUnfinished(t *testing.T, dir string) {
	t.Helper()
	check := runEnvgen(t, nil, "sync", "-C", dir, "--check")
	switch {
	case check.signal != 0:
		t.Errorf("after the crash: sync --check died: %v", check)
	case check.code == 0:
		t.Errorf("after the crash: sync --check exits 0, want non-zero:\n%v", check)
	}
	if !unfinishedRE.MatchString(check.out) {
		t.Errorf("after the crash: sync --check does not mention the unfinished sync:\n%v", check)
	}
	status := runEnvgen(t, nil, "status", "-C", dir)
	if status.signal != 0 || !unfinishedRE.MatchString(status.out) {
		t.Errorf("after the crash: status does not mention the unfinished sync:\n%v", status)
	}
}

// ------------------------------------ 4. go.mod and go.sum change together

// TestLifecycleGoSwitchKeepsUserRequirement: a requirement the user added
// (with go get, used by the user's own package) survives sync --go, with
// its go.sum lines, and the project builds read-only and verifies.
func TestLifecycleGoSwitchKeepsUserRequirement(t *testing.T) {
	skipLifecycleShort(t)
	const userMod, userVersion = "github.com/google/uuid", "v1.6.0"
	from := newestRelease(t)
	toMinor := "1.25"
	to := releaseFor(t, toMinor)

	dir := initProject(t, "development", from)
	ids := filepath.Join(dir, "internal", "ids")
	if err := os.MkdirAll(ids, 0o755); err != nil {
		t.Fatal(err)
	}
	src := "// Package ids makes request identifiers.\npackage ids\n\nimport \"github.com/google/uuid\"\n\n" +
		"// New returns a random identifier.\nfunc New() string { return uuid.NewString() }\n"
	if err := os.WriteFile(filepath.Join(ids, "ids.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	// GOFLAGS unset: go get updates go.mod and go.sum.
	var getEnv []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOFLAGS=") {
			getEnv = append(getEnv, kv)
		}
	}
	tc, err := projectToolchain(dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := execCommand(context.Background(), 10*time.Minute, dir,
		append(getEnv, "GOTOOLCHAIN="+tc), "go", "get", userMod+"@"+userVersion)
	if err != nil {
		t.Fatal(err)
	}
	if res.code != 0 {
		t.Fatalf("%v", res)
	}
	if !requires(t, dir, userMod, userVersion) {
		t.Fatalf("go get did not add %s %s to go.mod:\n%s", userMod, userVersion, readFile(t, dir, "go.mod"))
	}
	var userSums []string
	for _, l := range strings.Split(readFile(t, dir, "go.sum"), "\n") {
		if strings.HasPrefix(l, userMod+" "+userVersion) {
			userSums = append(userSums, l)
		}
	}
	if len(userSums) == 0 {
		t.Fatalf("go get added no go.sum line for %s %s", userMod, userVersion)
	}

	mustEnvgen(t, nil, "sync", "-C", dir, "--go", to, "--yes")

	if !requires(t, dir, userMod, userVersion) {
		t.Errorf("after sync --go %s: go.mod lost the user's requirement %s %s:\n%s", to, userMod, userVersion, readFile(t, dir, "go.mod"))
	}
	gomod := parseGoMod(t, dir)
	if gomod.Go == nil || goversionMinor(gomod.Go.Version) != toMinor {
		t.Errorf("after sync --go %s: go.mod's go line is %v, want go %s.x", to, gomod.Go, toMinor)
	}
	// The dependency set of the new minor, at its versions.
	set, err := modfile.Parse("go"+toMinor+".mod", []byte(readFile(t, filepath.Join(repoRoot(t), "templates", "deps"), "go"+toMinor+".mod")), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range set.Require {
		if !requires(t, dir, r.Mod.Path, r.Mod.Version) {
			t.Errorf("after sync --go %s: go.mod does not require %s %s of the Go %s dependency set", to, r.Mod.Path, r.Mod.Version, toMinor)
		}
	}
	sum := readFile(t, dir, "go.sum")
	for _, l := range userSums {
		if !slices.Contains(strings.Split(sum, "\n"), l) {
			t.Errorf("after sync --go %s: go.sum lost %q", to, l)
		}
	}
	for _, args := range [][]string{{"build", "./..."}, {"mod", "verify"}} {
		res, err := execCommand(context.Background(), 10*time.Minute, dir, goEnv(t, dir), "go", args...)
		if err != nil {
			t.Fatal(err)
		}
		if res.code != 0 {
			t.Errorf("after sync --go %s: %v", to, res)
		}
	}
	expectInSync(t, dir, "after sync --go "+to)
}

func parseGoMod(t *testing.T, dir string) *modfile.File {
	t.Helper()
	f, err := modfile.Parse("go.mod", []byte(readFile(t, dir, "go.mod")), nil)
	if err != nil {
		t.Fatalf("go.mod: %v", err)
	}
	return f
}

// requires reports whether dir's go.mod requires path at version.
func requires(t *testing.T, dir, path, version string) bool {
	t.Helper()
	return slices.ContainsFunc(parseGoMod(t, dir).Require, func(r *modfile.Require) bool {
		return r.Mod.Path == path && r.Mod.Version == version
	})
}

// goversionMinor is the language version of a go line: 1.25 of 1.25.0.
func goversionMinor(v string) string {
	if parts := strings.SplitN(v, ".", 3); len(parts) >= 2 {
		return parts[0] + "." + parts[1]
	}
	return v
}
