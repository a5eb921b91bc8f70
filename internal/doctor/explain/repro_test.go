package explain

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io/fs"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/envgen/envgen/internal/testtool"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

// goBinaries: the go command on PATH and every Go 1.21 to 1.26 toolchain
// already in the module cache (GOTOOLCHAIN=go1.21.0 go env GOROOT
// downloads one), so each reproduction runs under each go command the
// table claims that this machine has.
func goBinaries(t *testing.T) map[string]string {
	bins := map[string]string{}
	if p, err := exec.LookPath("go"); err == nil {
		bins["path"] = p
	}
	// Every toolchain of 1.21 to 1.26 the module cache holds.
	out, err := exec.CommandContext(t.Context(), "go", "env", "GOMODCACHE").Output()
	if err == nil {
		ms, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "golang.org", "toolchain@v0.0.1-go1.2*."+goosArch(t), "bin", "go"))
		for _, m := range ms {
			v := strings.TrimPrefix(filepath.Base(filepath.Dir(filepath.Dir(m))), "toolchain@v0.0.1-go")
			v = strings.TrimSuffix(v, "."+goosArch(t))
			if inRange(v, "1.21-1.26") {
				bins["go"+v] = m
			}
		}
	}
	if len(bins) == 0 {
		testtool.Missing(t, "no go command of Go 1.21 to 1.26 on PATH or in the module cache")
	}
	return bins
}

func goosArch(t *testing.T) string {
	out, _ := exec.CommandContext(t.Context(), "go", "env", "GOOS").Output()
	arch, _ := exec.CommandContext(t.Context(), "go", "env", "GOARCH").Output()
	return strings.TrimSpace(string(out)) + "-" + strings.TrimSpace(string(arch))
}

// fakeProxy serves example.com/good@v1.0.0 as a module proxy does, a
// 404 for example.com/lag@v1.0.0, and a 502 under /down/.
func fakeProxy(t *testing.T) http.Handler {
	var zb bytes.Buffer
	files := []modzip.File{memFile{"go.mod", "module example.com/good\n"}, memFile{"good.go", "package good\n"}}
	if err := modzip.Create(&zb, module.Version{Path: "example.com/good", Version: "v1.0.0"}, files); err != nil {
		t.Fatal(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case strings.HasPrefix(p, "/down/"):
			http.Error(w, "upstream connect error", http.StatusBadGateway)
		case p == "/example.com/good/@v/v1.0.0.info":
			_, _ = w.Write([]byte(`{"Version":"v1.0.0","Time":"2026-01-01T00:00:00Z"}`))
		case p == "/example.com/good/@v/v1.0.0.mod":
			_, _ = w.Write([]byte("module example.com/good\n"))
		case p == "/example.com/good/@v/v1.0.0.zip":
			_, _ = w.Write(zb.Bytes())
		default:
			http.Error(w, "not found: "+strings.TrimPrefix(p, "/"), http.StatusNotFound)
		}
	})
}

type memFile struct{ path, data string }

func (f memFile) Path() string                { return f.path }
func (f memFile) Lstat() (os.FileInfo, error) { return memInfo{f}, nil }
func (f memFile) Open() (ioReadCloser, error) { return nopCloser{strings.NewReader(f.data)}, nil }

// expiredTLS is a TLS server whose certificate (from its own CA, written
// to caFile) expired yesterday.
func expiredTLS(t *testing.T, h http.Handler) (url, caFile string) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "expired.test", Organization: []string{"Expired Test CA"}},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return srv.URL, caFile
}

// The go command itself, run against fake proxies, prints texts the
// table classifies as expected: the reproductions behind the corpus's
// "reproduced here" cases, kept alive against each installed go command.
func TestReproductions(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	h := fakeProxy(t)
	proxy := httptest.NewServer(h)
	defer proxy.Close()
	tlsProxy := httptest.NewTLSServer(h)
	defer tlsProxy.Close()
	expiredURL, expiredCA := expiredTLS(t, h)
	closed := func() string {
		l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		a := l.Addr().String()
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		return a
	}()

	const good = "example.com/good@v1.0.0"
	type repro struct {
		name  string
		gomod string
		files map[string]string
		env   []string
		args  []string
		gosum string
		prep  func(t *testing.T, run func(env []string, args ...string) string)
		want  Cause
	}
	cases := []repro{
		{name: "goproxy-off", env: []string{"GOPROXY=off"}, args: []string{"mod", "download", good}, want: MisconfiguredEnv},
		{name: "refused", env: []string{"GOPROXY=http://" + closed}, args: []string{"mod", "download", good}, want: ProxyUnreachable},
		{name: "unknown-ca", env: []string{"GOPROXY=" + tlsProxy.URL}, args: []string{"mod", "download", good}, want: TLSInterception},
		{name: "expired", env: []string{"GOPROXY=" + expiredURL, "SSL_CERT_FILE=" + expiredCA}, args: []string{"mod", "download", good}, want: ClockSkew},
		{name: "502", env: []string{"GOPROXY=" + proxy.URL + "/down"}, args: []string{"mod", "download", good}, want: MirrorOutage},
		{name: "404", env: []string{"GOPROXY=" + proxy.URL}, args: []string{"mod", "download", "example.com/lag@v1.0.0"}, want: MirrorLag},
		{name: "gosum-mismatch", env: []string{"GOPROXY=" + proxy.URL}, args: []string{"mod", "download", good},
			gosum: "example.com/good v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", want: ChecksumMismatch},
		{name: "sumdb-dead", env: []string{"GOPROXY=" + proxy.URL, "GONOSUMDB=", "GOSUMDB=sum.golang.org http://" + closed}, args: []string{"mod", "download", good}, want: ProxyUnreachable},
		{name: "gosumdb-invalid", env: []string{"GOPROXY=" + proxy.URL, "GONOSUMDB=", "GOSUMDB=bogus!"}, args: []string{"mod", "download", good}, want: MisconfiguredEnv},
		{name: "goflags", env: []string{"GOFLAGS=-bogus"}, args: []string{"version"}, want: MisconfiguredEnv},
		{name: "toolchain-99", env: []string{"GOPROXY=" + proxy.URL, "GOTOOLCHAIN=go1.99.0"}, args: []string{"version"}, want: ToolchainNotAvailable},
		// go.mod's "go 1.22": Go 1.21.0 asks for a toolchain named go1.22 (golang/go#62278).
		{name: "lang-version", gomod: "module example.com/m\n\ngo 1.22\n", env: []string{"GOPROXY=" + proxy.URL, "GOTOOLCHAIN=auto"}, args: []string{"version"}, want: ToolchainNotAvailable},
		{name: "https-proxy-dead", env: []string{"GOPROXY=https://proxy.invalid", "HTTPS_PROXY=http://" + closed}, args: []string{"mod", "download", good}, want: MisconfiguredEnv},
		{name: "goproxy-empty", env: []string{"GOPROXY=,"}, args: []string{"mod", "download", good}, want: MisconfiguredEnv},
		{name: "gotoolchain-local", gomod: "module example.com/m\n\ngo 1.99.0\n", args: []string{"list", "-m"}, env: []string{"GOTOOLCHAIN=local"}, want: MisconfiguredEnv},
		{name: "gosum-missing", gomod: "module example.com/m\n\ngo 1.21\n\nrequire example.com/good v1.0.0\n",
			files: map[string]string{"main.go": "package main\n\nimport _ \"example.com/good\"\n\nfunc main() {}\n"},
			env:   []string{"GOPROXY=" + proxy.URL, "GOFLAGS=-mod=readonly -modcacherw"}, args: []string{"build", "."}, want: MisconfiguredEnv},
		{name: "corrupt-zip", gomod: "module example.com/m\n\ngo 1.21\n\nrequire example.com/good v1.0.0\n",
			files: map[string]string{"main.go": "package main\n\nimport _ \"example.com/good\"\n\nfunc main() {}\n"},
			env:   []string{"GOPROXY=off"}, args: []string{"build", "."},
			prep: func(t *testing.T, run func(env []string, args ...string) string) {
				run([]string{"GOPROXY=" + proxy.URL}, "mod", "download", "-x", good)
			}, want: CorruptCache},
		{name: "modified-cache", env: []string{"GOPROXY=" + proxy.URL}, args: []string{"mod", "verify"},
			prep: func(t *testing.T, run func(env []string, args ...string) string) {
				run([]string{"GOPROXY=" + proxy.URL}, "get", good)
			}, want: CorruptCache},
	}
	for name, bin := range goBinaries(t) {
		for _, c := range cases {
			t.Run(name+"/"+c.name, func(t *testing.T) {
				dir := t.TempDir()
				cache := filepath.Join(dir, "modcache")
				gomod := c.gomod
				if gomod == "" {
					gomod = "module example.com/m\n\ngo 1.21\n"
				}
				if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
					t.Fatal(err)
				}
				for name, data := range c.files {
					if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				if c.gosum != "" {
					if err := os.WriteFile(filepath.Join(dir, "go.sum"), []byte(c.gosum), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				run := func(env []string, args ...string) string {
					cmd := exec.CommandContext(t.Context(), bin, args...)
					cmd.Dir = dir
					for _, e := range os.Environ() {
						if !strings.HasPrefix(e, "GO") && !strings.HasPrefix(e, "SSL_CERT") {
							cmd.Env = append(cmd.Env, e)
						}
					}
					cmd.Env = append(cmd.Env, "GOMODCACHE="+cache, "GOPATH="+filepath.Join(dir, "gopath"), "GOFLAGS=-mod=mod -modcacherw",
						"GOTOOLCHAIN=local", "GONOSUMDB=example.com", "GOENV=off", "GOTELEMETRY=off", "GOCACHE="+filepath.Join(dir, "gocache"))
					cmd.Env = append(cmd.Env, env...)
					out, _ := cmd.CombinedOutput()
					return string(out)
				}
				if c.prep != nil {
					c.prep(t, run)
					if c.name == "corrupt-zip" {
						dl := filepath.Join(cache, "cache", "download", "example.com", "good", "@v")
						if err := os.RemoveAll(filepath.Join(cache, "example.com", "good@v1.0.0")); err != nil {
							t.Fatal(err)
						}
						if err := os.Remove(filepath.Join(dl, "v1.0.0.ziphash")); err != nil && !errors.Is(err, fs.ErrNotExist) {
							t.Fatal(err)
						}
						if err := os.WriteFile(filepath.Join(dl, "v1.0.0.zip"), []byte("PK\x03\x04 truncated"), 0o644); err != nil {
							t.Fatal(err)
						}
					}
					if c.name == "modified-cache" {
						f := filepath.Join(cache, "example.com", "good@v1.0.0", "good.go")
						if err := os.WriteFile(f, []byte("package good // edited\n"), 0o644); err != nil {
							t.Fatal(err)
						}
					}
				}
				out := run(c.env, c.args...)
				if c.name == "lang-version" && strings.HasPrefix(out, "go version ") {
					t.Skip("this go command needs no other toolchain for go 1.22")
				}
				fs, _ := Explain(strings.NewReader(out))
				if len(fs) == 0 || fs[0].Cause != c.want {
					var got []Cause
					for _, f := range fs {
						got = append(got, f.Cause)
					}
					t.Errorf("got %v, want %s first; output:\n%s", got, c.want, out)
				}
				t.Logf("output:\n%s", out)
			})
		}
	}
}
