package starter_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envgen/envgen/internal/cli"
	"github.com/envgen/envgen/internal/starter"
)

// envgen init --from https://user:token@host/repo uses the token for that
// fetch and leaves it nowhere: not in the project, the cache, the output,
// --json or an error. The lock records the URL without it, so a later
// sync on a fresh machine needs the host's own token, and the unscoped
// ENVGEN_GIT_TOKEN is not sent to a URL read from the lock.
func TestInitFromURLWithTokenLeavesNoTrace(t *testing.T) {
	repo := starter.NewTestRepo(t, starter.MinimalStarter("1.0.0"))
	starter.TagRepo(repo, "v1.0.0")
	srv, repoURL := starter.ServeRepo(t, repo)
	tok := starter.SecretToken(t)
	starter.RequireAuth(srv, "ci", tok)

	cache := filepath.Join(t.TempDir(), "cache")
	t.Setenv(starter.CacheDirEnv, cache)
	t.Setenv(starter.CredentialHelperEnv, "0")
	t.Setenv(starter.TokenEnv, "")
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(t.TempDir(), "no-gitconfig"))
	work := t.TempDir()
	var outputs []string
	run := func(args ...string) (int, string, string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		code := cli.Main(args, strings.NewReader(""), &stdout, &stderr)
		outputs = append(outputs, stdout.String(), stderr.String())
		return code, stdout.String(), stderr.String()
	}
	from := strings.Replace(repoURL, "http://", "http://ci:"+tok+"@", 1) + "@v1.0.0"
	initArgs := func(dir string, extra ...string) []string {
		return append([]string{"init", filepath.Join(work, dir), "--module", "github.com/acme/orders", "--from", from,
			"--profile", "acme", "--set", "team=payments", "--no-git"}, extra...)
	}

	if code, out, errOut := run(initArgs("text")...); code != 0 {
		t.Fatalf("init: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := run(initArgs("json", "--json")...)
	if code != 0 {
		t.Fatalf("init --json: exit %d\n%s%s", code, out, errOut)
	}
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if tmpl, _ := res["template"].(map[string]any); tmpl["url"] != repoURL {
		t.Errorf("--json template: %v, want url %s", res["template"], repoURL)
	}
	lock, err := os.ReadFile(filepath.Join(work, "text", "envgen.lock"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(lock), `"url": "`+repoURL+`"`) {
		t.Errorf("the lock does not record %s:\n%s", repoURL, lock)
	}
	if !starter.SentAuth(srv) {
		t.Error("the token was not sent")
	}

	// A wrong token: refused, and not shown.
	bad := starter.SecretToken(t)
	badFrom := strings.Replace(from, tok, bad, 1)
	code, _, errOut = run("init", filepath.Join(work, "bad"), "--module", "github.com/acme/orders", "--from", strings.Replace(badFrom, "v1.0.0", "main", 1),
		"--profile", "acme", "--set", "team=payments", "--no-git")
	if code == 0 || !strings.Contains(errOut, "envgen: error: fetching starter "+repoURL+": authentication failed") || strings.Contains(errOut, bad) {
		t.Errorf("wrong token: exit %d\n%s", code, errOut)
	}

	// A fresh machine: the lock's URL has no credential, and the
	// unscoped token is not sent to it.
	if err := os.RemoveAll(cache); err != nil {
		t.Fatal(err)
	}
	t.Setenv(starter.TokenEnv, tok)
	project := filepath.Join(work, "text")
	code, _, errOut = run("sync", "-C", project, "--check")
	if code == 0 || !strings.Contains(errOut, "fetching starter "+repoURL+": authentication required") ||
		!strings.Contains(errOut, starter.TokenEnvFor(repoURL)) || !strings.Contains(errOut, "never to one read from envgen.lock") {
		t.Errorf("sync from the lock with only %s: exit %d\n%s", starter.TokenEnv, code, errOut)
	}
	// The host's own token does go to it.
	t.Setenv(starter.TokenEnvFor(repoURL), "ci:"+tok)
	if code, out, errOut := run("sync", "-C", project, "--check"); code != 0 {
		t.Errorf("sync with %s: exit %d\n%s%s", starter.TokenEnvFor(repoURL), code, out, errOut)
	}

	for i, o := range outputs {
		if strings.Contains(o, tok) {
			t.Errorf("output %d shows the token:\n%s", i, o)
		}
	}
	starter.AssertNoSecret(t, tok, work, cache)
}
