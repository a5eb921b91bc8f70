package doctor

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/mod/module"
)

// privateCheck: GOPRIVATE, GONOPROXY and GONOSUMDB agree with each other.
// A private module must skip both the public proxy and the public
// checksum database; skipping only one either leaks its name or fails.
type privateCheck struct{ m *machine }

func (c *privateCheck) Name() string { return "private" }

func (c *privateCheck) Run(context.Context) Result {
	env := c.m.env
	if env.Private == "" && env.NoProxy == "" && env.NoSumDB == "" {
		return Result{Status: StatusOK, Saw: "no private modules configured (GOPRIVATE, GONOPROXY, GONOSUMDB unset)"}
	}
	saw := fmt.Sprintf("GOPRIVATE=%s GONOPROXY=%s GONOSUMDB=%s", env.Private, env.NoProxy, env.NoSumDB)
	var fs []finding
	if matchesEverything(env.Private) {
		fs = append(fs, finding{StatusWarn,
			"GOPRIVATE=" + env.Private + " makes every module private: no proxy (every download comes from its origin server, and a deleted repository cannot be fetched) and no checksum database (nothing is verified)",
			"list only your private module prefixes: go env -w GOPRIVATE=git.example.com/yourteam/*"})
	}
	for _, p := range patterns(env.NoProxy) {
		if !module.MatchPrefixPatterns(env.NoSumDB, sample(p)) {
			fs = append(fs, finding{StatusWarn,
				fmt.Sprintf("GONOPROXY covers %s but GONOSUMDB does not: the go command asks the public checksum database about these modules, which fails for private ones (and tells it their names)", p),
				fmt.Sprintf("set both at once: go env -w GOPRIVATE=%s (and unset GONOPROXY/GONOSUMDB)", p)})
		}
	}
	for _, p := range patterns(env.NoSumDB) {
		if !module.MatchPrefixPatterns(env.NoProxy, sample(p)) {
			fs = append(fs, finding{StatusWarn,
				fmt.Sprintf("GONOSUMDB covers %s but GONOPROXY does not: these modules are requested from the public proxy, which cannot serve private ones (and learns their names)", p),
				fmt.Sprintf("set both at once: go env -w GOPRIVATE=%s (and unset GONOPROXY/GONOSUMDB)", p)})
		}
	}
	var details []string
	if mods := goSumModules(c.m.goSum); len(mods) > 0 {
		var private []string
		for _, mod := range mods {
			if env.NoProxyFor(mod) || env.NoSumDBFor(mod) {
				private = append(private, mod)
			}
		}
		if len(private) > 0 {
			details = append(details, fmt.Sprintf("go.sum: %d module(s) treated as private: %s", len(private), abbreviate(private, 5)))
		}
	}
	return worst(c.Name(), saw+": consistent", fs, details)
}

func patterns(list string) []string {
	var out []string
	for p := range strings.SplitSeq(list, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// sample turns a glob pattern into a module path it matches, to ask
// whether another list covers it.
func sample(pattern string) string {
	r := strings.NewReplacer("*", "x", "?", "x", "[", "", "]", "")
	return r.Replace(pattern)
}

// matchesEverything reports whether a pattern list makes any module match.
func matchesEverything(list string) bool {
	for _, probe := range []string{"github.com/spf13/cobra", "golang.org/x/net", "gopkg.in/yaml.v3"} {
		if !module.MatchPrefixPatterns(list, probe) {
			return false
		}
	}
	return true
}
