package toolchain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"golang.org/x/mod/module"

	"github.com/envgen/envgen/internal/goenv"
)

// HTTPError is a non-200 answer from a proxy or database.
type HTTPError struct {
	URL        string
	StatusCode int
	Status     string
}

func (e *HTTPError) Error() string { return e.URL + ": " + e.Status }

// Is makes 404 and 410 count as fs.ErrNotExist, the only answers after
// which a ',' in GOPROXY moves on to the next entry.
func (e *HTTPError) Is(target error) bool {
	return target == fs.ErrNotExist && (e.StatusCode == http.StatusNotFound || e.StatusCode == http.StatusGone)
}

// errProxyOff is GOPROXY=off: every lookup fails, as not found.
var errProxyOff = fmt.Errorf("module lookup disabled by GOPROXY=off: %w", fs.ErrNotExist)

// Proxies is the GOPROXY list with the go command's semantics.
type Proxies struct {
	Entries []goenv.ProxyEntry
	Client  *http.Client
}

// NewProxies uses the environment's GOPROXY list and client.
func NewProxies(env *goenv.Env, client *http.Client) *Proxies {
	return &Proxies{Entries: env.Proxy, Client: client}
}

// Source is one place to fetch from: a proxy URL, or direct (the official
// download server for toolchains).
type Source struct {
	URL    string
	Direct bool
}

func (s Source) String() string {
	if s.Direct {
		return "direct (" + s.URL + ")"
	}
	return s.URL
}

// Try calls f for each entry in turn, as cmd/go's TryProxies does: stop at
// the first success; after ',' move on only when f's error is not-found
// (404, 410), after '|' on any error; "off" fails; "direct" is the official
// download server and ends the list. The error returned is the most useful
// one: direct's, else a proxy's real failure, else not-found.
func (p *Proxies) Try(f func(Source) error) error {
	if len(p.Entries) == 0 {
		return errors.New("GOPROXY list is empty")
	}
	var best error
	bestRank := 0 // 0 not-found, 1 proxy error, 2 direct error
	for _, e := range p.Entries {
		var err error
		switch {
		case e.Off:
			err = errProxyOff
		case e.Direct:
			err = f(Source{URL: DirectURL, Direct: true})
			if err != nil {
				err = &directError{err}
			}
		default:
			err = f(Source{URL: strings.TrimSuffix(e.URL, "/")})
		}
		if err == nil {
			return nil
		}
		notExist := errors.Is(err, fs.ErrNotExist)
		switch {
		case e.Direct:
			best, bestRank = err, 2
		case bestRank <= 1 && !notExist:
			best, bestRank = err, 1
		case bestRank == 0:
			best = err
		}
		if _, stop := errors.AsType[*SecurityError](err); stop {
			return err // a lying source is never a reason to ask another one
		}
		if !e.FallbackOnAnyError && !notExist {
			break
		}
	}
	return best
}

// directError says that "direct" means the official download server for
// toolchains, which may not be reachable from every network.
type directError struct{ err error }

func (e *directError) Error() string {
	return "direct: the official download server " + DirectURL + ": " + e.err.Error()
}
func (e *directError) Unwrap() error { return e.err }
func (e *directError) Hint() string {
	return "GOPROXY's 'direct' means the official download server for toolchains, which may be unreachable from this network; put a reachable module proxy before it in GOPROXY"
}

// get fetches url into memory (small files: lists, .info, checksum
// database tiles).
func get(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err //nolint:wrapcheck // http.Client's *url.Error already names the method and the URL
	}
	defer resp.Body.Close() //nolint:errcheck // read into memory below: a failed close loses nothing
	if resp.StatusCode != http.StatusOK {
		return nil, &HTTPError{URL: url, StatusCode: resp.StatusCode, Status: resp.Status}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	return data, nil
}

// modURL is <source>/<escaped path>/@v/<escaped version>.<ext>.
func modURL(s Source, m module.Version, ext string) (string, error) {
	ep, err := module.EscapePath(m.Path)
	if err != nil {
		return "", fmt.Errorf("proxy URL: %w", err)
	}
	if ext == "list" {
		return s.URL + "/" + ep + "/@v/list", nil
	}
	ev, err := module.EscapeVersion(m.Version)
	if err != nil {
		return "", fmt.Errorf("proxy URL: %w", err)
	}
	return s.URL + "/" + ep + "/@v/" + ev + "." + ext, nil
}

// NewHTTPClient is the client envgen uses: file:// URLs work as in GOPROXY
// and GOSUMDB; no overall timeout (an 83 MB download may be slow), but
// every request carries a context.
func NewHTTPClient() *http.Client {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok { // replaced by someone else: start from net/http's proxy settings
		base = &http.Transport{Proxy: http.ProxyFromEnvironment}
	}
	t := base.Clone()
	t.ResponseHeaderTimeout = time.Minute
	t.RegisterProtocol("file", http.NewFileTransport(http.Dir("/"))) //nolint:gosec // G111: file:// in GOPROXY and GOSUMDB names any local path, as with the go command
	return &http.Client{Transport: t}                                //nolint:gocritic // ruleguard: no overall Timeout on purpose (see above); every request carries a context, and ResponseHeaderTimeout bounds a silent server
}
