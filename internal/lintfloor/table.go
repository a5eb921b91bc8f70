package lintfloor

import "gopkg.in/yaml.v3"

// silencer is one row of the table: a place in the file where a change by
// the user can switch off a rule the profile requires, and the check that
// decides whether a given change does.
type silencer struct {
	pattern string // see pattern: dotted keys, "[]" any item, "**" the rest
	why     string // why a change here silences the policy
	check   check
}

// check judges the user's value v at p. No violations: the change is
// harmless and kept. Violations: the change is removed, and keep (if not
// nil) is the harmless rest of it to keep instead, e.g. an exclusion rule
// without the required linters it named.
type check func(pol *policy, p keyPath, v *yaml.Node) (vs []Violation, keep *yaml.Node)

// silencers is the whole policy on the user's changes, in one place. It is
// consulted for every value the user added, and for every value of next
// the user changed (a changed value of next is restored anyway; the table
// decides whether that is reported as a Violation or merely as Restored).
// Removals need no row: every entry of next is put back (Restored). The
// first matching row decides; a path no row matches is the user's to keep.
var silencers = []silencer{
	// Which linters run at all.
	{"linters.default", "a default weaker than the profile's drops the linters it turns on (standard: errcheck, govet, ineffassign, staticcheck, unused)",
		weakerDefault},
	{"linters.disable[]", "disable wins over enable: a required linter listed there does not run",
		disablesRequired},
	{"linters.disable-all", "v1 key: turns off every linter not enabled by name; v2 has no such key",
		always("every linter", "v1 leftover linters.disable-all")},

	// Which findings are dropped.
	{"linters.exclusions.rules[]", "a rule naming a required linter (or no linter: every linter) hides its findings on the paths it matches; only the profile's own exclusions are allowed",
		excludesRequired},
	{"linters.exclusions.paths[]", "files matched here are not linted by any linter",
		always("every linter", "excludes every linter on files matching %s")},
	{"linters.exclusions.paths-except[]", "changes which files the exclusions cover; the profile decides which files are linted",
		always("every linter", "changes which files every linter skips (paths-except %s)")},
	{"linters.exclusions.presets[]", "a preset is a bundle of exclusion rules on every path (common-false-positives and legacy drop gosec findings, for example)",
		always("every linter", "applies the exclusion preset %s on every path")},
	{"linters.exclusions.generated", "lax counts more files as generated, and generated files are not linted",
		looserGenerated},
	{"issues.exclude*.**", "v1 key (exclude, exclude-rules, exclude-dirs, exclude-files ...): drops findings outside the checked linters.exclusions",
		always("every linter", "v1 leftover: drops findings outside linters.exclusions")},
	{"run.skip-*.**", "v1 key (skip-dirs, skip-files): files not linted at all",
		always("every linter", "v1 leftover: skips files outside linters.exclusions")},

	// How findings are counted and reported.
	{"run.tests", "tests: false leaves test code, which talks to servers too, unlinted",
		differsFromNext("every linter", "stops linting test files")},
	{"run.issues-exit-code", "exit code 0 turns every finding into a passing run",
		exitCodeZero},
	{"issues.max-issues-per-linter", "a cap hides findings beyond it: the first ones fixed, the next ones appear",
		differsFromNext("every linter", "caps the findings reported per linter")},
	{"issues.max-same-issues", "a cap hides repeated findings of the same text",
		differsFromNext("every linter", "caps the findings reported per text")},
	{"issues.uniq-by-line", "keeps one finding per line, hiding the others",
		differsFromNext("every linter", "reports one finding per line")},
	{"issues.new*", "new, new-from-rev, new-from-patch, new-from-merge-base: findings in old code pass",
		onlyNew},

	// nolintlint, where the profile enables it: //nolint must say what and why.
	{"linters.settings.nolintlint.require-explanation", "false lets //nolint stand without a reason",
		nolintlintIs("false", "lets //nolint stand without an explanation")},
	{"linters.settings.nolintlint.require-specific", "false lets a bare //nolint silence every linter on the line",
		nolintlintIs("false", "lets a bare //nolint silence every linter")},
	{"linters.settings.nolintlint.allow-unused", "true keeps //nolint directives that no longer suppress anything",
		nolintlintIs("true", "keeps unused //nolint directives")},
	{"linters.settings.nolintlint.allow-no-explanation[]", "listed linters may be silenced without a reason",
		nolintlintAny("lets //nolint:%s stand without an explanation")},

	// gosec: the server timeout and exposure rules (G108, G112, G114 ...).
	{"linters.settings.gosec.excludes[]", "turns off a gosec rule the profile runs",
		gosecExcludesRequired},
	{"linters.settings.gosec.includes.**", "includes runs only the listed rules: where the profile runs all, any list narrows it",
		gosecNarrowed},
	{"linters.settings.gosec.severity", "findings below the severity are dropped (the profile reports all)",
		gosecThreshold},
	{"linters.settings.gosec.confidence", "findings below the confidence are dropped (the profile reports all)",
		gosecThreshold},

	// forbidigo: the timeout-less entry points of net/http and database/sql.
	// Removed forbid entries need no row: they are restored.
	{"linters.settings.forbidigo.analyze-types", "false matches on spelling only: a renamed import or a method value (get := http.Get) passes",
		differsFromNext("forbidigo", "matches on spelling only: renamed imports and method values pass")},

	// gocritic: runs the project's ruleguard rules (http.Client without Timeout).
	{"linters.settings.gocritic.settings.ruleguard.rules", "another rules file is not the project's policy",
		differsFromNext("gocritic/ruleguard", "loads other ruleguard rules than the project's")},
	{"linters.settings.gocritic.settings.ruleguard.failOn", "a broken rules file would be skipped silently",
		differsFromNext("gocritic/ruleguard", "lets a broken ruleguard rules file be skipped")},
	{"linters.settings.gocritic.settings.ruleguard.enable", "runs only the named rule groups",
		differsFromNext("gocritic/ruleguard", "runs only some of the project's ruleguard rules")},
	{"linters.settings.gocritic.settings.ruleguard.disable", "turns off the named rule groups",
		differsFromNext("gocritic/ruleguard", "turns off some of the project's ruleguard rules")},
	{"linters.settings.gocritic.disabled-checks[]", "a check the profile enables (ruleguard) listed here does not run",
		disablesEnabledCheck},
	{"linters.settings.gocritic.disabled-tags[]", "turns off a tag of checks the profile enables",
		disablesEnabledTag},
}

// match returns the row deciding about a change at p, or nil.
func match(p keyPath) *silencer {
	for i := range silencers {
		if compiled[i].match(p) {
			return &silencers[i]
		}
	}
	return nil
}

var compiled = func() []pattern {
	out := make([]pattern, len(silencers))
	for i, s := range silencers {
		out[i] = compilePattern(s.pattern)
	}
	return out
}()
