package explain

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func explainOne(t *testing.T, text string) Finding {
	t.Helper()
	fs, err := Explain(strings.NewReader(text))
	if err != nil || len(fs) != 1 {
		t.Fatalf("Explain: %v, %d findings, want 1", err, len(fs))
	}
	return fs[0]
}

// The evidence names the module and host, and the fix is a command for
// them.
func TestFindingNamesModuleHostAndFix(t *testing.T) {
	for _, tc := range []struct {
		text                  string
		module, version, host string
		command               string
	}{
		{`go: github.com/acme/billing@v1.4.0: reading https://proxy.golang.org/github.com/acme/billing/@v/v1.4.0.info: 404 Not Found
	server response: not found: github.com/acme/billing@v1.4.0: invalid version: git ls-remote -q origin: exit status 128:
		fatal: could not read Username for 'https://github.com': terminal prompts disabled`,
			"github.com/acme/billing", "v1.4.0", "proxy.golang.org", "export GOPRIVATE=github.com/acme"},
		{`go: github.com/BurntSushi/toml@v1.3.2: zip: not a valid zip file`, "github.com/BurntSushi/toml", "v1.3.2", "",
			`rm -f "$(go env GOMODCACHE)/cache/download/github.com/!burnt!sushi/toml/@v/v1.3.2."* && chmod -R u+w "$(go env GOMODCACHE)/github.com/!burnt!sushi/toml@v1.3.2" && rm -rf "$(go env GOMODCACHE)/github.com/!burnt!sushi/toml@v1.3.2"`},
		{"go: downloading go1.22 (linux/amd64)\ngo: download go1.22 for linux/amd64: toolchain not available", "", "", "", "go mod edit -go=1.22.0"},
		{`go: github.com/x/y@v1.0.0: Get "https://proxy.golang.org/github.com/x/y/@v/v1.0.0.mod": dial tcp: lookup proxy.golang.org on 127.0.0.53:53: no such host`,
			"github.com/x/y", "v1.0.0", "proxy.golang.org", "export GOPROXY=https://goproxy.cn,direct"},
		{`go: github.com/x/y@v1.0.0: reading https://goproxy.cn/github.com/x/y/@v/v1.0.0.info: 404 Not Found`,
			"github.com/x/y", "v1.0.0", "goproxy.cn", "GOPROXY=direct go mod download github.com/x/y@v1.0.0"},
		{`go: github.com/pkg/errors@v0.9.1: reading http://10.0.0.5:3000/athens/github.com/pkg/errors/@v/v0.9.1.info: 502 Bad Gateway`,
			"github.com/pkg/errors", "v0.9.1", "10.0.0.5", "export GOPROXY='http://10.0.0.5:3000/athens|https://proxy.golang.org,direct'"},
		{`go: github.com/pkg/errors@v0.9.1: invalid response from proxy "https://artifactory.example.com/api/go/golang": invalid character '<' looking for beginning of value`,
			"github.com/pkg/errors", "v0.9.1", "artifactory.example.com", "export GOPROXY='https://artifactory.example.com/api/go/golang|https://proxy.golang.org,direct'"},
		{`go: example.com/good@v1.0.0: verifying go.mod: example.com/good@v1.0.0/go.mod: Get "http://127.0.0.1:35981/lookup/example.com/good@v1.0.0": dial tcp 127.0.0.1:35981: connect: connection refused`,
			"example.com/good", "v1.0.0", "127.0.0.1", "unset GOSUMDB && go env -u GOSUMDB"},
		{`go: github.com/x/y@v1.0.0: Get "https://athens.corp:3000/github.com/x/y/@v/v1.0.0.mod": dial tcp 10.1.1.1:3000: connect: connection refused`,
			"github.com/x/y", "v1.0.0", "athens.corp", "export GOPROXY='https://athens.corp:3000|https://proxy.golang.org,direct'"},
		{"go: github.com/pkg/errors@v0.9.1: invalid version: git ls-remote -q origin: exit status 128:\n\tfatal: unable to access 'https://github.com/pkg/errors/': Could not resolve host: github.com",
			"github.com/pkg/errors", "v0.9.1", "github.com", "export GOPROXY=https://proxy.golang.org,direct"},
		{`go: module lookup disabled by GOPROXY=off`, "", "", "", "export GOPROXY=https://proxy.golang.org,direct"},
		{`main.go:6:2: cannot find module providing package golang.org/x/sync/errgroup: import lookup disabled by -mod=readonly`, "", "", "", "GOFLAGS=-mod=mod go mod download"},
		{"main.go:6:2: cannot find module providing package golang.org/x/sync/errgroup: import lookup disabled by -mod=vendor\n\t(Go version in go.mod is at least 1.14 and vendor directory exists.)", "", "", "", "go mod vendor"},
		{"go: updates to go.mod needed; to update it:\n\tgo mod tidy", "", "", "", "go mod tidy"},
		{"verifying github.com/pkg/errors@v0.9.1/go.mod: checksum mismatch\n\tdownloaded: h1:b=\n\tgo.sum:     h1:A=", "github.com/pkg/errors", "v0.9.1", "",
			"curl -s https://sum.golang.org/lookup/github.com/pkg/errors@v0.9.1"},
	} {
		f := explainOne(t, tc.text)
		if f.Module != tc.module || f.Version != tc.version || f.Host != tc.host || f.Fix.Command != tc.command {
			t.Errorf("%s:\n got module %q version %q host %q command %q\nwant module %q version %q host %q command %q",
				f.Pattern, f.Module, f.Version, f.Host, f.Fix.Command, tc.module, tc.version, tc.host, tc.command)
		}
	}
}

// An expired certificate is reported as what it could be, with how to
// tell; it is never presented as one cause.
func TestExpiredCertificateIsAmbiguous(t *testing.T) {
	f := explainOne(t, `go: golang.org/x/text@v0.14.0: Get "https://proxy.golang.org/golang.org/x/text/@v/v0.14.0.mod": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-12-01T21:40:11Z is after 2026-11-30T23:59:59Z`)
	if len(f.CouldBe) != 2 || f.HowToTell == "" || !strings.Contains(f.HowToTell, "proxy.golang.org") {
		t.Errorf("could_be %v, how_to_tell %q", f.CouldBe, f.HowToTell)
	}
	var b bytes.Buffer
	if err := WriteText(&b, []Finding{f}, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "clock_skew or mirror_outage") || !strings.Contains(b.String(), "how to tell:") {
		t.Errorf("text output:\n%s", b.String())
	}
}

// --json: one object per finding, one a line, with the documented fields.
func TestWriteJSONOneObjectALine(t *testing.T) {
	fs, _ := Explain(strings.NewReader("go: module lookup disabled by GOPROXY=off\ngo: github.com/a/b@v1.0.0: zip: not a valid zip file\n"))
	var b bytes.Buffer
	if err := WriteJSON(&b, fs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2:\n%s", len(lines), b.String())
	}
	for _, l := range lines {
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		var f Finding
		if err := dec.Decode(&f); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		var raw map[string]any
		_ = json.Unmarshal([]byte(l), &raw)
		for _, k := range []string{"cause", "summary", "pattern", "line", "evidence", "fix"} {
			if _, ok := raw[k]; !ok {
				t.Errorf("no %q in %s", k, l)
			}
		}
	}
}

// Colour only when asked (the CLI asks on a terminal).
func TestWriteTextColour(t *testing.T) {
	fs, _ := Explain(strings.NewReader("go: module lookup disabled by GOPROXY=off\n"))
	var plain, col bytes.Buffer
	_ = WriteText(&plain, fs, false)
	_ = WriteText(&col, fs, true)
	if strings.Contains(plain.String(), "\x1b[") || !strings.Contains(col.String(), "\x1b[") {
		t.Errorf("plain has colour or colour has none")
	}
}

// A failure a more fundamental finding can cause points at it.
func TestSeeFirst(t *testing.T) {
	fs, _ := Explain(strings.NewReader("go: a.example/b@v1.0.0: verifying module: checksum mismatch\n\tdownloaded: h1:x=\n\tsum.golang.org: h1:y=\n" +
		`go: c.example/d@v1.0.0: Get "https://proxy.golang.org/c.example/d/@v/v1.0.0.mod": tls: failed to verify certificate: x509: certificate signed by unknown authority` + "\n"))
	if len(fs) != 2 || fs[0].Cause != TLSInterception || fs[1].SeeFirst != TLSInterception || fs[0].SeeFirst != "" {
		t.Errorf("%+v", fs)
	}
}

// A version the mirror lacks says how to tell lag from a version that
// does not exist, for that module.
func TestMirrorLagHowToTell(t *testing.T) {
	f := explainOne(t, `go: github.com/x/y@v1.2.3: reading https://goproxy.cn/github.com/x/y/@v/v1.2.3.info: 404 Not Found`)
	if f.Cause != MirrorLag || !strings.Contains(f.HowToTell, "https://sum.golang.org/lookup/github.com/x/y@v1.2.3") {
		t.Errorf("cause %s, how_to_tell %q", f.Cause, f.HowToTell)
	}
}

// A damaged zip whose error names no module: the sure fix, and the
// likely module's entry as a smaller alternative.
func TestCorruptZipWithoutModule(t *testing.T) {
	f := explainOne(t, "go: downloading example.com/good v1.0.0\nmain.go:3:8: zip: not a valid zip file\n")
	if f.Cause != CorruptCache || f.Fix.Command != "go clean -modcache" || !strings.Contains(f.Fix.Text, `cache/download/example.com/good/@v/v1.0.0."*`) {
		t.Errorf("%+v", f)
	}
}

// The go command's help text after a git error is part of that error:
// one finding, naming the module.
func TestGitHelpTextIsOneFinding(t *testing.T) {
	f := explainOne(t, "go: module github.com/acme/x: git ls-remote -q origin in /tmp/v: exit status 128:\n\tfatal: could not read Username for 'https://github.com': terminal prompts disabled\nConfirm the import path was entered correctly.\nIf this is a private repository, see https://golang.org/doc/faq#git_https for additional information.\n")
	if f.Module != "github.com/acme/x" || f.Fix.Command != "export GOPRIVATE=github.com/acme" || len(f.Evidence) != 4 || f.HowToTell == "" {
		t.Errorf("%+v", f)
	}
}

// A paste whose tabs became spaces keeps the continuation lines, so the
// fix still tells go.sum from the checksum database.
func TestSpaceIndentedContinuation(t *testing.T) {
	f := explainOne(t, "verifying github.com/a/b@v1.0.0: checksum mismatch\n        downloaded: h1:x=\n        go.sum:     h1:y=\n")
	if len(f.Evidence) != 3 || !strings.HasPrefix(f.Fix.Command, "curl -s https://sum.golang.org/lookup/github.com/a/b@v1.0.0") {
		t.Errorf("%+v", f)
	}
	// An indented line after something that is not the go command's is
	// its own record.
	fs, _ := Explain(strings.NewReader("--- FAIL: TestX (1.00s)\n    x_test.go:3: Get \"https://a.example/\": context deadline exceeded\n"))
	if len(fs) != 0 {
		t.Errorf("%+v", fs)
	}
}
