package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/envgen/envgen/internal/goenv"
	"github.com/envgen/envgen/internal/goversion"
	"github.com/envgen/envgen/internal/toolchain"
)

// releasesFile is envgen's embedded list of the newest patch of each Go
// minor it knows (internal/goversion reads it).
var releasesFile = filepath.Join("internal", "goversion", "releases.txt")

// releasesHeader opens releases.txt; depsgen writes it.
const releasesHeader = `# The newest stable patch of each Go minor envgen knows, one per line:
# every patch from .0 up to it exists. A release newer than this list is
# looked up in the checksum database before envgen pins it. Checked
# against the module proxy's golang.org/toolchain list: make deps rewrites
# this file from it, make deps-check says when it lags.
`

// listTimeout bounds the one request for the proxy's toolchain list.
const listTimeout = 30 * time.Second

// listedReleases reads a golang.org/toolchain version list (the proxy's
// @v/list, or go list -m -versions): the newest stable linux-amd64
// release of each minor listed. Release candidates, other platforms and
// lines that are not toolchain versions are left out.
func listedReleases(list string) map[string]goversion.Release {
	out := map[string]goversion.Release{}
	for _, v := range strings.Fields(list) {
		name, p, ok := toolchain.ParseModuleVersion(v)
		if !ok || p.GOOS != "linux" || p.GOARCH != "amd64" {
			continue
		}
		r, ok := goversion.ParseStable(name)
		if !ok {
			continue
		}
		if old, seen := out[r.MinorString()]; !seen || old.Patch < r.Patch {
			out[r.MinorString()] = r
		}
	}
	return out
}

// parseReleasesFile reads releases.txt: one release per line, comments
// and blank lines aside.
func parseReleasesFile(text string) ([]goversion.Release, error) {
	var out []goversion.Release
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		r, ok := goversion.ParseStable(line)
		if !ok {
			return nil, fmt.Errorf("%s: %q is not a stable Go release", releasesFile, line)
		}
		out = append(out, r)
	}
	return out, nil
}

// refreshReleases is the new content of releases.txt from the known list
// and the proxy's: for each minor the newest listed patch. A known patch
// is kept only if the proxy lists it or a newer one (a proxy mirrors only
// some releases, so a missing intermediate patch proves nothing, but the
// newest one envgen pins by default must be listed). Minors newer than
// the newest known one are added as the proxy lists them; older minors
// the proxy lists are not. A supported minor the proxy lists nothing of
// is an error: releases.txt would lose it. notes say what changed.
func refreshReleases(known []goversion.Release, listed map[string]goversion.Release, supported []string) (out []goversion.Release, notes []string, err error) {
	if len(known) == 0 {
		return nil, nil, fmt.Errorf("%s lists no release", releasesFile)
	}
	byMinor := map[string]goversion.Release{}
	for _, r := range known {
		byMinor[r.MinorString()] = r
	}
	newestKnown := slices.MaxFunc(known, compareRelease)
	for minor, r := range listed {
		if _, ok := byMinor[minor]; !ok && compareMinor(minor, newestKnown.MinorString()) > 0 {
			byMinor[minor] = r
			notes = append(notes, fmt.Sprintf("Go %s is new: %s", minor, r))
		}
	}
	// Oldest minor first: the same input always gives the same notes and
	// the same error.
	minorsKnown := make([]string, 0, len(byMinor))
	for minor := range byMinor {
		minorsKnown = append(minorsKnown, minor)
	}
	slices.SortFunc(minorsKnown, compareMinor)
	for _, minor := range minorsKnown {
		k := byMinor[minor]
		l, ok := listed[minor]
		switch {
		case !ok && slices.Contains(supported, minor):
			return nil, nil, fmt.Errorf("the proxy lists no release of Go %s, a supported minor: %s not rewritten", minor, releasesFile)
		case !ok:
			delete(byMinor, minor)
			notes = append(notes, fmt.Sprintf("Go %s dropped: the proxy lists none of its releases", minor))
		case l.Patch > k.Patch:
			byMinor[minor] = l
			notes = append(notes, fmt.Sprintf("Go %s: %s -> %s", minor, k, l))
		case l.Patch < k.Patch:
			byMinor[minor] = l
			notes = append(notes, fmt.Sprintf("Go %s: %s is not listed (the proxy's newest is %s): lowered to %s", minor, k, l, l))
		}
	}
	for _, r := range byMinor {
		out = append(out, r)
	}
	slices.SortFunc(out, compareRelease)
	slices.Sort(notes)
	return out, notes, nil
}

// lagging lists the minors whose newest patch in releases.txt is older
// than the proxy's, and the minors the proxy lists that are newer than
// any releases.txt knows: what make deps-check warns about.
func lagging(known []goversion.Release, listed map[string]goversion.Release) []string {
	var out []string
	byMinor := map[string]goversion.Release{}
	for _, r := range known {
		byMinor[r.MinorString()] = r
	}
	newestKnown := slices.MaxFunc(known, compareRelease)
	for minor, l := range listed {
		k, ok := byMinor[minor]
		switch {
		case ok && l.Patch > k.Patch:
			out = append(out, fmt.Sprintf("%s knows Go %s up to %s, the proxy lists %s: run make deps", releasesFile, minor, k, l))
		case !ok && compareMinor(minor, newestKnown.MinorString()) > 0:
			out = append(out, fmt.Sprintf("the proxy lists Go %s, a minor %s does not know: run make deps, then add a Go %s column to depsgen's table (README: Dependency sets)", l, releasesFile, minor))
		}
	}
	slices.Sort(out)
	return out
}

func compareRelease(a, b goversion.Release) int {
	return goversion.Compare(a.Toolchain(), b.Toolchain())
}

func compareMinor(a, b string) int { return goversion.Compare("go"+a, "go"+b) }

// formatReleases is releases.txt's content.
func formatReleases(rs []goversion.Release) []byte {
	var b strings.Builder
	b.WriteString(releasesHeader)
	for _, r := range rs {
		b.WriteString(r.String() + "\n")
	}
	return []byte(b.String())
}

// fetchToolchainList asks the GOPROXY list (as the go command reads it)
// for golang.org/toolchain's versions, within listTimeout.
func fetchToolchainList(ctx context.Context, getenv func(string) string) (string, string, error) {
	env, err := goenv.Load(getenv, "")
	if err != nil {
		return "", "", err
	}
	ctx, cancel := context.WithTimeout(ctx, listTimeout)
	defer cancel()
	m := toolchain.NewManager(ctx, env, toolchain.NewHTTPClient(), "", nil)
	rs, from, err := m.List()
	if err != nil {
		return "", "", err
	}
	var b strings.Builder
	for _, r := range rs {
		for _, p := range r.Platforms {
			fmt.Fprintf(&b, "v0.0.1-%s.%s\n", r.Version, p)
		}
	}
	return b.String(), from, nil
}

// updateReleases rewrites releases.txt from the proxy's list.
func updateReleases(ctx context.Context, getenv func(string) string, supported []string, log io.Writer) error {
	data, err := os.ReadFile(releasesFile) //nolint:gosec // G304: this repository's checked-in releases.txt, a path depsgen builds itself
	if err != nil {
		return fmt.Errorf("%s: %w", releasesFile, err)
	}
	known, err := parseReleasesFile(string(data))
	if err != nil {
		return err
	}
	list, from, err := fetchToolchainList(ctx, getenv)
	if err != nil {
		return fmt.Errorf("the proxy's golang.org/toolchain list: %w", err)
	}
	out, notes, err := refreshReleases(known, listedReleases(list), supported)
	if err != nil {
		return err
	}
	for _, n := range notes {
		_, _ = fmt.Fprintf(log, "depsgen: %s: %s\n", releasesFile, n)
	}
	next := formatReleases(out)
	if string(next) == string(data) {
		_, _ = fmt.Fprintf(log, "depsgen: %s is current with %s\n", releasesFile, from)
		return nil
	}
	if err := os.WriteFile(releasesFile, next, 0o644); err != nil { //nolint:gosec // G306: a checked-in file of this repository, readable like the rest of the tree
		return fmt.Errorf("%s: %w", releasesFile, err)
	}
	_, _ = fmt.Fprintf(log, "depsgen: wrote %s from %s\n", releasesFile, from)
	return nil
}

// checkReleases is make deps-check: warnings only, never an error, so
// that CI reports a stale list without failing on it.
func checkReleases(ctx context.Context, getenv func(string) string, log io.Writer) {
	data, err := os.ReadFile(releasesFile) //nolint:gosec // G304: this repository's checked-in releases.txt, a path depsgen builds itself
	if err == nil {
		var known []goversion.Release
		if known, err = parseReleasesFile(string(data)); err == nil {
			var list, from string
			if list, from, err = fetchToolchainList(ctx, getenv); err == nil {
				warnings := lagging(known, listedReleases(list))
				for _, w := range warnings {
					_, _ = fmt.Fprintf(log, "depsgen: warning: %s\n", w)
				}
				if len(warnings) == 0 {
					_, _ = fmt.Fprintf(log, "depsgen: %s is current with %s\n", releasesFile, from)
				}
				return
			}
		}
	}
	_, _ = fmt.Fprintf(log, "depsgen: warning: could not compare %s with the proxy's list: %v\n", releasesFile, err)
}
