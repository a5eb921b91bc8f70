package e2e

// Helpers of the lifecycle tests (lifecycle_test.go): comparing two project
// trees file by file, copying a tree, running envgen and other commands
// with their exit status (including death by a signal).

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	udiff "github.com/aymanbagabas/go-udiff"
)

// treeRules say what a tree comparison leaves out. .git/ is always left out.
type treeRules struct {
	// skip reports whether a slash-separated path relative to the project
	// root is left out; a folder left out is left out with all it holds.
	skip func(rel string) bool
	// maskSecrets compares the root .env with the values of its *PASSWORD
	// and *SECRET keys masked (they are drawn at random), and envgen.lock
	// with the hash it records for .env masked (it is a hash of them).
	maskSecrets bool
	// permMask selects the permission bits compared; 0 means all of them.
	permMask fs.FileMode
}

// under reports whether rel is prefix or inside it.
func under(rel, prefix string) bool {
	return rel == prefix || strings.HasPrefix(rel, prefix+"/")
}

var (
	// rulesRender compares what a render produces: envgen's own state
	// (envgen.lock, .envgen/) and the random secrets are left out.
	rulesRender = treeRules{
		skip: func(rel string) bool {
			return rel == "envgen.lock" || under(rel, ".envgen")
		},
		maskSecrets: true,
	}
	// rulesState compares the render and envgen's state (envgen.lock,
	// .envgen/base, ...), but not the backups of replaced files, the
	// process lock (.envgen/lock holds the pid of the last envgen) or the
	// random secrets.
	rulesState = treeRules{
		skip: func(rel string) bool {
			return under(rel, ".envgen/backup") || rel == ".envgen/lock"
		},
		maskSecrets: true,
	}
	// rulesExact compares everything but the process lock.
	rulesExact = treeRules{
		skip: func(rel string) bool { return rel == ".envgen/lock" },
	}
)

// treeEntry is one file, folder or symbolic link of a tree.
type treeEntry struct {
	kind string // "file", "folder", "symlink"
	perm fs.FileMode
	data []byte // a file's content (masked per the rules) or a link's target
}

// snapshotTree reads every entry under root that the rules keep.
func snapshotTree(t testing.TB, root string, r treeRules) map[string]treeEntry {
	t.Helper()
	entries := map[string]treeEntry{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path == root {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
		rel = filepath.ToSlash(rel)
		if under(rel, ".git") || (r.skip != nil && r.skip(rel)) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("snapshot %s: %w", rel, err)
		}
		perm := info.Mode().Perm()
		if r.permMask != 0 {
			perm &= r.permMask
		}
		e := treeEntry{perm: perm}
		switch {
		case d.IsDir():
			e.kind = "folder"
		case info.Mode()&fs.ModeSymlink != 0:
			e.kind = "symlink"
			target, err := os.Readlink(path)
			if err != nil {
				return fmt.Errorf("snapshot: %w", err)
			}
			e.data = []byte(target)
		case info.Mode().IsRegular():
			e.kind = "file"
			if e.data, err = os.ReadFile(path); err != nil {
				return fmt.Errorf("snapshot: %w", err)
			}
			if r.maskSecrets {
				switch rel {
				case ".env":
					e.data = maskDotEnv(e.data)
				case "envgen.lock":
					e.data = maskLockSecrets(e.data)
				}
			}
		default:
			e.kind = info.Mode().Type().String()
		}
		entries[rel] = e
		return nil
	})
	if err != nil {
		t.Fatalf("reading the tree %s: %v", root, err)
	}
	return entries
}

// secretLineRE matches a .env line setting a *PASSWORD or *SECRET key.
var secretLineRE = regexp.MustCompile(`^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*(?:PASSWORD|SECRET))\s*=(.*)$`)

// maskDotEnv replaces the values of secret keys by <secret>, or by
// <EMPTY SECRET> when the value is empty (which is never right).
func maskDotEnv(data []byte) []byte {
	lines := strings.Split(string(data), "\n")
	for i, line := range lines {
		m := secretLineRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		v := strings.Trim(strings.TrimSpace(m[2]), `"'`)
		if v == "" {
			lines[i] = m[1] + "=<EMPTY SECRET>"
		} else {
			lines[i] = m[1] + "=<secret>"
		}
	}
	return []byte(strings.Join(lines, "\n"))
}

// maskLockSecrets masks, in envgen.lock, the values recorded for .env (its
// content hash): every string of a JSON object whose "path" is ".env",
// other than the path and the mode. The text is kept as it is otherwise,
// so that the comparison stays byte for byte.
func maskLockSecrets(data []byte) []byte {
	var doc any
	if json.Unmarshal(data, &doc) != nil {
		return data
	}
	var values []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if v["path"] == ".env" {
				for k, x := range v {
					if s, ok := x.(string); ok && s != "" && k != "path" && k != "mode" {
						values = append(values, s)
					}
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	for _, s := range values {
		quoted, err := json.Marshal(s)
		if err != nil {
			panic(err) // a string always encodes
		}
		data = bytes.ReplaceAll(data, quoted, []byte(`"<hash of .env>"`))
	}
	return data
}

// compareTrees compares the tree got with the tree want under the rules and
// reports every difference (a missing or extra file or folder, a different
// kind, permission or content, with a short unified diff) as a test error.
// It reports whether the trees are equal.
func compareTrees(t testing.TB, gotLabel, got, wantLabel, want string, r treeRules) bool {
	t.Helper()
	g, w := snapshotTree(t, got, r), snapshotTree(t, want, r)
	var paths []string
	for p := range g {
		paths = append(paths, p)
	}
	for p := range w {
		if _, ok := g[p]; !ok {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	var diffs []string
	for _, p := range paths {
		ge, gok := g[p]
		we, wok := w[p]
		switch {
		case !gok:
			diffs = append(diffs, fmt.Sprintf("%s: %s only in %s (missing in %s)", p, we.kind, wantLabel, gotLabel))
		case !wok:
			diffs = append(diffs, fmt.Sprintf("%s: %s only in %s (not in %s)", p, ge.kind, gotLabel, wantLabel))
		case ge.kind != we.kind:
			diffs = append(diffs, fmt.Sprintf("%s: a %s in %s, a %s in %s", p, ge.kind, gotLabel, we.kind, wantLabel))
		default:
			if ge.perm != we.perm {
				diffs = append(diffs, fmt.Sprintf("%s: mode %v in %s, %v in %s", p, ge.perm, gotLabel, we.perm, wantLabel))
			}
			if !bytes.Equal(ge.data, we.data) {
				diffs = append(diffs, fmt.Sprintf("%s: content differs (- %s, + %s):\n%s",
					p, wantLabel, gotLabel, shortDiff(wantLabel+"/"+p, gotLabel+"/"+p, we.data, ge.data)))
			}
		}
	}
	if len(diffs) == 0 {
		return true
	}
	const maxShown = 25
	shown := diffs
	if len(shown) > maxShown {
		shown = shown[:maxShown]
	}
	msg := fmt.Sprintf("%s (%s) differs from %s (%s) in %d path(s):\n%s",
		gotLabel, got, wantLabel, want, len(diffs), strings.Join(shown, "\n"))
	if len(diffs) > maxShown {
		msg += fmt.Sprintf("\n... and %d more", len(diffs)-maxShown)
	}
	t.Error(msg)
	return false
}

// shortDiff is a unified diff of two contents, cut to its first lines.
func shortDiff(oldLabel, newLabel string, before, after []byte) string {
	if bytes.IndexByte(before, 0) >= 0 || bytes.IndexByte(after, 0) >= 0 {
		return fmt.Sprintf("    binary: %d bytes vs %d bytes", len(before), len(after))
	}
	d := udiff.Unified(oldLabel, newLabel, string(before), string(after))
	const maxLines = 40
	lines := strings.SplitAfter(d, "\n")
	if len(lines) > maxLines {
		d = strings.Join(lines[:maxLines], "") + fmt.Sprintf("... (%d more diff lines)\n", len(lines)-maxLines)
	}
	return d
}

// treeDigest is a digest of a tree under the rules: equal digests mean the
// comparison would find the trees equal.
func treeDigest(t testing.TB, root string, r treeRules) string {
	t.Helper()
	entries := snapshotTree(t, root, r)
	paths := make([]string, 0, len(entries))
	for p := range entries {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	h := sha256.New()
	for _, p := range paths {
		e := entries[p]
		_, _ = fmt.Fprintf(h, "%q %s %o %d\n", p, e.kind, e.perm, len(e.data)) // a hash takes every write
		h.Write(e.data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// leftoverTempFiles lists the files under root (outside .git/) that look
// like an interrupted write: a name holding ".envgen-" or ending in ".tmp".
func leftoverTempFiles(t testing.TB, root string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if strings.Contains(d.Name(), ".envgen-") || strings.HasSuffix(d.Name(), ".tmp") {
			rel, _ := filepath.Rel(root, path)
			found = append(found, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walking %s: %v", root, err)
	}
	return found
}

// copyTree copies the tree src to dst (which must not exist), keeping
// permission bits and symbolic links.
func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return fmt.Errorf("copy: %w", err)
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("copy %s: %w", rel, err)
		}
		switch {
		case d.IsDir():
			if err := os.Mkdir(target, info.Mode().Perm()); err != nil {
				return fmt.Errorf("copy: %w", err)
			}
			return os.Chmod(target, info.Mode().Perm())
		case info.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return fmt.Errorf("copy: %w", err)
			}
			return os.Symlink(link, target)
		default:
			data, err := os.ReadFile(path)
			if err != nil {
				return fmt.Errorf("copy: %w", err)
			}
			if err := os.WriteFile(target, data, info.Mode().Perm()); err != nil {
				return fmt.Errorf("copy: %w", err)
			}
			return os.Chmod(target, info.Mode().Perm())
		}
	})
	if err != nil {
		t.Fatalf("copying %s to %s: %v", src, dst, err)
	}
}

// cmdResult is how a command ended.
type cmdResult struct {
	args   string // the command line, for messages
	out    string // stdout and stderr
	code   int    // exit code; -1 when killed by a signal
	signal syscall.Signal
}

func (r cmdResult) String() string {
	status := fmt.Sprintf("exit %d", r.code)
	if r.signal != 0 {
		status = fmt.Sprintf("killed by signal %d (%v)", int(r.signal), r.signal)
	}
	return fmt.Sprintf("%s: %s\n%s", r.args, status, tail(r.out, 6000))
}

// tail is the end of s, at most n bytes.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "...\n" + s[len(s)-n:]
}

// killed reports whether the command died of SIGKILL.
func (r cmdResult) killed() bool { return r.signal == syscall.SIGKILL }

// execCommand runs name with args in dir with the environment env and a
// timeout. Failing to start the command or running out of time is an
// error; any exit status is a result.
func execCommand(ctx context.Context, timeout time.Duration, dir string, env []string, name string, args ...string) (cmdResult, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	res := cmdResult{args: strings.Join(append([]string{filepath.Base(name)}, args...), " ")}
	err := cmd.Run()
	res.out = out.String()
	if ctx.Err() != nil {
		return res, fmt.Errorf("%s: no result within %v: %w\n%s", res.args, timeout, ctx.Err(), res.out)
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		res.code = exitErr.ExitCode()
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			res.signal = ws.Signal()
		}
	default:
		return res, fmt.Errorf("%s: %w\n%s", res.args, err, res.out)
	}
	return res, nil
}

// hermeticEnv is the test process's environment without what would make
// envgen, git or go depend on the machine: ENVGEN_* (flags from the
// environment), HOME, GIT_* and GOFLAGS are dropped, HOME is a fresh
// temporary folder and the system git config is ignored. extra is appended.
func hermeticEnv(t testing.TB, extra ...string) []string {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "ENVGEN_") || strings.HasPrefix(k, "GIT_") || k == "HOME" || k == "GOFLAGS" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "HOME="+t.TempDir(), "GIT_CONFIG_NOSYSTEM=1")
	return append(env, extra...)
}

// gitIdentity is the author and committer of commits made by the tests.
var gitIdentity = []string{
	"GIT_AUTHOR_NAME=envgen e2e", "GIT_AUTHOR_EMAIL=e2e@example.com",
	"GIT_COMMITTER_NAME=envgen e2e", "GIT_COMMITTER_EMAIL=e2e@example.com",
}

// runEnvgen runs the envgen CLI in the hermetic environment plus extraEnv
// and returns how it ended; it fails the test only when envgen cannot be
// started or hangs.
func runEnvgen(t testing.TB, extraEnv []string, args ...string) cmdResult {
	t.Helper()
	res, err := execCommand(context.Background(), 2*time.Minute, "", hermeticEnv(t, extraEnv...), envgen(t), args...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// mustEnvgen runs envgen and fails the test unless it exits 0.
func mustEnvgen(t testing.TB, extraEnv []string, args ...string) cmdResult {
	t.Helper()
	res := runEnvgen(t, extraEnv, args...)
	if res.code != 0 || res.signal != 0 {
		t.Fatalf("%v", res)
	}
	return res
}
