package explain

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// ProbeResult is what --probe saw for a finding: the one probe that
// decides between the causes the text could not tell apart.
type ProbeResult struct {
	Name    string `json:"name"`              // clock, issuer or mirror_lag
	Target  string `json:"target"`            // the URL probed
	Result  string `json:"result"`            // what was seen, in a sentence
	Decided Cause  `json:"decided,omitempty"` // the cause the probe settles on (unknown: it rules the suspected one out); empty when it settles none
	Error   string `json:"error,omitempty"`   // the probe itself failed
}

// Prober runs the deciding probes. Every field has a default; tests
// inject httptest servers.
type Prober struct {
	Client *http.Client // clock and mirror_lag probes (default: 10s timeout)
	// Inspect fetches a URL without verifying its certificate, to read the
	// chain the server presents (default: a client with InsecureSkipVerify
	// used for nothing else).
	Inspect *http.Client
	Roots   *x509.CertPool           // the roots the issuer probe trusts (nil: the system's)
	Now     func() time.Time         // the local clock (default time.Now)
	SumDB   string                   // checksum database base URL (default https://sum.golang.org)
	URLFor  func(host string) string // base URL of a host (default https://HOST)
	MaxSkew time.Duration            // clock difference that counts as skew (default 2m)
}

func (p *Prober) defaults() {
	if p.Client == nil {
		p.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if p.Inspect == nil {
		p.Inspect = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // #nosec G402 -- reads the chain, sends and trusts nothing
		}}
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.SumDB == "" {
		p.SumDB = "https://sum.golang.org"
	}
	if p.URLFor == nil {
		p.URLFor = func(h string) string { return "https://" + h }
	}
	if p.MaxSkew == 0 {
		p.MaxSkew = 2 * time.Minute
	}
}

// Probe runs, per finding that one decides, that probe, and records it
// in the finding; a decided cause replaces the finding's cause.
func (p *Prober) Probe(ctx context.Context, fs []Finding) {
	p.defaults()
	for i := range fs {
		f := &fs[i]
		host := f.Host
		if host == "" {
			host = "proxy.golang.org"
		}
		var r *ProbeResult
		switch f.Cause {
		case ClockSkew:
			r = p.clock(ctx, p.URLFor(host))
		case TLSInterception:
			r = p.issuer(ctx, p.URLFor(host))
		case MirrorLag:
			if f.Module == "" || f.Version == "" {
				continue
			}
			r = p.lag(ctx, p.URLFor(host)+proxyPath(f), f.Module, f.Version)
		default:
			continue
		}
		f.Probe = r
		if r.Decided != "" {
			if r.Decided == Unknown {
				f.Fix = Fix{Text: "the version is not published: check its spelling and that its tag is pushed to the origin; a private module needs GOPRIVATE",
					Command: "go list -m -versions " + f.Module}
			}
			f.Cause, f.Summary = r.Decided, Descriptions[r.Decided]
			f.CouldBe, f.HowToTell = nil, ""
		}
	}
}

// proxyPath is the path prefix of the proxy in the evidence URL
// (https://host/prefix/github.com/x/y/@v/...), "" at the root.
func proxyPath(f *Finding) string {
	for _, l := range f.Evidence {
		u := urlRe.FindString(l)
		if u == "" {
			continue
		}
		rest := strings.SplitN(strings.SplitN(u, "://", 2)[1], "/", 2)
		if len(rest) < 2 {
			return ""
		}
		esc := escapePath(f.Module)
		if i := strings.Index(rest[1], esc+"/@"); i > 0 {
			return "/" + strings.TrimSuffix(rest[1][:i], "/")
		}
		return ""
	}
	return ""
}

func (p *Prober) clock(ctx context.Context, url string) *ProbeResult {
	r := &ProbeResult{Name: "clock", Target: url}
	// The server's certificate may be the very thing that fails: read its
	// Date header without verifying it.
	header, state, err := p.inspect(ctx, url)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	server, err := http.ParseTime(header.Get("Date"))
	if err != nil {
		r.Error = "no usable Date header: " + header.Get("Date")
		return r
	}
	local := p.Now()
	skew := local.Sub(server).Round(time.Second)
	if skew > p.MaxSkew || skew < -p.MaxSkew {
		r.Result = fmt.Sprintf("this machine's clock is %s off the server's (local %s, server %s)", absDur(skew), local.UTC().Format(time.RFC3339), server.UTC().Format(time.RFC3339))
		r.Decided = ClockSkew
		return r
	}
	r.Result = fmt.Sprintf("this machine's clock agrees with the server's (within %s): the server's certificate itself is expired or not yet valid", p.MaxSkew)
	if state != nil && len(state.PeerCertificates) > 0 {
		c := state.PeerCertificates[0]
		r.Result += fmt.Sprintf(" (valid %s to %s)", c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339))
	}
	r.Decided = MirrorOutage
	return r
}

// inspect sends a HEAD through the unverifying Inspect client: the clock
// and issuer probes read only its headers and TLS state.
func (p *Prober) inspect(ctx context.Context, url string) (http.Header, *tls.ConnectionState, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("explain: probe: %w", err)
	}
	resp, err := p.Inspect.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("explain: probe: %w", err)
	}
	_ = resp.Body.Close() // a HEAD: only headers and TLS state are read
	return resp.Header, resp.TLS, nil
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func (p *Prober) issuer(ctx context.Context, url string) *ProbeResult {
	r := &ProbeResult{Name: "issuer", Target: url}
	_, state, err := p.inspect(ctx, url)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	if state == nil || len(state.PeerCertificates) == 0 {
		r.Error = "the server presented no certificate"
		return r
	}
	certs := state.PeerCertificates
	leaf := certs[0]
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	host := strings.TrimPrefix(strings.TrimPrefix(url, "https://"), "http://")
	if i := strings.IndexAny(host, ":/"); i >= 0 {
		host = host[:i]
	}
	_, verr := leaf.Verify(x509.VerifyOptions{Roots: p.Roots, Intermediates: inter, DNSName: host, CurrentTime: p.Now()})
	issuer := leaf.Issuer.String()
	if verr != nil {
		r.Result = fmt.Sprintf("the certificate for %s is issued by %q, which this machine does not trust (%v): something on this network re-signs TLS", host, issuer, verr)
		r.Decided = TLSInterception
		return r
	}
	r.Result = fmt.Sprintf("the certificate for %s is issued by %q and verifies here: no interception from this machine now (the log may come from another network or another trust store)", host, issuer)
	return r
}

func (p *Prober) lag(ctx context.Context, proxy, mod, ver string) *ProbeResult {
	esc := escapePath(mod)
	r := &ProbeResult{Name: "mirror_lag", Target: proxy + "/" + esc + "/@v/list"}
	list, code, err := p.get(ctx, r.Target)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	listed := code == http.StatusOK && containsLine(list, ver)
	_, sumCode, err := p.get(ctx, p.SumDB+"/lookup/"+esc+"@"+ver)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	switch {
	case sumCode == http.StatusOK && !listed:
		r.Result = fmt.Sprintf("the checksum database records %s@%s, the proxy's list does not: the mirror lags", mod, ver)
		r.Decided = MirrorLag
	case sumCode == http.StatusOK:
		r.Result = fmt.Sprintf("the proxy now lists %s@%s and the checksum database records it: the mirror has caught up, retry", mod, ver)
		r.Decided = MirrorLag
	default:
		r.Result = fmt.Sprintf("the checksum database has no record of %s@%s (HTTP %d): the version does not exist publicly (a typo, an untagged commit, or a private module), so this is not mirror lag", mod, ver, sumCode)
		r.Decided = Unknown
	}
	return r
}

func (p *Prober) get(ctx context.Context, url string) (string, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", 0, fmt.Errorf("explain: probe: %w", err)
	}
	resp, err := p.Client.Do(req)
	if err != nil {
		return "", 0, fmt.Errorf("explain: probe: %w", err)
	}
	defer func() { _ = resp.Body.Close() }() // read-only
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return string(b), resp.StatusCode, fmt.Errorf("explain: probe: reading %s: %w", url, err)
	}
	return string(b), resp.StatusCode, nil
}

func containsLine(s, want string) bool {
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) == want {
			return true
		}
	}
	return false
}
