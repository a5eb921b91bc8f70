package lintfloor

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The three built-in profiles, weakest first; testdata holds a real
// render of each (kept current by TestFixturesAreCurrentRenders).
var profileNames = []string{"development", "staging", "production"}

func fixture(t *testing.T, profile string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", profile+".golangci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// textEdit changes a fixture at an anchor that must occur exactly once, so
// that a template change which moves the anchor fails loudly instead of
// testing nothing.
type textEdit struct {
	anchor, text string
	how          int // insertAfter, insertBefore or replaceIt
}

const (
	insertAfter = iota
	insertBefore
	replaceIt
)

func after(anchor, text string) textEdit   { return textEdit{anchor, text, insertAfter} }
func before(anchor, text string) textEdit  { return textEdit{anchor, text, insertBefore} }
func replace(anchor, text string) textEdit { return textEdit{anchor, text, replaceIt} }

func applyEdits(t *testing.T, data []byte, edits ...textEdit) []byte {
	t.Helper()
	s := string(data)
	for _, e := range edits {
		if n := strings.Count(s, e.anchor); n != 1 {
			t.Fatalf("anchor %q occurs %d times, want once", e.anchor, n)
		}
		switch e.how {
		case insertAfter:
			s = strings.Replace(s, e.anchor, e.anchor+e.text, 1)
		case insertBefore:
			s = strings.Replace(s, e.anchor, e.text+e.anchor, 1)
		default:
			s = strings.Replace(s, e.anchor, e.text, 1)
		}
	}
	return []byte(s)
}

func valueOf(t *testing.T, data []byte) *yaml.Node {
	t.Helper()
	_, root, err := parse(data)
	if err != nil {
		t.Fatalf("not valid YAML: %v\n%s", err, data)
	}
	return root
}

// sameValue fails unless got and want hold the same YAML value.
func sameValue(t *testing.T, name string, got, want []byte) {
	t.Helper()
	if !equal(valueOf(t, got), valueOf(t, want)) {
		t.Errorf("%s: value differs\n--- got:\n%s\n--- want:\n%s", name, got, want)
	}
}

// apply runs Apply and checks what must hold for every input:
//   - Data is valid YAML, keeps version: "2" (a string) and every entry of
//     next (the floor is never lowered);
//   - the same inputs give the same Result (deterministic);
//   - syncing Data again changes nothing and reports nothing (what Apply
//     keeps, it would keep again: no flapping between syncs).
func apply(t *testing.T, base, local, next []byte) Result {
	t.Helper()
	res, err := Apply(base, local, next)
	if err != nil {
		t.Fatal(err)
	}
	root := valueOf(t, res.Data)
	if v := mapGet(root, "version"); v == nil || v.ShortTag() != "!!str" || v.Value != "2" {
		t.Errorf(`Data lost version: "2":\n%s`, res.Data)
	}
	if p := uncovered(nil, root, valueOf(t, next)); p != nil {
		t.Errorf("Data lacks next's entry at %s:\n%s", p, res.Data)
	}
	again, err := Apply(base, local, next)
	if err != nil || !reflect.DeepEqual(again, res) {
		t.Errorf("a second Apply gave another result: %v", err)
	}
	resync, err := Apply(next, res.Data, next)
	if err != nil {
		t.Fatal(err)
	}
	if string(resync.Data) != string(res.Data) || len(resync.Violations) != 0 || len(resync.Restored) != 0 {
		t.Errorf("syncing the result again changed it: %v %v\n%s", resync.Violations, resync.Restored, resync.Data)
	}
	return res
}

// uncovered returns the first path where got lacks something of want, or
// nil: every key of want there, every item of a list of want in got's.
func uncovered(p keyPath, got, want *yaml.Node) keyPath {
	got, want = deref(got), deref(want)
	switch {
	case got == nil || got.Kind != want.Kind:
		return append(p, "")
	case want.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(want.Content); i += 2 {
			k := want.Content[i].Value
			if q := uncovered(p.key(k), mapGet(got, k), want.Content[i+1]); q != nil {
				return q
			}
		}
	case want.Kind == yaml.SequenceNode:
		for i, item := range want.Content {
			if !contains(got.Content, item) {
				return p.index(i)
			}
		}
	case !equal(got, want):
		return p
	}
	return nil
}

// switches are every ordered pair of different profiles.
func switches() [][2]string {
	var out [][2]string
	for _, from := range profileNames {
		for _, to := range profileNames {
			if from != to {
				out = append(out, [2]string{from, to})
			}
		}
	}
	return out
}
