package starter

import (
	"encoding/pem"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// sshStarter is a starter repository behind an in-process ssh server that
// lets in the one key it was given.
func sshStarter(t *testing.T, authorized ssh.PublicKey) (*starterRepo, *sshServer, string) {
	t.Helper()
	repo := newStarterRepo(t, minimalStarter("1.0.0"))
	repo.tag("v1.0.0")
	srv := newSSHServer(t, authorized)
	return repo, srv, "ssh://git@" + srv.addr + repo.dir
}

func TestSSHFetchWithAgentAndKnownHosts(t *testing.T) {
	key := newEd25519(t)
	signer, _ := ssh.NewSignerFromKey(key)
	_, srv, repoURL := sshStarter(t, signer.PublicKey())
	opts := testOptions(t)
	opts.Getenv = envOf(map[string]string{
		"SSH_AUTH_SOCK":   startAgent(t, key),
		"SSH_KNOWN_HOSTS": knownHostsFile(t, srv.addr, srv.hostKey.PublicKey()),
		"HOME":            t.TempDir(),
	})
	src, err := Open(ctx, repoURL+"@v1.0.0", opts)
	if err != nil {
		t.Fatal(err)
	}
	if src.Origin.URL != repoURL || src.Manifest.Version != "1.0.0" || len(src.Origin.Commit) != 40 {
		t.Errorf("origin %+v, version %s", src.Origin, src.Manifest.Version)
	}
	if tag, err := latestTag(ctx, repoURL, opts); err != nil || tag != "v1.0.0" {
		t.Errorf("LatestTag over ssh: %q, %v", tag, err)
	}
}

// Without an agent, an unencrypted default key file (~/.ssh/id_ed25519) is
// offered, with the home from known_hosts' default place.
func TestSSHDefaultKeyFileAndKnownHosts(t *testing.T) {
	key := newEd25519(t)
	signer, _ := ssh.NewSignerFromKey(key)
	_, srv, repoURL := sshStarter(t, signer.PublicKey())
	home := t.TempDir()
	block, err := ssh.MarshalPrivateKey(key, "")
	if err != nil {
		t.Fatal(err)
	}
	kh := knownHostsFile(t, srv.addr, srv.hostKey.PublicKey())
	data, _ := os.ReadFile(kh)
	writeFiles(t, home, map[string]string{".ssh/id_ed25519": string(pem.EncodeToMemory(block)), ".ssh/known_hosts": string(data)})
	opts := testOptions(t)
	opts.Getenv = envOf(map[string]string{"HOME": home})
	if _, err := Open(ctx, repoURL+"@v1.0.0", opts); err != nil {
		t.Fatal(err)
	}
}

// An unknown host is refused before any key is offered to it, with the
// key's fingerprint and the ssh-keyscan line to add it after checking.
func TestSSHUnknownHostIsRefused(t *testing.T) {
	key := newEd25519(t)
	signer, _ := ssh.NewSignerFromKey(key)
	_, srv, repoURL := sshStarter(t, signer.PublicKey())
	_, port, _ := net.SplitHostPort(srv.addr)
	for name, knownHosts := range map[string]string{
		"empty known_hosts": knownHostsFile(t, srv.addr, nil),
		"no known_hosts":    filepath.Join(t.TempDir(), "missing"),
	} {
		opts := testOptions(t)
		opts.Getenv = envOf(map[string]string{"SSH_AUTH_SOCK": startAgent(t, key), "SSH_KNOWN_HOSTS": knownHosts, "HOME": t.TempDir()})
		_, err := Open(ctx, repoURL+"@v1.0.0", opts)
		var he *HostKeyError
		if !errors.As(err, &he) || he.Changed {
			t.Fatalf("%s: %v, want an unknown host", name, err)
		}
		fp := ssh.FingerprintSHA256(srv.hostKey.PublicKey())
		if !strings.Contains(err.Error(), "is unknown") || !strings.Contains(err.Error(), fp) {
			t.Errorf("%s: %v", name, err)
		}
		if want := "ssh-keyscan -p " + port + " 127.0.0.1 >> ~/.ssh/known_hosts"; !strings.Contains(he.Hint(), want) {
			t.Errorf("%s: hint %q, want %q", name, he.Hint(), want)
		}
	}
	if n := srv.offered(); n != 0 {
		t.Errorf("%d key(s) were offered to an unknown host", n)
	}
}

func TestSSHChangedHostKeyIsRefused(t *testing.T) {
	key := newEd25519(t)
	signer, _ := ssh.NewSignerFromKey(key)
	_, srv, repoURL := sshStarter(t, signer.PublicKey())
	opts := testOptions(t)
	opts.Getenv = envOf(map[string]string{
		"SSH_AUTH_SOCK":   startAgent(t, key),
		"SSH_KNOWN_HOSTS": knownHostsFile(t, srv.addr, newSigner(t).PublicKey()), // another key
	})
	_, err := Open(ctx, repoURL+"@v1.0.0", opts)
	var he *HostKeyError
	if !errors.As(err, &he) || !he.Changed || !strings.Contains(err.Error(), "does not match known_hosts") {
		t.Fatalf("%v, want a changed host key", err)
	}
	if !strings.Contains(he.Hint(), "ssh-keygen -R [127.0.0.1]:") {
		t.Errorf("hint %q", he.Hint())
	}
	if n := srv.offered(); n != 0 {
		t.Errorf("%d key(s) were offered to a host with a changed key", n)
	}
}

func TestSSHKeyRefused(t *testing.T) {
	_, srv, repoURL := sshStarter(t, newSigner(t).PublicKey()) // lets in another key only
	kh := knownHostsFile(t, srv.addr, srv.hostKey.PublicKey())

	opts := testOptions(t)
	opts.Getenv = envOf(map[string]string{"SSH_AUTH_SOCK": startAgent(t, newEd25519(t)), "SSH_KNOWN_HOSTS": kh, "HOME": t.TempDir()})
	_, err := Open(ctx, repoURL+"@v1.0.0", opts)
	var ae *AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("%v, want an AuthError", err)
	}
	if want := "fetching starter " + repoURL + ": authentication required: the server accepted none of the 1 ssh key(s) offered as git"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if !strings.Contains(ae.Hint(), "ssh-add") {
		t.Errorf("hint %q", ae.Hint())
	}
	if srv.offered() == 0 {
		t.Error("the agent's key was not offered")
	}

	opts.Getenv = envOf(map[string]string{"SSH_KNOWN_HOSTS": kh, "HOME": t.TempDir()})
	_, err = Open(ctx, repoURL+"@v1.0.0", opts)
	if !errors.As(err, &ae) || !strings.Contains(err.Error(), "no ssh key to offer") || !strings.Contains(ae.Hint(), "SSH_AUTH_SOCK is not set") {
		t.Errorf("no agent: %v (hint %q)", err, hintOf(err))
	}
}

// Which user, host and credentials an ssh URL gets.
func TestSSHAuthSelection(t *testing.T) {
	env := envOf(map[string]string{TokenEnv: "tok123"})
	for _, tc := range []struct{ url, user, host string }{
		{"git@git.example.com:acme/starter", "git", "git.example.com:22"},
		{"ssh://alice@git.example.com:2222/acme/starter", "alice", "git.example.com:2222"},
		{"ssh://git@[::1]:2222/x", "git", "[::1]:2222"},
	} {
		a := newAccess(tc.url, nil, true, env)
		if a.kind != "ssh" || a.ssh.user != tc.user || a.ssh.host != tc.host || a.ssh.password != "" {
			t.Errorf("%s: kind %s user %q host %q", tc.url, a.kind, a.ssh.user, a.ssh.host)
		}
		if a.method() != a.ssh || a.cred != nil {
			t.Errorf("%s: the method is not the ssh auth, or a token is kept", tc.url)
		}
	}
	// a password in the URL is used for ssh password auth, and shown nowhere
	s, cred, err := parseSpec("ssh://git:pw123@git.example.com/acme/starter@v1")
	if err != nil || s.Source != "ssh://git@git.example.com/acme/starter" {
		t.Fatalf("%+v %v", s, err)
	}
	a := newAccess(s.Source, cred, true, env)
	cfg, err := a.ssh.ClientConfig()
	if err != nil || a.ssh.password != "pw123" || len(cfg.Auth) != 2 || cfg.HostKeyCallback == nil || cfg.User != "git" {
		t.Errorf("config %+v, %v", cfg, err)
	}
	// URLs of the file and git schemes carry no credentials at all
	for _, u := range []string{"file:///srv/git/starter", "git://git.example.com/starter"} {
		if a := newAccess(u, nil, true, env); a.method() != nil || a.kind != "" {
			t.Errorf("%s: kind %q, method %v", u, a.kind, a.method())
		}
	}
}
