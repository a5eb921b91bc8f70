package starter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/transport"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"
)

// HostKeyError is an ssh server whose host key known_hosts does not vouch
// for: unknown, changed or revoked. envgen never trusts a host on first
// use, so a starter URL (perhaps from an edited envgen.lock) cannot make
// it talk to a server nobody checked.
type HostKeyError struct {
	URL string
	// Host is the host:port looked up in known_hosts.
	Host string
	// Fingerprint is the SHA256 fingerprint of the key the server showed.
	Fingerprint string
	// Changed: known_hosts holds other keys for the host.
	Changed bool
	// Revoked: known_hosts marks the key @revoked.
	Revoked bool
}

func (e *HostKeyError) Error() string {
	switch {
	case e.Revoked:
		return fmt.Sprintf("fetching starter %s: the host key of %s (%s) is revoked in known_hosts", e.URL, e.Host, e.Fingerprint)
	case e.Changed:
		return fmt.Sprintf("fetching starter %s: the host key of %s (%s) does not match known_hosts: the key was changed, or someone is in the middle of the connection", e.URL, e.Host, e.Fingerprint)
	}
	return fmt.Sprintf("fetching starter %s: the host key of %s (%s) is unknown: no known_hosts file lists it", e.URL, e.Host, e.Fingerprint)
}

// Hint says how to add the host once its key is checked.
func (e *HostKeyError) Hint() string {
	host, port, err := net.SplitHostPort(e.Host)
	if err != nil {
		host, port = e.Host, "22"
	}
	scan := "ssh-keyscan " + host
	if port != "22" {
		scan = "ssh-keyscan -p " + port + " " + host
	}
	switch {
	case e.Revoked:
		return "the host's operator revoked this key: do not connect; ask them for the current one"
	case e.Changed:
		return fmt.Sprintf("if the host's key was rotated, check the new fingerprint %s with its operator, then replace the old entry: ssh-keygen -R %s && %s >> ~/.ssh/known_hosts",
			e.Fingerprint, knownhosts.Normalize(e.Host), scan)
	}
	return fmt.Sprintf("check that %s is the host's key fingerprint (its operator or documentation says), then add it: %s >> ~/.ssh/known_hosts",
		e.Fingerprint, scan)
}

// sshAuth is go-git's ssh auth for one starter: the agent's keys and the
// user's unencrypted default keys, a password only when the URL held one,
// and a host key checked strictly against known_hosts.
type sshAuth struct {
	user, password string
	host           string // host:port, for known_hosts' host key algorithms
	getenv         func(string) string

	agentConn  net.Conn
	agent      agent.ExtendedAgent // one client per connection: it owns the reads
	agentErr   error
	noAgent    bool
	locked     []string // default key files that need a passphrase
	offered    int
	hostKeyErr *HostKeyError
	url        string
}

var _ gitssh.AuthMethod = (*sshAuth)(nil)

func newSSHAuth(source, password string, getenv func(string) string) *sshAuth {
	a := &sshAuth{password: password, getenv: getenv, url: source}
	ep, err := transport.NewEndpoint(source)
	if err != nil {
		return a
	}
	port := ep.Port
	if port <= 0 {
		port = gitssh.DefaultPort
	}
	a.host = net.JoinHostPort(strings.Trim(ep.Host, "[]"), strconv.Itoa(port))
	a.user = ep.User
	if a.user == "" && gitssh.DefaultSSHConfig != nil {
		a.user = gitssh.DefaultSSHConfig.Get(ep.Host, "User")
	}
	if a.user == "" {
		a.user = localUser(getenv)
	}
	return a
}

func localUser(getenv func(string) string) string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := getenv("USER"); u != "" {
		return u
	}
	return "git"
}

func (a *sshAuth) Name() string   { return "ssh-agent-and-keys" }
func (a *sshAuth) String() string { return "ssh user " + a.user }

// Format prints a as String does, whatever the verb: it may hold the
// URL's password.
func (a sshAuth) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "ssh user "+a.user) }

// ClientConfig is asked for by go-git for each connection.
func (a *sshAuth) ClientConfig() (*ssh.ClientConfig, error) {
	files := knownHostsFiles(a.getenv)
	var check ssh.HostKeyCallback
	cfg := &ssh.ClientConfig{User: a.user, Timeout: 30 * time.Second}
	if len(files) > 0 {
		db, err := gitssh.NewKnownHostsDb(files...)
		if err != nil {
			return nil, fmt.Errorf("reading known_hosts: %w", err)
		}
		check = db.HostKeyCallback()
		cfg.HostKeyAlgorithms = db.HostKeyAlgorithms(a.host)
	}
	cfg.HostKeyCallback = func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		err := error(&knownhosts.KeyError{}) // no known_hosts file: every host is unknown
		if check != nil {
			err = check(hostname, remote, key)
		}
		if err == nil {
			return nil
		}
		e := &HostKeyError{URL: a.url, Host: hostname, Fingerprint: ssh.FingerprintSHA256(key)}
		var ke *knownhosts.KeyError
		var re *knownhosts.RevokedError
		switch {
		case errors.As(err, &ke):
			e.Changed = len(ke.Want) > 0
		case errors.As(err, &re):
			e.Revoked = true
		}
		a.hostKeyErr = e
		return err
	}
	cfg.Auth = []ssh.AuthMethod{ssh.PublicKeysCallback(a.signers)}
	if a.password != "" {
		cfg.Auth = append(cfg.Auth, ssh.Password(a.password))
	}
	return cfg, nil
}

// knownHostsFiles are the known_hosts files that exist: $SSH_KNOWN_HOSTS
// (a list, as go-git reads it), else ~/.ssh/known_hosts and
// /etc/ssh/ssh_known_hosts.
func knownHostsFiles(getenv func(string) string) []string {
	files := filepath.SplitList(getenv("SSH_KNOWN_HOSTS"))
	if len(files) == 0 {
		if home := homeDir(getenv); home != "" {
			files = append(files, filepath.Join(home, ".ssh", "known_hosts"))
		}
		files = append(files, "/etc/ssh/ssh_known_hosts")
	}
	var out []string
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && fi.Mode().IsRegular() {
			out = append(out, f)
		}
	}
	return out
}

func homeDir(getenv func(string) string) string {
	if h := getenv("HOME"); h != "" {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}

// signers are the keys offered: the agent's (SSH_AUTH_SOCK), then the
// default key files that need no passphrase.
func (a *sshAuth) signers() ([]ssh.Signer, error) {
	var out []ssh.Signer
	seen := map[string]bool{}
	add := func(s ssh.Signer) {
		k := string(s.PublicKey().Marshal())
		if !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	if sock := a.getenv("SSH_AUTH_SOCK"); sock == "" {
		a.noAgent = true
	} else {
		if a.agentConn == nil {
			// go-git's ssh callback hands over no context: the dial gets
			// its own deadline.
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			a.agentConn, a.agentErr = (&net.Dialer{}).DialContext(ctx, "unix", sock)
			cancel()
			if a.agentConn != nil {
				a.agent = agent.NewClient(a.agentConn)
			}
		}
		if a.agent != nil {
			signers, err := a.agent.Signers()
			if err != nil {
				a.agentErr = err
			}
			for _, s := range signers {
				add(s)
			}
		}
	}
	a.locked = nil
	if home := homeDir(a.getenv); home != "" {
		for _, name := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
			data, err := os.ReadFile(filepath.Join(home, ".ssh", name)) //nolint:gosec // the user's default key files, ~/.ssh/id_*, as ssh itself reads them
			if err != nil {
				continue
			}
			s, err := ssh.ParsePrivateKey(data)
			var missing *ssh.PassphraseMissingError
			switch {
			case errors.As(err, &missing):
				a.locked = append(a.locked, name)
			case err == nil:
				add(s)
			}
		}
	}
	a.offered = len(out)
	return out, nil
}

func (a *sshAuth) close() {
	if a.agentConn != nil {
		_ = a.agentConn.Close()
		a.agentConn, a.agent = nil, nil
	}
}

func (a *sshAuth) problem() string {
	if a.offered == 0 {
		return "no ssh key to offer"
	}
	return fmt.Sprintf("the server accepted none of the %d ssh key(s) offered as %s", a.offered, a.user)
}

func (a *sshAuth) hint() string {
	var parts []string
	switch {
	case a.noAgent:
		parts = append(parts, `no ssh agent (SSH_AUTH_SOCK is not set): start one (eval "$(ssh-agent)") and add your key (ssh-add)`)
	case a.agentErr != nil:
		parts = append(parts, "the ssh agent at SSH_AUTH_SOCK did not answer: "+a.agentErr.Error())
	default:
		parts = append(parts, "add the key this repository accepts to your ssh agent (ssh-add), and check the user name in the URL")
	}
	if len(a.locked) > 0 {
		parts = append(parts, "~/.ssh/"+strings.Join(a.locked, ", ~/.ssh/")+" needs a passphrase: envgen uses it through the agent only")
	}
	parts = append(parts, "or use the https URL with "+TokenEnv+"_<HOST>")
	return strings.Join(parts, "; ")
}

func isHostKeyFailure(err error) bool {
	var ke *knownhosts.KeyError
	var re *knownhosts.RevokedError
	return errors.As(err, &ke) || errors.As(err, &re)
}
