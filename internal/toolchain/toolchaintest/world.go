// Package toolchaintest serves a fake Go toolchain world in process: a
// module proxy with golang.org/toolchain zips of a tiny release for every
// platform envgen pins, and, under /sumdb/<name>/, a checksum database
// (golang.org/x/mod/sumdb's test server) signed with its own key. The CLI
// scenarios use it; nothing in it reaches the network.
package toolchaintest

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"
)

// Release is the fake release every world serves.
const Release = "go1.24.1"

// Platforms are the platforms it serves, as toolchain versions spell them.
var Platforms = []string{"linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64", "windows-amd64"}

// Files are the release's files, relative to its GOROOT.
var Files = map[string]string{
	"VERSION":          Release + "\ntime 2025-03-04T17:51:13Z\n",
	"go.env":           "GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=auto\n",
	"bin/go":           "#!/bin/sh\necho go version " + Release + "\n",
	"bin/gofmt":        "#!/bin/sh\n",
	"src/fmt/print.go": "package fmt\n",
	"src/_go.mod":      "module std\n",
}

// World is a running fake proxy and checksum database.
type World struct {
	URL      string // the proxy: GOPROXY=URL
	Name     string // the database's name
	Key      string // its verifier key: GOSUMDB=Key
	srv      *httptest.Server
	db       http.Handler
	mu       sync.Mutex
	zips     map[string][]byte
	missing  map[string]bool // platforms the database has no record of
	Requests int
}

// Start serves a world; Close stops it. Platforms in missing have zips
// but no checksum database record (the database answers 404).
func Start(missing ...string) (*World, error) {
	skey, vkey, err := note.GenerateKey(rand.Reader, "sum.example.test")
	if err != nil {
		return nil, fmt.Errorf("test key: %w", err)
	}
	w := &World{Name: "sum.example.test", Key: vkey, zips: map[string][]byte{}, missing: map[string]bool{}}
	for _, p := range missing {
		w.missing[p] = true
	}
	for _, p := range Platforms {
		z, err := moduleZip(version(p))
		if err != nil {
			return nil, err
		}
		w.zips[version(p)] = z
	}
	ts := sumdb.NewTestServer(skey, func(modPath, vers string) ([]byte, error) {
		z, ok := w.zips[vers]
		if modPath != "golang.org/toolchain" || !ok || w.missing[platformOf(vers)] {
			return nil, os.ErrNotExist // the sumdb server answers 404 only for this very error
		}
		return fmt.Appendf(nil, "%s %s %s\n%s %s/go.mod %s\n", modPath, vers, h1(z), modPath, vers, goModH1()), nil
	})
	w.db = sumdb.NewServer(ts)
	w.srv = httptest.NewServer(http.HandlerFunc(w.serve))
	w.URL = w.srv.URL
	return w, nil
}

// Close stops the world.
func (w *World) Close() { w.srv.Close() }

func version(platform string) string { return "v0.0.1-" + Release + "." + platform }

func platformOf(v string) string { return v[strings.LastIndex(v, ".")+1:] }

func (w *World) serve(rw http.ResponseWriter, r *http.Request) {
	w.mu.Lock()
	w.Requests++
	w.mu.Unlock()
	p := r.URL.Path
	prefix := "/sumdb/" + w.Name
	switch {
	case p == prefix+"/supported":
		rw.WriteHeader(http.StatusOK)
	case strings.HasPrefix(p, prefix+"/"):
		r2 := r.Clone(r.Context())
		r2.URL.Path = strings.TrimPrefix(p, prefix)
		w.db.ServeHTTP(rw, r2)
	case p == "/golang.org/toolchain/@v/list":
		vs := make([]string, 0, len(w.zips))
		for v := range w.zips {
			vs = append(vs, v)
		}
		sort.Strings(vs)
		_, _ = io.WriteString(rw, strings.Join(vs, "\n")+"\n")
	case strings.HasPrefix(p, "/golang.org/toolchain/@v/"):
		file := path.Base(p)
		ext := path.Ext(file)
		z, ok := w.zips[strings.TrimSuffix(file, ext)]
		switch {
		case !ok:
			http.NotFound(rw, r)
		case ext == ".zip":
			http.ServeContent(rw, r, file, time.Time{}, bytes.NewReader(z))
		case ext == ".mod":
			_, _ = io.WriteString(rw, "module golang.org/toolchain\n")
		case ext == ".info":
			_, _ = fmt.Fprintf(rw, "{\"Version\":%q}\n", strings.TrimSuffix(file, ext)) //nolint:gosec // G705: JSON for the test's own client, not a page
		default:
			http.NotFound(rw, r)
		}
	default:
		http.NotFound(rw, r)
	}
}

func moduleZip(v string) ([]byte, error) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	names := make([]string, 0, len(Files))
	for n := range Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f, err := zw.Create("golang.org/toolchain@" + v + "/" + n)
		if err == nil {
			_, err = io.WriteString(f, Files[n])
		}
		if err != nil {
			return nil, fmt.Errorf("fake zip: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("fake zip: %w", err)
	}
	return b.Bytes(), nil
}

// h1 is dirhash's h1 of a zip's files.
func h1(z []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		panic(err) // our own zip
	}
	var names []string
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		names = append(names, f.Name)
		files[f.Name] = f
	}
	h, err := dirhash.Hash1(names, func(name string) (io.ReadCloser, error) { return files[name].Open() })
	if err != nil {
		panic(err)
	}
	return h
}

func goModH1() string {
	h, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader("module golang.org/toolchain\n")), nil
	})
	if err != nil {
		panic(err)
	}
	return h
}
