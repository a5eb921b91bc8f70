package starter

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/http/cgi" //nolint:gosec // the test server runs git http-backend as CGI; Httpoxy (CVE-2016-5386) was fixed in Go 1.6.3
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/envgen/envgen/internal/testtool"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"
)

// gitHTTPServer serves the repositories under root over git's smart HTTP
// protocol (git http-backend as CGI) and records the Authorization header
// of every request it gets.
type gitHTTPServer struct {
	*httptest.Server
	root string

	mu       sync.Mutex
	auths    []string // Authorization of each request, "" for none
	user     string   // with pass: the only credential let in; empty: public
	pass     string
	redirect string // when set, every request is redirected to this base URL
}

func newGitHTTPServer(t *testing.T, root string) *gitHTTPServer {
	t.Helper()
	gitPath := testtool.Require(t, "git", "apt-get install git (the test server runs git http-backend)")
	s := &gitHTTPServer{root: root}
	backend := &cgi.Handler{
		Path: gitPath,
		Args: []string{"http-backend"},
		Env:  []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null"},
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.auths = append(s.auths, r.Header.Get("Authorization"))
		user, pass, redirect := s.user, s.pass, s.redirect
		s.mu.Unlock()
		if redirect != "" {
			http.Redirect(w, r, redirect+r.URL.RequestURI(), http.StatusFound) //nolint:gosec // the test server redirects on purpose, to a base URL the test set
			return
		}
		if user != "" || pass != "" {
			u, p, ok := r.BasicAuth()
			if !ok || u != user || p != pass {
				w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
				// A hostile server can echo what it was sent: envgen must scrub it.
				http.Error(w, "denied: "+r.Header.Get("Authorization")+" "+p, http.StatusUnauthorized)
				return
			}
		}
		backend.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// require makes the server refuse every request without this credential.
func (s *gitHTTPServer) require(user, pass string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user, s.pass = user, pass
}

func (s *gitHTTPServer) redirectTo(base string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.redirect = base
}

// seen returns the Authorization headers received so far.
func (s *gitHTTPServer) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auths...)
}

// sentAuth says whether any request carried an Authorization header.
func (s *gitHTTPServer) sentAuth() bool {
	for _, a := range s.seen() {
		if a != "" {
			return true
		}
	}
	return false
}

// serveRepo serves a starterRepo: its URL on the server.
func serveRepo(t *testing.T, r *starterRepo) (*gitHTTPServer, string) {
	t.Helper()
	s := newGitHTTPServer(t, filepath.Dir(r.dir))
	return s, s.URL + "/" + filepath.Base(r.dir)
}

// secretToken is a token no test text contains by chance.
func secretToken(t *testing.T) string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "tok-" + hex.EncodeToString(b)
}

// envOf is a getenv reading only vars. The credential helper is off
// unless vars says otherwise, so no test asks the machine's git config.
func envOf(vars map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		if k == CredentialHelperEnv {
			return "0"
		}
		return ""
	}
}

// sshServer is an ssh server that runs git-upload-pack for the key it
// authorizes, as a git host does.
type sshServer struct {
	addr    string
	hostKey ssh.Signer

	mu       sync.Mutex
	attempts int // public keys offered to it
}

func newSSHServer(t *testing.T, authorized ssh.PublicKey) *sshServer {
	t.Helper()
	if _, err := exec.LookPath("git-upload-pack"); err != nil {
		testtool.Require(t, "git", "apt-get install git (the ssh test server runs git-upload-pack)")
	}
	s := &sshServer{hostKey: newSigner(t)}
	cfg := &ssh.ServerConfig{
		//nolint:gosec // the state kept is a count of offered keys for the test to check; the decision uses only the key offered
		PublicKeyCallback: func(_ ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			s.mu.Lock()
			s.attempts++
			s.mu.Unlock()
			if authorized != nil && string(key.Marshal()) == string(authorized.Marshal()) {
				return &ssh.Permissions{}, nil
			}
			return nil, io.EOF
		},
	}
	cfg.AddHostKey(s.hostKey)
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	s.addr = ln.Addr().String()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(t.Context(), conn, cfg)
		}
	}()
	return s
}

func (s *sshServer) offered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

func (s *sshServer) serve(ctx context.Context, conn net.Conn, cfg *ssh.ServerConfig) {
	defer func() { _ = conn.Close() }()
	_, chans, reqs, err := ssh.NewServerConn(conn, cfg)
	if err != nil {
		return
	}
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			_ = nc.Reject(ssh.UnknownChannelType, "no")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			return
		}
		go func() {
			defer func() { _ = ch.Close() }()
			for req := range creqs {
				if req.Type != "exec" {
					_ = req.Reply(req.Type == "env", nil)
					continue
				}
				cmdline := string(req.Payload[4:])
				_ = req.Reply(true, nil)
				status := runUploadPack(ctx, cmdline, ch)
				_, _ = ch.SendRequest("exit-status", false, binary.BigEndian.AppendUint32(nil, status))
				return
			}
		}()
	}
}

// runUploadPack runs "git-upload-pack '/path'" with the channel as its
// standard streams.
func runUploadPack(ctx context.Context, cmdline string, ch ssh.Channel) uint32 {
	name, arg, ok := strings.Cut(cmdline, " ")
	if !ok || name != "git-upload-pack" {
		return 127
	}
	cmd := exec.CommandContext(ctx, "git", "upload-pack", strings.Trim(arg, "'"))
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = ch, ch, ch.Stderr()
	if err := cmd.Run(); err != nil {
		return 1
	}
	return 0
}

func newSigner(t *testing.T) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// startAgent serves an ssh agent holding the given keys on a unix socket
// and returns the socket's path, for SSH_AUTH_SOCK.
func startAgent(t *testing.T, keys ...ed25519.PrivateKey) string {
	t.Helper()
	ring := agent.NewKeyring()
	for _, k := range keys {
		if err := ring.Add(agent.AddedKey{PrivateKey: k}); err != nil {
			t.Fatal(err)
		}
	}
	dir, err := os.MkdirTemp("", "agent") // short: unix socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	sock := filepath.Join(dir, "s")
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer func() { _ = c.Close() }()
				_ = agent.ServeAgent(ring, c)
			}()
		}
	}()
	return sock
}

func newEd25519(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

// knownHostsFile writes a known_hosts file listing key for addr.
func knownHostsFile(t *testing.T, addr string, key ssh.PublicKey) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "known_hosts")
	line := ""
	if key != nil {
		line = knownhosts.Line([]string{knownhosts.Normalize(addr)}, key) + "\n"
	}
	if err := os.WriteFile(f, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}
