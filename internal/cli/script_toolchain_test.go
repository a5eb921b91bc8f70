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
	flip := flipMiddle
	if len(args) == 4 {
		inner := args[3]
		flip = func(data []byte) []byte {
			return rewriteZip(ts, data, func(name string) bool { return strings.HasSuffix(name, "/"+inner) }, flipMiddle)
		}
	}
	in, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	done := false
	out := rewriteZip(ts, in, func(name string) bool {
		hit := !done && (name == args[2] || strings.HasPrefix(name, args[2]))
		done = done || hit
		return hit
	}, flip)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), out, 0o644))
}

func flipMiddle(data []byte) []byte {
	data[len(data)/2] ^= 1
	return data
}

// rewriteZip is zip data with edit applied to the content of the members
// pick chooses (at least one), each member keeping its name and method.
func rewriteZip(ts *testscript.TestScript, data []byte, pick func(name string) bool, edit func([]byte) []byte) []byte {
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
		if pick(f.Name) {
			content, found = edit(content), true
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: f.Method})
		ts.Check(err)
		_, err = w.Write(content)
		ts.Check(err)
	}
	if !found {
		ts.Fatalf("bundleflip: nothing to alter")
	}
	ts.Check(zw.Close())
	return b.Bytes()
}
