package doctor

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/envgen/envgen/internal/goenv"
)

// commonModules are modules almost every Go service depends on; a
// GONOSUMDB or GOPRIVATE pattern that matches them switches off checksum
// verification for code that is certainly public.
var commonModules = []string{
	"golang.org/x/net",
	"google.golang.org/protobuf",
	"github.com/prometheus/client_golang",
	"gopkg.in/yaml.v3",
}

// sumdbCheck: GOSUMDB's syntax and reachability (through the proxy or
// directly) with a verified signed tree head; settings that switch
// verification off are flagged with their risk.
type sumdbCheck struct{ m *machine }

func (c *sumdbCheck) Name() string { return "sumdb" }

func (c *sumdbCheck) TimeoutFix() string {
	return "the checksum database does not answer in time: check that " + c.m.env.SumDB.Name + " (or your GOPROXY's /sumdb/ path) is reachable"
}

func (c *sumdbCheck) Run(ctx context.Context) Result {
	m := c.m
	env := m.env
	src := env.Source["GOSUMDB"]
	db, err := goenv.ParseSumDB(env.SumDBRaw)
	if err != nil {
		return Result{Status: StatusFail, Saw: fmt.Sprintf("GOSUMDB=%q%s: %v", env.SumDBRaw, sourceNote(src), err),
			Fix: setFix("GOSUMDB", goenv.DefaultSumDB, src)}
	}
	var fs []finding
	if db.Off {
		fs = append(fs, finding{StatusFail,
			"GOSUMDB=off" + sourceNote(src) + ": no download is checked against the checksum database (a tampered module or a corrupt mirror goes unnoticed), and the go command refuses to download toolchains",
			setFix("GOSUMDB", goenv.DefaultSumDB, src) + "; exempt private modules with GOPRIVATE instead"})
	}
	fs = append(fs, c.exemptions()...)
	fs = append(fs, insecureFindings(env)...)
	saw := "GOSUMDB=" + env.SumDBRaw + sourceNote(src)
	var details []string
	if !db.Off {
		if m.cfg.Offline {
			details = append(details, "not probed: --offline")
		} else {
			verified, f, d := c.probe(ctx, db)
			details = append(details, d...)
			if f != nil {
				fs = append(fs, *f)
			} else {
				saw += ": " + verified
			}
		}
	}
	return worst(c.Name(), saw, fs, details)
}

// exemptions flags GONOSUMDB (default GOPRIVATE) patterns that cover
// public modules.
func (c *sumdbCheck) exemptions() []finding {
	env := c.m.env
	if env.NoSumDB == "" {
		return nil
	}
	var hit []string
	for _, mod := range append(append([]string{}, commonModules...), goSumModules(c.m.goSum)...) {
		if env.NoSumDBFor(mod) && !slices.Contains(hit, mod) {
			hit = append(hit, mod)
		}
	}
	key := "GONOSUMDB"
	if env.Source["GONOSUMDB"] == "default" {
		key = "GOPRIVATE"
	}
	var fs []finding
	if len(hit) > 0 {
		fs = append(fs, finding{StatusWarn,
			fmt.Sprintf("%s=%s exempts public modules from the checksum database (%s): a tampered or corrupt copy of them goes unnoticed",
				key, env.NoSumDB, abbreviate(hit, 4)),
			fmt.Sprintf("list only your private module prefixes: go env -w %s=git.example.com/yourteam/*", key)})
	}
	if env.NoSumDBFor("golang.org/toolchain") {
		fs = append(fs, finding{StatusWarn,
			fmt.Sprintf("%s=%s matches golang.org/toolchain: toolchains are still verified (the go command ignores the exemption for them), but the pattern is broader than private modules", key, env.NoSumDB),
			fmt.Sprintf("list only your private module prefixes in %s", key)})
	}
	return fs
}

// insecureFindings flags GOFLAGS=-insecure and GOINSECURE.
func insecureFindings(env *goenv.Env) []finding {
	var fs []finding
	for _, f := range strings.Fields(env.Flags) {
		if f == "-insecure" || f == "--insecure" || strings.HasPrefix(f, "-insecure=") || strings.HasPrefix(f, "--insecure=") {
			// Tried: go1.26 `go get` stops with "-insecure flag is no
			// longer supported; use GOINSECURE instead".
			fs = append(fs, finding{StatusFail,
				"GOFLAGS=" + env.Flags + sourceNote(env.Source["GOFLAGS"]) + " contains -insecure: go get stops with \"-insecure flag is no longer supported\"; older go commands fetched over plain HTTP without certificate checks, so anyone on the path could change the code",
				"remove -insecure from GOFLAGS (" + unsetHow("GOFLAGS", env.Source["GOFLAGS"]) + "); for one internal host without HTTPS use GOINSECURE=that.host"})
			break
		}
	}
	if env.Insecure != "" {
		fs = append(fs, finding{StatusWarn,
			"GOINSECURE=" + env.Insecure + ": modules matching it are fetched without HTTPS certificate checks when fetched directly",
			"keep GOINSECURE to internal hosts that truly lack HTTPS"})
	}
	return fs
}

func unsetHow(key, src string) string {
	if src == "env" {
		return "unset " + key + " in your environment and shell profile"
	}
	return "go env -u " + key
}

// probe finds the checksum database as the go command does (through the
// first proxy that says it supports it, else directly) and verifies its
// signed tree head.
func (c *sumdbCheck) probe(ctx context.Context, db goenv.SumDB) (string, *finding, []string) {
	m := c.m
	// Like the go command, ask the proxies first; the database's own URL
	// (from GOSUMDB, else https://<name>) comes after them.
	base, via := db.URL, "directly"
	if base == "" {
		base = "https://" + db.Name
	}
	var details []string
proxies:
	for _, e := range m.env.Proxy {
		switch {
		case e.Off:
			f := finding{StatusFail, "GOPROXY ends in 'off' before any proxy serves " + db.Name + ": the go command cannot reach the checksum database",
				setFix("GOPROXY", goenv.DefaultProxy, m.env.Source["GOPROXY"])}
			return "", &f, details
		case e.Direct || e.URL == "" || strings.HasPrefix(e.URL, "file:"):
			break proxies
		}
		p := m.probes.get(ctx, strings.TrimSuffix(e.URL, "/")+"/sumdb/"+db.Name+"/supported")
		details = append(details, "supported: "+p.describe())
		if p.Failed == "" && p.Status == http.StatusOK {
			base, via = strings.TrimSuffix(e.URL, "/")+"/sumdb/"+db.Name, "through "+e.URL
			break
		}
		notFound := p.Failed == "" && (p.Status == http.StatusNotFound || p.Status == http.StatusGone)
		if !notFound && !e.FallbackOnAnyError {
			saw, fix := p.Problem()
			f := finding{StatusFail, "asking " + e.URL + " for the checksum database: " + saw, fix}
			return "", &f, details
		}
	}
	p := m.probes.get(ctx, base+"/latest")
	details = append(details, "latest: "+p.describe())
	if saw, fix := p.Problem(); saw != "" {
		f := finding{StatusFail, "the checksum database " + db.Name + " (" + via + ") is not reachable: " + saw, fix}
		return "", &f, details
	}
	verifier, err := note.NewVerifier(db.Key)
	if err != nil {
		f := finding{StatusFail, "GOSUMDB key: " + err.Error(), setFix("GOSUMDB", goenv.DefaultSumDB, m.env.Source["GOSUMDB"])}
		return "", &f, details
	}
	n, err := note.Open(p.Body, note.VerifierList(verifier))
	if err != nil {
		f := finding{StatusFail,
			fmt.Sprintf("the signed tree head from %s (%s) does not verify with the key of %s: %v", db.Name, via, db.Name, err),
			"something between you and the database changes its answers (an intercepting proxy or a misbehaving mirror), or GOSUMDB names the wrong key: use GOSUMDB=sum.golang.org and a trusted GOPROXY"}
		return "", &f, details
	}
	tree, err := tlog.ParseTree([]byte(n.Text))
	if err != nil {
		f := finding{StatusFail, fmt.Sprintf("the signed tree head from %s (%s) is malformed: %v", db.Name, via, err), "use a trusted GOPROXY and GOSUMDB=sum.golang.org"}
		return "", &f, details
	}
	return fmt.Sprintf("%s reached %s, signed tree head verifies (%d records)", db.Name, via, tree.N), nil, details
}

func abbreviate(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(xs[:n], ", "), len(xs)-n)
}

// goSumModules lists the module paths of a go.sum, each once, in order.
func goSumModules(goSum string) []string {
	var mods []string
	seen := map[string]bool{}
	for line := range strings.SplitSeq(goSum, "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && !seen[f[0]] {
			seen[f[0]] = true
			mods = append(mods, f[0])
		}
	}
	return mods
}
