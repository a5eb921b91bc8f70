package merge

import (
	"strings"
	"testing"
)

func TestTextCleanAndConflict(t *testing.T) {
	base := "one\ntwo\nthree\nfour\n"
	if r := Text([]byte(base), []byte("ONE\ntwo\nthree\nfour\n"), []byte("one\ntwo\nthree\nFOUR\n")); !r.Clean() || string(r.Data) != "ONE\ntwo\nthree\nFOUR\n" {
		t.Errorf("clean merge: %q %v", r.Data, r.Conflicts)
	}
	r := Text([]byte(base), []byte("one\nmine\nthree\nfour\n"), []byte("one\ntheirs\nthree\nfour\n"))
	want := "one\n<<<<<<< local\nmine\n||||||| base\ntwo\n=======\ntheirs\n>>>>>>> envgen\nthree\nfour\n"
	if string(r.Data) != want || len(r.Conflicts) != 1 || r.Conflicts[0] != (Conflict{"line 2", "changed differently on both sides"}) {
		t.Errorf("conflict: %q %v", r.Data, r.Conflicts)
	}
}

// Both sides added a file: one whole-file conflict unless one side is
// empty or both are equal.
func TestTextBothAdded(t *testing.T) {
	a, b := []byte("x\ny\nz\n"), []byte("x\nY\nz\n")
	r := Text(nil, a, b)
	if want := "<<<<<<< local\nx\ny\nz\n||||||| base\n=======\nx\nY\nz\n>>>>>>> envgen\n"; string(r.Data) != want {
		t.Errorf("both added: %q", r.Data)
	}
	if len(r.Conflicts) != 1 || r.Conflicts[0].Detail != "added on both sides with different content" {
		t.Errorf("conflicts %v", r.Conflicts)
	}
	for _, c := range [][3][]byte{{nil, a, a}, {nil, nil, b}, {nil, a, nil}, {[]byte{}, a, []byte{}}} {
		want := c[1]
		if len(want) == 0 {
			want = c[2]
		}
		if r := Text(c[0], c[1], c[2]); !r.Clean() || string(r.Data) != string(want) {
			t.Errorf("Text(%q, %q, %q) = %q %v", c[0], c[1], c[2], r.Data, r.Conflicts)
		}
	}
}

// Zealous refinement: of two insertions that differ in one line only that
// line conflicts, with the base part it replaces.
func TestTextRefinesConflicts(t *testing.T) {
	base := "a\nb\nc\n"
	local := "a\nx1\nx2\nmine\nx3\nb\nc\n"
	next := "a\nx1\nx2\ntheirs\nx3\nb\nc\n"
	want := "a\nx1\nx2\n<<<<<<< local\nmine\n||||||| base\n=======\ntheirs\n>>>>>>> envgen\nx3\nb\nc\n"
	if r := Text([]byte(base), []byte(local), []byte(next)); string(r.Data) != want || r.Conflicts[0].Path != "line 4" {
		t.Errorf("refined: %q %v", r.Data, r.Conflicts)
	}
	// Edits inside a changed block: the pieces keep their base lines.
	base = "k1\nv1\nk2\nv2\n"
	local = "K1\nv1\nK2\nv2\n"
	next = "k1!\nv1\nk2!\nv2\n"
	want = "<<<<<<< local\nK1\n||||||| base\nk1\n=======\nk1!\n>>>>>>> envgen\nv1\n<<<<<<< local\nK2\n||||||| base\nk2\n=======\nk2!\n>>>>>>> envgen\nv2\n"
	if r := Text([]byte(base), []byte(local), []byte(next)); string(r.Data) != want || len(r.Conflicts) != 2 {
		t.Errorf("refined pieces: %q %v", r.Data, r.Conflicts)
	}
}

// A CRLF file gets CRLF markers, and a conflict side without a final
// newline gets one before the next marker.
func TestTextMarkerLineEnds(t *testing.T) {
	r := Text([]byte("a\r\nb\r\n"), []byte("a\r\nmine\r\n"), []byte("a\r\ntheirs\r\n"))
	if want := "a\r\n<<<<<<< local\r\nmine\r\n||||||| base\r\nb\r\n=======\r\ntheirs\r\n>>>>>>> envgen\r\n"; string(r.Data) != want {
		t.Errorf("crlf: %q", r.Data)
	}
	r = Text([]byte("a\nb\n"), []byte("a\nmine"), []byte("a\ntheirs"))
	if want := "a\n<<<<<<< local\nmine\n||||||| base\nb\n=======\ntheirs\n>>>>>>> envgen\n"; string(r.Data) != want {
		t.Errorf("no final newline: %q", r.Data)
	}
}

func TestHasMarkers(t *testing.T) {
	r := Text([]byte("a\n"), []byte("b\n"), []byte("c\n"))
	for _, c := range []struct {
		data string
		want bool
	}{
		{string(r.Data), true},
		{strings.ReplaceAll(string(r.Data), "\n", "\r\n"), true},
		{"x\n>>>>>>> envgen", true},
		{"Title\n=======\n\ntext <<<<<<< local\n", false},
		{"<<<<<<< HEAD\n", false},
		{"", false},
	} {
		if got := HasMarkers([]byte(c.data)); got != c.want {
			t.Errorf("HasMarkers(%q) = %v", c.data, got)
		}
	}
}

func TestSameValue(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"a: 1\nb: [x, y]\n", "# c\nb:\n  - x\n  - 'y'\n\na: 1\n", true},
		{"a: 1\n", "a: \"1\"\n", false},
		{"a: 0x10\n", "a: 16\n", true},
		{"b: [x, y]\n", "b: [y, x]\n", false},
		{"{\"a\": {\"b\": null}}", "a:\n  b: ~\n", true},
		{"x: &a {k: 1}\ny: *a\n", "x: {k: 1}\ny: {k: 1}\n", true},
		{"a: [1\n", "a: [1]\n", false},
		{"a: 1\na: 1\n", "a: 1\n", false},
	} {
		if got := SameValue([]byte(c.a), []byte(c.b)); got != c.want {
			t.Errorf("SameValue(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

func TestFilePicksByExtension(t *testing.T) {
	base, local, next := "a: 1\nb: 2\n", "x: 5\na: 1\nb: 2\n", "a: 1\nb: 2\nx: 5\n"
	if r := File("deploy/prometheus.YAML", []byte(base), []byte(local), []byte(next)); !r.Clean() || string(r.Data) != local {
		t.Errorf("YAML by extension: %q %v", r.Data, r.Conflicts)
	}
	// As text the same edits are two insertions: a duplicate key.
	if r := File("notes.txt", []byte(base), []byte(local), []byte(next)); string(r.Data) != "x: 5\na: 1\nb: 2\nx: 5\n" {
		t.Errorf("text by extension: %q", r.Data)
	}
}

// TextPreferNext is Text without markers: next's side of each conflict,
// every conflict still reported, and Text's bytes where Text is clean.
func TestTextPreferNext(t *testing.T) {
	base := "one\ntwo\nthree\nfour\n"
	local, next := "ONE\ntwo\nthree\nfour\n", "one\ntwo\nthree\nFOUR\n"
	if r := TextPreferNext([]byte(base), []byte(local), []byte(next)); !r.Clean() || string(r.Data) != "ONE\ntwo\nthree\nFOUR\n" {
		t.Errorf("clean merge: %q %v", r.Data, r.Conflicts)
	}
	r := TextPreferNext([]byte(base), []byte("one\nmine\nthree\nfour\n"), []byte("one\ntheirs\nthree\nFOUR\n"))
	if want := "one\ntheirs\nthree\nFOUR\n"; string(r.Data) != want || len(r.Conflicts) != 1 ||
		r.Conflicts[0] != (Conflict{"line 2", "changed differently on both sides"}) {
		t.Errorf("conflict: %q %v", r.Data, r.Conflicts)
	}
	// Refined pieces: next's side of each, the agreed lines between them.
	local, next = "K1\nv1\nK2\nv2\n", "k1!\nv1\nk2!\nv2\n"
	r = TextPreferNext([]byte("k1\nv1\nk2\nv2\n"), []byte(local), []byte(next))
	if string(r.Data) != next || len(r.Conflicts) != 2 || r.Conflicts[1].Path != "line 3" {
		t.Errorf("refined: %q %v", r.Data, r.Conflicts)
	}
	// Both added, no newline at the end: next's bytes as they are.
	if r := TextPreferNext(nil, []byte("x"), []byte("y")); string(r.Data) != "y" || r.Clean() {
		t.Errorf("both added: %q %v", r.Data, r.Conflicts)
	}
}

func TestDiffLines(t *testing.T) {
	a := []string{"a\n", "b\n", "c\n", "d\n"}
	b := []string{"a\n", "B\n", "c\n", "d\n", "e\n"}
	got := DiffLines(a, b)
	want := []Hunk{{A: 1, NA: 1, B: 1, NB: 1}, {A: 4, NA: 0, B: 4, NB: 1}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("DiffLines = %v, want %v", got, want)
	}
	if got := DiffLines(a, a); len(got) != 0 {
		t.Errorf("DiffLines(a, a) = %v", got)
	}
}
