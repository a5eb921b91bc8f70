package goversion

import "testing"

func TestParse(t *testing.T) {
	for in, want := range map[string]string{"1.24.1": "go1.24.1", "go1.25.0": "go1.25.0", " 1.26.11 ": "go1.26.11", "1.27.4": "go1.27.4"} { //nolint:gocritic // mapKey: the spaces are the input under test, Parse trims them
		r, err := Parse(in)
		if err != nil || r.Toolchain() != want {
			t.Errorf("Parse(%q) = %v, %v; want %s", in, r, err, want)
		}
	}
	for _, bad := range []string{"1.23.9", "1.28.0", "1.24", "1.24rc1", "1.24.01", "x", "1.24.-1", "2.0.0"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	if _, err := Parse(Default); err != nil {
		t.Errorf("the default %s does not parse: %v", Default, err)
	}
}

func TestSupportedText(t *testing.T) {
	if got := SupportedText(); got != "1.24.x, 1.25.x, 1.26.x or 1.27.x" {
		t.Errorf("SupportedText() = %q", got)
	}
}
