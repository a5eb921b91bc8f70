package explain

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/envgen/envgen/internal/testtool"
)

// goroots: the installed GOROOT and the toolchains of the module cache
// (golang.org/toolchain@v0.0.1-goX.Y.Z.GOOS-GOARCH), by Go version.
func goroots(t *testing.T) map[string]string {
	roots := map[string]string{}
	add := func(dir string) {
		b, err := os.ReadFile(filepath.Join(dir, "VERSION"))
		if err != nil {
			return
		}
		v := strings.TrimPrefix(strings.SplitN(string(b), "\n", 2)[0], "go")
		if _, err := os.Stat(filepath.Join(dir, "src", "cmd", "go")); err == nil {
			roots[v] = dir
		}
	}
	if out, err := exec.CommandContext(t.Context(), "go", "env", "GOROOT", "GOMODCACHE").Output(); err == nil {
		f := strings.Fields(string(out))
		add(f[0])
		if len(f) > 1 {
			ms, _ := filepath.Glob(filepath.Join(f[1], "golang.org", "toolchain@v0.0.1-go*"))
			for _, m := range ms {
				add(m)
			}
		}
	}
	if len(roots) == 0 {
		testtool.Missing(t, "no Go source to read (GOROOT/src or a golang.org/toolchain module in the cache)")
	}
	return roots
}

// cmpVersion compares Go versions "1.21", "1.21.13": a missing patch
// counts as 0 at the low end of a range; inRange handles the high end.
func cmpVersion(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < 3; i++ {
		x, y := 0, 0
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

// inRange: "1.21-1.26" holds 1.21.0 to every 1.26.x; "1.21.13-1.21,
// 1.23-1.26" holds 1.21.13 and later 1.21 releases, and 1.23.0 to 1.26.x.
func inRange(v, r string) bool {
	for _, part := range strings.Split(r, ", ") {
		if inOneRange(v, part) {
			return true
		}
	}
	return false
}

func inOneRange(v, r string) bool {
	lo, hi, ok := strings.Cut(r, "-")
	if !ok {
		hi = lo
	}
	if cmpVersion(v, lo) < 0 {
		return false
	}
	if strings.Count(hi, ".") == 1 {
		hi += ".999"
	}
	return cmpVersion(v, hi) <= 0
}

// Each row's Literal is in its Source files in every Go version the row
// says prints it, among the Go sources on this machine (the installed
// GOROOT, and toolchains in the module cache: GOTOOLCHAIN=go1.21.13 go
// env GOROOT adds one).
func TestTableLiteralsAreInTheSource(t *testing.T) {
	roots := goroots(t)
	var vs []string
	for v := range roots {
		vs = append(vs, v)
	}
	t.Logf("Go sources: %v", vs)
	checked := 0
	for _, p := range Table {
		if p.Literal == "" {
			continue
		}
		for v, root := range roots {
			if !inRange(v, p.Go) {
				continue
			}
			found := false
			for _, src := range strings.Split(p.Source, ", ") {
				b, err := os.ReadFile(filepath.Join(root, "src", filepath.FromSlash(src)))
				if err == nil && strings.Contains(string(b), p.Literal) {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("row %s: %q is in none of %s in Go %s", p.ID, p.Literal, p.Source, v)
			}
			checked++
		}
	}
	t.Logf("%d row and version pairs checked", checked)
}
