package lintfloor

import (
	"slices"
	"strings"
	"testing"
)

var timeouts = map[string]string{"development": "5m", "staging": "4m", "production": "3m"}

// Required entries the user removed or changed are put back and listed in
// Restored; the user's harmless additions stay; nothing is a violation.
func TestRequiredEntriesAreRestored(t *testing.T) {
	for _, p := range profileNames {
		data := fixture(t, p)
		local := applyEdits(t, data,
			replace("  timeout: "+timeouts[p]+"\n", "  timeout: 1h\n"),
			replace("    - noctx\n", ""),
			after("    - durationcheck\n", "    - godot\n"),
			replace("        - pattern: ^http\\.DefaultClient$\n          pkg: ^net/http$\n          msg: http.DefaultClient has no Timeout; use the shared outbound client (outbound.timeout)\n", ""),
			// an edit of a required entry: next's version comes back, the
			// user's is not kept beside it
			replace("          msg: open the database only in internal/database", "          msg: open it anywhere"),
			replace("      - path: ^lint/ruleguard/\n        linters:\n          - gocritic\n", ""),
		)
		res := apply(t, data, local, data)
		want := []string{
			"run.timeout: " + timeouts[p],
			"linters.enable: noctx",
			`linters.settings.forbidigo.forbid: ^http\.DefaultClient$`,
			`linters.settings.forbidigo.forbid: ^sql\.Open(DB)?$`,
			"linters.exclusions.rules: {path: ^lint/ruleguard/, linters: [gocritic]}",
		}
		if !slices.Equal(res.Restored, want) {
			t.Errorf("%s: Restored\n%q\nwant\n%q", p, res.Restored, want)
		}
		if len(res.Violations) != 0 {
			t.Errorf("%s: violations %v", p, res.Violations)
		}
		sameValue(t, p, res.Data, applyEdits(t, data, after("    - durationcheck\n", "    - godot\n")))
		if strings.Contains(string(res.Data), "open it anywhere") {
			t.Errorf("%s: the user's edit of a forbid entry is kept beside the restored one", p)
		}
	}

	// development's short gosec list: a rule taken out comes back.
	data := fixture(t, "development")
	local := applyEdits(t, data, replace("        - G112 # http.Server without ReadHeaderTimeout (Slowloris)\n", ""))
	res := apply(t, data, local, data)
	if !slices.Equal(res.Restored, []string{"linters.settings.gosec.includes: G112"}) || len(res.Violations) != 0 {
		t.Errorf("gosec include removed: %v %v", res.Restored, res.Violations)
	}
	sameValue(t, "gosec include removed", res.Data, data)
}

// Across a profile switch, Restored lists only what the user had removed,
// not what the new profile adds.
func TestRestoredAcrossProfileSwitch(t *testing.T) {
	for _, sw := range switches() {
		base, next := fixture(t, sw[0]), fixture(t, sw[1])
		local := applyEdits(t, base, replace("    - bodyclose\n", ""))
		res := apply(t, base, local, next)
		if !slices.Equal(res.Restored, []string{"linters.enable: bodyclose"}) || len(res.Violations) != 0 {
			t.Errorf("%s -> %s: %v %v", sw[0], sw[1], res.Restored, res.Violations)
		}
		sameValue(t, sw[0]+" -> "+sw[1], res.Data, next)
	}
}

// Without a base nothing tells envgen's old entries from the user's, so
// everything local has beyond next is judged as the user's: what weakens
// next is removed (development's gosec includes under staging), what does
// not is kept.
func TestWithoutBase(t *testing.T) {
	for _, p := range profileNames {
		data := fixture(t, p)
		if res := apply(t, nil, data, data); string(res.Data) != string(data) || len(res.Violations)+len(res.Restored) != 0 {
			t.Errorf("%s: a file equal to next changed: %v %v", p, res.Violations, res.Restored)
		}
	}
	res := apply(t, nil, fixture(t, "development"), fixture(t, "staging"))
	checkViolations(t, "development file, staging policy", res.Violations, []Violation{{Rule: "gosec", Key: "linters.settings.gosec.includes"}})
	if v := lookup(valueOf(t, res.Data), "linters", "settings", "gosec", "includes"); v != nil {
		t.Errorf("development's gosec includes survived under staging:\n%s", res.Data)
	}
	// The other way round, staging's extra linters are the user's
	// additions to development: kept, and harmless.
	res = apply(t, nil, fixture(t, "staging"), fixture(t, "development"))
	if len(res.Violations) != 0 {
		t.Errorf("staging file, development policy: %v", res.Violations)
	}
}
