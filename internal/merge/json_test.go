package merge

import (
	"strings"
	"testing"
)

func mergeJSON(t *testing.T, base, local, next string) Result {
	t.Helper()
	r, err := JSON([]byte(base), []byte(local), []byte(next))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// toxiproxy.json: the user adds a proxy, the template moves the listener
// of the existing one. The indentation and layout are the file's own.
func TestJSONToxiproxyKeepsFormatting(t *testing.T) {
	base := readFile(t, "testdata/toxiproxy.json")
	proxy := "  },\n  {\n    \"name\": \"redis\",\n    \"listen\": \"0.0.0.0:16379\",\n    \"upstream\": \"redis:6379\",\n    \"enabled\": true\n  }\n]\n"
	local := replace(t, base, "  }\n]\n", proxy)
	next := replace(t, base, `"listen": "0.0.0.0:15432"`, `"listen": "0.0.0.0:25432"`)
	wantClean(t, mergeJSON(t, base, local, next), replace(t, local, `"listen": "0.0.0.0:15432"`, `"listen": "0.0.0.0:25432"`))
}

// A Grafana dashboard: edits at both ends of a 400-line document.
func TestJSONDashboardKeepsFormatting(t *testing.T) {
	base := readFile(t, "testdata/dashboard.json")
	local := replace(t, base, `"refresh": "30s"`, `"refresh": "1m"`)
	next := replace(t, base, `"title": "Goroutines"`, `"title": "Goroutines (all)"`)
	wantClean(t, mergeJSON(t, base, local, next), replace(t, local, `"title": "Goroutines"`, `"title": "Goroutines (all)"`))
}

// Both sides add a member at the end of the same object: the lines need
// a comma between them, which the merge puts in.
func TestJSONBothAppendToAnObject(t *testing.T) {
	base := "{\n\t\"a\": 1,\n\t\"b\": {\n\t\t\"x\": true\n\t}\n}\n"
	local := "{\n\t\"a\": 1,\n\t\"b\": {\n\t\t\"x\": true,\n\t\t\"mine\": 1\n\t}\n}\n"
	next := "{\n\t\"a\": 1,\n\t\"b\": {\n\t\t\"x\": true,\n\t\t\"theirs\": 2\n\t}\n}\n"
	wantClean(t, mergeJSON(t, base, local, next), "{\n\t\"a\": 1,\n\t\"b\": {\n\t\t\"x\": true,\n\t\t\"mine\": 1,\n\t\t\"theirs\": 2\n\t}\n}\n")
}

// Only JSON is accepted as JSON (YAML would take a comment), and the
// same key twice is not a document either.
func TestJSONRejectsWhatIsNotJSON(t *testing.T) {
	base := "{\"a\": 1}\n"
	for _, bad := range []string{"{\"a\": 1, # note\n}\n", "{\"a\": 1,}\n", "{\"a\": 1, \"a\": 2}\n"} {
		if _, err := JSON([]byte(base), []byte(bad), []byte(base)); err == nil {
			t.Errorf("JSON accepted %q", bad)
		}
	}
	if r := File("x.json", []byte(base), []byte("{\"a\": 1,}\n"), []byte(base)); string(r.Data) != "{\"a\": 1,}\n" || !r.Clean() {
		t.Errorf("File fell back to Text wrongly: %q", r.Data)
	}
}

// JSON conflicts are named by key path.
func TestJSONConflictPath(t *testing.T) {
	base := readFile(t, "testdata/toxiproxy.json")
	local := replace(t, base, `"upstream": "postgres:5432"`, `"upstream": "db:5432"`)
	next := replace(t, base, `"upstream": "postgres:5432"`, `"upstream": "postgres:6432"`)
	wantConflict(t, mergeJSON(t, base, local, next), "[name=postgres].upstream")
	if !strings.Contains(string(mergeJSON(t, base, local, next).Data), markerBase) {
		t.Error("no base section in the conflict")
	}
}
