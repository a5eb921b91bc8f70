package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/envgen/envgen/internal/doctor/explain"
)

const ciLog = `2026-11-30T10:01:02.1234567Z ##[group]Run go mod download
2026-11-30T10:01:06.0000000Z go: github.com/acme/lib@v1.0.0: verifying module: checksum mismatch
2026-11-30T10:01:06.0000000Z 	downloaded: h1:3Bq5q0S1NLSU0t9ZNdrjm7HZtl0WJNYYcxPVgySAnUw=
2026-11-30T10:01:06.0000000Z 	sum.golang.org: h1:Zj9KPrAsVqHTbR2N7rlx1CQwFPcJpn5eYfkq4f6lLvQ=
2026-11-30T10:01:07.0000000Z go: golang.org/x/text@v0.14.0: Get "https://sum.golang.org/lookup/golang.org/x/text@v0.14.0": tls: failed to verify certificate: x509: certificate signed by unknown authority
2026-11-30T10:01:07.5000000Z ##[error]Process completed with exit code 1.
`

// envgen doctor explain --json prints one object per finding, each
// decoding strictly into the type envgen help json documents for it, in
// the most-fundamental-first order; exit 1.
func TestDoctorExplainJSON(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main([]string{"doctor", "explain", "--json"}, strings.NewReader(ciLog), &out, &errb); code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, errb.String())
	}
	var schema *jsonOutput
	for i, o := range jsonOutputs {
		if strings.HasPrefix(o.Commands, "doctor explain") {
			schema = &jsonOutputs[i]
		}
	}
	if schema == nil || schema.Type.String() != "explain.Finding" {
		t.Fatalf("envgen help json documents doctor explain as %v", schema)
	}
	var causes []explain.Cause
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		var f explain.Finding
		if err := dec.Decode(&f); err != nil {
			t.Fatalf("%v\n%s", err, line)
		}
		causes = append(causes, f.Cause)
	}
	if len(causes) != 2 || causes[0] != explain.TLSInterception || causes[1] != explain.ChecksumMismatch {
		t.Errorf("causes %v, want [tls_interception checksum_mismatch]", causes)
	}
}

func TestDoctorExplainExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		stdin string
		want  int
	}{
		{[]string{"doctor", "explain"}, "ok  \texample.com/x\t0.01s\n", 0},
		{[]string{"doctor", "explain", "-"}, "go: module lookup disabled by GOPROXY=off\n", 1},
		{[]string{"doctor", "explain", "/no/such/file"}, "", 2},
		{[]string{"doctor", "explain", "a", "b"}, "", 2},
		{[]string{"doctor", "--", "sh", "-c", "exit 7"}, "", 7},
		{[]string{"doctor", "--"}, "", 2},
		{[]string{"doctor", "extra", "--", "go"}, "", 2},
	} {
		var out, errb bytes.Buffer
		if code := Main(tc.args, strings.NewReader(tc.stdin), &out, &errb); code != tc.want {
			t.Errorf("envgen %s: exit %d, want %d\n%s", strings.Join(tc.args, " "), code, tc.want, errb.String())
		}
	}
}

// envgen doctor -- CMD passes CMD's output through unchanged, explains a
// failure on stderr, and exits with CMD's code.
func TestDoctorDashCommand(t *testing.T) {
	var out, errb bytes.Buffer
	code := Main([]string{"doctor", "--", "sh", "-c", "echo result; echo 'go: module lookup disabled by GOPROXY=off' >&2; exit 3"},
		strings.NewReader(""), &out, &errb)
	if code != 3 {
		t.Fatalf("exit %d, want 3\n%s", code, errb.String())
	}
	if out.String() != "result\n" {
		t.Errorf("stdout %q, want the command's only", out.String())
	}
	e := errb.String()
	if !strings.HasPrefix(e, "go: module lookup disabled by GOPROXY=off\n") || !strings.Contains(e, "misconfigured_env") ||
		!strings.Contains(e, "export GOPROXY=https://proxy.golang.org,direct") {
		t.Errorf("stderr:\n%s", e)
	}

	// A success is silent: nothing but the command's output.
	out.Reset()
	errb.Reset()
	if code := Main([]string{"doctor", "--", "sh", "-c", "echo fine"}, strings.NewReader(""), &out, &errb); code != 0 || out.String() != "fine\n" || errb.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}

	// --timeout ends it: exit 124.
	if code := Main([]string{"doctor", "--timeout", "200ms", "--", "sleep", "30"}, strings.NewReader(""), &out, &errb); code != 124 {
		t.Errorf("timeout: exit %d, want 124", code)
	}
}

// With --json, doctor -- CMD prints the findings as JSON lines on stderr,
// after CMD's own output.
func TestDoctorDashCommandJSON(t *testing.T) {
	var out, errb bytes.Buffer
	code := Main([]string{"doctor", "--json", "--", "sh", "-c", "echo 'go: module lookup disabled by GOPROXY=off' >&2; exit 1"},
		strings.NewReader(""), &out, &errb)
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, errb.String())
	}
	first, rest, _ := strings.Cut(errb.String(), "\n")
	if first != "go: module lookup disabled by GOPROXY=off" {
		t.Fatalf("stderr starts %q", first)
	}
	dec := json.NewDecoder(strings.NewReader(rest))
	dec.DisallowUnknownFields()
	var f explain.Finding
	if err := dec.Decode(&f); err != nil || f.Cause != explain.MisconfiguredEnv {
		t.Fatalf("%v %+v\n%s", err, f, rest)
	}
}

// --probe runs the deciding probe and reports it; without it nothing is
// contacted.
func TestDoctorExplainProbe(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	old := newProber
	defer func() { newProber = old }()
	newProber = func() *explain.Prober {
		return &explain.Prober{Inspect: srv.Client(), URLFor: func(string) string { return srv.URL },
			Now: func() time.Time { return time.Now().Add(-2 * time.Hour) }}
	}
	text := `go: golang.org/x/text@v0.14.0: Get "https://proxy.golang.org/golang.org/x/text/@v/v0.14.0.mod": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-12-01T19:40:11Z is after 2026-11-30T23:59:59Z`

	var out, errb bytes.Buffer
	Main([]string{"doctor", "explain"}, strings.NewReader(text), &out, &errb)
	if hits.Load() != 0 || !strings.Contains(out.String(), "clock_skew or mirror_outage") {
		t.Fatalf("without --probe: %d requests\n%s", hits.Load(), out.String())
	}
	out.Reset()
	Main([]string{"doctor", "explain", "--probe", "--json"}, strings.NewReader(text), &out, &errb)
	var f explain.Finding
	if err := json.Unmarshal(out.Bytes(), &f); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if hits.Load() == 0 || f.Cause != explain.ClockSkew || f.Probe == nil || f.Probe.Decided != explain.ClockSkew || len(f.CouldBe) != 0 {
		t.Errorf("with --probe: %d requests, %+v", hits.Load(), f)
	}
}
