package toolchain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/envgen/envgen/internal/goversion"
)

// Proven is the release `--go latest` resolved to, and how.
type Proven struct {
	Release goversion.Release
	// Listed says the proxy's list offered it; otherwise it came from
	// envgen's embedded release list (a proxy mirrors only some releases).
	Listed bool
	// Proxy is the GOPROXY entry whose list was read; SumDB the checksum
	// database that has a record of the release.
	Proxy, SumDB string
	// Skipped are newer candidates the database has no record of.
	Skipped []string
	// Newer is a newer stable release the proxy lists, of a minor this
	// envgen has no tested dependency set for ("" if none).
	Newer string
}

// Note says, in one line, which release was taken and why.
func (p Proven) Note() string {
	from := "the newest release of a supported Go minor (" + goversion.SupportedText() + ") that " + p.Proxy + " lists"
	if !p.Listed {
		from = "the newest release of a supported Go minor (" + goversion.SupportedText() + ") in envgen's release list (" + p.Proxy + " lists nothing newer)"
	}
	s := fmt.Sprintf("latest is %s: %s, proven by the checksum database %s", p.Release.Toolchain(), from, p.SumDB)
	if len(p.Skipped) > 0 {
		s += "; skipped " + strings.Join(p.Skipped, ", ") + " (no record in the database)"
	}
	if p.Newer != "" {
		s += "; the proxy also lists " + p.Newer + ", which this envgen has no tested dependency set for"
	}
	return s
}

// candidates are the stable releases of supported minors the list offers,
// with the newest patch envgen's release list knows of each supported
// minor, newest first, each once; listed tells which came from rs.
func candidates(rs []Release) (out []goversion.Release, listed map[goversion.Release]bool) {
	listed = map[goversion.Release]bool{}
	for _, r := range rs {
		rel, ok := goversion.ParseStable(r.Version)
		if !ok || !slices.Contains(r.Platforms, "linux-amd64") {
			continue
		}
		if _, err := goversion.Parse(rel.String()); err == nil && !listed[rel] {
			listed[rel] = true
			out = append(out, rel)
		}
	}
	for _, minor := range goversion.Supported {
		if k, ok := goversion.NewestKnown(minor); ok && !listed[k] {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b goversion.Release) int { return goversion.Compare(b.Toolchain(), a.Toolchain()) })
	return slices.Compact(out), listed
}

// LatestProven is what `--go latest` means for an envgen project: the
// newest stable release of a supported Go minor that the GOPROXY list
// offers (or envgen's release list knows) and that the checksum database
// has a record of for every platform given (none: linux/amd64; toolchain
// pin asks for the PinnedPlatforms it records). The database is the
// proof: a release it lacks a record of is skipped for the next one. The
// caller bounds the time through the Manager's context.
func (m *Manager) LatestProven(platforms ...Platform) (Proven, error) {
	if len(platforms) == 0 {
		platforms = []Platform{{GOOS: "linux", GOARCH: "amd64"}}
	}
	rs, from, err := m.List()
	if err != nil {
		return Proven{}, fmt.Errorf("asking the GOPROXY list for golang.org/toolchain: %w", err)
	}
	p := Proven{Proxy: from}
	if newest, err := Latest(rs); err == nil {
		if _, err := goversion.Parse(newest.String()); err != nil {
			p.Newer = newest.Toolchain()
		}
	}
	db, err := m.ChecksumDB()
	if err != nil {
		return Proven{}, err
	}
	p.SumDB = db.Name()
	cands, listed := candidates(rs)
candidate:
	for _, r := range cands {
		for _, pl := range platforms {
			m.report(Event{Phase: "lookup", Source: db.Name() + " " + r.Toolchain() + " " + pl.String()})
			if _, err := db.Lookup(Module(r, pl)); err != nil {
				if NotFound(err) {
					p.Skipped = append(p.Skipped, r.Toolchain()+" "+pl.String())
					continue candidate
				}
				return Proven{}, err
			}
		}
		p.Release, p.Listed = r, listed[r]
		return p, nil
	}
	return Proven{}, fmt.Errorf("the checksum database %s has no record of any release of Go %s", db.Name(), goversion.SupportedText())
}

// NotFound tells the checksum database's "no such module version" (404
// or 410 from its lookup endpoint, which its client reports as text) from
// failing to reach it.
func NotFound(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "404 Not Found") || strings.Contains(msg, "410 Gone") || strings.Contains(msg, "not found")
}
