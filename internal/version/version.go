// Package version holds envgen's build identity, stamped in by the linker:
//
//	go build -ldflags "-X github.com/envgen/envgen/internal/version.Version=v0.1.0 ..."
package version

import (
	"runtime"
	"runtime/debug"
)

// Set by -ldflags -X at release time; the defaults describe a source build.
var (
	Version = "0.1.0-dev"
	Commit  = ""
	Date    = ""
)

// Info is envgen's build identity.
type Info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit,omitempty"`
	Date      string `json:"date,omitempty"`
	GoVersion string `json:"go"`
}

// Get returns the build identity, filling the commit from the Go build
// information when the linker did not stamp one.
func Get() Info {
	info := Info{Version: Version, Commit: Commit, Date: Date, GoVersion: runtime.Version()}
	if info.Commit == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					info.Commit = s.Value
				case "vcs.time":
					if info.Date == "" {
						info.Date = s.Value
					}
				}
			}
		}
	}
	return info
}
