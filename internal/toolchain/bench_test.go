package toolchain

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/envgen/envgen/internal/goenv"
	"github.com/envgen/envgen/internal/goversion"
	"github.com/envgen/envgen/internal/testtool"
)

// BenchmarkVerifyGOROOT hashes the GOROOT of the go command on PATH
// (about 270 MB in 11,500 files) and, as the baseline, runs
// `find GOROOT -type f -print0 | xargs -0 -P2 sha256sum`, interleaved.
// x-sha256sum is envgen's time over the baseline's: at most 1 is the
// target. peak-MiB is the peak resident memory of one HashGOROOT in a
// fresh process: under 64 is the target.
func BenchmarkVerifyGOROOT(b *testing.B) {
	env, err := goenv.Load(os.Getenv, "")
	if err != nil || env.GOROOT == "" {
		testtool.Missing(b, "no GOROOT: %v", err)
	}
	for _, tool := range []string{"sh", "find", "xargs", "sha256sum"} {
		testtool.Require(b, tool, "apt-get install coreutils findutils")
	}
	mod := Module(testRelease, testPlatform)
	var ours, theirs time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := HashGOROOT(env.GOROOT, mod); err != nil {
			b.Fatal(err)
		}
		ours += time.Since(start)
		start = time.Now()
		cmd := exec.CommandContext(b.Context(), "sh", "-c", `find "$1" -type f -print0 | xargs -0 -P2 sha256sum >/dev/null`, "sh", env.GOROOT)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("find | xargs sha256sum: %v\n%s", err, out)
		}
		theirs += time.Since(start)
	}
	b.ReportMetric(float64(ours)/float64(theirs), "x-sha256sum")
	peak, _ := peakMiB(b, "goroot")
	b.ReportMetric(peak, "peak-MiB")
}

// BenchmarkVerifyBundleZip hashes a real toolchain module zip (the newest
// golang.org/toolchain zip in the module cache, else one built from the
// GOROOT's files) stored in an outer zip, as a proof bundle holds it:
// HashZipAt through a SectionReader at the entry's data offset. The
// baseline, interleaved, is dirhash.HashZip of the same zip as a file of
// its own. x-dirhash is envgen's time over the baseline's: at most 0.6 is
// the target. peak-MiB is the peak resident memory of one HashZipAt of
// the bundled zip in a fresh process: under 64 is the target.
func BenchmarkVerifyBundleZip(b *testing.B) {
	dir := b.TempDir()
	inner := filepath.Join(dir, "toolchain.zip")
	if src := newestToolchainZip(b); src != "" {
		copyFile(b, src, inner)
	} else {
		goRootZip(b, inner)
	}
	bundle := filepath.Join(dir, "bundle.zip")
	bundleZip(b, bundle, inner)
	bf, err := os.Open(bundle)
	if err != nil {
		b.Fatal(err)
	}
	defer bf.Close() //nolint:errcheck // read-only: a failed close loses nothing
	fi, err := bf.Stat()
	if err != nil {
		b.Fatal(err)
	}
	zr, err := zip.NewReader(bf, fi.Size())
	if err != nil {
		b.Fatal(err)
	}
	var off, size int64
	var member *zip.File
	for _, f := range zr.File {
		if f.Name == "toolchain.zip" {
			if off, err = f.DataOffset(); err != nil {
				b.Fatal(err)
			}
			size = int64(f.CompressedSize64) //nolint:gosec // G115: the size of a zip this benchmark wrote, far below 2^63
			member = f
		}
	}
	want, err := dirhash.HashZip(inner, dirhash.Hash1)
	if err != nil {
		b.Fatal(err)
	}
	var ours, theirs time.Duration
	for b.Loop() {
		start := time.Now()
		// What verify --bundle does per zip once the proof holds: the
		// member's CRC, then every file's hash.
		fh, err := hashStoredZip(member, io.NewSectionReader(bf, off, size))
		if err != nil {
			b.Fatal(err)
		}
		ours += time.Since(start)
		if got, _ := fh.H1(); got != want {
			b.Fatalf("HashZipAt h1 = %s, dirhash.HashZip %s", got, want)
		}
		start = time.Now()
		if _, err := dirhash.HashZip(inner, dirhash.Hash1); err != nil {
			b.Fatal(err)
		}
		theirs += time.Since(start)
	}
	b.ReportMetric(float64(ours)/float64(theirs), "x-dirhash")
	peak, h1 := peakMiB(b, "zip", bundle, strconv.FormatInt(off, 10), strconv.FormatInt(size, 10))
	if h1 != want {
		b.Fatalf("helper's h1 = %s, dirhash.HashZip %s", h1, want)
	}
	b.ReportMetric(peak, "peak-MiB")
}

// newestToolchainZip is the golang.org/toolchain module zip of the newest
// Go release in the module cache, or "".
func newestToolchainZip(b *testing.B) string {
	env, err := goenv.Load(os.Getenv, "")
	if err != nil || env.ModCache == "" {
		return ""
	}
	zips, _ := filepath.Glob(filepath.Join(env.ModCache, "cache", "download", "golang.org", "toolchain", "@v", "*.zip")) // the pattern is valid
	newest, newestGo := "", ""
	for _, z := range zips {
		goVersion, _, ok := ParseModuleVersion(strings.TrimSuffix(filepath.Base(z), ".zip"))
		if ok && (newest == "" || goversion.Compare(goVersion, newestGo) > 0) {
			newest, newestGo = z, goVersion
		}
	}
	if newest != "" {
		b.Logf("inner zip: %s", newest)
	}
	return newest
}

func copyFile(b *testing.B, src, dst string) {
	in, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close() //nolint:errcheck // read-only: a failed close loses nothing
	out, err := os.Create(dst)
	if err == nil {
		_, err = io.Copy(out, in)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		b.Fatal(err)
	}
}

// goRootZip writes a module-zip-like zip of the GOROOT's files (deflated,
// under the module's prefix, the transformation applied) to name.
func goRootZip(b *testing.B, name string) {
	env, err := goenv.Load(os.Getenv, "")
	if err != nil || env.GOROOT == "" {
		testtool.Missing(b, "no toolchain zip in the module cache and no GOROOT: %v", err)
	}
	b.Logf("inner zip: built from %s", env.GOROOT)
	writeZip(b, name, func(zw *zip.Writer) {
		prefix := ZipPrefix(testModule)
		err := filepath.WalkDir(env.GOROOT, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			rel, _ := filepath.Rel(env.GOROOT, p) // p is under GOROOT
			mname, keep := moduleName(filepath.ToSlash(rel))
			if !keep {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			w, err := zw.Create(prefix + mname)
			if err == nil {
				_, err = w.Write(data)
			}
			if err != nil {
				b.Fatal(err)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	})
}

// bundleZip writes to name an outer zip that stores the zip inner
// uncompressed, after a small entry.
func bundleZip(b *testing.B, name, inner string) {
	writeZip(b, name, func(zw *zip.Writer) {
		w, err := zw.Create("proof.json")
		if err == nil {
			_, err = w.Write([]byte(`{"module":"golang.org/toolchain"}` + "\n"))
		}
		if err == nil {
			w, err = zw.CreateHeader(&zip.FileHeader{Name: "toolchain.zip", Method: zip.Store})
		}
		if err != nil {
			b.Fatal(err)
		}
		in, err := os.Open(inner)
		if err != nil {
			b.Fatal(err)
		}
		defer in.Close() //nolint:errcheck // read-only: a failed close loses nothing
		if _, err := io.Copy(w, in); err != nil {
			b.Fatal(err)
		}
	})
}

func writeZip(b *testing.B, name string, fill func(*zip.Writer)) {
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	zw := zip.NewWriter(f)
	fill(zw)
	err = zw.Close()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
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
