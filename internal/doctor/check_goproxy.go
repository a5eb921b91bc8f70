package doctor

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/envgen/envgen/internal/goenv"
)

// toolchainListPath is what the proxy check asks every proxy for: every
// proxy that can serve Go toolchains answers it.
const toolchainListPath = "/golang.org/toolchain/@v/list"

// slowProxy is the latency above which a proxy is worth a warning.
const slowProxy = 3 * time.Second

// proxyCheck: GOPROXY's syntax, every entry probed (DNS, TCP, TLS, HTTP,
// latency), and which entry the go command would actually use.
type proxyCheck struct{ m *machine }

func (c *proxyCheck) Name() string { return "goproxy" }

func (c *proxyCheck) TimeoutFix() string {
	return "the proxy does not answer in time: a firewall or security software may hold the connection; try " + setFix("GOPROXY", goenv.DefaultProxy, c.m.env.Source["GOPROXY"])
}

func (c *proxyCheck) Run(ctx context.Context) Result {
	env := c.m.env
	src := env.Source["GOPROXY"]
	if r, decided := c.fromValue(); decided {
		return r
	}
	list := env.Proxy
	saw := fmt.Sprintf("GOPROXY=%s%s", env.ProxyRaw, sourceNote(src))
	probes := c.m.probeProxies(ctx, list, toolchainListPath)
	var fs []finding
	var details []string
	used := ""
	var fellThrough []int // findings about entries the go command skips
	for i, e := range list {
		if e.Off {
			fs = append(fs, finding{StatusFail, "every entry before 'off' failed: the go command gives up", setFix("GOPROXY", goenv.DefaultProxy, src)})
			break
		}
		if e.Direct {
			used = "direct (origin servers)"
			details = append(details, fmt.Sprintf("%d. direct: not probed (origin servers)", i+1))
			break
		}
		p := probes[i]
		if p == nil {
			used = e.URL
			details = append(details, fmt.Sprintf("%d. %s: not probed", i+1, e.URL))
			break
		}
		details = append(details, fmt.Sprintf("%d. %s", i+1, p.describe()))
		probSaw, probFix := p.Problem()
		if probSaw == "" {
			used = e.URL
			if f := c.lag(e.URL, p); f != nil {
				fs = append(fs, *f)
			}
			if p.Latency > slowProxy {
				fs = append(fs, finding{StatusWarn, fmt.Sprintf("%s answers slowly (%s)", e.URL, p.Latency.Round(time.Millisecond)),
					"pick a proxy closer to you (for example https://goproxy.cn,direct in mainland China) or check the network path"})
			}
			break
		}
		notFound := p.Failed == "" && (p.Status == http.StatusNotFound || p.Status == http.StatusGone)
		last := i == len(list)-1
		if (e.FallbackOnAnyError || notFound) && !last {
			sep := "','"
			if e.FallbackOnAnyError {
				sep = "'|'"
			}
			fs = append(fs, finding{StatusWarn, probSaw + "; the go command falls through to the next entry (" + sep + ")",
				"every download tries it first: remove " + e.URL + " from GOPROXY, or fix it (" + probFix + ")"})
			fellThrough = append(fellThrough, len(fs)-1)
			continue
		}
		why := " (after ',' only 404 and 410 fall through)"
		if last {
			why = " (last entry)"
		}
		fs = append(fs, finding{StatusFail, probSaw + ": the go command stops here" + why, probFix})
		break
	}
	if used != "" {
		saw += ": go uses " + used
		for _, i := range fellThrough {
			fs[i].saw += ", and uses " + used
		}
	}
	for i := range fs {
		fs[i].fix = strings.ReplaceAll(fs[i].fix, defaultProxyFix, setFix("GOPROXY", goenv.DefaultProxy, src))
	}
	return worst(c.Name(), saw, fs, details)
}

// fromValue is the verdict GOPROXY's value gives without a probe: bad
// syntax, 'off' or 'direct' first, or nothing to probe (--offline).
// decided is false when the entries are to be probed.
func (c *proxyCheck) fromValue() (r Result, decided bool) {
	env := c.m.env
	src := env.Source["GOPROXY"]
	if _, err := goenv.ParseProxy(env.ProxyRaw); err != nil {
		return Result{Status: StatusFail, Saw: fmt.Sprintf("GOPROXY=%q%s: %v", env.ProxyRaw, sourceNote(src), err),
			Fix: setFix("GOPROXY", goenv.DefaultProxy, src)}, true
	}
	list := env.Proxy
	saw := fmt.Sprintf("GOPROXY=%s%s", env.ProxyRaw, sourceNote(src))
	switch {
	case list[0].Off:
		return Result{Status: StatusFail,
			Saw: saw + ": the go command downloads nothing; every module and toolchain must already be in the module cache",
			Fix: setFix("GOPROXY", goenv.DefaultProxy, src)}, true
	case list[0].Direct:
		return Result{Status: StatusWarn,
			Saw: saw + ": no proxy; every module comes from its origin server (slower, needs git/hg, and a deleted repository cannot be fetched)",
			Fix: setFix("GOPROXY", goenv.DefaultProxy, src)}, true
	}
	if c.m.cfg.Offline {
		return Result{Status: StatusSkip, Saw: saw + " (syntax ok; not probed: --offline)"}, true
	}
	return Result{}, false
}

// lag flags a proxy whose toolchain list lacks the project's pinned
// toolchain: a mirror that has not caught up with a release yet.
func (c *proxyCheck) lag(proxy string, p *Probe) *finding {
	m := c.m
	if m.pin == "" || len(p.Body) >= maxProbeBody {
		return nil
	}
	want := "v0.0.1-" + m.pin + "." + m.cfg.GOOS + "-" + m.cfg.GOARCH
	for line := range strings.SplitSeq(string(p.Body), "\n") {
		if strings.TrimSpace(line) == want {
			return nil
		}
	}
	return &finding{StatusWarn,
		fmt.Sprintf("%s does not list the project's %s for %s-%s yet: a mirror that lags behind the release", proxy, m.pin, m.cfg.GOOS, m.cfg.GOARCH),
		"wait for the mirror to catch up, or ask the origin first: go env -w GOPROXY=https://proxy.golang.org," + proxy + ",direct"}
}

// probeProxies probes path on every http(s) entry of list concurrently;
// entries that cannot be probed (direct, off, file://) get nil.
func (m *machine) probeProxies(ctx context.Context, list []goenv.ProxyEntry, path string) []*Probe {
	out := make([]*Probe, len(list))
	var wg sync.WaitGroup
	for i, e := range list {
		if !strings.HasPrefix(e.URL, "http://") && !strings.HasPrefix(e.URL, "https://") {
			continue
		}
		wg.Go(func() {
			p := m.probes.get(ctx, strings.TrimSuffix(e.URL, "/")+path)
			out[i] = &p
		})
	}
	wg.Wait()
	return out
}

// describe is one probe step by step, for details.
func (p Probe) describe() string {
	var b strings.Builder
	b.WriteString(p.URL)
	if p.Via != "" {
		b.WriteString(" via proxy " + p.Via + ":")
	}
	steps := []Stage{StageDNS, StageTCP, StageProxy, StageTLS, StageHTTP}
	if strings.HasPrefix(p.URL, "http://") {
		steps = []Stage{StageDNS, StageTCP, StageHTTP}
	}
	if p.Failed == StageURL {
		return b.String() + ": not a URL"
	}
	for _, s := range steps {
		if s == p.Failed {
			fmt.Fprintf(&b, " %s FAILED (%s)", s, shortErr(p.Err))
			return b.String()
		}
		switch s {
		case StageDNS:
			if p.Resolved {
				b.WriteString(" dns ok,")
			}
		case StageProxy:
			if p.Via != "" {
				b.WriteString(" tunnel ok,")
			}
		case StageTLS:
			fmt.Fprintf(&b, " tls ok (certificate valid until %s)", p.CertNotAfter.UTC().Format(time.DateOnly))
		case StageHTTP:
			fmt.Fprintf(&b, " HTTP %d in %s", p.Status, p.Latency.Round(time.Millisecond))
		case StageTCP:
			fmt.Fprintf(&b, " tcp %s ok,", p.Addr)
		default:
			fmt.Fprintf(&b, " %s ok,", s)
		}
	}
	return b.String()
}

// setFix is how to set a go variable, given where its value comes from:
// go env -w cannot override the environment.
func setFix(key, value, src string) string {
	if src == "env" {
		return fmt.Sprintf("export %s=%s (it is set in your environment; also check your shell profile)", key, value)
	}
	return fmt.Sprintf("go env -w %s=%s", key, value)
}
