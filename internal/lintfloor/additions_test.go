package lintfloor

import (
	"strings"
	"testing"
)

// Additions that silence nothing, valid in every profile.
var harmless = []textEdit{
	// an extra linter, and settings of a linter that is not the floor's
	after("    - durationcheck\n", "    # ours: comments end with a period\n    - godot\n"),
	replace("  settings:\n    gosec:\n", "  settings:\n    godot:\n      scope: all\n    gosec:\n"),
	// disabling a linter the profile does not run
	after("  default: standard\n", "  disable:\n    - dupl\n"),
	// another forbidden call
	after("      forbid:\n", "        - pattern: ^net\\.Dial$\n          pkg: ^net$\n          msg: use a net.Dialer with a Timeout\n"),
	after("    warn-unused: false\n    rules:\n",
		// an exclusion of a linter the profile does not require
		"      - path: ^cmd/\n        linters:\n          - godot\n"+
			// one the profile already has (same linter, same path)
			"      - path: ^lint/ruleguard/\n        linters: [gocritic]\n"+
			// one narrower than the profile's own (same path and text, plus source)
			"      - path: ^internal/database/\n        linters: [forbidigo]\n        text: sql\\.Open\n        source: pgx\n"+
			// a gosec rule the profile does not run or excludes itself
			"      - linters: [gosec]\n        text: G104\n"),
	// a formatter
	after("    - goimports\n", "    - gofumpt\n"),
	// sections envgen does not render
	before("\nformatters:\n", "\noutput:\n  formats:\n    text:\n      path: stdout\n"),
	after("  tests: true\n", "  build-tags:\n    - integration\n"),
}

// Harmless additions are the user's: a file holding the policy plus them
// is left byte for byte, with nothing reported.
func TestHarmlessAdditionsAreKept(t *testing.T) {
	perProfile := map[string][]textEdit{
		// development runs a short list of gosec rules: adding to it runs more.
		"development": {after("        - G120 # unbounded form parsing in handlers\n", "        - G101\n")},
		// nolintlint settings are harmless where the profile does not enable it.
		"staging": {replace("    sloglint:\n", "    nolintlint:\n      allow-unused: true\n    sloglint:\n")},
	}
	for _, p := range profileNames {
		data := fixture(t, p)
		local := applyEdits(t, data, append(append([]textEdit(nil), harmless...), perProfile[p]...)...)
		res := apply(t, data, local, data)
		if string(res.Data) != string(local) {
			t.Errorf("%s: Data is not local byte for byte:\n%s", p, res.Data)
		}
		if len(res.Violations) != 0 || len(res.Restored) != 0 {
			t.Errorf("%s: reported %v %v", p, res.Violations, res.Restored)
		}
		// Without a base the same additions are kept just the same.
		if res := apply(t, nil, local, data); string(res.Data) != string(local) || len(res.Violations) != 0 {
			t.Errorf("%s, no base: %v\n%s", p, res.Violations, res.Data)
		}
	}
}

// Across a profile switch the user's additions move along, laid over the
// new profile, and the user's comments with them.
func TestHarmlessAdditionsSurviveProfileSwitch(t *testing.T) {
	for _, sw := range switches() {
		base, next := fixture(t, sw[0]), fixture(t, sw[1])
		local := applyEdits(t, base, harmless...)
		res := apply(t, base, local, next)
		sameValue(t, sw[0]+" -> "+sw[1], res.Data, applyEdits(t, next, harmless...))
		if len(res.Violations) != 0 || len(res.Restored) != 0 {
			t.Errorf("%s -> %s: reported %v %v", sw[0], sw[1], res.Violations, res.Restored)
		}
		if !strings.Contains(string(res.Data), "# ours: comments end with a period") {
			t.Errorf("%s -> %s: the user's comment is lost:\n%s", sw[0], sw[1], res.Data)
		}
	}
}

// An addition is judged against the profile being applied: harmless in
// development, the same lines silence rules staging runs.
func TestAdditionJudgedAgainstNewProfile(t *testing.T) {
	base, next := fixture(t, "development"), fixture(t, "staging")
	local := applyEdits(t, base,
		after("        - G120 # unbounded form parsing in handlers\n", "        - G101\n"),
		before("      includes:\n", "      excludes:\n        - G101\n"))
	if res := apply(t, base, local, base); len(res.Violations) != 0 || string(res.Data) != string(local) {
		t.Fatalf("in development: %v", res.Violations)
	}
	res := apply(t, base, local, next)
	want := []Violation{
		{Rule: "gosec", Key: "linters.settings.gosec.includes"},
		{Rule: "gosec/G101", Key: "linters.settings.gosec.excludes"},
	}
	checkViolations(t, "development -> staging", res.Violations, want)
	sameValue(t, "development -> staging", res.Data, next)
}
