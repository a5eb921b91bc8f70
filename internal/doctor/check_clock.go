package doctor

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Clock skew thresholds: above warnSkew something is off; above failSkew
// certificate validation and signed timestamps start to break.
const (
	warnSkew = time.Minute
	failSkew = 5 * time.Minute
)

// clockFix names the usual ways to sync a Linux clock.
const clockFix = "sync the clock: sudo timedatectl set-ntp true (systemd), or sudo chronyc makestep (chrony), or sudo ntpd -gq (ntpd)"

// clockCheck compares the local clock with the Date header of the
// proxies' answers.
type clockCheck struct{ m *machine }

func (c *clockCheck) Name() string { return "clock" }

func (c *clockCheck) Run(ctx context.Context) Result {
	m := c.m
	if m.cfg.Offline {
		return Result{Status: StatusSkip, Saw: "not checked: --offline (the clock is compared with the proxies' Date header)"}
	}
	// The proxy check's requests carry a Date header; share them.
	probes := m.probeProxies(ctx, m.env.Proxy, toolchainListPath)
	var from *Probe
	for _, p := range probes {
		if p != nil && !p.Date.IsZero() {
			from = p
			break
		}
	}
	if from == nil {
		// No proxy answered, maybe because the clock is so wrong that
		// every certificate looks invalid: ask without checking the
		// certificate. Only the Date header is used.
		u := "https://proxy.golang.org"
		for _, e := range m.env.Proxy {
			if strings.HasPrefix(e.URL, "http") {
				u = strings.TrimSuffix(e.URL, "/")
				break
			}
		}
		p := m.dateOnly(ctx, u+"/")
		if !p.Date.IsZero() {
			from = &p
		}
	}
	if from == nil {
		return Result{Status: StatusSkip, Saw: "no proxy answered with a Date header: the clock could not be compared"}
	}
	skew := from.Received.Sub(from.Date)
	// Date has a resolution of one second and is stamped before the
	// answer travels: allow for that.
	abs := skew.Abs()
	dir := "ahead of"
	if skew < 0 {
		dir = "behind"
	}
	saw := fmt.Sprintf("local clock is %s %s %s (Date: %s)", abs.Round(time.Second), dir, hostOf(from.URL), from.Date.UTC().Format(time.RFC1123))
	switch {
	case abs < time.Second:
		return Result{Status: StatusOK, Saw: fmt.Sprintf("local clock agrees with %s to the second", hostOf(from.URL))}
	case abs > failSkew:
		return Result{Status: StatusFail, Saw: saw + ": TLS certificate checks and signed timestamps fail", Fix: clockFix}
	case abs > warnSkew:
		return Result{Status: StatusWarn, Saw: saw, Fix: clockFix}
	}
	return Result{Status: StatusOK, Saw: saw}
}

// dateOnly asks url for its Date header without verifying the
// certificate. Nothing else of the answer is used.
func (m *machine) dateOnly(ctx context.Context, url string) Probe {
	insecure := m.cfg.Net
	pr := newProber(insecure, m.cfg.Now)
	pr.skipVerify = true
	return pr.get(ctx, url)
}

func hostOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexByte(u, '/'); i >= 0 {
		u = u[:i]
	}
	return u
}
