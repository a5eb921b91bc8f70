// Package toolchain pins, downloads, installs and verifies Go toolchains.
// Every toolchain is the module golang.org/toolchain@v0.0.1-goX.Y.Z.GOOS-GOARCH
// on a Go module proxy, and every byte is proved against the checksum
// database (its signed tree head and inclusion proof), the way the go
// command checks toolchains it switches to, plus what the go command lacks:
// a proxy fallback list that is honoured for toolchains, resume, retries,
// progress, tarballs from any mirror and verification of installed GOROOTs.
package toolchain

import (
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/mod/module"

	"github.com/envgen/envgen/internal/goversion"
)

// ModulePath is the module every Go toolchain is published as.
const ModulePath = "golang.org/toolchain"

// DirectURL is where "direct" in GOPROXY leads for toolchains: the
// golang.org/toolchain module's origin, the official download server
// (golang.org/toolchain's go-import meta tag names it as a module proxy).
var DirectURL = "https://go.dev/dl/mod"

// Platform is a GOOS-GOARCH pair as the toolchain versions spell it.
type Platform struct{ GOOS, GOARCH string }

func (p Platform) String() string { return p.GOOS + "-" + p.GOARCH }

// Host is the platform envgen runs on.
func Host() Platform { return Platform{runtime.GOOS, runtime.GOARCH} }

// PinnedPlatforms are the platforms whose hashes pin records in envgen.lock.
var PinnedPlatforms = []Platform{
	{"linux", "amd64"}, {"linux", "arm64"},
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"windows", "amd64"},
}

// ParsePlatform accepts "linux-amd64" or "linux/amd64".
func ParsePlatform(s string) (Platform, error) {
	goos, goarch, ok := strings.Cut(strings.ReplaceAll(s, "/", "-"), "-")
	if !ok || goos == "" || goarch == "" || strings.Contains(goarch, "-") {
		return Platform{}, fmt.Errorf("%q is not a platform such as linux-amd64", s)
	}
	return Platform{goos, goarch}, nil
}

// Module is the module version of release r for platform p:
// golang.org/toolchain@v0.0.1-go1.24.1.linux-amd64.
func Module(r goversion.Release, p Platform) module.Version {
	return module.Version{Path: ModulePath, Version: "v0.0.1-" + r.Toolchain() + "." + p.String()}
}

// ZipPrefix is the folder every file of the module zip sits in.
func ZipPrefix(m module.Version) string { return m.Path + "@" + m.Version + "/" }

// ParseModuleVersion splits v0.0.1-go1.24.1.linux-amd64 into the Go
// version ("go1.24.1", possibly a release candidate) and the platform.
func ParseModuleVersion(v string) (goVersion string, p Platform, ok bool) {
	rest, ok := strings.CutPrefix(v, "v0.0.1-go")
	if !ok {
		return "", Platform{}, false
	}
	i := strings.LastIndex(rest, ".")
	if i < 0 {
		return "", Platform{}, false
	}
	p, err := ParsePlatform(rest[i+1:])
	if err != nil {
		return "", Platform{}, false
	}
	return "go" + rest[:i], p, true
}
