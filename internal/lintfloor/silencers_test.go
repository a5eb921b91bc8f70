package lintfloor

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// checkViolations compares Rule and Key exactly and, where want gives
// one, requires Detail to contain want's Detail; order does not matter.
func checkViolations(t *testing.T, name string, got, want []Violation) {
	t.Helper()
	left := slices.Clone(got)
	for _, w := range want {
		i := slices.IndexFunc(left, func(g Violation) bool {
			return g.Rule == w.Rule && g.Key == w.Key && strings.Contains(g.Detail, w.Detail)
		})
		if i < 0 {
			t.Errorf("%s: no violation %+v among %+v", name, w, got)
			continue
		}
		left = slices.Delete(left, i, i+1)
	}
	for _, g := range left {
		t.Errorf("%s: unexpected violation %+v", name, g)
	}
}

const rulesAnchor = "    warn-unused: false\n    rules:\n"

func rule(text string) textEdit { return after(rulesAnchor, text) }

// silencerCases each make one change that silences a required rule. The
// change must be reported and removed; keep, applied to next, gives the
// expected value of Data (the harmless rest of the change, if any).
var silencerCases = []struct {
	row      string // the silencer table row it exercises
	name     string
	profiles []string // nil: every profile
	edits    []textEdit
	keep     []textEdit
	want     []Violation
}{
	{row: "linters.default", name: "default none",
		edits: []textEdit{replace("  default: standard\n", "  default: none\n")},
		want:  []Violation{{Rule: "default linters (errcheck, govet, ineffassign, staticcheck, unused)", Key: "linters.default", Detail: "weaker than the profile's standard"}}},
	{row: "linters.default", name: "default fast",
		edits: []textEdit{replace("  default: standard\n", "  default: fast\n")},
		want:  []Violation{{Rule: "default linters (errcheck, govet, ineffassign, staticcheck, unused)", Key: "linters.default"}}},
	{row: "linters.disable[]", name: "disable floor linters",
		edits: []textEdit{after("  default: standard\n", "  disable:\n    - noctx\n    - dupl\n    - errcheck\n")},
		keep:  []textEdit{after("  default: standard\n", "  disable:\n    - dupl\n")},
		want: []Violation{
			{Rule: "noctx", Key: "linters.disable", Detail: "disables noctx, which the profile enables"},
			{Rule: "errcheck", Key: "linters.disable", Detail: "default set (standard)"},
		}},
	{row: "linters.disable[]", name: "disable as a lone scalar",
		edits: []textEdit{after("  default: standard\n", "  disable: noctx\n")},
		want:  []Violation{{Rule: "noctx", Key: "linters.disable"}}},
	{row: "linters.settings.gosec.excludes[]", name: "gosec excludes as a lone scalar", profiles: []string{"staging", "production"},
		edits: []textEdit{replace("      excludes:\n        # Unchecked errors are errcheck's job; gosec would report them twice.\n        - G104\n", "      excludes: G112\n")},
		want:  []Violation{{Rule: "gosec/G112", Key: "linters.settings.gosec.excludes"}}},
	{row: "linters.disable-all", name: "v1 disable-all",
		edits: []textEdit{after("  default: standard\n", "  disable-all: true\n")},
		want:  []Violation{{Rule: "every linter", Key: "linters.disable-all"}}},
	{row: "linters.exclusions.rules[]", name: "timeout linters on every path (first rule)",
		edits: []textEdit{rule("      - linters: [noctx, bodyclose, gosec]\n        path: '.*'\n")},
		want: []Violation{
			{Rule: "noctx", Key: "linters.exclusions.rules[0]", Detail: "excludes noctx on every path; the profile never excludes it"},
			{Rule: "bodyclose", Key: "linters.exclusions.rules[0]", Detail: "excludes bodyclose on every path"},
			{Rule: "gosec", Key: "linters.exclusions.rules[0]", Detail: "excludes gosec on every path"},
		}},
	{row: "linters.exclusions.rules[]", name: "timeout linters on every path (last rule)", profiles: []string{"production"},
		edits: []textEdit{before("\nformatters:\n", "      - linters: [noctx, bodyclose, gosec]\n        path: '.*'\n")},
		want: []Violation{
			{Rule: "noctx", Key: "linters.exclusions.rules[3]"},
			{Rule: "bodyclose", Key: "linters.exclusions.rules[3]"},
			{Rule: "gosec", Key: "linters.exclusions.rules[3]"},
		}},
	{row: "linters.exclusions.rules[]", name: "rule without linters",
		edits: []textEdit{rule("      - path: _test\\.go\n        text: timeout\n")},
		want:  []Violation{{Rule: "every linter", Key: "linters.exclusions.rules[0]", Detail: "excludes every linter on _test\\.go (findings matching timeout)"}}},
	{row: "linters.exclusions.rules[]", name: "forbidigo beyond internal/database",
		edits: []textEdit{rule("      - path: ^internal/\n        linters: [forbidigo]\n        text: sql\\.Open\n")},
		want:  []Violation{{Rule: "forbidigo", Key: "linters.exclusions.rules[0]", Detail: "excludes forbidigo on ^internal/ (findings matching sql\\.Open); the profile allows it only on ^internal/database/ (findings matching sql\\.Open)"}}},
	{row: "linters.exclusions.rules[]", name: "forbidigo on the allowed path, every text",
		edits: []textEdit{rule("      - path: ^internal/database/\n        linters: [forbidigo]\n")},
		want:  []Violation{{Rule: "forbidigo", Key: "linters.exclusions.rules[0]"}}},
	{row: "linters.exclusions.rules[]", name: "path-except",
		edits: []textEdit{rule("      - path-except: ^cmd/\n        linters: [contextcheck]\n")},
		want:  []Violation{{Rule: "contextcheck", Key: "linters.exclusions.rules[0]", Detail: "every path except ^cmd/"}}},
	{row: "linters.exclusions.rules[]", name: "required and harmless linters in one rule",
		edits: []textEdit{rule("      - path: ^cmd/\n        linters: [godot, noctx, dupl]\n")},
		keep:  []textEdit{rule("      - path: ^cmd/\n        linters: [godot, dupl]\n")},
		want:  []Violation{{Rule: "noctx", Key: "linters.exclusions.rules[0]"}}},
	{row: "linters.exclusions.rules[]", name: "gosec timeout rules by text",
		edits: []textEdit{rule("      - linters: [gosec]\n        text: (G104|G112|G114)\n")},
		want: []Violation{
			{Rule: "gosec/G112", Key: "linters.exclusions.rules[0]"},
			{Rule: "gosec/G114", Key: "linters.exclusions.rules[0]"},
		}},
	{row: "linters.exclusions.rules[]", name: "a standard linter",
		edits: []textEdit{rule("      - linters: [errcheck]\n        path: ^internal/\n")},
		want:  []Violation{{Rule: "errcheck", Key: "linters.exclusions.rules[0]"}}},
	{row: "linters.exclusions.paths[]", name: "exclusions paths",
		edits: []textEdit{after("    generated: strict\n", "    paths:\n      - internal/http/\n")},
		want:  []Violation{{Rule: "every linter", Key: "linters.exclusions.paths", Detail: "internal/http/"}}},
	{row: "linters.exclusions.paths-except[]", name: "exclusions paths-except",
		edits: []textEdit{after("    generated: strict\n", "    paths-except:\n      - ^cmd/\n")},
		want:  []Violation{{Rule: "every linter", Key: "linters.exclusions.paths-except"}}},
	{row: "linters.exclusions.presets[]", name: "presets",
		edits: []textEdit{after("    generated: strict\n", "    presets:\n      - common-false-positives\n      - std-error-handling\n")},
		want: []Violation{
			{Rule: "every linter", Key: "linters.exclusions.presets", Detail: "common-false-positives"},
			{Rule: "every linter", Key: "linters.exclusions.presets", Detail: "std-error-handling"},
		}},
	{row: "linters.exclusions.generated", name: "generated lax",
		edits: []textEdit{replace("    generated: strict\n", "    generated: lax\n")},
		want:  []Violation{{Rule: "every linter", Key: "linters.exclusions.generated"}}},
	{row: "issues.exclude*.**", name: "v1 exclude-rules and exclude-dirs",
		edits: []textEdit{after("  max-same-issues: 0\n", "  exclude-rules:\n    - linters: [noctx]\n      path: .*\n  exclude-dirs:\n    - internal\n  exclude-use-default: true\n")},
		want: []Violation{
			{Rule: "every linter", Key: "issues.exclude-rules"},
			{Rule: "every linter", Key: "issues.exclude-dirs"},
			{Rule: "every linter", Key: "issues.exclude-use-default"},
		}},
	{row: "run.skip-*.**", name: "v1 skip-dirs",
		edits: []textEdit{after("  tests: true\n", "  skip-dirs:\n    - internal/http\n  skip-files:\n    - .*_client\\.go\n")},
		want: []Violation{
			{Rule: "every linter", Key: "run.skip-dirs"},
			{Rule: "every linter", Key: "run.skip-files"},
		}},
	{row: "run.tests", name: "tests false",
		edits: []textEdit{replace("  tests: true\n", "  tests: false\n")},
		want:  []Violation{{Rule: "every linter", Key: "run.tests", Detail: "the profile sets true"}}},
	{row: "run.issues-exit-code", name: "exit code 0",
		edits: []textEdit{after("  tests: true\n", "  issues-exit-code: 0\n")},
		want:  []Violation{{Rule: "every linter", Key: "run.issues-exit-code"}}},
	{row: "issues.max-issues-per-linter", name: "per-linter cap",
		edits: []textEdit{replace("  max-issues-per-linter: 0\n", "  max-issues-per-linter: 50\n")},
		want:  []Violation{{Rule: "every linter", Key: "issues.max-issues-per-linter"}}},
	{row: "issues.max-same-issues", name: "same-text cap",
		edits: []textEdit{replace("  max-same-issues: 0\n", "  max-same-issues: 3\n")},
		want:  []Violation{{Rule: "every linter", Key: "issues.max-same-issues"}}},
	{row: "issues.uniq-by-line", name: "one per line",
		edits: []textEdit{replace("  uniq-by-line: false\n", "  uniq-by-line: true\n")},
		want:  []Violation{{Rule: "every linter", Key: "issues.uniq-by-line"}}},
	{row: "issues.new*", name: "only new issues",
		edits: []textEdit{after("  max-same-issues: 0\n", "  new: true\n  new-from-rev: HEAD~1\n")},
		want: []Violation{
			{Rule: "every linter", Key: "issues.new"},
			{Rule: "every linter", Key: "issues.new-from-rev"},
		}},
	{row: "linters.settings.nolintlint.require-explanation", name: "nolintlint without explanations", profiles: []string{"production"},
		edits: []textEdit{replace("      require-explanation: true\n", "      require-explanation: false\n")},
		want:  []Violation{{Rule: "nolintlint", Key: "linters.settings.nolintlint.require-explanation"}}},
	{row: "linters.settings.nolintlint.require-specific", name: "nolintlint bare", profiles: []string{"production"},
		edits: []textEdit{replace("      require-specific: true\n", "      require-specific: false\n")},
		want:  []Violation{{Rule: "nolintlint", Key: "linters.settings.nolintlint.require-specific"}}},
	{row: "linters.settings.nolintlint.allow-unused", name: "nolintlint unused", profiles: []string{"production"},
		edits: []textEdit{after("      require-specific: true\n", "      allow-unused: true\n")},
		want:  []Violation{{Rule: "nolintlint", Key: "linters.settings.nolintlint.allow-unused"}}},
	{row: "linters.settings.nolintlint.allow-no-explanation[]", name: "nolintlint exemptions", profiles: []string{"production"},
		edits: []textEdit{after("      require-specific: true\n", "      allow-no-explanation: [gosec]\n")},
		want:  []Violation{{Rule: "nolintlint", Key: "linters.settings.nolintlint.allow-no-explanation", Detail: "//nolint:gosec"}}},
	{row: "linters.settings.gosec.excludes[]", name: "gosec excludes the server timeout rules", profiles: []string{"staging", "production"},
		edits: []textEdit{after("        - G104\n", "        - G112\n        - G114\n        - G108\n")},
		want: []Violation{
			{Rule: "gosec/G112", Key: "linters.settings.gosec.excludes", Detail: "which the profile runs"},
			{Rule: "gosec/G114", Key: "linters.settings.gosec.excludes"},
			{Rule: "gosec/G108", Key: "linters.settings.gosec.excludes"},
		}},
	{row: "linters.settings.gosec.excludes[]", name: "gosec excludes an included rule", profiles: []string{"development"},
		edits: []textEdit{before("      includes:\n", "      excludes: [G112, G101]\n")},
		keep:  []textEdit{before("      includes:\n", "      excludes: [G101]\n")},
		want:  []Violation{{Rule: "gosec/G112", Key: "linters.settings.gosec.excludes"}}},
	{row: "linters.settings.gosec.includes.**", name: "gosec narrowed to a few rules", profiles: []string{"staging", "production"},
		edits: []textEdit{after("    gosec:\n", "      includes: [G101]\n")},
		want:  []Violation{{Rule: "gosec", Key: "linters.settings.gosec.includes", Detail: "runs only [G101]; the profile runs every gosec rule but G104"}}},
	{row: "linters.settings.gosec.severity", name: "gosec severity",
		edits: []textEdit{after("    gosec:\n", "      severity: high\n")},
		want:  []Violation{{Rule: "gosec", Key: "linters.settings.gosec.severity"}}},
	{row: "linters.settings.gosec.confidence", name: "gosec confidence",
		edits: []textEdit{after("    gosec:\n", "      confidence: medium\n")},
		want:  []Violation{{Rule: "gosec", Key: "linters.settings.gosec.confidence"}}},
	{row: "linters.settings.forbidigo.analyze-types", name: "forbidigo by spelling",
		edits: []textEdit{replace("      analyze-types: true\n", "      analyze-types: false\n")},
		want:  []Violation{{Rule: "forbidigo", Key: "linters.settings.forbidigo.analyze-types"}}},
	{row: "linters.settings.gocritic.settings.ruleguard.rules", name: "other ruleguard rules",
		edits: []textEdit{replace("          rules: ${config-path}/lint/ruleguard/rules.go\n", "          rules: ${config-path}/empty.go\n")},
		want:  []Violation{{Rule: "gocritic/ruleguard", Key: "linters.settings.gocritic.settings.ruleguard.rules"}}},
	{row: "linters.settings.gocritic.settings.ruleguard.failOn", name: "ruleguard failOn",
		edits: []textEdit{replace("          failOn: all\n", "          failOn: dsl\n")},
		want:  []Violation{{Rule: "gocritic/ruleguard", Key: "linters.settings.gocritic.settings.ruleguard.failOn"}}},
	{row: "linters.settings.gocritic.settings.ruleguard.enable", name: "ruleguard enable",
		edits: []textEdit{after("          failOn: all\n", "          enable: other\n")},
		want:  []Violation{{Rule: "gocritic/ruleguard", Key: "linters.settings.gocritic.settings.ruleguard.enable"}}},
	{row: "linters.settings.gocritic.settings.ruleguard.disable", name: "ruleguard disable",
		edits: []textEdit{after("          failOn: all\n", "          disable: httpClientTimeout\n")},
		want:  []Violation{{Rule: "gocritic/ruleguard", Key: "linters.settings.gocritic.settings.ruleguard.disable"}}},
	{row: "linters.settings.gocritic.disabled-checks[]", name: "ruleguard disabled",
		edits: []textEdit{after("    gocritic:\n", "      disabled-checks: [ruleguard, hugeParam]\n")},
		keep:  []textEdit{after("    gocritic:\n", "      disabled-checks: [hugeParam]\n")},
		want:  []Violation{{Rule: "gocritic/ruleguard", Key: "linters.settings.gocritic.disabled-checks"}}},
	{row: "linters.settings.gocritic.disabled-tags[]", name: "diagnostic tag disabled", profiles: []string{"staging", "production"},
		edits: []textEdit{after("    gocritic:\n", "      disabled-tags: [diagnostic]\n")},
		want:  []Violation{{Rule: "gocritic", Key: "linters.settings.gocritic.disabled-tags"}}},
}

// Every silencer is reported, removed from Data, and the rest of the file
// (the policy and any harmless rest of the change) is as expected; with a
// comment of the user's elsewhere, that comment stays.
func TestSilencersAreRemoved(t *testing.T) {
	for _, c := range silencerCases {
		profiles := c.profiles
		if profiles == nil {
			profiles = profileNames
		}
		for _, p := range profiles {
			name := fmt.Sprintf("%s (%s)", c.name, p)
			data := fixture(t, p)
			local := applyEdits(t, data, c.edits...)
			want := applyEdits(t, data, c.keep...)

			res := apply(t, data, local, data)
			checkViolations(t, name, res.Violations, c.want)
			sameValue(t, name, res.Data, want)
			if len(res.Restored) != 0 {
				t.Errorf("%s: Restored %v; a silencer is reported once, as a violation", name, res.Restored)
			}

			// The user's comment elsewhere survives the removal.
			commented := applyEdits(t, local, before("\nformatters:\n", "\n# ours, keep it"))
			res = apply(t, data, commented, data)
			if !strings.Contains(string(res.Data), "# ours, keep it") {
				t.Errorf("%s: the user's comment is lost:\n%s", name, res.Data)
			}

			// Without a base the silencer is found just the same.
			res = apply(t, nil, local, data)
			checkViolations(t, name+", no base", res.Violations, c.want)
			sameValue(t, name+", no base", res.Data, want)
		}
	}
}

// Every row of the silencer table has a case above, and every case names
// a row the table has.
func TestEverySilencerIsTested(t *testing.T) {
	rows := map[string]bool{}
	for _, s := range silencers {
		rows[s.pattern] = true
		if s.why == "" || s.check == nil {
			t.Errorf("row %q lacks its reason or its check", s.pattern)
		}
	}
	tested := map[string]bool{}
	for _, c := range silencerCases {
		tested[c.row] = true
		if !rows[c.row] {
			t.Errorf("case %q names row %q, which the table lacks", c.name, c.row)
		}
	}
	for _, s := range silencers {
		if !tested[s.pattern] {
			t.Errorf("row %q has no test case", s.pattern)
		}
	}
}
