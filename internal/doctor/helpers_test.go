package doctor

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeWorld is a machine with no way out: environment from a map, a fake
// GOROOT, a fake go command, DNS that knows only a few names, and a dialer
// that reaches only loopback.
type fakeWorld struct {
	t     *testing.T
	env   map[string]string
	hosts map[string]string // name -> 127.0.0.1
	roots *x509.CertPool
	cfg   Config
	execs []string // commands run
}

const fakeGoVersion = "go1.26.11"

func newWorld(t *testing.T) *fakeWorld {
	t.Helper()
	w := &fakeWorld{t: t, hosts: map[string]string{}, roots: x509.NewCertPool()}
	root := filepath.Join(t.TempDir(), "goroot")
	writeFile(t, filepath.Join(root, "VERSION"), fakeGoVersion+"\ntime 2026-11-01T00:00:00Z\n")
	writeFile(t, filepath.Join(root, "go.env"), "GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=auto\n")
	w.env = map[string]string{
		"GOENV":      "off",
		"GOMODCACHE": filepath.Join(t.TempDir(), "modcache"),
	}
	w.cfg = Config{
		Dir:     t.TempDir(),
		Timeout: 5 * time.Second,
		Getenv:  func(k string) string { return w.env[k] },
		GOROOT:  root,
		Now:     time.Now,
		Net: Network{
			LookupHost: func(_ context.Context, host string) ([]string, error) {
				if ip, ok := w.hosts[host]; ok {
					return []string{ip}, nil
				}
				return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
			},
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				host, _, _ := net.SplitHostPort(addr)
				if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
					t.Errorf("test tried to reach %s: only loopback is allowed", addr)
					return nil, errors.New("no network in tests")
				}
				var d net.Dialer
				return d.DialContext(ctx, network, addr)
			},
			RootCAs: w.roots,
		},
		LookPath: func(name string) (string, error) {
			if name == "go" {
				return "/fake/bin/go", nil
			}
			return "", errors.New("not found")
		},
		Exec: func(_ context.Context, _ []string, name string, args ...string) ([]byte, error) {
			w.execs = append(w.execs, name+" "+strings.Join(args, " "))
			if name == "/fake/bin/go" && len(args) == 1 && args[0] == "version" {
				return []byte("go version " + fakeGoVersion + " linux/amd64\n"), nil
			}
			return nil, errors.New("unexpected command")
		},
		GOOS:   "linux",
		GOARCH: "amd64",
	}
	return w
}

// run runs the named check through the Runner, as a real run would.
func (w *fakeWorld) run(name string) Result {
	w.t.Helper()
	for _, c := range Checks(w.cfg) {
		if c.Name() == name {
			rep := Runner{Timeout: w.cfg.Timeout}.Run(context.Background(), []Check{c})
			return rep.Results[0]
		}
	}
	w.t.Fatalf("no check %q", name)
	return Result{}
}

// trust adds a test server's certificate to the roots.
func (w *fakeWorld) trust(srv *httptest.Server) { w.roots.AddCert(srv.Certificate()) }

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func wantResult(t *testing.T, r Result, status Status, sawHas, fixHas string) {
	t.Helper()
	if r.Status != status || !strings.Contains(r.Saw, sawHas) || !strings.Contains(r.Fix, fixHas) {
		t.Errorf("%s: got status %s\n  saw: %s\n  fix: %s\n  details: %q\nwant status %s, saw containing %q, fix containing %q",
			r.Name, r.Status, r.Saw, r.Fix, r.Details, status, sawHas, fixHas)
	}
}

// proxyServer answers the toolchain list (and anything else) with status.
func proxyHandler(status int) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.WriteHeader(status)
		if status == http.StatusOK {
			_, _ = rw.Write([]byte("v0.0.1-go1.26.11.linux-amd64\n"))
		}
	})
}

// hangingListener accepts connections and never answers.
func hangingListener(t *testing.T) string {
	t.Helper()
	ln, err := new(net.ListenConfig).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // held open, never read or written
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return ln.Addr().String()
}

// closedPort is an address where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := new(net.ListenConfig).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// tlsServerWithCert serves h with a certificate for 127.0.0.1 valid from
// notBefore to notAfter, self-signed, and returns it and the certificate.
func tlsServerWithCert(t *testing.T, h http.Handler, notBefore, notAfter time.Time) (*httptest.Server, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "test proxy"},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, cert
}
