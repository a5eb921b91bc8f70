package regions

import (
	"bytes"
	"testing"
)

var fuzzSeeds = []string{
	"",
	"plain text\n",
	"# envgen:begin a\nx\n# envgen:end a\n",
	"<!-- envgen:begin a -->\r\nx\r\n<!-- envgen:end a -->",
	"// envgen:begin a\n// envgen:end a\n// envgen:begin b\ny\n// envgen:end b\n",
	"# envgen:begin a\n# envgen:begin b\n",
	"# envgen:end a\n",
	"<!-- envgen:begin a\n",
	"\t# envgen:begin a-1\n\r\n\t# envgen:end a-1",
	"# envgen:begin a\r\nx\r\r\n# envgen:begin\r\r\n# envgen:end a\r\n",
}

// FuzzParse: Parse never panics; what it returns is well formed; a file is
// its own render (Apply(x, x) == x); Outside is idempotent.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := Parse(data)
		if err != nil {
			if _, _, _, aerr := Apply(data, data); aerr == nil {
				t.Fatalf("Parse fails (%v) but Apply does not", err)
			}
			if !bytes.Equal(Outside(data), data) {
				t.Fatal("Outside changed a file whose markers do not parse")
			}
			return
		}
		prev := 0
		for _, r := range rs {
			if r.Begin < prev || r.End < r.Begin || r.End > len(data) || !validName(r.Name) {
				t.Fatalf("bad region %+v after offset %d in %d bytes", r, prev, len(data))
			}
			prev = r.End
		}
		out, changed, missing, err := Apply(data, data)
		if err != nil || !bytes.Equal(out, data) || changed != nil || missing != nil {
			t.Fatalf("Apply(x, x) = %q, %q, %q, %v; want x", out, changed, missing, err)
		}
		o := Outside(data)
		if !bytes.Equal(Outside(o), o) {
			t.Fatal("Outside is not idempotent")
		}
		ors, err := Parse(o)
		if err != nil || len(ors) != len(rs) {
			t.Fatalf("Outside's result parses as %v, %v; want %d empty regions", ors, err, len(rs))
		}
		for i, r := range ors {
			if r.Name != rs[i].Name || r.Begin != r.End {
				t.Fatalf("Outside left region %+v, want %s empty", r, rs[i].Name)
			}
		}
	})
}

// FuzzApply: for two parsable files, Apply keeps everything outside the
// regions, gives every shared region the render's content (in local's
// line endings: only carriage returns may differ), and is idempotent.
func FuzzApply(f *testing.F) {
	for _, a := range fuzzSeeds {
		for _, b := range fuzzSeeds {
			f.Add([]byte(a), []byte(b))
		}
	}
	f.Fuzz(func(t *testing.T, local, rendered []byte) {
		out, changed, _, err := Apply(local, rendered)
		if err != nil {
			return
		}
		if !bytes.Equal(Outside(out), Outside(local)) {
			t.Fatalf("Apply changed the user's text:\nlocal %q\nout   %q", local, out)
		}
		ors, err := Parse(out)
		if err != nil {
			t.Fatalf("Apply's result does not parse: %v", err)
		}
		lrs, _ := Parse(local)
		if len(ors) != len(lrs) {
			t.Fatalf("Apply turned %d regions into %d", len(lrs), len(ors))
		}
		again, changed2, _, err := Apply(out, rendered)
		if err != nil || !bytes.Equal(again, out) || changed2 != nil {
			t.Fatalf("second Apply = %q, %q, %v; want %q unchanged (first changed %q)", again, changed2, err, out, changed)
		}
		rrs, _ := Parse(rendered)
		want := map[string][]byte{}
		for _, r := range rrs {
			want[r.Name] = withoutCR(rendered[r.Begin:r.End])
		}
		for _, r := range ors {
			if w, ok := want[r.Name]; ok {
				if got := withoutCR(out[r.Begin:r.End]); !bytes.Equal(got, w) {
					t.Fatalf("region %s = %q, want the render's %q", r.Name, got, w)
				}
			}
		}
	})
}

func withoutCR(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\r"), nil) }
