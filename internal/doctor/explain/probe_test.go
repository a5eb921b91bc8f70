package explain

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const expiredText = `go: golang.org/x/text@v0.14.0: Get "https://proxy.test/golang.org/x/text/@v/v0.14.0.mod": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-12-01T21:40:11Z is after 2026-11-30T23:59:59Z`

func probeOne(t *testing.T, p *Prober, text string) Finding {
	t.Helper()
	fs, err := Explain(strings.NewReader(text))
	if err != nil || len(fs) != 1 {
		t.Fatalf("Explain: %v, %d findings", err, len(fs))
	}
	p.Probe(context.Background(), fs)
	if fs[0].Probe == nil {
		t.Fatal("no probe ran")
	}
	if fs[0].Probe.Error != "" {
		t.Fatalf("probe failed: %s", fs[0].Probe.Error)
	}
	return fs[0]
}

// The clock probe decides an expired certificate: a local clock off the
// proxy's Date header is clock_skew, a right one is the server's fault.
func TestProbeClock(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	for _, tc := range []struct {
		offset time.Duration
		want   Cause
	}{{-3 * time.Hour, ClockSkew}, {0, MirrorOutage}} {
		p := &Prober{Inspect: srv.Client(), URLFor: func(string) string { return srv.URL },
			Now: func() time.Time { return time.Now().Add(tc.offset) }}
		f := probeOne(t, p, expiredText)
		if f.Cause != tc.want || f.Probe.Decided != tc.want || len(f.CouldBe) != 0 || f.Probe.Name != "clock" {
			t.Errorf("offset %s: cause %s, probe %+v", tc.offset, f.Cause, f.Probe)
		}
	}
}

// The issuer probe: a chain this machine does not trust confirms
// interception; one it trusts does not.
func TestProbeIssuer(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	text := `go: github.com/a/b@v1.0.0: Get "https://proxy.test/github.com/a/b/@v/v1.0.0.mod": tls: failed to verify certificate: x509: certificate signed by unknown authority`

	empty := x509.NewCertPool()
	p := &Prober{Inspect: srv.Client(), Roots: empty, URLFor: func(string) string { return srv.URL }}
	f := probeOne(t, p, text)
	if f.Probe.Decided != TLSInterception || !strings.Contains(f.Probe.Result, "Acme Co") {
		t.Errorf("untrusted chain: %+v", f.Probe)
	}

	trusted := x509.NewCertPool()
	trusted.AddCert(srv.Certificate())
	p = &Prober{Inspect: srv.Client(), Roots: trusted, URLFor: func(string) string { return srv.URL }}
	f = probeOne(t, p, text)
	if f.Probe.Decided != "" || !strings.Contains(f.Probe.Result, "verifies here") {
		t.Errorf("trusted chain: %+v", f.Probe)
	}
}

// The mirror-lag probe compares the proxy's version list with the
// checksum database's record.
func TestProbeMirrorLag(t *testing.T) {
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/mirror/github.com/!acme/lib/@v/list" {
			_, _ = w.Write([]byte("v1.0.0\nv1.1.0\n"))
			return
		}
		http.NotFound(w, r)
	}))
	defer proxy.Close()
	sumdb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/lookup/github.com/!acme/lib@v1.2.0" {
			_, _ = w.Write([]byte("123\ngithub.com/Acme/lib v1.2.0 h1:x=\n"))
			return
		}
		http.NotFound(w, r)
	}))
	defer sumdb.Close()
	p := &Prober{Client: proxy.Client(), SumDB: sumdb.URL, URLFor: func(string) string { return proxy.URL }}

	f := probeOne(t, p, `go: github.com/Acme/lib@v1.2.0: reading https://mirror.test/mirror/github.com/!acme/lib/@v/v1.2.0.info: 404 Not Found`)
	if f.Probe.Decided != MirrorLag || !strings.Contains(f.Probe.Result, "the mirror lags") || !strings.HasSuffix(f.Probe.Target, "/mirror/github.com/!acme/lib/@v/list") {
		t.Errorf("lagging mirror: %+v", f.Probe)
	}
	f = probeOne(t, p, `go: github.com/Acme/lib@v9.9.9: reading https://mirror.test/mirror/github.com/!acme/lib/@v/v9.9.9.info: 404 Not Found`)
	if f.Probe.Decided != Unknown || f.Cause != Unknown || f.HowToTell != "" || !strings.Contains(f.Probe.Result, "not mirror lag") {
		t.Errorf("version nobody has: %+v", f.Probe)
	}
}

// Without Probe, nothing is contacted: Explain takes no client at all.
func TestExplainProbesNothing(t *testing.T) {
	fs, _ := Explain(strings.NewReader(expiredText))
	if fs[0].Probe != nil {
		t.Error("Explain probed")
	}
}
