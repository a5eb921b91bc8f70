package doctor

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// Network is how the doctor reaches the outside world. Tests replace every
// field; the zero value uses the system resolver, dialer and roots.
type Network struct {
	LookupHost  func(ctx context.Context, host string) ([]string, error)
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
	// RootCAs verifies certificates; nil means the system roots (which
	// honour SSL_CERT_FILE and SSL_CERT_DIR).
	RootCAs *x509.CertPool
	// Proxy picks the HTTP(S) proxy for a URL, as the go command does
	// from HTTPS_PROXY, HTTP_PROXY and NO_PROXY; nil means none.
	Proxy func(*url.URL) (*url.URL, error)
}

// ProxyFromEnv is the go command's (net/http's) proxy choice, read
// through getenv.
func ProxyFromEnv(getenv func(string) string) func(*url.URL) (*url.URL, error) {
	either := func(a, b string) string {
		if v := getenv(a); v != "" {
			return v
		}
		return getenv(b)
	}
	cfg := &httpproxy.Config{
		HTTPProxy:  either("HTTP_PROXY", "http_proxy"),
		HTTPSProxy: either("HTTPS_PROXY", "https_proxy"),
		NoProxy:    either("NO_PROXY", "no_proxy"),
	}
	if cfg.HTTPProxy == "" && cfg.HTTPSProxy == "" {
		return nil
	}
	return cfg.ProxyFunc()
}

func (n Network) lookupHost(ctx context.Context, host string) ([]string, error) {
	if n.LookupHost != nil {
		return n.LookupHost(ctx, host)
	}
	return net.DefaultResolver.LookupHost(ctx, host) //nolint:wrapcheck // a seam for tests: the probe records the resolver's own error, as an injected LookupHost's
}

func (n Network) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if n.DialContext != nil {
		return n.DialContext(ctx, network, addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr) //nolint:wrapcheck // a seam for tests: the probe records the dialer's own error, as an injected DialContext's
}

// Stage is the step of a request that failed.
type Stage string

const (
	StageURL   Stage = "url"
	StageDNS   Stage = "dns"
	StageTCP   Stage = "tcp"
	StageProxy Stage = "proxy" // the HTTP(S) proxy refused the tunnel
	StageTLS   Stage = "tls"
	StageHTTP  Stage = "http"
)

// Probe is the outcome of one GET, step by step: DNS, TCP connect, TLS
// handshake, HTTP status.
type Probe struct {
	URL  string
	Addr string // host:port connected to
	// Via is the HTTP(S) proxy the request went through ("" for none).
	Via string
	// Resolved is true when the host was a name looked up in DNS.
	Resolved bool
	Failed   Stage // "" when every step worked (whatever the HTTP status)
	Err      error
	Status   int       // HTTP status, when the request got an answer
	Date     time.Time // the Date header, zero when absent
	Latency  time.Duration
	// Received is the local time the answer arrived, to compare with Date.
	Received time.Time
	// CertNotAfter is the server certificate's expiry (TLS only).
	CertNotAfter time.Time
	Body         []byte // the first bytes of the answer
}

// defaultProxyFix is how probe fixes suggest the default GOPROXY; the
// GOPROXY check rewrites it when GOPROXY comes from the environment,
// which go env -w cannot override.
const defaultProxyFix = "go env -w GOPROXY=https://proxy.golang.org,direct"

// maxProbeBody caps what a probe reads: enough for a version list or a
// signed tree head.
const maxProbeBody = 1 << 20

// prober makes probes and shares them between checks: the clock check
// reads the Date header of the GOPROXY check's requests instead of
// sending its own.
type prober struct {
	net Network
	now func() time.Time
	// skipVerify accepts any certificate: only for reading a Date header.
	skipVerify bool

	mu    sync.Mutex
	calls map[string]*probeCall
}

type probeCall struct {
	done chan struct{}
	p    Probe
}

func newProber(n Network, now func() time.Time) *prober {
	return &prober{net: n, now: now, calls: map[string]*probeCall{}}
}

// get probes rawURL once per run; later callers share the first result
// (or give up when their own context ends first).
func (pr *prober) get(ctx context.Context, rawURL string) Probe {
	pr.mu.Lock()
	c, ok := pr.calls[rawURL]
	if !ok {
		c = &probeCall{done: make(chan struct{})}
		pr.calls[rawURL] = c
		go func() {
			c.p = pr.probe(ctx, rawURL)
			close(c.done)
		}()
	}
	pr.mu.Unlock()
	select {
	case <-c.done:
		return c.p
	case <-ctx.Done():
	}
	// The probe shares the deadline and ends right after it: a moment's
	// wait tells at which step it was stuck.
	select {
	case <-c.done:
		return c.p
	case <-time.After(probeSettle):
		return Probe{URL: rawURL, Failed: StageTCP, Err: ctx.Err()}
	}
}

// probeSettle is how long a caller whose context ended waits for the
// shared probe to report where it stopped; well under the Runner's grace.
const probeSettle = 20 * time.Millisecond

// probe requests rawURL step by step on a connection of its own (proxy,
// DNS, TCP, TLS, then HTTP), so that a failure names the step it failed
// at. Each step records what it learnt in the Probe, and its failure.
func (pr *prober) probe(ctx context.Context, rawURL string) Probe {
	p := Probe{URL: rawURL}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		p.Failed, p.Err = StageURL, fmt.Errorf("not an http(s) URL")
		return p
	}
	via, ok := pr.proxyFor(&p, u)
	if !ok {
		return p
	}
	conn, ok := pr.connect(ctx, &p, u, via)
	if !ok {
		return p
	}
	// The connection is closed when the context ends, so that a server
	// that accepts and never answers cannot outlive the check.
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	secured, ok := pr.secure(ctx, &p, conn, u, via)
	if !ok {
		return p
	}
	conn = secured
	pr.request(ctx, &p, conn, u, via)
	return p
}

// proxyFor is the proxy the network's settings choose for u: nil for a
// direct connection.
func (pr *prober) proxyFor(p *Probe, u *url.URL) (*url.URL, bool) {
	if pr.net.Proxy == nil {
		return nil, true
	}
	via, err := pr.net.Proxy(u)
	if err != nil {
		p.Failed, p.Err = StageProxy, err
		return nil, false
	}
	if via != nil {
		p.Via = via.Redacted()
	}
	return via, true
}

// connect resolves and dials u's host, or through a proxy the proxy's:
// the target's name is then resolved by the proxy.
func (pr *prober) connect(ctx context.Context, p *Probe, u, via *url.URL) (net.Conn, bool) {
	dialHost, dialPort := u.Hostname(), defaultPort(u)
	if via != nil {
		dialHost, dialPort = via.Hostname(), defaultPort(via)
	}
	addrs := []string{dialHost}
	if net.ParseIP(dialHost) == nil {
		var err error
		addrs, err = pr.net.lookupHost(ctx, dialHost)
		if err != nil || len(addrs) == 0 {
			p.Failed, p.Err = StageDNS, orErr(err, "no addresses")
			return nil, false
		}
		p.Resolved = true
	}
	var err error
	for _, a := range addrs {
		p.Addr = net.JoinHostPort(a, dialPort)
		conn, derr := pr.net.dial(ctx, "tcp", p.Addr)
		if derr == nil {
			return conn, true
		}
		err = derr
	}
	p.Failed, p.Err = StageTCP, err
	return nil, false
}

// secure brings conn to where the request can be written: TLS to an
// https proxy, a CONNECT tunnel through the proxy to an https target, and
// TLS to the target, whose certificate's expiry it records. On failure it
// closes conn.
func (pr *prober) secure(ctx context.Context, p *Probe, conn net.Conn, u, via *url.URL) (net.Conn, bool) {
	host := u.Hostname()
	if via != nil && via.Scheme == "https" {
		pc := tls.Client(conn, &tls.Config{ServerName: via.Hostname(), RootCAs: pr.net.RootCAs, Time: pr.now})
		if err := pc.HandshakeContext(ctx); err != nil {
			_ = conn.Close()
			p.Failed, p.Err = StageProxy, fmt.Errorf("TLS to the proxy: %w", err)
			return nil, false
		}
		conn = pc
	}
	if via != nil && u.Scheme == "https" {
		if err := connectTunnel(conn, via, net.JoinHostPort(host, defaultPort(u))); err != nil {
			_ = conn.Close()
			p.Failed, p.Err = StageProxy, err
			return nil, false
		}
	}
	if u.Scheme != "https" {
		return conn, true
	}
	tc := tls.Client(conn, &tls.Config{ServerName: host, RootCAs: pr.net.RootCAs, Time: pr.now, InsecureSkipVerify: pr.skipVerify}) //nolint:gosec // G402: skipVerify is set only by the clock check, which reads nothing but the Date header
	if err := tc.HandshakeContext(ctx); err != nil {
		_ = conn.Close()
		p.Failed, p.Err = StageTLS, err
		if cerr, ok := errors.AsType[*tls.CertificateVerificationError](err); ok && len(cerr.UnverifiedCertificates) > 0 {
			p.CertNotAfter = cerr.UnverifiedCertificates[0].NotAfter
		}
		return nil, false
	}
	if certs := tc.ConnectionState().PeerCertificates; len(certs) > 0 {
		p.CertNotAfter = certs[0].NotAfter
	}
	return tc, true
}

// request sends the GET over conn, and only conn, and records the answer:
// status, Date, latency and the first bytes of the body.
func (pr *prober) request(ctx context.Context, p *Probe, conn net.Conn, u, via *url.URL) {
	used := false
	dialOnce := func(context.Context, string, string) (net.Conn, error) {
		if used {
			return nil, errors.New("connection already used")
		}
		used = true
		return conn, nil
	}
	transport := &http.Transport{DialContext: dialOnce, DialTLSContext: dialOnce, DisableKeepAlives: true}
	if via != nil && u.Scheme == "http" {
		// A plain-HTTP request goes to the proxy with the full URL.
		transport.Proxy = http.ProxyURL(via)
	}
	client := &http.Client{ //nolint:gocritic // ruleguard: no Timeout needed, the request carries the probe's context, whose end also closes the connection (AfterFunc in probe)
		Transport: transport,
		// A redirect would need a new connection; report it as the answer.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		p.Failed, p.Err = StageURL, err
		return
	}
	start := pr.now()
	resp, err := client.Do(req)
	if err != nil {
		_ = conn.Close()
		p.Failed, p.Err = StageHTTP, err
		return
	}
	defer resp.Body.Close() //nolint:errcheck // the connection is never reused: a failed close loses nothing
	p.Received = pr.now()
	p.Latency = p.Received.Sub(start)
	p.Status = resp.StatusCode
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		p.Date = d
	}
	p.Body, _ = io.ReadAll(io.LimitReader(resp.Body, maxProbeBody))
}

func defaultPort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "http" {
		return "80"
	}
	return "443"
}

// connectTunnel asks an HTTP proxy for a tunnel to target (CONNECT), as
// net/http does for HTTPS through HTTPS_PROXY.
func connectTunnel(conn net.Conn, via *url.URL, target string) error {
	req := &http.Request{Method: http.MethodConnect, URL: &url.URL{Opaque: target}, Host: target, Header: http.Header{}}
	if u := via.User; u != nil {
		pw, _ := u.Password()
		req.SetBasicAuth(u.Username(), pw)
		req.Header.Set("Proxy-Authorization", req.Header.Get("Authorization"))
		req.Header.Del("Authorization")
	}
	if err := req.Write(conn); err != nil {
		return fmt.Errorf("CONNECT to the proxy: %w", err)
	}
	// The proxy says nothing after its answer until we speak, so the
	// buffered reader cannot swallow TLS bytes.
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		return fmt.Errorf("CONNECT to the proxy: %w", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the proxy refused the tunnel: %s", resp.Status)
	}
	return nil
}

func orErr(err error, msg string) error {
	if err != nil {
		return err
	}
	return errors.New(msg)
}

// Problem explains a failed probe: what happened, and the fix.
func (p Probe) Problem() (saw, fix string) {
	host := p.URL
	if u, err := url.Parse(p.URL); err == nil && u.Host != "" {
		host = u.Host
	}
	if p.Via != "" {
		switch p.Failed {
		case StageDNS, StageTCP, StageProxy:
			what := map[Stage]string{StageDNS: "DNS lookup: ", StageTCP: "TCP connect: "}[p.Failed] + shortErr(p.Err)
			if p.Failed == StageProxy {
				what = p.Err.Error()
			}
			return fmt.Sprintf("the HTTP(S) proxy %s (from HTTPS_PROXY/HTTP_PROXY) fails for %s: %s", p.Via, host, what),
				"check HTTPS_PROXY (address, port, credentials), or exempt the host with NO_PROXY"
		default: // a later stage, or none: explained as without a proxy
		}
	}
	switch p.Failed {
	case StageURL:
		return fmt.Sprintf("%s: %v", p.URL, p.Err), "write the proxy as a full URL such as https://proxy.golang.org"
	case StageDNS:
		return fmt.Sprintf("%s: DNS lookup failed: %v", host, shortErr(p.Err)),
			"check the host name in GOPROXY for typos, and that this machine's DNS resolver answers (resolvectl status, /etc/resolv.conf)"
	case StageTCP:
		if isTimeout(p.Err) {
			return fmt.Sprintf("%s: TCP connect timed out", p.Addr),
				"a firewall or security software drops the connection: allow outbound HTTPS to " + host + ", or set HTTPS_PROXY if your network requires one"
		}
		if errors.Is(p.Err, syscall.ECONNREFUSED) {
			return fmt.Sprintf("%s: connection refused", p.Addr),
				"nothing listens there: the proxy is down or the URL in GOPROXY is wrong; try " + defaultProxyFix
		}
		return fmt.Sprintf("%s: TCP connect failed: %v", p.Addr, shortErr(p.Err)),
			"check the route to " + host + " (firewall, VPN, HTTPS_PROXY)"
	case StageTLS:
		return p.tlsProblem(host)
	case StageHTTP:
		if isTimeout(p.Err) {
			return fmt.Sprintf("%s: connected, but no answer (timed out)", host),
				"the server or something in between (security software, a transparent proxy) accepts connections and never answers: try another GOPROXY or allow the traffic"
		}
		return fmt.Sprintf("%s: HTTP request failed: %v", host, shortErr(p.Err)), "check the proxy URL and your network"
	default: // no stage failed (StageProxy needs a proxy, above): the answer decides
	}
	switch {
	case p.Status == http.StatusOK:
		return "", ""
	case p.Status == http.StatusNotFound || p.Status == http.StatusGone:
		return fmt.Sprintf("%s: HTTP %d for %s", host, p.Status, pathOf(p.URL)),
			"this proxy does not have it (a mirror that lags behind, or a URL with a wrong path): use https://proxy.golang.org, or keep a fallback after a comma"
	case p.Status >= 500:
		return fmt.Sprintf("%s: HTTP %d (server error)", host, p.Status),
			"the proxy itself fails: go does not fall through on server errors after a ',': use '|' before the next entry, or another proxy"
	case p.Status == http.StatusUnauthorized || p.Status == http.StatusForbidden:
		return fmt.Sprintf("%s: HTTP %d (access refused)", host, p.Status),
			"the proxy wants credentials: put them in ~/.netrc (or GOAUTH), or use another proxy"
	case p.Status >= 300 && p.Status < 400:
		return fmt.Sprintf("%s: HTTP %d redirect", host, p.Status),
			"a captive portal or a misconfigured proxy redirects: log in to the network or fix the URL"
	}
	return fmt.Sprintf("%s: HTTP %d", host, p.Status), "check the proxy URL"
}

func (p Probe) tlsProblem(host string) (saw, fix string) {
	if _, ok := errors.AsType[x509.UnknownAuthorityError](p.Err); ok {
		return fmt.Sprintf("%s: TLS certificate signed by an unknown authority", host),
			"something intercepts HTTPS (a corporate proxy or security software): get its CA certificate and point SSL_CERT_FILE at it (export SSL_CERT_FILE=/path/to/ca.pem)"
	}
	if ci, ok := errors.AsType[x509.CertificateInvalidError](p.Err); ok && ci.Reason == x509.Expired {
		return fmt.Sprintf("%s: TLS certificate outside its validity period (%s)", host, ci.Detail),
			"if this machine's clock is wrong, sync it (timedatectl set-ntp true, or chrony/ntpd); otherwise the server's certificate expired: use another proxy and tell its operator"
	}
	if _, ok := errors.AsType[x509.HostnameError](p.Err); ok {
		return fmt.Sprintf("%s: TLS certificate is for another host", host),
			"the URL in GOPROXY names the wrong host, or something intercepts HTTPS: check the URL"
	}
	if isTimeout(p.Err) {
		return fmt.Sprintf("%s: TLS handshake timed out", host),
			"something accepts the connection but never completes the handshake (security software, a transparent proxy): allow the traffic or try another GOPROXY"
	}
	return fmt.Sprintf("%s: TLS handshake failed: %v", host, shortErr(p.Err)),
		"something interferes with HTTPS to " + host + ": check security software and HTTPS_PROXY"
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	// A connection closed by our own deadline shows up as a closed-conn error.
	return errors.Is(err, net.ErrClosed)
}

func pathOf(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Path
	}
	return raw
}

// shortErr drops the wrapping the net package adds ("dial tcp ...:").
func shortErr(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 && len(s)-i < 80 {
		return s[i+2:]
	}
	return s
}
