package toolchain

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"
)

type zipEntry struct {
	name   string
	method uint16
	data   []byte
}

func buildZip(t testing.TB, entries []zipEntry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: e.method})
		if err == nil {
			_, err = w.Write(e.data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// variedEntries are many files of varied sizes, stored and deflated,
// with empty ones and one large deflated file.
func variedEntries() []zipEntry {
	prefix := ZipPrefix(testModule)
	var es []zipEntry
	for i := range 300 {
		spread := i * i * 7919 // deterministic, scattered sizes
		n := 0
		switch i % 5 {
		case 1:
			n = spread % 100
		case 2:
			n = spread % 10_000
		case 3:
			n = spread % 200_000
		case 4:
			n = 64<<10 + i%3 - 1 // around the worker's buffer size
		}
		data := make([]byte, n)
		for j := range data {
			data[j] = "abcdefgh\n"[(j*j+i)%9] // compressible, not trivially
		}
		method := zip.Deflate
		if i%3 == 0 {
			method = zip.Store
		}
		es = append(es, zipEntry{fmt.Sprintf("%ssrc/p%d/f%d.go", prefix, i%17, i), method, data})
	}
	big := bytes.Repeat([]byte("package big // a large deflated file\n"), 300_000) // 11 MB
	es = append(es, zipEntry{prefix + "pkg/tool/linux_amd64/big", zip.Deflate, big})
	return es
}

func TestHashZipAtMatchesDirhash(t *testing.T) {
	z := buildZip(t, variedEntries())
	name := filepath.Join(t.TempDir(), "m.zip")
	if err := os.WriteFile(name, z, 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := dirhash.HashZip(name, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	// As a proof bundle holds it: at an offset inside a larger file.
	outer := append(append(bytes.Repeat([]byte{0xAA}, 1234), z...), bytes.Repeat([]byte{0x55}, 999)...)
	fh, err := HashZipAt(io.NewSectionReader(bytes.NewReader(outer), 1234, int64(len(z))), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	if len(fh) != 301 {
		t.Errorf("%d files hashed, want 301", len(fh))
	}
	if got, _ := fh.H1(); got != want {
		t.Fatalf("HashZipAt H1 = %s, dirhash.HashZip = %s", got, want)
	}
	if fh2, err := HashZip(name); err != nil {
		t.Fatal(err)
	} else if got, _ := fh2.H1(); got != want {
		t.Fatalf("HashZip H1 = %s, dirhash.HashZip = %s", got, want)
	}
}

func TestHashZipAtCorruptEntryIsNamed(t *testing.T) {
	es := variedEntries()
	bad := es[len(es)-1].name // the large deflated file
	z := buildZip(t, es)
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != bad {
			continue
		}
		off, err := f.DataOffset()
		if err != nil {
			t.Fatal(err)
		}
		// 0xFF opens a block of the reserved type 3: not deflate data.
		for i := range int64(64) {
			z[off+i] = 0xFF
		}
	}
	_, err = HashZipAt(bytes.NewReader(z), int64(len(z)))
	if err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("err = %v, want an error naming %s", err, bad)
	}
	name := filepath.Join(t.TempDir(), "bad.zip")
	if err := os.WriteFile(name, z, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := dirhash.HashZip(name, dirhash.Hash1); err == nil {
		t.Errorf("dirhash.HashZip accepts the corrupt zip")
	}
}

func TestHashZipAtFirstErrorInZipOrder(t *testing.T) {
	p := ZipPrefix(testModule)
	es := []zipEntry{
		{p + "a", zip.Deflate, []byte("a")},
		{p + "dir/", zip.Store, nil}, // a folder entry: skipped
		{p + "b", zip.Store, bytes.Repeat([]byte("b"), 100_000)},
		{p + "a", zip.Store, []byte("again")},
	}
	z := buildZip(t, es)
	_, err := HashZipAt(bytes.NewReader(z), int64(len(z)))
	if err == nil || err.Error() != "duplicate entry "+p+"a" {
		t.Fatalf("err = %v, want the duplicate entry", err)
	}
	z = buildZip(t, es[:3])
	fh, err := HashZipAt(bytes.NewReader(z), int64(len(z)))
	if err != nil || len(fh) != 2 {
		t.Fatalf("without the duplicate: %v, %d files (want 2: the folder is skipped)", err, len(fh))
	}
}
