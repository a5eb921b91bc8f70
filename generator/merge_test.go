package generator

import (
	"strings"
	"testing"
)

func TestMergeYAMLIndependentKeysAndSets(t *testing.T) {
	base := "# settings\nhttp:\n  addr: \":8080\" # listener\n  timeout: 5s\nlinters:\n  enable: [a, b]\n"
	local := "# settings\nhttp:\n  addr: \":8080\" # listener\n  timeout: 9s\nlinters:\n  enable: [a, b, mine]\nextra: true\n"
	next := "# settings\nhttp:\n  addr: \":9000\" # listener\n  timeout: 5s\nlinters:\n  enable: [a, c]\nadded: 1\n"
	got, err := mergeYAML([]byte(base), []byte(local), []byte(next), false)
	if err != nil {
		t.Fatal(err)
	}
	want := "# settings\nhttp:\n  addr: \":9000\" # listener\n  timeout: 9s\nlinters:\n  enable: [a, mine, c]\nextra: true\nadded: 1\n"
	if string(got) != want {
		t.Errorf("merged:\n%s\nwant:\n%s", got, want)
	}
}

func TestMergeYAMLConflicts(t *testing.T) {
	base := "a: 1\nb: 1\n"
	for name, sides := range map[string][2]string{
		"same key, different values": {"a: 2\nb: 1\n", "a: 3\nb: 1\n"},
		"edited locally, removed":    {"a: 2\nb: 1\n", "b: 1\n"},
		"removed locally, changed":   {"b: 1\n", "a: 3\nb: 1\n"},
	} {
		if _, err := mergeYAML([]byte(base), []byte(sides[0]), []byte(sides[1]), false); err == nil {
			t.Errorf("%s: merged without conflict", name)
		}
	}
	// the same change on both sides is no conflict
	if got, err := mergeYAML([]byte(base), []byte("a: 2\nb: 1\n"), []byte("a: 2\nb: 1\n"), false); err != nil || string(got) != "a: 2\nb: 1\n" {
		t.Errorf("identical change: %q, %v", got, err)
	}
}

func TestMergeJSONKeepsJSON(t *testing.T) {
	base := "{\n  \"a\": 1,\n  \"b\": \"x\"\n}\n"
	local := "{\n  \"a\": 1,\n  \"b\": \"y\"\n}\n"
	next := "{\n  \"a\": 2,\n  \"b\": \"x\",\n  \"c\": [true, null]\n}\n"
	got, err := mergeYAML([]byte(base), []byte(local), []byte(next), true)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"a\": 2,\n  \"b\": \"y\",\n  \"c\": [\n    true,\n    null\n  ]\n}\n"
	if string(got) != want {
		t.Errorf("merged JSON:\n%s\nwant:\n%s", got, want)
	}
}

func TestMergeLines(t *testing.T) {
	base := "one\ntwo\nthree\nfour\n"
	clean, ok := mergeLines([]byte(base), []byte("ONE\ntwo\nthree\nfour\n"), []byte("one\ntwo\nthree\nFOUR\n"))
	if !ok || string(clean) != "ONE\ntwo\nthree\nFOUR\n" {
		t.Errorf("clean merge: %q ok=%v", clean, ok)
	}
	conflicted, ok := mergeLines([]byte(base), []byte("one\nmine\nthree\nfour\n"), []byte("one\ntheirs\nthree\nfour\n"))
	want := "one\n<<<<<<< local\nmine\n||||||| base\ntwo\n=======\ntheirs\n>>>>>>> envgen\nthree\nfour\n"
	if ok || string(conflicted) != want {
		t.Errorf("conflict:\n%s\nwant:\n%s", conflicted, want)
	}
	if !hasConflictMarkers(conflicted) || hasConflictMarkers([]byte(base)) {
		t.Error("hasConflictMarkers is wrong")
	}
	// no base (a file the user made where the template now puts one)
	_, ok = mergeLines(nil, []byte("a\n"), []byte("b\n"))
	if ok {
		t.Error("two unrelated files merged without conflict")
	}
}

func TestFloorYAMLRestoresPolicyKeepsAdditions(t *testing.T) {
	floor := "run:\n  timeout: 5m\nlinters:\n  enable:\n    - noctx\n    - bodyclose\n"
	local := "run:\n  timeout: 1h\nlinters:\n  enable:\n    - bodyclose\n    - godot\n  settings:\n    godot: {scope: all}\n"
	got, err := floorYAML([]byte(floor), []byte(local))
	if err != nil {
		t.Fatal(err)
	}
	s := string(got)
	for _, want := range []string{"timeout: 5m", "- noctx", "- bodyclose", "- godot", "scope: all"} {
		if !strings.Contains(s, want) {
			t.Errorf("floor result lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "1h") {
		t.Errorf("the policy value was not restored:\n%s", s)
	}
	// no additions: the template's exact bytes
	same, err := floorYAML([]byte(floor), []byte("run: {timeout: 1m}\n"))
	if err != nil || string(same) != floor {
		t.Errorf("without additions: %q, %v", same, err)
	}
}
