package starter

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envgen/envgen/internal/project"
)

func TestTokenVarNames(t *testing.T) {
	for raw, want := range map[string]string{ //nolint:gosec // names of environment variables, not credentials
		"https://git.example.com/acme/starter":       "ENVGEN_GIT_TOKEN_GIT_EXAMPLE_COM",
		"https://GIT.Example.com/acme/starter":       "ENVGEN_GIT_TOKEN_GIT_EXAMPLE_COM",
		"https://git.example.com:443/acme/starter":   "ENVGEN_GIT_TOKEN_GIT_EXAMPLE_COM",
		"https://git.example.com:8443/acme/starter":  "ENVGEN_GIT_TOKEN_GIT_EXAMPLE_COM_8443",
		"http://git.example.com:80/x":                "ENVGEN_GIT_TOKEN_GIT_EXAMPLE_COM",
		"https://git-example.com/acme":               "ENVGEN_GIT_TOKEN_GIT__EXAMPLE_COM",
		"https://my-git.corp-1.example.com/x":        "ENVGEN_GIT_TOKEN_MY__GIT_CORP__1_EXAMPLE_COM",
		"http://127.0.0.1:8080/x":                    "ENVGEN_GIT_TOKEN_127_0_0_1_8080",
		"http://localhost:8080/x":                    "ENVGEN_GIT_TOKEN_LOCALHOST_8080",
		"https://user:secret@git.example.com/x":      "ENVGEN_GIT_TOKEN_GIT_EXAMPLE_COM",
		"https://[::1]:8080/x":                       "", // IPv6: no name that cannot collide
		"https://git_example.com/x":                  "", // an underscore would read as a dot
		"https://-git.example.com/x":                 "",
		"https://git.example.1/x":                    "", // a numeric last label that is no IPv4
		"https://10.0.0:1/x":                         "", // would read as 10.0.0.1
		"https://xn--bcher-kva.example/x":            "ENVGEN_GIT_TOKEN_XN____BCHER__KVA_EXAMPLE",
		"https://bücher.example/x":                   "",
		"ssh://git@git.example.com/x":                "",
		"git@git.example.com:acme/starter":           "",
		"file:///srv/git/starter":                    "",
		"https://git.example.com.:443/trailing-root": "",
	} {
		if got := TokenEnvFor(raw); got != want {
			t.Errorf("TokenEnvFor(%q) = %q, want %q", raw, got, want)
		}
	}
	// Two hosts anyone can register apart never share a variable.
	if TokenEnvFor("https://git.example.com/x") == TokenEnvFor("https://git-example.com/x") ||
		TokenEnvFor("https://a-b.example/x") == TokenEnvFor("https://a.b.example/x") {
		t.Error("two hosts share a token variable")
	}
}

func TestSplitUserinfo(t *testing.T) {
	for _, tc := range []struct {
		raw, clean, user, secret string
	}{
		{"https://user:tok123@git.example.com/acme/starter@v1.0.0", "https://git.example.com/acme/starter@v1.0.0", "user", "tok123"},
		{"https://tok123@git.example.com/acme/starter", "https://git.example.com/acme/starter", "tok123", ""},
		{"https://x-access-token:p%40ss%2Fw@git.example.com:8443/a", "https://git.example.com:8443/a", "x-access-token", "p@ss/w"},
		{"https://git.example.com/acme/starter@v1.0.0", "https://git.example.com/acme/starter@v1.0.0", "", ""},
		{"ssh://git@git.example.com/acme/starter@v1", "ssh://git@git.example.com/acme/starter@v1", "", ""},
		{"ssh://git:pw123@git.example.com:2222/acme", "ssh://git@git.example.com:2222/acme", "git", "pw123"},
		{"git@git.example.com:acme/starter@v1", "git@git.example.com:acme/starter@v1", "", ""},
		{"git:pw123@git.example.com:acme/starter", "git@git.example.com:acme/starter", "git", "pw123"},
		{"file://u:pw@/srv/git/starter", "file:///srv/git/starter", "", ""},
		{"/srv/git/starter@main", "/srv/git/starter@main", "", ""},
	} {
		clean, cred := splitUserinfo(tc.raw)
		if clean != tc.clean {
			t.Errorf("%s: clean %q, want %q", tc.raw, clean, tc.clean)
		}
		switch {
		case tc.user == "" && tc.secret == "":
			if cred != nil {
				t.Errorf("%s: credential %q:%q, want none", tc.raw, cred.user, cred.secret)
			}
		case cred == nil || cred.user != tc.user || cred.secret != tc.secret:
			t.Errorf("%s: credential %v, want %q:%q", tc.raw, cred, tc.user, tc.secret)
		}
	}
	s, err := ParseSpec("https://user:tok123@git.example.com/acme/starter@v1.0.0")
	if err != nil || s.Source != "https://git.example.com/acme/starter" || s.Ref != "v1.0.0" || !s.Git {
		t.Errorf("ParseSpec: %+v, %v", s, err)
	}
	// A spec envgen refuses says why without the token.
	for _, bad := range []string{"https://user:tok123@git.example.com/acme/starter@", "git:tok123@host:acme/starter@"} {
		_, err := ParseSpec(bad)
		if err == nil {
			t.Errorf("%s: parsed", bad)
			continue
		}
		if strings.Contains(err.Error(), "tok123") || strings.Contains(hintOf(err), "tok123") {
			t.Errorf("%s: error shows the token: %v", bad, err)
		}
	}
	if _, err := SpecFor(project.Origin{Kind: "git", URL: "https://u:tok123@h/x"}); err == nil || strings.Contains(err.Error(), "tok123") { //nolint:gosec // a made-up token the test checks errors never show
		t.Errorf("SpecFor: %v", err)
	}
}

// A credential, and anything holding one, prints without its secret.
func TestCredentialsDoNotPrint(t *testing.T) {
	a := newAccess("https://git.example.com/x", &credential{user: "u", secret: "tok123", from: "the URL"}, true, envOf(nil))
	ssh := newAccess("ssh://git:tok123@git.example.com/x", &credential{user: "git", secret: "tok123", from: "the URL"}, true, envOf(nil))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
		for _, v := range []any{a, *a, a.cred, *a.cred, ssh, ssh.ssh, *ssh.ssh} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, "tok123") {
				t.Errorf("%s of %T shows the token: %s", verb, v, out)
			}
		}
	}
	if basic := a.method(); strings.Contains(fmt.Sprint(basic), "tok123") { // go-git's BasicAuth masks itself
		t.Errorf("BasicAuth prints %v", basic)
	}
	err := scrub(errors.New("server said: Basic "+base64.StdEncoding.EncodeToString([]byte("u:tok123"))+" tok123 "+url.QueryEscape("tok123")), a.secrets)
	if strings.Contains(err.Error(), "tok123") || strings.Contains(err.Error(), "dTp0b2sxMjM=") {
		t.Errorf("scrubbed: %v", err)
	}
}

// Over plain http a credential crosses the network readable: envgen sends
// none, except to a loopback address.
func TestNoCredentialOverPlainHTTP(t *testing.T) {
	env := envOf(map[string]string{TokenEnv: "tok123", "ENVGEN_GIT_TOKEN_GIT_EXAMPLE_COM": "tok456"})
	given := &credential{user: "u", secret: "tok789", from: "the URL"}
	for _, tc := range []struct {
		url   string
		given *credential
		want  string
	}{
		{"http://git.example.com/x", given, ""},
		{"http://git.example.com/x", nil, ""},
		{"https://git.example.com/x", nil, "tok456"},
		{"https://git.example.com/x", given, "tok789"},
		{"https://other.example.com/x", nil, "tok123"},
		{"http://127.0.0.1:9/x", nil, "tok123"},
		{"http://localhost:9/x", given, "tok789"},
	} {
		a := newAccess(tc.url, tc.given, true, env)
		got := ""
		if a.cred != nil {
			got = a.cred.secret
		}
		if got != tc.want {
			t.Errorf("%s (given %v): sends %q, want %q", tc.url, tc.given != nil, got, tc.want)
		}
	}
	a := newAccess("http://git.example.com/x", nil, true, env)
	if e := a.authError(); !strings.Contains(e.Hint(), "only over https") {
		t.Errorf("plain http hint: %s", e.Hint())
	}
}

// A URL that would smuggle a line into the credential helper's request
// (a second host= wins) is not asked about.
func TestHelperRequestRefusesInjectedLines(t *testing.T) {
	u, _ := url.Parse("https://evil.example/x%0Ahost=git.example.com")
	if req, ok := helperRequest(u); ok {
		t.Errorf("asked the helper: %q", req)
	}
	u, _ = url.Parse("https://git.example.com:8443/acme/starter")
	req, ok := helperRequest(u)
	if !ok || req != "protocol=https\nhost=git.example.com:8443\npath=acme/starter\n\n" {
		t.Errorf("request %q", req)
	}
	if c := parseHelperAnswer("protocol=https\nhost=h\nusername=alice\npassword=pw\n"); c == nil || c.user != "alice" || c.secret != "pw" {
		t.Errorf("answer: %+v", c)
	}
	if c := parseHelperAnswer("username=alice\n"); c != nil {
		t.Errorf("an answer without a password: %+v", c)
	}
}

// assertNoSecret fails if secret is in any file (name or content) under dir.
func assertNoSecret(t *testing.T, secret string, dirs ...string) {
	t.Helper()
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.Contains(p, secret) {
				t.Errorf("a path holds the token: %s", p)
			}
			if d.Type().IsRegular() {
				data, err := os.ReadFile(p)
				if err != nil {
					return fmt.Errorf("reading %s: %w", p, err)
				}
				if strings.Contains(string(data), secret) {
					t.Errorf("%s holds the token", p)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func assertErrorClean(t *testing.T, err error, secret string) {
	t.Helper()
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), secret) || strings.Contains(fmt.Sprintf("%+v", e), secret) {
			t.Errorf("error shows the token: %v", e)
		}
	}
	if strings.Contains(hintOf(err), secret) {
		t.Errorf("hint shows the token: %s", hintOf(err))
	}
}

func TestTokenInURLIsUsedOnceAndStoredNowhere(t *testing.T) {
	repo := newStarterRepo(t, minimalStarter("1.0.0"))
	repo.tag("v1.0.0")
	srv, repoURL := serveRepo(t, repo)
	tok := secretToken(t)
	srv.require("ci", tok)
	opts := testOptions(t)
	opts.Getenv = envOf(nil)

	withToken := strings.Replace(repoURL, "http://", "http://ci:"+tok+"@", 1)
	src, err := Open(ctx, withToken+"@v1.0.0", opts)
	if err != nil {
		t.Fatal(err)
	}
	if src.Origin.URL != repoURL || src.Origin.Ref != "v1.0.0" {
		t.Errorf("origin %+v, want URL %s", src.Origin, repoURL)
	}
	if !srv.sentAuth() {
		t.Error("the token was not sent")
	}
	if fmt.Sprintf("%+v", src.Origin) != fmt.Sprintf("%+v", project.Origin{Kind: "git", URL: repoURL, Ref: "v1.0.0", Commit: src.Origin.Commit}) {
		t.Errorf("origin %+v", src.Origin)
	}
	assertNoSecret(t, tok, opts.CacheDir)
	// The cache is keyed by the URL without the token: the same starter
	// without a credential is the cached one.
	if _, err := Open(ctx, repoURL+"@"+src.Origin.Commit, opts); err != nil {
		t.Errorf("the cached commit, by the clean URL: %v", err)
	}

	// A wrong token: refused, and the error (the server echoes what it got) does not show it.
	bad := secretToken(t)
	_, err = Open(ctx, strings.Replace(repoURL, "http://", "http://ci:"+bad+"@", 1)+"@main", testOptions(t))
	var ae *AuthError
	if !errors.As(err, &ae) || !strings.Contains(err.Error(), "authentication failed: the server refused the credential from the URL") {
		t.Fatalf("wrong token: %v", err)
	}
	assertErrorClean(t, err, bad)
	// The token alone as the user name (https://TOKEN@host/repo) is sent too.
	srv.require(tok, "")
	if _, err := Open(ctx, strings.Replace(repoURL, "http://", "http://"+tok+"@", 1)+"@main", testOptions(t)); err != nil {
		t.Errorf("token as user name: %v", err)
	}
}

func TestAuthenticationRequiredSaysWhereTokensGo(t *testing.T) {
	repo := newStarterRepo(t, minimalStarter("1.0.0"))
	srv, repoURL := serveRepo(t, repo)
	srv.require("x-access-token", secretToken(t))
	opts := testOptions(t)
	opts.Getenv = envOf(nil)

	_, err := Open(ctx, repoURL+"@main", opts)
	var ae *AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want an AuthError", err)
	}
	if want := "fetching starter " + repoURL + ": authentication required"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	hint := ae.Hint()
	for _, want := range []string{TokenEnvFor(repoURL), "credential helper", "ssh"} {
		if !strings.Contains(hint, want) {
			t.Errorf("hint %q does not name %q", hint, want)
		}
	}
	if srv.sentAuth() {
		t.Error("a credential was sent with none configured")
	}
}

func TestHostTokenFromEnvironment(t *testing.T) {
	repo := newStarterRepo(t, minimalStarter("1.0.0"))
	srv, repoURL := serveRepo(t, repo)
	tok := secretToken(t)
	name := TokenEnvFor(repoURL)
	opts := testOptions(t)

	srv.require("x-access-token", tok)
	opts.Getenv = envOf(map[string]string{name: tok})
	if _, err := Open(ctx, repoURL+"@main", opts); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	// USER:TOKEN for a server that wants its own user name
	srv.require("bob", tok)
	opts.CacheDir = filepath.Join(t.TempDir(), "cache")
	opts.Getenv = envOf(map[string]string{name: "bob:" + tok})
	if _, err := Open(ctx, repoURL+"@main", opts); err != nil {
		t.Fatalf("%s=bob:TOKEN: %v", name, err)
	}
	// refused: the error names the variable, never the value
	srv.require("bob", secretToken(t))
	opts.CacheDir = filepath.Join(t.TempDir(), "cache")
	_, err := Open(ctx, repoURL+"@main", opts)
	if err == nil || !strings.Contains(err.Error(), "refused the credential from "+name) {
		t.Fatalf("refused: %v", err)
	}
	assertErrorClean(t, err, tok)
}

// The scoping rule: ENVGEN_GIT_TOKEN goes to a starter named on the
// command line, never to one named by envgen.lock, which a pull request
// can edit; only the lock host's own token goes there.
func TestUnscopedTokenNeverGoesToALockOrigin(t *testing.T) {
	repo := newStarterRepo(t, minimalStarter("1.0.0"))
	repo.tag("v1.0.0")
	srv, repoURL := serveRepo(t, repo)
	tok := secretToken(t)
	srv.require("x-access-token", tok)
	opts := testOptions(t)
	opts.Getenv = envOf(map[string]string{TokenEnv: tok})

	src, err := Open(ctx, repoURL+"@v1.0.0", opts) // --from: the user's choice
	if err != nil {
		t.Fatal(err)
	}
	before := len(srv.seen())

	opts.CacheDir = filepath.Join(t.TempDir(), "cache") // a fresh CI machine
	_, err = OpenOrigin(ctx, src.Origin, opts)
	var ae *AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("lock origin with only %s: %v, want an AuthError", TokenEnv, err)
	}
	if !strings.Contains(ae.Hint(), "never to one read from envgen.lock") || !strings.Contains(ae.Hint(), TokenEnvFor(repoURL)) {
		t.Errorf("hint %q", ae.Hint())
	}
	if _, err := latestTag(ctx, repoURL, opts); !errors.As(err, &ae) {
		t.Errorf("LatestTag with only %s: %v, want an AuthError", TokenEnv, err)
	}
	for _, a := range srv.seen()[before:] {
		if a != "" {
			t.Fatalf("a lock origin was sent %q", a)
		}
	}

	// The host's own token does go to the lock's host.
	opts.Getenv = envOf(map[string]string{TokenEnv: tok, TokenEnvFor(repoURL): tok})
	if _, err := OpenOrigin(ctx, src.Origin, opts); err != nil {
		t.Errorf("lock origin with %s: %v", TokenEnvFor(repoURL), err)
	}
	if tag, err := latestTag(ctx, repoURL, opts); err != nil || tag != "v1.0.0" {
		t.Errorf("LatestTag with %s: %q, %v", TokenEnvFor(repoURL), tag, err)
	}
}

// A lock edited to point at another server (one that asks for
// credentials) gets no token meant for the real host, scoped or not.
func TestLockPointingElsewhereGetsNoToken(t *testing.T) {
	repo := newStarterRepo(t, minimalStarter("1.0.0"))
	a, urlA := serveRepo(t, repo)
	b, urlB := serveRepo(t, repo)
	tokA := secretToken(t)
	a.require("x-access-token", tokA)
	b.require("x-access-token", "whatever-b-wants")
	env := map[string]string{TokenEnvFor(urlA): tokA, TokenEnv: tokA}
	opts := testOptions(t)
	opts.Getenv = envOf(env)

	src, err := Open(ctx, urlA+"@main", opts)
	if err != nil {
		t.Fatal(err)
	}
	lock := src.Origin
	lock.URL = urlB // the pull request's edit
	opts.CacheDir = filepath.Join(t.TempDir(), "cache")
	if _, err := OpenOrigin(ctx, lock, opts); err == nil {
		t.Error("server B let envgen in without a credential")
	}
	if _, err := latestTag(ctx, urlB, opts); err == nil {
		t.Error("LatestTag: server B let envgen in")
	}
	// Named on the command line, B still gets nothing scoped to A.
	opts.Getenv = envOf(map[string]string{TokenEnvFor(urlA): tokA})
	if _, err := Open(ctx, urlB+"@main", opts); err == nil {
		t.Error("--from B: let in")
	}
	if len(b.seen()) == 0 {
		t.Fatal("server B was not asked at all")
	}
	if b.sentAuth() {
		t.Errorf("server B was sent credentials: %q", b.seen())
	}
}

// go-git follows the first request's redirect; a redirect to another
// origin must not carry the token there.
func TestRedirectToAnotherHostDropsTheToken(t *testing.T) {
	repo := newStarterRepo(t, minimalStarter("1.0.0"))
	a, urlA := serveRepo(t, repo)
	b, urlB := serveRepo(t, repo) // public
	a.redirectTo(b.URL)
	tok := secretToken(t)
	opts := testOptions(t)
	opts.Getenv = envOf(map[string]string{TokenEnvFor(urlA): tok, TokenEnv: tok})

	src, err := Open(ctx, strings.Replace(urlA, "http://", "http://u:"+tok+"@", 1)+"@main", opts)
	if err != nil {
		t.Fatalf("through the redirect: %v", err)
	}
	if src.Origin.URL != urlA {
		t.Errorf("origin URL %s, want %s (what the user named)", src.Origin.URL, urlA)
	}
	if !a.sentAuth() {
		t.Error("server A got no credential")
	}
	if len(b.seen()) == 0 {
		t.Fatal("the redirect was not followed")
	}
	if b.sentAuth() {
		t.Errorf("the redirect carried the token to %s: %q", urlB, b.seen())
	}
}

// git's credential helper is asked after a 401, for the URL's host, and
// only then; ENVGEN_GIT_CREDENTIAL_HELPER=0 keeps envgen from asking.
func TestCredentialHelperAfterAuthenticationRequired(t *testing.T) {
	repo := newStarterRepo(t, minimalStarter("1.0.0"))
	srv, repoURL := serveRepo(t, repo)
	public, publicURL := serveRepo(t, repo)
	tok := secretToken(t)
	srv.require("alice", tok)

	dir := t.TempDir()
	log := filepath.Join(dir, "asked")
	cfg := filepath.Join(dir, "gitconfig")
	helper := fmt.Sprintf("!f() { test \"$1\" = get || exit 0; cat >> '%s'; printf 'username=alice\\npassword=%s\\n'; }; f", log, tok)
	if err := os.WriteFile(cfg, []byte("[credential]\n\thelper = "+quoteGitConfig(helper)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_CONFIG_GLOBAL", cfg)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	opts := testOptions(t)
	opts.Getenv = envOf(map[string]string{CredentialHelperEnv: ""})

	if _, err := Open(ctx, publicURL+"@main", opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(log); err == nil {
		t.Error("the helper was asked for a public repository")
	}
	if public.sentAuth() {
		t.Error("the public repository was sent a credential")
	}

	src, err := Open(ctx, repoURL+"@main", opts)
	if err != nil {
		t.Fatalf("with the helper: %v", err)
	}
	// git passes the helper protocol and host (the path too with
	// credential.useHttpPath), once.
	asked, _ := os.ReadFile(log)
	u, _ := url.Parse(repoURL)
	if want := "protocol=http\nhost=" + u.Host + "\n"; string(asked) != want {
		t.Errorf("the helper was asked %q, want %q once", asked, want)
	}
	assertNoSecret(t, tok, opts.CacheDir)

	// A lock origin may use the helper too: it answers for the lock's own host only.
	opts.CacheDir = filepath.Join(t.TempDir(), "cache")
	if _, err := OpenOrigin(ctx, src.Origin, opts); err != nil {
		t.Errorf("lock origin with the helper: %v", err)
	}

	_ = os.Remove(log)
	opts.CacheDir = filepath.Join(t.TempDir(), "cache")
	opts.Getenv = envOf(map[string]string{CredentialHelperEnv: "0"})
	_, err = Open(ctx, repoURL+"@main", opts)
	var ae *AuthError
	if !errors.As(err, &ae) || !strings.Contains(ae.Hint(), CredentialHelperEnv+"=0") {
		t.Errorf("helper off: %v (hint %q)", err, hintOf(err))
	}
	if _, err := os.Stat(log); err == nil {
		t.Error("the helper was asked with " + CredentialHelperEnv + "=0")
	}
}

func quoteGitConfig(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
