package doctor

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestProxyReachable(t *testing.T) {
	w := newWorld(t)
	srv := httptest.NewTLSServer(proxyHandler(http.StatusOK))
	defer srv.Close()
	w.trust(srv)
	w.env["GOPROXY"] = srv.URL + ",direct"
	r := w.run("goproxy")
	wantResult(t, r, StatusOK, "go uses "+srv.URL, "")
	if len(r.Details) != 1 || !strings.Contains(r.Details[0], "tls ok") || !strings.Contains(r.Details[0], "HTTP 200") {
		t.Errorf("details = %q, want the probe steps of the entry", r.Details)
	}
}

func TestProxyNameDoesNotResolve(t *testing.T) {
	w := newWorld(t)
	w.env["GOPROXY"] = "https://goproxy.invalid,direct"
	wantResult(t, w.run("goproxy"), StatusFail, "goproxy.invalid: DNS lookup failed", "check the host name in GOPROXY")
}

func TestProxyByName(t *testing.T) {
	w := newWorld(t)
	srv := httptest.NewTLSServer(proxyHandler(http.StatusOK))
	defer srv.Close()
	w.trust(srv)
	// httptest's certificate is valid for example.com.
	w.hosts["example.com"] = "127.0.0.1"
	w.env["GOPROXY"] = "https://example.com:" + srv.Listener.Addr().String()[len("127.0.0.1:"):]
	r := w.run("goproxy")
	wantResult(t, r, StatusOK, "go uses https://example.com:", "")
	if !strings.Contains(r.Details[0], "dns ok") {
		t.Errorf("details = %q, want a DNS step", r.Details)
	}
}

func TestProxyRefused(t *testing.T) {
	w := newWorld(t)
	w.env["GOPROXY"] = "https://" + closedPort(t) + ",direct"
	// GOPROXY comes from the environment, which go env -w cannot override.
	wantResult(t, w.run("goproxy"), StatusFail, "connection refused", "nothing listens there: the proxy is down or the URL in GOPROXY is wrong; try export GOPROXY=https://proxy.golang.org,direct")
}

func TestProxyHangs(t *testing.T) {
	for _, scheme := range []string{"https", "http"} {
		t.Run(scheme, func(t *testing.T) {
			w := newWorld(t)
			w.cfg.Timeout = 200 * time.Millisecond
			w.env["GOPROXY"] = scheme + "://" + hangingListener(t) + ",direct"
			r := w.run("goproxy")
			// The check reports where it was stuck itself, before the
			// runner gives up on it.
			wantResult(t, r, StatusFail, "timed out", "")
			if r.Fix == "" {
				t.Error("no fix for a hanging proxy")
			}
		})
	}
}

func TestProxyStatus(t *testing.T) {
	tests := []struct {
		name           string
		status         int
		sep            string
		want           Status
		sawHas, fixHas string
	}{
		// 404 after ',' falls through to the next entry.
		{"404 comma", http.StatusNotFound, ",", StatusWarn, "HTTP 404 for /golang.org/toolchain/@v/list; the go command falls through to the next entry (','), and uses https://", "mirror that lags"},
		// 500 after ',' stops the go command.
		{"500 comma", http.StatusInternalServerError, ",", StatusFail, "HTTP 500 (server error): the go command stops here", "use '|'"},
		// 500 after '|' falls through.
		{"500 pipe", http.StatusInternalServerError, "|", StatusWarn, "HTTP 500 (server error); the go command falls through to the next entry ('|'), and uses https://", "remove https://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			bad := httptest.NewTLSServer(proxyHandler(tt.status))
			defer bad.Close()
			good := httptest.NewTLSServer(proxyHandler(http.StatusOK))
			defer good.Close()
			w.trust(bad)
			w.trust(good)
			w.env["GOPROXY"] = bad.URL + tt.sep + good.URL
			r := w.run("goproxy")
			wantResult(t, r, tt.want, tt.sawHas, tt.fixHas)
			if tt.want == StatusWarn && !strings.Contains(r.Saw, good.URL) {
				t.Errorf("saw %q, want the second entry used", r.Saw)
			}
		})
	}
}

func TestProxyLastEntry404(t *testing.T) {
	w := newWorld(t)
	srv := httptest.NewTLSServer(proxyHandler(http.StatusNotFound))
	defer srv.Close()
	w.trust(srv)
	w.env["GOPROXY"] = srv.URL
	wantResult(t, w.run("goproxy"), StatusFail, "HTTP 404 for /golang.org/toolchain/@v/list: the go command stops here (last entry)", "mirror that lags")
}

func TestProxyUnknownIssuer(t *testing.T) {
	w := newWorld(t)
	srv := httptest.NewTLSServer(proxyHandler(http.StatusOK)) // its certificate is not trusted
	defer srv.Close()
	w.env["GOPROXY"] = srv.URL + ",direct"
	wantResult(t, w.run("goproxy"), StatusFail, "signed by an unknown authority", "SSL_CERT_FILE")
}

func TestProxyExpiredCertificate(t *testing.T) {
	w := newWorld(t)
	now := time.Now()
	srv, cert := tlsServerWithCert(t, proxyHandler(http.StatusOK), now.Add(-60*24*time.Hour), now.Add(-24*time.Hour))
	w.roots.AddCert(cert)
	w.env["GOPROXY"] = srv.URL + ",direct"
	wantResult(t, w.run("goproxy"), StatusFail, "outside its validity period", "timedatectl")
}

func TestProxySyntax(t *testing.T) {
	tests := []struct {
		proxy          string
		want           Status
		sawHas, fixHas string
	}{
		{"off", StatusFail, "downloads nothing", "export GOPROXY=https://proxy.golang.org,direct"},
		{"direct", StatusWarn, "no proxy", "GOPROXY=https://proxy.golang.org,direct"},
		{"ftp://mirror.example", StatusFail, "unsupported scheme ftp", "GOPROXY=https://proxy.golang.org,direct"},
		{"https://proxy.golang.org,direct", StatusSkip, "syntax ok; not probed: --offline", ""},
	}
	for _, tt := range tests {
		t.Run(tt.proxy, func(t *testing.T) {
			w := newWorld(t)
			w.cfg.Offline = true
			w.env["GOPROXY"] = tt.proxy
			wantResult(t, w.run("goproxy"), tt.want, tt.sawHas, tt.fixHas)
		})
	}
}

// A mirror whose toolchain list lacks the pinned release lags behind.
func TestProxyMirrorLag(t *testing.T) {
	w := newWorld(t)
	srv := httptest.NewTLSServer(proxyHandler(http.StatusOK)) // lists go1.26.11 only
	defer srv.Close()
	w.trust(srv)
	w.env["GOPROXY"] = srv.URL + ",direct"
	writeFile(t, filepath.Join(w.cfg.Dir, "go.mod"), "module example.com/svc\n\ngo 1.26\n\ntoolchain go1.26.12\n")
	wantResult(t, w.run("goproxy"), StatusWarn, "does not list the project's go1.26.12 for linux-amd64 yet", "go env -w GOPROXY=https://proxy.golang.org,"+srv.URL)
	writeFile(t, filepath.Join(w.cfg.Dir, "go.mod"), "module example.com/svc\n\ngo 1.26\n\ntoolchain go1.26.11\n")
	wantResult(t, w.run("goproxy"), StatusOK, "go uses "+srv.URL, "")
}
