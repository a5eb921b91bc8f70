package lintfloor

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// An untouched file follows the profile exactly, whichever way it
// switches: none of the old profile's keys survives as if it were the
// user's (development's gosec includes and gocritic disable-all would
// weaken staging; staging's extra linters would not belong in
// development), and nothing is reported.
func TestUntouchedFileBecomesNext(t *testing.T) {
	for _, sw := range switches() {
		base, next := fixture(t, sw[0]), fixture(t, sw[1])
		res := apply(t, base, base, next)
		if string(res.Data) != string(next) {
			t.Errorf("%s -> %s: Data is not next byte for byte", sw[0], sw[1])
		}
		if len(res.Violations) != 0 || len(res.Restored) != 0 {
			t.Errorf("%s -> %s: reported %v %v", sw[0], sw[1], res.Violations, res.Restored)
		}
	}
	// The same with base == local only by value (a comment added): the old
	// profile's keys go all the same.
	for _, sw := range switches() {
		base, next := fixture(t, sw[0]), fixture(t, sw[1])
		local := append(append([]byte(nil), base...), "# mine\n"...)
		res := apply(t, base, local, next)
		sameValue(t, sw[0]+" -> "+sw[1], res.Data, next)
		if len(res.Violations) != 0 || len(res.Restored) != 0 {
			t.Errorf("%s -> %s: reported %v %v", sw[0], sw[1], res.Violations, res.Restored)
		}
		if !strings.HasSuffix(string(res.Data), "# mine\n") {
			t.Errorf("%s -> %s: the user's comment is lost", sw[0], sw[1])
		}
	}
	// A sync without a profile change: nothing to do.
	for _, p := range profileNames {
		data := fixture(t, p)
		if res := apply(t, data, data, data); string(res.Data) != string(data) {
			t.Errorf("%s: an untouched file changed", p)
		}
	}
}

// Comments, blank lines and layout are not policy: with the policy
// unchanged the file stays as the user wrote it, byte for byte; on a
// profile switch the text merge keeps the user's wording where the switch
// does not touch those lines.
func TestCosmeticEditsAreNotDrift(t *testing.T) {
	edit := func(edits ...textEdit) func(*testing.T, []byte) []byte {
		return func(t *testing.T, data []byte) []byte { return applyEdits(t, data, edits...) }
	}
	cosmetic := []struct {
		name string
		edit func(*testing.T, []byte) []byte
		mark string // text of the user's that must survive a profile switch
	}{
		{"comment appended", edit(before("\nformatters:\n", "\n# Our note: goimports groups as the team agreed.")), "# Our note"},
		{"comment reworded", edit(replace("  # Report every finding:", "  # We want every finding:")), "# We want every finding:"},
		{"blank lines", edit(after("  tests: true\n", "\n\n")), "  tests: true\n\n\n"},
		{"flow style", edit(replace("formatters:\n  enable:\n    - gofmt\n    - goimports\n", "formatters:\n  enable: [gofmt, goimports]\n")), "enable: [gofmt, goimports]"},
		{"quoting", edit(replace(`version: "2"`, `version: '2'`)), `version: '2'`},
		{"key order", moveIssuesToEnd, ""},
	}
	for _, c := range cosmetic {
		for _, p := range profileNames {
			data := fixture(t, p)
			local := c.edit(t, data)
			res := apply(t, data, local, data)
			if string(res.Data) != string(local) {
				t.Errorf("%s, %s: Data is not local byte for byte:\n%s", c.name, p, res.Data)
			}
			if len(res.Violations) != 0 || len(res.Restored) != 0 {
				t.Errorf("%s, %s: reported %v %v", c.name, p, res.Violations, res.Restored)
			}
		}
		for _, sw := range switches() {
			base, next := fixture(t, sw[0]), fixture(t, sw[1])
			res := apply(t, base, c.edit(t, base), next)
			sameValue(t, c.name+", "+sw[0]+" -> "+sw[1], res.Data, next)
			if len(res.Violations) != 0 || len(res.Restored) != 0 {
				t.Errorf("%s, %s -> %s: reported %v %v", c.name, sw[0], sw[1], res.Violations, res.Restored)
			}
			if c.mark != "" && !strings.Contains(string(res.Data), c.mark) {
				t.Errorf("%s, %s -> %s: the user's text %q did not survive:\n%s", c.name, sw[0], sw[1], c.mark, res.Data)
			}
		}
	}
}

// moveIssuesToEnd moves the issues: block to the end of the file: the
// same value, another key order.
func moveIssuesToEnd(t *testing.T, data []byte) []byte {
	t.Helper()
	s := string(data)
	start := strings.Index(s, "issues:\n")
	end := strings.Index(s, "linters:\n")
	if start < 0 || end < start {
		t.Fatal("no issues: block before linters:")
	}
	return []byte(s[:start] + s[end:] + "\n" + s[start:end])
}

func TestInvalidYAMLIsAnError(t *testing.T) {
	next := fixture(t, "staging")
	if _, err := Apply(next, []byte("linters: [\n"), next); err == nil {
		t.Error("invalid local: no error")
	}
	if _, err := Apply(next, next, []byte("linters: [\n")); err == nil {
		t.Error("invalid next: no error")
	}
	// An unreadable base is treated as unknown, not as an error.
	res := apply(t, []byte("linters: [\n"), next, next)
	if string(res.Data) != string(next) {
		t.Error("with a broken base, a file equal to next changed")
	}
}

// A file laid out so differently that no text merge applies (everything in
// flow style) is re-encoded: the policy and the user's harmless additions
// are all there, the silencer is not.
func TestUnmergeableLayoutIsReencoded(t *testing.T) {
	base, next := fixture(t, "staging"), fixture(t, "development")
	doc, root, err := parse(applyEdits(t, base,
		after("  default: standard\n", "  disable:\n    - noctx\n"),
		after("    - durationcheck\n", "    - godot\n")))
	if err != nil {
		t.Fatal(err)
	}
	flowStyle(root)
	local, err := encode(doc)
	if err != nil {
		t.Fatal(err)
	}
	res := apply(t, base, local, next)
	checkViolations(t, "flow style", res.Violations, []Violation{{Rule: "noctx", Key: "linters.disable"}})
	sameValue(t, "flow style", res.Data, applyEdits(t, next, after("    - durationcheck\n", "    - godot\n")))
}

func flowStyle(n *yaml.Node) {
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		n.Style = yaml.FlowStyle
	}
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	for _, c := range n.Content {
		flowStyle(c)
	}
}
