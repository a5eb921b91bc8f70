package toolchain

import (
	"fmt"
	"sort"
	"strconv"
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
			_, stable := parseStable(goVersion)
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
	sort.Slice(out, func(i, j int) bool { return compareGo(out[i].Version, out[j].Version) > 0 })
	return out, from, nil
}

// Latest is the newest stable release in a List.
func Latest(rs []Release) (goversion.Release, error) {
	for _, r := range rs {
		if rel, ok := parseStable(r.Version); ok {
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
		if rel, ok := parseStable(r.Version); ok {
			if _, err := goversion.Parse(rel.String()); err == nil {
				return rel, nil
			}
		}
	}
	return goversion.Release{}, fmt.Errorf("the proxy lists no release of Go %s", goversion.SupportedText())
}

// parseStable parses go1.24.1 (not go1.21rc2, not go1.20).
func parseStable(v string) (goversion.Release, bool) {
	parts := strings.Split(strings.TrimPrefix(v, "go"), ".")
	if len(parts) != 3 {
		return goversion.Release{}, false
	}
	var n [3]int
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil || strconv.Itoa(x) != p {
			return goversion.Release{}, false
		}
		n[i] = x
	}
	return goversion.Release{Major: n[0], Minor: n[1], Patch: n[2]}, true
}

// compareGo orders go1.21rc2 < go1.21.0 < go1.21.1 < go1.22rc1.
func compareGo(a, b string) int {
	ka, kb := goKey(a), goKey(b)
	for i := range ka {
		if ka[i] != kb[i] {
			if ka[i] < kb[i] {
				return -1
			}
			return 1
		}
	}
	return strings.Compare(a, b)
}

// goKey is major, minor, kind (0 beta, 1 rc, 2 release), number.
func goKey(v string) [4]int {
	v = strings.TrimPrefix(v, "go")
	var k [4]int
	kind, num := 2, 0
	for _, pre := range []struct {
		s string
		k int
	}{{"beta", 0}, {"rc", 1}} {
		if i := strings.Index(v, pre.s); i >= 0 {
			num, _ = strconv.Atoi(v[i+len(pre.s):])
			v, kind = v[:i], pre.k
		}
	}
	parts := strings.Split(v, ".")
	for i := 0; i < len(parts) && i < 3; i++ {
		x, _ := strconv.Atoi(parts[i])
		if i < 2 {
			k[i] = x
		} else {
			num = x
		}
	}
	k[2], k[3] = kind, num
	return k
}
