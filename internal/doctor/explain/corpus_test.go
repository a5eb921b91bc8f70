package explain

import (
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

type corpusCase struct {
	name, source string
	want         [][]Cause // per finding, the cause or the could-be set
	text         string
}

func loadCorpus(t *testing.T) []corpusCase {
	t.Helper()
	a, err := txtar.ParseFile("testdata/corpus.txtar")
	if err != nil {
		t.Fatal(err)
	}
	var cs []corpusCase
	for _, f := range a.Files {
		head, text, ok := strings.Cut(string(f.Data), "\n\n")
		if !ok {
			t.Fatalf("%s: no blank line after the header", f.Name)
		}
		c := corpusCase{name: f.Name, text: text}
		for _, l := range strings.Split(head, "\n") {
			k, v, _ := strings.Cut(l, ": ")
			switch k {
			case "source":
				c.source = v
			case "want":
				if v == "none" {
					continue
				}
				for _, w := range strings.Fields(v) {
					var set []Cause
					for _, x := range strings.Split(w, "|") {
						set = append(set, Cause(x))
					}
					c.want = append(c.want, set)
				}
			default:
				t.Fatalf("%s: unknown header %q", f.Name, l)
			}
		}
		if c.source == "" {
			t.Fatalf("%s: no source", f.Name)
		}
		cs = append(cs, c)
	}
	return cs
}

// Every case of the corpus is classified as it says, and findings come
// most fundamental first.
func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs, err := Explain(strings.NewReader(c.text))
			if err != nil {
				t.Fatal(err)
			}
			var got [][]Cause
			for _, f := range fs {
				got = append(got, append([]Cause{f.Cause}, f.CouldBe[min(1, len(f.CouldBe)):]...))
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %d findings %v, want %v\n%s", len(got), got, c.want, c.text)
			}
			for i := range got {
				if !slices.Equal(got[i], c.want[i]) {
					t.Errorf("finding %d: got %v, want %v (pattern %s)", i+1, got[i], c.want[i], fs[i].Pattern)
				}
				if fs[i].Cause != Unknown && (fs[i].Fix.Text == "" || len(fs[i].Evidence) == 0) {
					t.Errorf("finding %d has no fix or no evidence: %+v", i+1, fs[i])
				}
			}
		})
	}
}

// The corpus is big enough and covers every cause and every row of the
// table.
func TestCorpusCoverage(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) < 40 {
		t.Errorf("corpus has %d cases, want at least 40", len(cases))
	}
	causes, rows := map[Cause]bool{}, map[string]bool{}
	for _, c := range cases {
		fs, _ := Explain(strings.NewReader(c.text))
		for _, f := range fs {
			causes[f.Cause] = true
			for _, x := range f.CouldBe {
				causes[x] = true
			}
			rows[f.Pattern] = true
		}
	}
	for _, c := range Causes {
		if !causes[c] {
			t.Errorf("no corpus case for cause %s", c)
		}
	}
	for _, p := range Table {
		if !rows[p.ID] {
			t.Errorf("no corpus case matches table row %s", p.ID)
		}
	}
}

// The vocabulary is exactly the documented one.
func TestVocabulary(t *testing.T) {
	want := []string{"proxy_unreachable", "checksum_mismatch", "toolchain_not_available", "tls_interception",
		"private_module", "mirror_lag", "corrupt_cache", "mirror_outage", "misconfigured_env", "clock_skew", "unknown"}
	var got []string
	for _, c := range Causes {
		got = append(got, string(c))
		if Descriptions[c] == "" {
			t.Errorf("%s has no description", c)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("causes %v, want %v", got, want)
	}
	ids := map[string]bool{}
	for _, p := range Table {
		if ids[p.ID] || p.Source == "" || p.Go == "" || p.Fix == nil {
			t.Errorf("row %s: duplicate, or no source, versions or fix", p.ID)
		}
		ids[p.ID] = true
	}
}

var _ = os.Stdout
