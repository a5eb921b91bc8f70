package doctor

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// localGo is the go command on PATH, asked once per run.
type localGo struct {
	Path    string
	Version string // "go1.26.8"
	Err     error
}

// goBinary finds the go command and asks its version. GOTOOLCHAIN=local
// keeps `go version` from switching (and downloading) while we look.
func (m *machine) goBinary(ctx context.Context) localGo {
	m.goOnce.Do(func() {
		p, err := m.cfg.LookPath("go")
		if err != nil {
			m.goInfo = localGo{Err: err}
			return
		}
		out, err := m.cfg.Exec(ctx, []string{"GOTOOLCHAIN=local"}, p, "version")
		m.goInfo = localGo{Path: p}
		if err != nil {
			m.goInfo.Err = fmt.Errorf("%s version: %w: %s", p, err, strings.TrimSpace(string(out)))
			return
		}
		// "go version go1.26.8 linux/amd64"
		f := strings.Fields(string(out))
		if len(f) < 3 || f[0] != "go" || f[1] != "version" {
			m.goInfo.Err = fmt.Errorf("%s version printed %q", p, strings.TrimSpace(string(out)))
			return
		}
		m.goInfo.Version = f[2]
	})
	return m.goInfo
}

// goRelease is a parsed "go1.26.8" (or "go1.21rc2": pre-releases sort
// before the release).
type goRelease struct {
	nums [3]int
	pre  string
}

func parseGoRelease(s string) (goRelease, bool) {
	v, ok := strings.CutPrefix(s, "go")
	if !ok {
		return goRelease{}, false
	}
	var r goRelease
	for _, tag := range []string{"rc", "beta"} {
		if i := strings.Index(v, tag); i >= 0 {
			v, r.pre = v[:i], v[i:]
			break
		}
	}
	parts := strings.Split(v, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return goRelease{}, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return goRelease{}, false
		}
		r.nums[i] = n
	}
	return r, true
}

// compareGo compares two toolchain names such as go1.26.8; unparsable
// names compare as strings.
func compareGo(a, b string) int {
	ra, oka := parseGoRelease(a)
	rb, okb := parseGoRelease(b)
	if !oka || !okb {
		return strings.Compare(a, b)
	}
	for i := range ra.nums {
		if ra.nums[i] != rb.nums[i] {
			if ra.nums[i] < rb.nums[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case ra.pre == rb.pre:
		return 0
	case ra.pre == "":
		return 1
	case rb.pre == "":
		return -1
	}
	return strings.Compare(ra.pre, rb.pre)
}
