package toolchain

import (
	"bytes"
	"context"
	"crypto/rand"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"archive/zip"

	"github.com/envgen/envgen/internal/goenv"
)

// BenchmarkVerifyGOROOT hashes the GOROOT of the go command on PATH
// (about 270 MB in 11,500 files) and, as the baseline, runs sha256sum over
// the same files in two parallel streams. x-sha256sum is envgen's time
// over the baseline's: at most 1 is the target.
func BenchmarkVerifyGOROOT(b *testing.B) {
	env, err := goenv.Load(os.Getenv, "")
	if err != nil || env.GOROOT == "" {
		b.Skip("no GOROOT")
	}
	if _, err := exec.LookPath("sha256sum"); err != nil {
		b.Skip("no sha256sum")
	}
	var files []string
	_ = filepath.WalkDir(env.GOROOT, func(p string, d fs.DirEntry, err error) error { // the callback skips what it cannot read
		if err == nil && d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	mod := Module(testRelease, testPlatform)
	var ours, theirs time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := HashGOROOT(env.GOROOT, mod); err != nil {
			b.Fatal(err)
		}
		ours += time.Since(start)
		start = time.Now()
		sha256sumTwoStreams(b, files)
		theirs += time.Since(start)
	}
	b.ReportMetric(float64(ours)/float64(theirs), "x-sha256sum")
}

func sha256sumTwoStreams(b *testing.B, files []string) {
	half := len(files) / 2
	errs := make(chan error, 2)
	for _, part := range [][]string{files[:half], files[half:]} {
		go func() {
			cmd := exec.CommandContext(b.Context(), "xargs", "-0", "sha256sum")
			cmd.Stdin = strings.NewReader(strings.Join(part, "\x00"))
			errs <- cmd.Run()
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDownload fetches an 80 MB toolchain zip from a loopback proxy
// with envgen and, as the baseline, with `go mod download` from the same
// proxy and checksum database. x-go-mod-download is envgen's time over
// the go command's: at most 1 is the target.
func BenchmarkDownload(b *testing.B) {
	if _, err := exec.LookPath("go"); err != nil {
		b.Skip("no go command")
	}
	fw := newFakeWorld(b)
	big := make([]byte, 80<<20)
	rand.Read(big)
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: ZipPrefix(testModule) + "bin/go", Method: zip.Store})
	if err == nil {
		_, err = w.Write(big)
	}
	if err == nil {
		w, err = zw.Create(ZipPrefix(testModule) + "VERSION")
	}
	if err == nil {
		_, err = w.Write([]byte("go1.24.1\n"))
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		b.Fatal(err)
	}
	fw.zips[testModule.Version] = zb.Bytes()
	fw.sums[testModule.Version] = h1Of(b, zb.Bytes())

	var ours, theirs time.Duration
	for b.Loop() {
		env := fw.env(b, "")
		m := NewManager(context.Background(), env, NewHTTPClient(), b.TempDir(), nil)
		start := time.Now()
		unlock, err := m.lockVersion(testModule)
		if err != nil {
			b.Fatal(err)
		}
		_, err = m.FetchZip(testModule, "")
		unlock()
		if err != nil {
			b.Fatal(err)
		}
		ours += time.Since(start)

		tmp := b.TempDir()
		cmd := exec.CommandContext(b.Context(), "go", "mod", "download", "-json", ModulePath+"@"+testModule.Version)
		cmd.Dir = tmp
		cmd.Env = append(os.Environ(), "GOPROXY="+fw.srv.URL, "GOSUMDB="+fw.vkey+" "+fw.srv.URL+"/sumdb/"+fw.dbName,
			"GOMODCACHE="+filepath.Join(tmp, "mod"), "GOPATH="+tmp, "GOFLAGS=-modcacherw", "GOTOOLCHAIN=local", "GOENV=off")
		start = time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("go mod download: %v\n%s", err, out)
		}
		theirs += time.Since(start)
	}
	b.ReportMetric(float64(ours)/float64(theirs), "x-go-mod-download")
}
