package doctor

import (
	"context"
	"fmt"
	"strings"

	"github.com/envgen/envgen/internal/goenv"
)

// goCheck: the go command, its version against the project's pinned
// toolchain, and whether GOTOOLCHAIN lets it switch.
type goCheck struct{ m *machine }

func (c *goCheck) Name() string { return "go" }

func (c *goCheck) TimeoutFix() string {
	return "'go version' hangs: check the go binary on PATH (which go) and GOTOOLCHAIN"
}

func (c *goCheck) Run(ctx context.Context) Result {
	m := c.m
	g := m.goBinary(ctx)
	if g.Path == "" {
		return Result{Status: StatusFail, Saw: "no go command on PATH",
			Fix: "install Go from https://go.dev/dl/ and put its bin folder on PATH (export PATH=$PATH:/usr/local/go/bin)"}
	}
	if g.Err != nil {
		return Result{Status: StatusFail, Saw: g.Err.Error(),
			Fix: "the go command does not run: reinstall Go from https://go.dev/dl/"}
	}
	tc, src := m.env.Toolchain, m.env.Source["GOTOOLCHAIN"]
	mode := toolchainMode(tc)
	saw := fmt.Sprintf("%s (%s), GOTOOLCHAIN=%s%s", g.Version, g.Path, tc, sourceNote(src))
	details := []string{saw}
	if m.pin == "" {
		return Result{Status: StatusOK, Saw: saw, Details: details[1:]}
	}
	saw += ", project pins " + m.pin
	cmp := compareGo(g.Version, m.pin)
	var fs []finding
	switch {
	case mode.forced != "" && mode.forced != m.pin:
		fs = append(fs, finding{StatusWarn,
			fmt.Sprintf("GOTOOLCHAIN=%s%s forces %s, the project pins %s", tc, sourceNote(src), mode.forced, m.pin),
			unsetToolchainFix(src)})
	case cmp >= 0:
		// The local go is new enough; nothing to download.
	case mode.download && len(m.env.Proxy) > 0 && m.env.Proxy[0].Off:
		fs = append(fs, finding{StatusFail,
			fmt.Sprintf("go is %s and must download the project's %s, but GOPROXY=off forbids downloads", g.Version, m.pin),
			setFix("GOPROXY", goenv.DefaultProxy, m.env.Source["GOPROXY"])})
	case mode.download && m.env.SumDB.Off:
		fs = append(fs, finding{StatusFail,
			fmt.Sprintf("go is %s and must download the project's %s, but with GOSUMDB=off the go command refuses toolchain downloads", g.Version, m.pin),
			setFix("GOSUMDB", goenv.DefaultSumDB, m.env.Source["GOSUMDB"])})
	case mode.download:
		saw = fmt.Sprintf("%s switches to the project's %s on first use (downloaded through GOPROXY and checked against GOSUMDB)", g.Version, m.pin)
	case mode.path:
		fs = append(fs, finding{StatusWarn,
			fmt.Sprintf("go is %s, the project pins %s, and GOTOOLCHAIN=%s%s only switches to toolchains found on PATH", g.Version, m.pin, tc, sourceNote(src)),
			"put " + m.pin + " on PATH (go install golang.org/dl/" + m.pin + "@latest && " + m.pin + " download), or go env -w GOTOOLCHAIN=auto"})
	case m.goLine != "" && compareGo(g.Version, m.goLine) >= 0:
		// Builds work, with another toolchain than the one pinned.
		fs = append(fs, finding{StatusWarn,
			fmt.Sprintf("go is %s, the project pins %s, and GOTOOLCHAIN=%s%s never switches: builds use %s, not the pinned toolchain", g.Version, m.pin, tc, sourceNote(src), g.Version),
			unsetToolchainFix(src)})
	default:
		fs = append(fs, finding{StatusFail,
			fmt.Sprintf("go is %s, the project pins %s, and GOTOOLCHAIN=%s%s never switches: builds stop with 'go.mod requires go >= %s'", g.Version, m.pin, tc, sourceNote(src), strings.TrimPrefix(m.goLine, "go")),
			unsetToolchainFix(src)})
	}
	return worst(c.Name(), saw, fs, nil)
}

// toolchainModeOf describes a GOTOOLCHAIN value: "local", "auto"
// (local+auto), "path" (local+path), "go1.26.1", "go1.26.1+auto", ...
type toolchainModeOf struct {
	forced   string // a toolchain name without +auto/+path: always that one
	download bool   // +auto: may download a newer toolchain
	path     bool   // +path: may switch to one on PATH
}

func toolchainMode(v string) toolchainModeOf {
	switch v {
	case "auto":
		return toolchainModeOf{download: true}
	case "path":
		return toolchainModeOf{path: true}
	case "local", "":
		return toolchainModeOf{}
	}
	name, suffix, _ := strings.Cut(v, "+")
	switch suffix {
	case "auto":
		return toolchainModeOf{download: true}
	case "path":
		return toolchainModeOf{path: true}
	}
	if name == "local" {
		return toolchainModeOf{}
	}
	return toolchainModeOf{forced: name}
}

// sourceNote says where a go variable came from, for messages.
func sourceNote(src string) string {
	switch src {
	case "env":
		return " (from the environment)"
	case "user":
		return " (from go env -w)"
	case "goroot":
		return " (from $GOROOT/go.env)"
	case "default":
		return " (default)"
	}
	return ""
}

func unsetToolchainFix(src string) string {
	switch src {
	case "env":
		return "unset GOTOOLCHAIN (or export GOTOOLCHAIN=auto) so go switches to the pinned toolchain"
	case "goroot":
		return "go env -w GOTOOLCHAIN=auto (your setting overrides $GOROOT/go.env, which sets local)"
	}
	return "go env -w GOTOOLCHAIN=auto"
}
