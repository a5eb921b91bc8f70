package doctor

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// connectProxy is an HTTP proxy that tunnels every CONNECT to target, or
// answers every CONNECT with refuse when refuse is set.
func connectProxy(t *testing.T, target string, refuse int) string {
	t.Helper()
	ln, err := new(net.ListenConfig).Listen(t.Context(), "tcp", "127.0.0.1:0")
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
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil || req.Method != http.MethodConnect {
					return
				}
				if refuse != 0 {
					_, _ = fmt.Fprintf(c, "HTTP/1.1 %d %s\r\n\r\n", refuse, http.StatusText(refuse))
					return
				}
				up, err := new(net.Dialer).DialContext(t.Context(), "tcp", target)
				if err != nil {
					return
				}
				defer func() { _ = up.Close() }()
				_, _ = io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
				go func() { _, _ = io.Copy(up, c) }()
				_, _ = io.Copy(c, up)
			}()
		}
	}()
	return ln.Addr().String()
}

func TestProxyThroughHTTPSProxy(t *testing.T) {
	w := newWorld(t)
	srv := httptest.NewTLSServer(proxyHandler(http.StatusOK))
	defer srv.Close()
	w.trust(srv)
	w.env["HTTPS_PROXY"] = "http://" + connectProxy(t, srv.Listener.Addr().String(), 0)
	// The name is resolved by the proxy, never here; httptest's
	// certificate is valid for example.com.
	w.env["GOPROXY"] = "https://example.com,direct"
	r := w.run("goproxy")
	wantResult(t, r, StatusOK, "go uses https://example.com", "")
	if !strings.Contains(r.Details[0], "via proxy http://127.0.0.1:") || !strings.Contains(r.Details[0], "tunnel ok") {
		t.Errorf("details = %q, want the tunnel", r.Details)
	}
}

func TestProxyTunnelRefused(t *testing.T) {
	w := newWorld(t)
	w.env["HTTPS_PROXY"] = "http://" + connectProxy(t, "", http.StatusProxyAuthRequired)
	w.env["GOPROXY"] = "https://example.com,direct"
	wantResult(t, w.run("goproxy"), StatusFail, "refused the tunnel: 407 Proxy Authentication Required", "check HTTPS_PROXY")
}

func TestProxyDown(t *testing.T) {
	w := newWorld(t)
	w.env["HTTPS_PROXY"] = "http://" + closedPort(t)
	w.env["GOPROXY"] = "https://example.com,direct"
	wantResult(t, w.run("goproxy"), StatusFail, "the HTTP(S) proxy http://127.0.0.1:", "check HTTPS_PROXY")
}
