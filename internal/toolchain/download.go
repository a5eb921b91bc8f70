package toolchain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// Event is one progress report: a download's bytes so far and total
// (0 when unknown), or a phase change ("lookup", "download", "verify",
// "extract", "done").
type Event struct {
	Phase  string `json:"phase"`
	Source string `json:"source,omitempty"`
	Done   int64  `json:"done,omitempty"`
	Total  int64  `json:"total,omitempty"`
	Retry  int    `json:"retry,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Downloader fetches big files with retries and HTTP Range resumption.
type Downloader struct {
	Client *http.Client
	// Attempts is how many times a transfer is tried without progress
	// before giving up (default 4); an attempt that made progress does not
	// count.
	Attempts int
	// Backoff is the first wait between attempts, doubled each time
	// (default 500ms).
	Backoff  time.Duration
	Progress func(Event)
}

func (d *Downloader) report(e Event) {
	if d.Progress != nil {
		d.Progress(e)
	}
}

// Fetch downloads url into partial, resuming from what partial already
// holds. Client errors (4xx) are final; network errors, cut transfers and
// 5xx answers are retried with backoff.
func (d *Downloader) Fetch(ctx context.Context, url, partial, source string) error {
	attempts := d.Attempts
	if attempts <= 0 {
		attempts = 4
	}
	backoff := d.Backoff
	if backoff <= 0 {
		backoff = 500 * time.Millisecond
	}
	failures := 0
	for {
		progressed, err := d.fetchOnce(ctx, url, partial, source)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("download: %w", ctx.Err())
		}
		var he *HTTPError
		if errors.As(err, &he) && he.StatusCode < 500 {
			return err
		}
		if progressed {
			failures = 0
		}
		failures++
		if failures >= attempts {
			return fmt.Errorf("%w (gave up after %d attempts)", err, failures)
		}
		d.report(Event{Phase: "retry", Source: source, Retry: failures, Error: err.Error()})
		wait := backoff << (failures - 1)
		select {
		case <-ctx.Done():
			return fmt.Errorf("download: %w", ctx.Err())
		case <-time.After(wait):
		}
	}
}

// fetchOnce makes one request, appending to partial when the server
// honours the Range; it reports whether any byte arrived.
func (d *Downloader) fetchOnce(ctx context.Context, url, partial, source string) (progressed bool, err error) {
	f, err := os.OpenFile(partial, os.O_RDWR|os.O_CREATE, 0o644) //nolint:gosec // G302, G304: the partial download in the module cache, 0644 as go's own files there
	if err != nil {
		return false, fmt.Errorf("partial download: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	have, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return false, fmt.Errorf("partial download: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false, fmt.Errorf("download: %w", err)
	}
	if have > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(have, 10)+"-")
	}
	resp, err := d.Client.Do(req)
	if err != nil {
		return false, err //nolint:wrapcheck // http.Client's *url.Error already names the method and the URL
	}
	defer resp.Body.Close() //nolint:errcheck // read to the end or abandoned on error: a failed close loses nothing
	var total int64
	switch resp.StatusCode {
	case http.StatusOK:
		if have > 0 { // the server ignored the Range: start over
			if err := f.Truncate(0); err != nil {
				return false, fmt.Errorf("partial download: %w", err)
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return false, fmt.Errorf("partial download: %w", err)
			}
			have = 0
		}
		total = resp.ContentLength
	case http.StatusPartialContent:
		start, size, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || start != have {
			_ = f.Truncate(0)
			return false, fmt.Errorf("%s: unexpected Content-Range %q for a resume at %d", url, resp.Header.Get("Content-Range"), have)
		}
		total = size
	case http.StatusRequestedRangeNotSatisfiable:
		if _, size, ok := parseContentRange(resp.Header.Get("Content-Range")); ok && size == have {
			return false, nil // already complete
		}
		_ = f.Truncate(0)
		return false, fmt.Errorf("%s: %s for a resume at %d", url, resp.Status, have)
	default:
		return false, &HTTPError{URL: url, StatusCode: resp.StatusCode, Status: resp.Status}
	}
	if total < 0 {
		total = 0
	}
	d.report(Event{Phase: "download", Source: source, Done: have, Total: total})
	pw := &progressWriter{w: f, done: have, total: total, source: source, d: d}
	n, err := io.CopyBuffer(pw, resp.Body, make([]byte, 256<<10))
	pw.flush()
	if err != nil {
		return n > 0, fmt.Errorf("%s: transfer cut after %d bytes: %w", url, have+n, err)
	}
	if total > 0 && have+n != total {
		return n > 0, fmt.Errorf("%s: transfer ended at %d of %d bytes", url, have+n, total)
	}
	return n > 0, nil
}

// parseContentRange reads "bytes START-END/SIZE" or "bytes */SIZE".
func parseContentRange(s string) (start, size int64, ok bool) {
	rest, ok := strings.CutPrefix(s, "bytes ")
	if !ok {
		return 0, 0, false
	}
	rng, sz, ok := strings.Cut(rest, "/")
	if !ok {
		return 0, 0, false
	}
	size, err := strconv.ParseInt(sz, 10, 64)
	if err != nil {
		return 0, 0, false
	}
	if rng == "*" {
		return -1, size, true
	}
	a, _, ok := strings.Cut(rng, "-")
	if !ok {
		return 0, 0, false
	}
	start, err = strconv.ParseInt(a, 10, 64)
	return start, size, err == nil
}

// progressWriter reports progress at most every 1 MiB.
type progressWriter struct {
	w           io.Writer
	done, total int64
	last        int64
	source      string
	d           *Downloader
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.done += int64(n)
	if p.done-p.last >= 1<<20 {
		p.flush()
	}
	return n, err //nolint:wrapcheck // an io.Writer passes its writer's error through
}

func (p *progressWriter) flush() {
	if p.done != p.last {
		p.last = p.done
		p.d.report(Event{Phase: "download", Source: p.source, Done: p.done, Total: p.total})
	}
}

// removeIfExists removes name, ignoring a missing file.
func removeIfExists(name string) error {
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove: %w", err)
	}
	return nil
}
