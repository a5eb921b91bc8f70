package starter

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"
	"unicode"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// Credentials for private starters.
//
// Over https envgen sends a token as basic auth; over ssh it offers the
// agent's keys and checks the host against known_hosts. Where a credential
// may go is the point of this file:
//
//   - ENVGEN_GIT_TOKEN_<HOST> goes to HOST only (see tokenVar for the name).
//   - ENVGEN_GIT_TOKEN, not scoped to a host, goes only to the host of a
//     starter the user named on the command line (Open, for --from), never
//     to one read from envgen.lock (OpenOrigin, LatestTag): a lock is input
//     a pull request can edit, so it must not be able to point a token at
//     a host of its choosing.
//   - userinfo in the URL (https://user:token@host/repo) goes to that
//     host, for that one fetch, and is stored nowhere.
//   - git's credential helper is asked only after the server answered 401
//     or 403 to a request without a credential, for that URL's own host,
//     without prompting; its answer goes to that host only.
//   - nothing is sent over plain http, except to a loopback address.
//   - a redirect to another origin (scheme, host, port) carries nothing:
//     go-git follows only the first request's redirect and drops the
//     credentials when it leaves the origin.
const (
	// TokenEnv is the token for a starter named on the command line.
	TokenEnv = "ENVGEN_GIT_TOKEN" //nolint:gosec // the name of an environment variable, not a credential
	// CredentialHelperEnv set to 0 keeps envgen from asking git's
	// credential helper.
	CredentialHelperEnv = "ENVGEN_GIT_CREDENTIAL_HELPER" //nolint:gosec // the name of an environment variable, not a credential

	tokenUser     = "x-access-token" // GitHub's; GitLab, Gitea and Bitbucket take any user with a token
	helperTimeout = 30 * time.Second
)

// TokenEnvFor names the variable whose token envgen sends to the host of
// an http(s) repository URL, or returns "" when the host has no such name
// (not http(s), an IPv6 address, a character outside letters, digits, dots
// and dashes).
func TokenEnvFor(repoURL string) string {
	u, err := url.Parse(Redact(repoURL))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	return tokenVar(u)
}

// tokenVar is ENVGEN_GIT_TOKEN_ followed by the host upper-cased, each dot
// written _ and each dash __, and a port other than the scheme's default
// appended as _PORT: git.example.com is ENVGEN_GIT_TOKEN_GIT_EXAMPLE_COM,
// git-example.com ENVGEN_GIT_TOKEN_GIT__EXAMPLE_COM, localhost:8443
// ENVGEN_GIT_TOKEN_LOCALHOST_8443. Writing dashes as single underscores
// would give git.example.com and git-example.com, two hosts anyone can
// register apart, one variable; this way no two host names share one. A
// host for which that cannot be promised (IPv6 literals, underscores,
// non-ASCII names, a label starting or ending with a dash, a numeric last
// label that is not part of an IPv4 address) has no variable.
func tokenVar(u *url.URL) string {
	host := u.Hostname()
	if host == "" {
		return ""
	}
	ipv4 := false
	if addr, err := netip.ParseAddr(host); err == nil {
		if !addr.Is4() {
			return ""
		}
		ipv4 = true
	}
	labels := strings.Split(host, ".")
	var b strings.Builder
	b.WriteString(TokenEnv + "_")
	for i, label := range labels {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return ""
		}
		if i > 0 {
			b.WriteByte('_')
		}
		for _, r := range label {
			switch {
			case r >= 'a' && r <= 'z':
				b.WriteRune(r - 'a' + 'A')
			case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
				b.WriteRune(r)
			case r == '-':
				b.WriteString("__")
			default:
				return ""
			}
		}
	}
	if !ipv4 && allDigits(labels[len(labels)-1]) {
		return ""
	}
	if port := strings.TrimLeft(u.Port(), "0"); port != "" && port != defaultPort(u.Scheme) {
		if !allDigits(port) {
			return ""
		}
		b.WriteString("_" + port)
	}
	return b.String()
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func defaultPort(scheme string) string {
	if scheme == "http" {
		return "80"
	}
	return "443"
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && addr.IsLoopback()
}

// AuthError is a repository that asked for credentials envgen did not
// have, or refused the ones it sent. Its text never holds a secret.
type AuthError struct {
	URL string
	// Problem is "authentication required", or "authentication failed: ..."
	// when a credential was sent and refused.
	Problem string
	hint    string
}

func (e *AuthError) Error() string { return "fetching starter " + e.URL + ": " + e.Problem }

// Hint says where envgen looks for credentials.
func (e *AuthError) Hint() string { return e.hint }

// access is how the fetches of one starter authenticate: which credential
// goes to its host, and which does not.
type access struct {
	url     string   // the repository URL without userinfo: what go-git and messages see
	kind    string   // "http" for http and https, "ssh", or "" for file://, git:// and folders
	u       *url.URL // kind http: the parsed URL
	trusted bool     // named on the command line, not read from a lock
	getenv  func(string) string

	cred      *credential // kind http: what is sent; nil sends nothing
	withheld  bool        // ENVGEN_GIT_TOKEN was set but not sent: the URL came from a lock
	cleartext bool        // plain http to a host that is not loopback: nothing is sent
	asked     bool        // the credential helper was asked
	ssh       *sshAuth
	secrets   []string // scrubbed from every error
}

// Format prints what a holds without a secret, whatever the verb: fmt
// would otherwise print its fields, secrets among them.
func (a access) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "access to %s (kind %q, trusted %t)", a.url, a.kind, a.trusted)
}

// newAccess decides what the fetches of source may send. given is the
// userinfo source had, taken out by the caller; a source still holding
// one loses it here.
func newAccess(source string, given *credential, trusted bool, getenv func(string) string) *access {
	source, inURL := splitUserinfo(source)
	if given == nil {
		given = inURL
	}
	a := &access{url: source, trusted: trusted, getenv: getenv}
	a.hide(given)
	switch {
	case strings.HasPrefix(source, "https://"), strings.HasPrefix(source, "http://"):
		u, err := url.Parse(source)
		if err != nil {
			return a
		}
		a.kind, a.u = "http", u
		a.cleartext = u.Scheme == "http" && !isLoopback(u.Hostname())
		a.cred = a.httpCredential(given)
		a.hide(a.cred)
	case strings.HasPrefix(source, "ssh://"), scpLike.MatchString(source):
		a.kind = "ssh"
		password := ""
		if given != nil {
			password = given.secret
		}
		a.ssh = newSSHAuth(source, password, getenv)
	}
	return a
}

// httpCredential picks what is sent before the server asks: the URL's
// own credential, else the host's token, else, for a starter named on the
// command line only, the unscoped token.
func (a *access) httpCredential(given *credential) *credential {
	if a.cleartext {
		return nil
	}
	if given != nil {
		return given
	}
	if name := tokenVar(a.u); name != "" {
		if tok := a.getenv(name); strings.TrimSpace(tok) != "" {
			return tokenCredential(tok, name)
		}
	}
	if tok := a.getenv(TokenEnv); strings.TrimSpace(tok) != "" {
		if a.trusted {
			return tokenCredential(tok, TokenEnv)
		}
		a.withheld = true
	}
	return nil
}

// tokenCredential reads a token variable: TOKEN, or USER:TOKEN for a
// server that wants a particular user name.
func tokenCredential(value, from string) *credential {
	value = strings.TrimSpace(value) // a token read from a file keeps its newline
	if user, tok, ok := strings.Cut(value, ":"); ok && user != "" && tok != "" {
		return &credential{user: user, secret: tok, from: from}
	}
	return &credential{user: tokenUser, secret: value, from: from}
}

// method is the go-git auth for the next request; nil sends none.
func (a *access) method() transport.AuthMethod {
	switch {
	case a.kind == "http" && a.cred != nil:
		return &githttp.BasicAuth{Username: a.cred.user, Password: a.cred.secret}
	case a.kind == "ssh":
		return a.ssh
	}
	return nil
}

// run does one remote operation. When an http server asks for a
// credential none was sent for, git's credential helper is asked once and
// the operation tried again with its answer.
func (a *access) run(ctx context.Context, op func(transport.AuthMethod) error) error {
	err := op(a.method())
	if a.kind == "http" && a.cred == nil && !a.cleartext && !a.asked && isAuthFailure(err) {
		a.asked = true
		if c := a.fromHelper(ctx); c != nil {
			a.cred = c
			a.hide(c)
			err = op(a.method())
		}
	}
	return a.wrap(err)
}

// hide adds c's secret to what errors are scrubbed of, in the forms a
// server could echo: as sent in the URL, and as the basic auth header.
func (a *access) hide(c *credential) {
	if c == nil {
		return
	}
	a.secrets = append(a.secrets, c.sensitive(), base64.StdEncoding.EncodeToString([]byte(c.user+":"+c.secret)))
}

func (a *access) close() {
	if a.ssh != nil {
		a.ssh.close()
	}
}

func isAuthFailure(err error) bool {
	return err != nil && (errors.Is(err, transport.ErrAuthenticationRequired) ||
		errors.Is(err, transport.ErrAuthorizationFailed) ||
		strings.Contains(err.Error(), "ssh: unable to authenticate"))
}

// wrap turns a failed operation into the error envgen shows: an
// authentication or host key problem as such, anything else as a
// FetchError, and in every case without a secret in its text.
func (a *access) wrap(err error) error {
	if err == nil {
		return nil
	}
	if a.ssh != nil && a.ssh.hostKeyErr != nil {
		return a.ssh.hostKeyErr
	}
	if isAuthFailure(err) && !errors.Is(err, context.Canceled) {
		return a.authError()
	}
	var fe *FetchError
	if errors.As(err, &fe) {
		return &FetchError{URL: a.url, Err: scrub(fe.Err, a.secrets)}
	}
	return scrub(err, a.secrets)
}

func (a *access) authError() *AuthError {
	e := &AuthError{URL: a.url, Problem: "authentication required"}
	switch {
	case a.kind == "ssh":
		e.Problem += ": " + a.ssh.problem()
		e.hint = a.ssh.hint()
	case a.kind == "http" && a.cred != nil:
		e.Problem = "authentication failed: the server refused the credential from " + a.cred.from
		e.hint = fmt.Sprintf("check that the credential from %s is valid, has not expired and may read the repository", a.cred.from)
	case a.kind == "http":
		e.hint = a.httpHint()
	default:
		e.hint = "use an https URL with " + TokenEnv + "_<HOST>, or an ssh URL"
	}
	return e
}

func (a *access) httpHint() string {
	if a.cleartext {
		return "envgen sends credentials only over https (or to a loopback address): use the repository's https:// URL"
	}
	host := a.u.Host
	name := tokenVar(a.u)
	if name == "" {
		name = TokenEnv + "_<HOST>"
	}
	var parts []string
	if a.withheld {
		parts = append(parts, TokenEnv+" is sent only to a starter named with --from, never to one read from envgen.lock")
	}
	parts = append(parts, fmt.Sprintf("set %s to a token that may read the repository (it is sent to %s only)", name, host))
	if helperOff(a.getenv) {
		parts = append(parts, "or drop "+CredentialHelperEnv+"=0 to use git's credential helper")
	} else {
		parts = append(parts, "or store a credential for "+host+" in git's credential helper")
	}
	parts = append(parts, fmt.Sprintf("or use ssh (git@%s:%s)", a.u.Hostname(), strings.TrimPrefix(a.u.Path, "/")))
	return strings.Join(parts, "; ")
}

func helperOff(getenv func(string) string) bool {
	switch strings.ToLower(getenv(CredentialHelperEnv)) {
	case "0", "false", "no", "off":
		return true
	}
	return false
}

// fromHelper asks git's credential helper for the URL's host, the way git
// does before it prompts, but never prompts: no terminal, no askpass
// program, no helper GUI. envgen only reads from the helper; it never
// stores or erases a credential there.
func (a *access) fromHelper(ctx context.Context) *credential {
	if helperOff(a.getenv) {
		return nil
	}
	req, ok := helperRequest(a.u)
	if !ok {
		return nil
	}
	git, err := exec.LookPath("git")
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, helperTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, git, "-c", "credential.interactive=false", "credential", "fill") //nolint:gosec // git found on PATH, with fixed arguments; the request goes on stdin
	cmd.Stdin = strings.NewReader(req)
	// GIT_ASKPASS set and empty stops git before core.askPass and SSH_ASKPASS.
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=", "GCM_INTERACTIVE=never")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, io.Discard
	if cmd.Run() != nil {
		return nil
	}
	return parseHelperAnswer(out.String())
}

// helperRequest is the `git credential fill` request for u. A value with a
// newline or another control character could add a line of its own (a
// second host= wins), so such a URL is not asked about at all.
func helperRequest(u *url.URL) (string, bool) {
	path := strings.TrimPrefix(u.Path, "/")
	for _, v := range []string{u.Scheme, u.Host, path} {
		if strings.IndexFunc(v, unicode.IsControl) >= 0 {
			return "", false
		}
	}
	return "protocol=" + u.Scheme + "\nhost=" + u.Host + "\npath=" + path + "\n\n", true
}

func parseHelperAnswer(out string) *credential {
	c := &credential{from: "git credential fill"}
	for line := range strings.SplitSeq(out, "\n") {
		key, value, _ := strings.Cut(strings.TrimSuffix(line, "\r"), "=")
		switch key {
		case "username":
			c.user = value
		case "password":
			c.secret = value
		}
	}
	if c.secret == "" {
		return nil
	}
	if c.user == "" {
		c.user = tokenUser
	}
	return c
}
