package doctor

import (
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// fakeSumDB is a proxy that serves a checksum database named sum.test
// under /sumdb/sum.test/, its tree head signed with signKey.
func fakeSumDB(t *testing.T, signKey string, supported bool) *httptest.Server {
	t.Helper()
	signer, err := note.NewSigner(signKey)
	if err != nil {
		t.Fatal(err)
	}
	head, err := note.Sign(&note.Note{Text: string(tlog.FormatTree(tlog.Tree{N: 42, Hash: tlog.Hash{1}}))}, signer)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/sumdb/sum.test/supported" && supported:
			rw.WriteHeader(http.StatusOK)
		case r.URL.Path == "/sumdb/sum.test/latest":
			_, _ = rw.Write(head)
		case r.URL.Path == toolchainListPath:
			_, _ = rw.Write([]byte("v0.0.1-go1.26.11.linux-amd64\n"))
		default:
			http.NotFound(rw, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func sumKeys(t *testing.T) (skey, vkey string) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, "sum.test")
	if err != nil {
		t.Fatal(err)
	}
	return skey, vkey
}

func TestSumDBThroughProxy(t *testing.T) {
	w := newWorld(t)
	skey, vkey := sumKeys(t)
	srv := fakeSumDB(t, skey, true)
	w.trust(srv)
	w.env["GOPROXY"] = srv.URL + ",direct"
	w.env["GOSUMDB"] = vkey
	wantResult(t, w.run("sumdb"), StatusOK, "sum.test reached through "+srv.URL+", signed tree head verifies (42 records)", "")
}

func TestSumDBDirect(t *testing.T) {
	w := newWorld(t)
	skey, vkey := sumKeys(t)
	srv := fakeSumDB(t, skey, false)
	w.trust(srv)
	w.env["GOPROXY"] = srv.URL + ",direct"
	// The proxy says 404 for /supported: the go command goes to the URL in GOSUMDB.
	w.env["GOSUMDB"] = vkey + " " + srv.URL + "/sumdb/sum.test"
	wantResult(t, w.run("sumdb"), StatusOK, "reached directly, signed tree head verifies", "")
}

func TestSumDBWrongSignature(t *testing.T) {
	w := newWorld(t)
	_, vkey := sumKeys(t)
	otherSkey, _ := sumKeys(t) // same name, another key: an impostor
	srv := fakeSumDB(t, otherSkey, true)
	w.trust(srv)
	w.env["GOPROXY"] = srv.URL
	w.env["GOSUMDB"] = vkey
	wantResult(t, w.run("sumdb"), StatusFail, "does not verify", "changes its answers")
}

func TestSumDBUnreachable(t *testing.T) {
	w := newWorld(t)
	_, vkey := sumKeys(t)
	w.env["GOPROXY"] = "https://" + closedPort(t) + ",direct"
	w.env["GOSUMDB"] = vkey
	wantResult(t, w.run("sumdb"), StatusFail, "connection refused", "nothing listens")
}

func TestSumDBSettings(t *testing.T) {
	tests := []struct {
		name           string
		env            map[string]string
		want           Status
		sawHas, fixHas string
	}{
		{"off", map[string]string{"GOSUMDB": "off"}, StatusFail, "refuses to download toolchains", "export GOSUMDB=sum.golang.org"},
		{"bad syntax", map[string]string{"GOSUMDB": "sum.example.com+zz"}, StatusFail, "invalid GOSUMDB", "GOSUMDB=sum.golang.org"},
		{"GOPRIVATE=*", map[string]string{"GOPRIVATE": "*"}, StatusWarn, "GOPRIVATE=* exempts public modules from the checksum database", "go env -w GOPRIVATE=git.example.com"},
		{"GONOSUMDB=golang.org", map[string]string{"GONOSUMDB": "golang.org"}, StatusWarn, "GONOSUMDB=golang.org exempts public modules", "go env -w GONOSUMDB="},
		{"GOFLAGS=-insecure", map[string]string{"GOFLAGS": "-mod=mod -insecure"}, StatusFail, "contains -insecure", "remove -insecure from GOFLAGS"},
		{"GOINSECURE", map[string]string{"GOINSECURE": "git.corp.example"}, StatusWarn, "without HTTPS certificate checks", "internal hosts"},
		{"private prefix only", map[string]string{"GOPRIVATE": "git.corp.example/*"}, StatusSkip, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.cfg.Offline = true
			for k, v := range tt.env {
				w.env[k] = v
			}
			r := w.run("sumdb")
			if tt.want == StatusSkip {
				// Offline and nothing risky: ok, with the probe skipped.
				wantResult(t, r, StatusOK, "GOSUMDB=sum.golang.org", "")
				if !strings.Contains(strings.Join(r.Details, "\n"), "--offline") {
					t.Errorf("details %q do not say the probe was skipped", r.Details)
				}
				return
			}
			wantResult(t, r, tt.want, tt.sawHas, tt.fixHas)
		})
	}
}

// A go.sum module that a GONOSUMDB pattern exempts is named.
func TestSumDBExemptsProjectModule(t *testing.T) {
	w := newWorld(t)
	w.cfg.Offline = true
	w.env["GONOSUMDB"] = "github.com/acme"
	writeFile(t, filepath.Join(w.cfg.Dir, "go.sum"), "github.com/acme/lib v1.0.0 h1:AAAA=\ngithub.com/acme/lib v1.0.0/go.mod h1:BBBB=\n")
	wantResult(t, w.run("sumdb"), StatusWarn, "(github.com/acme/lib)", "")
}
