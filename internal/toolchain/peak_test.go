package toolchain

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/envgen/envgen/internal/goenv"
	"github.com/envgen/envgen/internal/testtool"
)

// peakEnv tells TestHelperProcess, in a child process, what to hash:
// "zip", path, offset, size joined by newlines, or "goroot" (the GOROOT
// of the go command on PATH, as BenchmarkVerifyGOROOT hashes).
const peakEnv = "ENVGEN_TOOLCHAIN_PEAK"

// TestHelperProcess is not a test of its own: peakMiB runs the test
// binary with it alone, in a fresh process, to hash one zip or GOROOT and
// print the h1 and the process's peak resident memory (VmHWM).
func TestHelperProcess(t *testing.T) {
	spec := os.Getenv(peakEnv)
	if spec == "" {
		return
	}
	args := strings.Split(spec, "\n")
	var fh FileHashes
	var err error
	switch {
	case args[0] == "zip" && len(args) == 4:
		fh, err = peakHashZip(args[1], args[2], args[3])
	case args[0] == "goroot" && len(args) == 1:
		var env *goenv.Env
		if env, err = goenv.Load(os.Getenv, ""); err == nil {
			fh, err = HashGOROOT(env.GOROOT, testModule)
		}
	default:
		err = fmt.Errorf("bad %s=%q", peakEnv, spec)
	}
	if err != nil {
		t.Fatal(err)
	}
	h1, err := fh.H1()
	if err != nil {
		t.Fatal(err)
	}
	kB, err := vmHWM()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("envgen-peak %d %s\n", kB, h1)
}

func peakHashZip(name, offset, size string) (FileHashes, error) {
	off, err := strconv.ParseInt(offset, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("offset: %w", err)
	}
	n, err := strconv.ParseInt(size, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("size: %w", err)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("zip: %w", err)
	}
	defer f.Close() //nolint:errcheck // read-only: a failed close loses nothing
	return HashZipAt(io.NewSectionReader(f, off, n), n)
}

// vmHWM is the peak resident set size of this process in kB.
func vmHWM() (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("peak memory: %w", err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kB, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("VmHWM: %w", err)
			}
			return kB, nil
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/self/status")
}

// peakMiB hashes, in a fresh process, the zip of size bytes at offset in
// the file name (op "zip") or the GOROOT dir (op "goroot"), and returns
// that process's peak resident memory in MiB, with the h1 it computed.
func peakMiB(tb testing.TB, op string, args ...string) (float64, string) {
	tb.Helper()
	if _, err := os.Stat("/proc/self/status"); err != nil {
		testtool.Missing(tb, "no /proc/self/status to read the peak memory (VmHWM) from: %v", err)
	}
	cmd := exec.CommandContext(tb.Context(), os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), peakEnv+"="+strings.Join(append([]string{op}, args...), "\n"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("helper process: %v\n%s", err, out)
	}
	for line := range strings.Lines(string(out)) {
		var kB int64
		var h1 string
		if _, err := fmt.Sscanf(line, "envgen-peak %d %s", &kB, &h1); err == nil {
			return float64(kB) / 1024, h1
		}
	}
	tb.Fatalf("helper process printed no peak:\n%s", out)
	return 0, ""
}

// TestHashZipAtMemoryIsBounded hashes a 300 MB zip (2,000 stored files of
// 100 KiB, a stored 40 MiB file, a deflated 64 MiB one) in a fresh
// process: its peak resident memory stays under 64 MiB, whatever the size.
func TestHashZipAtMemoryIsBounded(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		testtool.Missing(t, "no /proc/self/status to read the peak memory (VmHWM) from: %v", err)
	}
	name := filepath.Join(t.TempDir(), "big.zip")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	zw := zip.NewWriter(bw)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	block := make([]byte, 1<<20)
	for i := range block {
		block[i] = "abcdefghijklmnop"[(i*i>>3^i>>11)&15] // stored: the content does not matter
	}
	prefix := ZipPrefix(testModule)
	add := func(name string, method uint16, parts ...[]byte) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: prefix + name, Method: method})
		for _, p := range parts {
			if err == nil {
				_, err = w.Write(p)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range 2000 {
		off := i * 509 % (len(block) - 100<<10)
		add(fmt.Sprintf("src/p%d/f%d.go", i%40, i), zip.Store, block[off:off+100<<10])
	}
	parts := make([][]byte, 40)
	for i := range parts {
		parts[i] = block
	}
	add("bin/stored", zip.Store, parts...)
	text := bytes.Repeat([]byte("func f() { return 42 } // deflated\n"), 1<<20/35+1)[:1<<20]
	for i := range parts {
		parts[i] = text
	}
	add("pkg/tool/linux_amd64/deflated", zip.Deflate, append(parts, parts[:24]...)...)
	err = zw.Close()
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	peak, h1 := peakMiB(t, "zip", name, "0", strconv.FormatInt(fi.Size(), 10))
	t.Logf("zip of %d MB: peak %.1f MiB", fi.Size()>>20, peak)
	if peak >= 64 {
		t.Errorf("peak resident memory %.1f MiB, want under 64 MiB", peak)
	}
	want, err := dirhash.HashZip(name, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	if h1 != want {
		t.Errorf("helper's h1 = %s, dirhash.HashZip = %s", h1, want)
	}
}
