package merge

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomText builds a file from a small vocabulary, so that lines repeat
// and the diffs have ties to break, plus one line in every (if not 0) of
// unique ones, "u0" to "u<unique>", that occur about once, as in real files.
func randomText(r *rand.Rand, n, unique, every int) []string {
	vocab := []string{"a\n", "b\n", "c\n", "\n", "}\n", "x := 1\n", "return\n", "  - item\n"}
	out := make([]string, n)
	for i := range out {
		out[i] = vocab[r.IntN(len(vocab))]
		if every > 0 && r.IntN(every) == 0 {
			out[i] = fmt.Sprintf("u%d\n", r.IntN(unique))
		}
	}
	return out
}

// mutate applies random edits: insertions (of common lines and of new
// ones, which the other side does not have), deletions, changes.
func mutate(r *rand.Rand, lines []string, edits int) []string {
	out := append([]string(nil), lines...)
	for range edits {
		at := r.IntN(len(out) + 1)
		switch r.IntN(4) {
		case 0:
			ins := randomText(r, r.IntN(3)+1, 0, 0)
			out = append(out[:at], append(ins, out[at:]...)...)
		case 3:
			ins := []string{fmt.Sprintf("new%d\n", r.Int()), fmt.Sprintf("new%d\n", r.Int())}[:r.IntN(2)+1]
			out = append(out[:at], append(ins, out[at:]...)...)
		case 1:
			if at < len(out) {
				end := min(len(out), at+r.IntN(3)+1)
				out = append(out[:at], out[end:]...)
			}
		default:
			if at < len(out) {
				out[at] = randomText(r, 1, 0, 0)[0]
			}
		}
	}
	return out
}

// TestLineMergeMatchesGitRandom compares the unrefined line merge with git
// merge-file byte for byte, conflicts included: that pins the diff (its
// tie-breaks, the discarding of frequent lines, the hunk sliding, the
// heuristics of big diffs) and the merge rules to git's. The refined Text
// must then agree with git whenever git merges cleanly.
func TestLineMergeMatchesGitRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2)) //nolint:gosec // G404: fixed seeds make every run the same, and a failure replayable
	small, big := 600, 16
	if testing.Short() {
		small, big = 100, 2
	}
	for i := range small {
		size, every := r.IntN(300), 3
		if i < small/4 {
			size, every = r.IntN(12), 0
		}
		base := randomText(r, size, 1000, every)
		checkAgainstGit(t, r, base, mutate(r, base, r.IntN(12)+1), mutate(r, base, r.IntN(12)+1))
	}
	for i := range big {
		size := 2000 + r.IntN(3000)
		base := randomText(r, size, 3000, 2)
		local := mutate(r, base, 600)
		if i%2 == 0 {
			local = randomText(r, size, 3000, 2) // a diff too costly to be minimal
		}
		checkAgainstGit(t, r, base, local, mutate(r, base, 900))
	}
}

func checkAgainstGit(t *testing.T, r *rand.Rand, base, local, next []string) {
	t.Helper()
	b, l, x := []byte(strings.Join(base, "")), []byte(strings.Join(local, "")), []byte(strings.Join(next, ""))
	if r.IntN(5) == 0 && len(l) > 0 {
		l = l[:len(l)-1] // no newline at the end
	}
	want, clean := gitMergeFile(t, b, l, x)
	if got := mergeLines(b, l, x, false).text(); string(got.Data) != string(want) || got.Clean() != clean {
		t.Fatalf("base %q\nlocal %q\nnext %q\ngit (clean %v):\n%s\nours (clean %v):\n%s", b, l, x, clean, want, got.Clean(), got.Data)
	}
	if got := Text(b, l, x); clean && (!got.Clean() || string(got.Data) != string(want)) {
		t.Fatalf("git merged cleanly, Text did not:\n%s", got.Data)
	}
}
