package merge

import (
	"bytes"
	"testing"
)

// FuzzText checks the invariants of a three-way merge: a side that did
// not change takes the other side as is, the same change on both sides
// is that change, and nothing panics.
func FuzzText(f *testing.F) {
	f.Add([]byte("a\nb\nc\n"), []byte("a\nB\nc\n"), []byte("a\nb\nC\n"))
	f.Add([]byte(""), []byte("x\n"), []byte("y\n"))
	f.Add([]byte("a\r\nb"), []byte("a\r\nb\r\n"), []byte("b"))
	f.Add([]byte("}\n\n}\n"), []byte("}\n}\n\n}\n"), []byte("\n}\n"))
	f.Fuzz(func(t *testing.T, base, x, y []byte) {
		if r := Text(base, x, base); !r.Clean() || !bytes.Equal(r.Data, x) {
			t.Errorf("merge(base, x, base) = %q, want %q", r.Data, x)
		}
		if r := Text(base, base, y); !r.Clean() || !bytes.Equal(r.Data, y) {
			t.Errorf("merge(base, base, y) = %q, want %q", r.Data, y)
		}
		if r := Text(base, x, x); !r.Clean() || !bytes.Equal(r.Data, x) {
			t.Errorf("merge(b, x, x) = %q, want %q", r.Data, x)
		}
		r := Text(base, x, y)
		if p := TextPreferNext(base, x, y); p.Clean() != r.Clean() || len(p.Conflicts) != len(r.Conflicts) || (r.Clean() && !bytes.Equal(p.Data, r.Data)) {
			t.Errorf("TextPreferNext = %q %v, Text = %q %v", p.Data, p.Conflicts, r.Data, r.Conflicts)
		}
		if r.Clean() == HasMarkers(r.Data) && !HasMarkers(x) && !HasMarkers(y) && !HasMarkers(base) {
			t.Errorf("clean %v but markers %v: %q", r.Clean(), HasMarkers(r.Data), r.Data)
		}
		_, _ = YAML(base, x, y)
		_, _ = JSON(base, x, y)
	})
}

// FuzzYAML checks the same invariants for YAML: a side that did not
// change (by bytes) takes the other side's bytes, whatever they hold.
func FuzzYAML(f *testing.F) {
	f.Add([]byte("a: 1\nb: [x, y]\n"), []byte("a: 2\nb: [x, y]\n"), []byte("a: 1\nb: [x, z]\n"))
	f.Add([]byte("p:\n  - \"80:80\"\n"), []byte("p:\n  - \"81:80\"\n"), []byte("p:\n  - \"82:80\"\n"))
	f.Add([]byte("x: &a {k: 1}\ny: *a\n"), []byte("x: &a {k: 2}\ny: *a\n"), []byte("x: &a {k: 1}\ny: *a\nz: 1\n"))
	f.Fuzz(func(t *testing.T, base, x, y []byte) {
		for _, c := range [][3][]byte{{base, x, base}, {base, base, y}, {base, x, x}} {
			r, err := YAML(c[0], c[1], c[2])
			if err != nil {
				continue
			}
			want := c[1]
			if bytes.Equal(c[1], c[0]) {
				want = c[2]
			}
			if !r.Clean() || !bytes.Equal(r.Data, want) {
				t.Errorf("YAML(%q, %q, %q) = %q %v", c[0], c[1], c[2], r.Data, r.Conflicts)
			}
		}
		if r, err := YAML(base, x, y); err == nil && r.Clean() && !SameValue(r.Data, r.Data) {
			t.Errorf("clean merge does not parse: %q", r.Data)
		}
	})
}
