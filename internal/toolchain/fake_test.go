package toolchain

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"

	"github.com/envgen/envgen/internal/goenv"
	"github.com/envgen/envgen/internal/goversion"
)

var (
	testRelease  = goversion.Release{Major: 1, Minor: 24, Patch: 1}
	testPlatform = Platform{"linux", "amd64"}
	testModule   = Module(testRelease, testPlatform)
)

// fakeRelease is a tiny Go release: the files of its tarball under go/.
var fakeRelease = map[string]string{
	"VERSION":                      "go1.24.1\ntime 2025-03-04T17:51:13Z\n",
	"go.env":                       "GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=auto\n",
	"bin/go":                       "#!/bin/sh\necho go version go1.24.1 linux/amd64\n",
	"bin/gofmt":                    "#!/bin/sh\n",
	"pkg/tool/linux_amd64/compile": "binary",
	"src/go.mod":                   "module std\n",
	"src/cmd/go.mod":               "module cmd\n",
	"src/fmt/print.go":             "package fmt\n",
	"doc/go_spec.html":             "dropped by the transformation",
	"test/run.go":                  "dropped by the transformation",
	"api/go1.txt":                  "dropped",
}

// fakeZip is the module zip the Go team builds from fakeRelease.
func fakeZip(t testing.TB, mod module.Version, edit func(name string, data []byte) []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for rel, data := range fakeRelease {
		name, keep := moduleName(rel)
		if !keep {
			continue
		}
		content := []byte(data)
		if edit != nil {
			content = edit(name, content)
		}
		w, err := zw.Create(ZipPrefix(mod) + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(content); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fakeTarball is the release tarball go1.24.1.linux-amd64.tar.gz.
func fakeTarball(t testing.TB, edit func(rel string, data []byte) []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	check(tw.WriteHeader(&tar.Header{Name: "go/", Typeflag: tar.TypeDir, Mode: 0o755}))
	for rel, data := range fakeRelease {
		content := []byte(data)
		if edit != nil {
			content = edit(rel, content)
		}
		mode := int64(0o644)
		if strings.HasPrefix(rel, "bin/") {
			mode = 0o755
		}
		check(tw.WriteHeader(&tar.Header{Name: "go/" + rel, Typeflag: tar.TypeReg, Mode: mode, Size: int64(len(content))}))
		_, err := tw.Write(content)
		check(err)
	}
	check(tw.WriteHeader(&tar.Header{Name: "go/bin/link", Typeflag: tar.TypeSymlink, Linkname: "../../../etc/passwd"}))
	check(tw.Close())
	check(gz.Close())
	return b.Bytes()
}

func h1Of(t testing.TB, zipData []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(zipData), int64(len(zipData)))
	if err != nil {
		t.Fatal(err)
	}
	fh := FileHashes{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(r); err != nil {
			t.Fatal(err)
		}
		_ = r.Close()
		fh[f.Name] = sha256Hex(buf.Bytes())
	}
	h, err := fh.H1()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// fakeWorld is a module proxy serving golang.org/toolchain and, under
// /sumdb/<name>/, a checksum database with its own key.
type fakeWorld struct {
	t        testing.TB
	zips     map[string][]byte // by version
	sums     map[string]string // what the database records, by version
	sumdb    http.Handler
	dbName   string
	vkey     string
	skey     string
	requests []string
	// hooks: answer a request instead of the proxy (return true if handled)
	hook func(w http.ResponseWriter, r *http.Request) bool
	srv  *httptest.Server
}

func newFakeWorld(t testing.TB) *fakeWorld {
	skey, vkey, err := note.GenerateKey(rand.Reader, "sum.example.test")
	if err != nil {
		t.Fatal(err)
	}
	fw := newFakeWorldWithKey(t, skey, vkey)
	return fw
}

func newFakeWorldWithKey(t testing.TB, skey, vkey string) *fakeWorld {
	fw := &fakeWorld{t: t, zips: map[string][]byte{}, sums: map[string]string{}, dbName: "sum.example.test", vkey: vkey, skey: skey}
	for _, p := range PinnedPlatforms {
		m := Module(testRelease, p)
		z := fakeZip(t, m, nil)
		fw.zips[m.Version] = z
		fw.sums[m.Version] = h1Of(t, z)
	}
	ts := sumdb.NewTestServer(skey, func(p, v string) ([]byte, error) {
		h, ok := fw.sums[v]
		if p != ModulePath || !ok {
			return nil, os.ErrNotExist // the sumdb server answers 404 only for this very error
		}
		return fmt.Appendf(nil, "%s %s %s\n%s %s/go.mod %s\n", p, v, h, p, v, goModH1), nil
	})
	fw.sumdb = sumdb.NewServer(ts)
	fw.srv = httptest.NewServer(http.HandlerFunc(fw.serve))
	t.Cleanup(fw.srv.Close)
	return fw
}

func (fw *fakeWorld) serve(w http.ResponseWriter, r *http.Request) {
	fw.requests = append(fw.requests, r.Method+" "+r.URL.Path+" "+r.Header.Get("Range"))
	if fw.hook != nil && fw.hook(w, r) {
		return
	}
	p := r.URL.Path
	dbPrefix := "/sumdb/" + fw.dbName
	switch {
	case p == dbPrefix+"/supported":
		w.WriteHeader(http.StatusOK)
	case strings.HasPrefix(p, dbPrefix+"/"):
		r2 := r.Clone(r.Context())
		r2.URL.Path = strings.TrimPrefix(p, dbPrefix)
		fw.sumdb.ServeHTTP(w, r2)
	case p == "/golang.org/toolchain/@v/list":
		for v := range fw.zips {
			_, _ = fmt.Fprintln(w, v)
		}
		_, _ = fmt.Fprintln(w, "v0.0.1-go1.25rc1.linux-amd64")
		_, _ = fmt.Fprintln(w, "v0.0.1-go1.23.9.linux-amd64")
	case strings.HasPrefix(p, "/golang.org/toolchain/@v/"):
		file := path.Base(p)
		ext := path.Ext(file)
		z, ok := fw.zips[strings.TrimSuffix(file, ext)]
		if !ok {
			http.NotFound(w, r)
			return
		}
		switch ext {
		case ".zip":
			http.ServeContent(w, r, file, time.Time{}, bytes.NewReader(z))
		case ".info":
			_, _ = fmt.Fprintf(w, "{\"Version\":%q,\"Time\":\"2025-03-04T17:51:13Z\"}\n", strings.TrimSuffix(file, ext)) //nolint:gosec // G705: JSON for the test's own client, not a page
		case ".mod":
			_, _ = fmt.Fprintln(w, "module golang.org/toolchain")
		default:
			http.NotFound(w, r)
		}
	default:
		http.NotFound(w, r)
	}
}

// env is a go environment using the fake world (plus extra proxies
// before it), with its own module cache and sumdb state.
func (fw *fakeWorld) env(t testing.TB, goproxy string) *goenv.Env {
	t.Helper()
	if goproxy == "" {
		goproxy = fw.srv.URL
	}
	proxies, err := goenv.ParseProxy(goproxy)
	if err != nil {
		t.Fatal(err)
	}
	db, err := goenv.ParseSumDB(fw.vkey)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	return &goenv.Env{Proxy: proxies, ProxyRaw: goproxy, SumDB: db, SumDBRaw: fw.vkey,
		ModCache: dir + "/pkg/mod", GOPATH: dir, SumDBDir: dir + "/pkg/sumdb"}
}

func (fw *fakeWorld) manager(t testing.TB, env *goenv.Env) *Manager {
	m := NewManager(context.Background(), env, NewHTTPClient(), t.TempDir(), nil)
	m.Downloader.Backoff = time.Millisecond
	return m
}

// goModH1 is the h1 of the toolchain's go.mod, "module golang.org/toolchain\n".
var goModH1 = func() string {
	h, _ := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader("module " + ModulePath + "\n")), nil
	})
	return h
}()

var fakeTime = time.Date(2025, 3, 4, 17, 51, 13, 0, time.UTC)

func itoa(n int) string { return fmt.Sprint(n) }

// keys returns the world's signer and verifier keys.
func (fw *fakeWorld) keys(t testing.TB) (string, string) { return fw.skey, fw.vkey }
