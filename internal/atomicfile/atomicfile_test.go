package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileCreatesParentsAndReplaces(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a", "b", "c.txt")
	if err := WriteFile(name, []byte("one"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(name, []byte("two"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(name)
	if err != nil || string(got) != "two" {
		t.Fatalf("content = %q, %v; want two", got, err)
	}
	fi, _ := os.Stat(name)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v; an existing file must keep its mode 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(name))
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries; temporary files were left behind", len(entries))
	}
}

func TestWriteFileRefusesDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(filepath.Join(dir, "x"), []byte("data"), 0o644); err == nil {
		t.Fatal("writing over a folder succeeded")
	}
}

func TestBatchWritesWholeFilesAndSyncs(t *testing.T) {
	dir := t.TempDir()
	var b Batch
	for i, name := range []string{"a.txt", "sub/b.txt", "sub/deeper/c.txt"} {
		if err := b.WriteFile(filepath.Join(dir, name), []byte{byte('0' + i)}, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := syncEach(b.files, b.dirs); err != nil { // the fallback path must work too
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "sub", "deeper", "c.txt"))
	if err != nil || string(got) != "2" {
		t.Fatalf("c.txt = %q, %v", got, err)
	}
	var empty Batch
	if err := empty.Sync(); err != nil {
		t.Errorf("empty batch: %v", err)
	}
}
