package regions

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// contents maps each region's name to its content.
func contents(t *testing.T, data string) map[string]string {
	t.Helper()
	rs, err := Parse([]byte(data))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	m := map[string]string{}
	for _, r := range rs {
		m[r.Name] = data[r.Begin:r.End]
	}
	return m
}

func TestParseCommentSyntaxes(t *testing.T) {
	data := "# Title\n" +
		"<!-- envgen:begin intro -->\n" +
		"rendered text\n" +
		"<!-- envgen:end intro -->\n" +
		"\t// envgen:begin go-code\n" +
		"\tx := 1\n" +
		"\t//envgen:end go-code\n" +
		"  # envgen:begin yaml-1\n" +
		"a: 1\n" +
		"b: 2\n" +
		"#envgen:end yaml-1   \n" +
		"<!--envgen:begin tight-->\n" +
		"<!--envgen:end tight-->\n" +
		"tail\n"
	got := contents(t, data)
	want := map[string]string{
		"intro":   "rendered text\n",
		"go-code": "\tx := 1\n",
		"yaml-1":  "a: 1\nb: 2\n",
		"tight":   "",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("regions = %q, want %q", got, want)
	}
}

func TestParseOrderAndOffsets(t *testing.T) {
	data := "a\n# envgen:begin one\nx\n# envgen:end one\nb\n# envgen:begin two\ny\nz\n# envgen:end two\nc\n"
	rs, err := Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []Region{
		{Name: "one", Begin: strings.Index(data, "x\n"), End: strings.Index(data, "# envgen:end one")},
		{Name: "two", Begin: strings.Index(data, "y\n"), End: strings.Index(data, "# envgen:end two")},
	}
	if !reflect.DeepEqual(rs, want) {
		t.Fatalf("Parse = %+v, want %+v", rs, want)
	}
}

func TestParseNotMarkers(t *testing.T) {
	// Markers are whole lines: text that mentions one, a keyword that only
	// starts like one, or a marker outside a comment is ordinary text.
	for _, data := range []string{
		"",
		"no markers at all\n",
		"see `# envgen:begin NAME` in the docs\n",
		"x := 1 // envgen:begin foo\n",
		"# envgen:beginning foo\n# envgen:ending foo\n",
		"envgen:begin foo\nenvgen:end foo\n",
		"-- envgen:begin foo\n",
		"/* envgen:begin foo */\n",
	} {
		rs, err := Parse([]byte(data))
		if err != nil || len(rs) != 0 {
			t.Errorf("Parse(%q) = %v, %v; want no regions", data, rs, err)
		}
	}
}

func TestParseCRLF(t *testing.T) {
	data := "top\r\n// envgen:begin r\r\nline one\r\nline two\r\n// envgen:end r\r\nbottom\r\n"
	got := contents(t, data)
	if want := "line one\r\nline two\r\n"; got["r"] != want {
		t.Fatalf("content = %q, want %q", got["r"], want)
	}
}

func TestParseAtStartAndEnd(t *testing.T) {
	for name, data := range map[string]string{
		"whole file":             "# envgen:begin all\nbody\n# envgen:end all\n",
		"no trailing newline":    "# envgen:begin all\nbody\n# envgen:end all",
		"crlf, no final newline": "# envgen:begin all\r\nbody\r\n# envgen:end all",
	} {
		t.Run(name, func(t *testing.T) {
			got := contents(t, data)
			body := "body\n"
			if strings.Contains(data, "\r") {
				body = "body\r\n"
			}
			if got["all"] != body {
				t.Fatalf("content = %q, want %q", got["all"], body)
			}
		})
	}
}

func TestParseEmptyRegionAtEnd(t *testing.T) {
	data := "x\n# envgen:begin e\n# envgen:end e"
	rs, err := Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].Begin != rs[0].End || rs[0].Begin != strings.Index(data, "# envgen:end") {
		t.Fatalf("Parse = %+v, want one empty region before the end marker", rs)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, data string
		line       int
		problem    string
	}{
		{"end without begin", "a\nb\n# envgen:end x\n", 3, "envgen:end x without an envgen:begin x"},
		{"begin without end", "a\n# envgen:begin x\nb\n", 2, "envgen:begin x has no envgen:end x"},
		{"nested", "# envgen:begin outer\n# envgen:begin inner\n# envgen:end inner\n# envgen:end outer\n", 2, "regions do not nest"},
		{"end names another", "# envgen:begin a\nx\n# envgen:end b\n", 3, "envgen:end b, but the open region is a (begun on line 1)"},
		{"duplicate", "# envgen:begin a\n# envgen:end a\n\n# envgen:begin a\n# envgen:end a\n", 4, "region a again (first begun on line 1)"},
		{"no name", "x\n// envgen:begin\n", 2, "needs one region name"},
		{"upper case name", "// envgen:begin Intro\n// envgen:end Intro\n", 1, `got "Intro"`},
		{"two names", "# envgen:begin a b\n# envgen:end a b\n", 1, `got "a b"`},
		{"html unclosed", "<!-- envgen:begin a\n", 1, `must end with "-->"`},
		{"crlf line numbers", "a\r\nb\r\n\r\n# envgen:end x\r\n", 4, "without an envgen:begin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.data))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse error = %v, want a *SyntaxError", err)
			}
			if se.Line != tt.line || !strings.Contains(se.Problem, tt.problem) {
				t.Fatalf("Parse error = %q (line %d), want line %d and %q", err, se.Line, tt.line, tt.problem)
			}
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("error %q does not start with its line", err)
			}
		})
	}
}
