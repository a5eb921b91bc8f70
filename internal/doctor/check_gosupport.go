package doctor

import (
	"context"
	"fmt"
	"strings"

	"github.com/envgen/envgen/internal/goversion"
)

// goSupportCheck: the project's Go pin against Go's release policy (each
// minor is supported until two newer ones are out) and the newest patch
// of its minor, by envgen's embedded release list: offline, warnings only.
type goSupportCheck struct{ m *machine }

func (c *goSupportCheck) Name() string { return "gosupport" }

func (c *goSupportCheck) Run(context.Context) Result {
	m := c.m
	pin := m.pin
	if pin == "" {
		pin = m.goLine // a go line without a toolchain line pins that release
	}
	r, ok := goversion.ParseStable(strings.TrimPrefix(pin, "go"))
	if !ok {
		return Result{Status: StatusSkip, Saw: "no pinned Go release in " + m.cfg.Dir}
	}
	up := strings.Join(goversion.UpstreamSupported(), " and ")
	a := goversion.Advise(r)
	if a == nil {
		return Result{Status: StatusOK, Saw: fmt.Sprintf("%s: Go %s is supported upstream (now %s) and %s is its newest patch envgen knows", r.Toolchain(), r.MinorString(), up, r.Toolchain())}
	}
	res := Result{Status: StatusWarn, Saw: a.Warning}
	if a.Fix == "" {
		return res
	}
	chdir := ""
	if m.cfg.Dir != "." && m.cfg.Dir != "" {
		chdir = "-C " + shellWord(m.cfg.Dir) + " "
	}
	if m.lock != nil {
		res.Fix = "envgen sync " + chdir + "--go " + a.Suggest
	} else {
		res.Fix = "envgen toolchain pin " + chdir + a.Suggest
	}
	return res
}

// shellWord quotes s for a shell when it needs it.
func shellWord(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!*?[](){};&|<>#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
