package merge

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// editYAML makes a few line edits around line at of a YAML file: change
// a value, add a key or a list entry, delete a line, add a comment or a
// blank line. Many results are still YAML.
func editYAML(r *rand.Rand, lines []string, at int) []string {
	out := append([]string(nil), lines...)
	for range r.IntN(3) + 1 {
		i := min(len(out)-1, max(0, at+r.IntN(9)-4))
		l := out[i]
		indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
		switch r.IntN(5) {
		case 0:
			if k, _, ok := strings.Cut(l, ": "); ok {
				out[i] = k + ": v" + fmt.Sprint(r.IntN(100)) + "\n"
			}
		case 1:
			ins := indent + fmt.Sprintf("k%d: x\n", r.IntN(50))
			if strings.HasPrefix(strings.TrimLeft(l, " "), "- ") {
				ins = indent + fmt.Sprintf("- item%d\n", r.IntN(50))
			}
			out = append(out[:i+1], append([]string{ins}, out[i+1:]...)...)
		case 2:
			out = append(out[:i], out[i+1:]...)
		case 3:
			out = append(out[:i], append([]string{indent + "# note\n"}, out[i:]...)...)
		default:
			out = append(out[:i], append([]string{"\n"}, out[i:]...)...)
		}
	}
	return out
}

// TestYAMLRandomEdits makes random nearby edits on both sides of a
// compose file. A clean YAML merge must parse, and must be the line
// merge byte for byte whenever the line merge is clean and has the
// merged value: the structure only ever steps in where lines are wrong.
func TestYAMLRandomEdits(t *testing.T) {
	base := readFile(t, "testdata/compose.yml")
	lines := splitLines([]byte(base))
	r := rand.New(rand.NewPCG(11, 12)) //nolint:gosec // G404: fixed seeds make every run the same, and a failure replayable
	n := 600
	if testing.Short() {
		n = 100
	}
	for range n {
		at := r.IntN(len(lines))
		local := strings.Join(editYAML(r, lines, at), "")
		next := strings.Join(editYAML(r, lines, at), "")
		res, err := YAML([]byte(base), []byte(local), []byte(next))
		if err != nil || !res.Clean() {
			continue
		}
		if _, err := parseYAML(res.Data); err != nil {
			t.Fatalf("clean merge does not parse: %v\n%s", err, res.Data)
		}
		txt := Text([]byte(base), []byte(local), []byte(next))
		if txt.Clean() && SameValue(txt.Data, res.Data) && !sameBytes(txt.Data, res.Data) {
			t.Fatalf("the line merge was right, YAML changed it:\n%s\nline merge:\n%s", res.Data, txt.Data)
		}
	}
}

func sameBytes(a, b []byte) bool { return string(a) == string(b) }
