package cli

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/envgen/envgen/internal/toolchain/toolchaintest"
)

// fakegoworld [PLATFORM...] starts a fake module proxy and checksum
// database in the test process (the listed platforms have zips but no
// database record) and points GOPROXY and GOSUMDB at it; FAKEKEY is the
// database's verifier key. It stops when the script ends.
func fakegoworld(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("usage: fakegoworld [PLATFORM...]")
	}
	w, err := toolchaintest.Start(args...)
	ts.Check(err)
	ts.Defer(w.Close)
	ts.Setenv("GOPROXY", w.URL)
	ts.Setenv("GOSUMDB", w.Key)
	ts.Setenv("FAKEKEY", w.Key)
	ts.Setenv("FAKEPROXY", w.URL)
	ts.Setenv("GOFLAGS", "-modcacherw")
}

// bundleflip IN OUT MEMBER [FILE] writes OUT, the bundle IN with one bit
// of MEMBER's content flipped in the middle, or, with FILE, of that file
// inside the toolchain zip MEMBER (a careful attacker's edit: the zips'
// own checksums are recomputed). MEMBER may be a prefix ("records/").
func bundleflip(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 || len(args) > 4 {
		ts.Fatalf("usage: bundleflip IN OUT MEMBER [FILE]")
	}
	flip := func(data []byte) []byte {
		data[len(data)/2] ^= 1
		return data
	}
	if len(args) == 4 {
		inner := args[3]
		flip = func(data []byte) []byte { return rezip(ts, data, inner) }
	}
	zr, err := zip.OpenReader(ts.MkAbs(args[0]))
	ts.Check(err)
	defer func() { _ = zr.Close() }()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	found := false
	for _, f := range zr.File {
		r, err := f.Open()
		ts.Check(err)
		data, err := io.ReadAll(r)
		ts.Check(err)
		_ = r.Close()
		if f.Name == args[2] || strings.HasPrefix(f.Name, args[2]) && !found {
			data = flip(data)
			found = true
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: f.Method})
		ts.Check(err)
		_, err = w.Write(data)
		ts.Check(err)
	}
	if !found {
		ts.Fatalf("bundleflip: no member %s", args[2])
	}
	ts.Check(zw.Close())
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), b.Bytes(), 0o644))
}

// rezip is zip data with one bit of the file ending in name flipped.
func rezip(ts *testscript.TestScript, data []byte, name string) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	ts.Check(err)
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	found := false
	for _, f := range zr.File {
		r, err := f.Open()
		ts.Check(err)
		content, err := io.ReadAll(r)
		ts.Check(err)
		_ = r.Close()
		if strings.HasSuffix(f.Name, "/"+name) {
			content[len(content)/2] ^= 1
			found = true
		}
		w, err := zw.Create(f.Name)
		ts.Check(err)
		_, err = w.Write(content)
		ts.Check(err)
	}
	if !found {
		ts.Fatalf("bundleflip: no %s in the zip", name)
	}
	ts.Check(zw.Close())
	return b.Bytes()
}
