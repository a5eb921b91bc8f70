package goenv

import (
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strings"
)

// ProxyEntry is one element of the GOPROXY list.
type ProxyEntry struct {
	URL    string // "" for direct/off
	Direct bool
	Off    bool
	// FallbackOnAnyError: the separator after this entry was '|' (any
	// error falls through); after ',' only 404 and 410 fall through.
	FallbackOnAnyError bool
}

func (p ProxyEntry) String() string {
	switch {
	case p.Direct:
		return "direct"
	case p.Off:
		return "off"
	}
	return p.URL
}

// ParseProxy parses GOPROXY as cmd/go/internal/modfetch's proxyList does:
// entries separated by ',' or '|', "off" fails every lookup and ends the
// list, "direct" ends the list, a bare host gets "https://".
func ParseProxy(s string) ([]ProxyEntry, error) {
	var list []ProxyEntry
	rest := s
	for rest != "" {
		var entry string
		fallback := false
		if i := strings.IndexAny(rest, ",|"); i >= 0 {
			entry, fallback, rest = rest[:i], rest[i] == '|', rest[i+1:]
		} else {
			entry, rest = rest, ""
		}
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		if entry == "off" {
			list = append(list, ProxyEntry{Off: true})
			break
		}
		if entry == "direct" {
			list = append(list, ProxyEntry{Direct: true})
			// The go command ignores what follows "direct".
			break
		}
		if strings.ContainsAny(entry, ".:/") && !strings.Contains(entry, ":/") && !filepath.IsAbs(entry) && !path.IsAbs(entry) {
			entry = "https://" + entry
		}
		u, err := url.Parse(entry)
		if err != nil {
			return nil, fmt.Errorf("invalid GOPROXY entry %q: %w", entry, err)
		}
		switch u.Scheme {
		case "http", "https", "file":
		case "":
			return nil, fmt.Errorf("invalid GOPROXY entry %q: no scheme (want https://, http:// or file://)", entry)
		default:
			return nil, fmt.Errorf("invalid GOPROXY entry %q: unsupported scheme %s", entry, u.Scheme)
		}
		list = append(list, ProxyEntry{URL: entry, FallbackOnAnyError: fallback})
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("GOPROXY %q contains no entries", s)
	}
	return list, nil
}
