package toolchain

import (
	"fmt"
	"sort"
	"strings"

	"golang.org/x/mod/module"

	"github.com/envgen/envgen/internal/goversion"
)

// Release is a Go release the proxy offers, with its platforms.
type Release struct {
	Version   string   `json:"version"` // go1.24.1
	Stable    bool     `json:"stable"`
	Platforms []string `json:"platforms"`
}

// List asks the GOPROXY list for golang.org/toolchain's versions and
// groups them by release, newest first.
func (m *Manager) List() ([]Release, string, error) {
	var body []byte
	var from string
	err := m.Proxies.Try(func(src Source) error {
		url, err := modURL(src, module.Version{Path: ModulePath}, "list")
		if err != nil {
			return err
		}
		b, err := get(m.ctx, m.Proxies.Client, url)
		if err != nil {
			return err
		}
		body, from = b, src.String()
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	byVersion := map[string]*Release{}
	for _, line := range strings.Fields(string(body)) {
		goVersion, p, ok := ParseModuleVersion(line)
		if !ok {
			continue
		}
		r := byVersion[goVersion]
		if r == nil {
			_, stable := goversion.ParseStable(goVersion)
			r = &Release{Version: goVersion, Stable: stable}
			byVersion[goVersion] = r
		}
		r.Platforms = append(r.Platforms, p.String())
	}
	out := make([]Release, 0, len(byVersion))
	for _, r := range byVersion {
		sort.Strings(r.Platforms)
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return goversion.Compare(out[i].Version, out[j].Version) > 0 })
	return out, from, nil
}

// Latest is the newest stable release in a List.
func Latest(rs []Release) (goversion.Release, error) {
	for _, r := range rs {
		if rel, ok := goversion.ParseStable(r.Version); ok {
			return rel, nil
		}
	}
	return goversion.Release{}, fmt.Errorf("the proxy lists no stable Go release")
}

// LatestSupported is the newest stable release of a Go minor envgen has a
// tested dependency set for: what `pin latest` means in an envgen project,
// whose go.mod and go.sum come from those sets. rs is sorted newest first.
func LatestSupported(rs []Release) (goversion.Release, error) {
	for _, r := range rs {
		if rel, ok := goversion.ParseStable(r.Version); ok {
			if _, err := goversion.Parse(rel.String()); err == nil {
				return rel, nil
			}
		}
	}
	return goversion.Release{}, fmt.Errorf("the proxy lists no release of Go %s", goversion.SupportedText())
}
