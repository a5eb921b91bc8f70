package doctor

import (
	"context"
	"fmt"
	"strings"

	"github.com/envgen/envgen/internal/goversion"
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

// compareGo compares two toolchain names such as go1.26.8 (see
// goversion.Compare).
func compareGo(a, b string) int { return goversion.Compare(a, b) }
