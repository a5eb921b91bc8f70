package dist

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestEveryFormatBuilds builds each format for each architecture from a
// small spec; dpkg-deb checks the .deb, the others must be well-named and
// non-empty (no rpm or apk tool is assumed).
func TestEveryFormatBuilds(t *testing.T) {
	tmp := t.TempDir()
	for _, arch := range Archs {
		spec := Spec{Name: "hello", Version: "v0.3.0", Arch: arch, Maintainer: "A <a@example.com>", Description: "hello",
			License: "MIT", MTime: time.Unix(1_700_000_000, 0),
			Files:   []File{{Dst: "/usr/bin/hello", Content: []byte("#!/bin/sh\necho hi\n"), Mode: 0o755}, {Dst: "/etc/hello/x.yaml", Content: []byte("a: 1\n"), Mode: 0o644, Config: true}},
			Scripts: Scripts{PreInstall: "#!/bin/sh\ntrue\n"}}
		want := map[string]*regexp.Regexp{
			"deb": regexp.MustCompile(`^hello_0\.3\.0_` + arch + `\.deb$`),
			"rpm": regexp.MustCompile(`^hello-0\.3\.0-1\.(x86_64|aarch64)\.rpm$`),
			"apk": regexp.MustCompile(`^hello_0\.3\.0_(x86_64|aarch64)\.apk$`),
		}
		for _, format := range Formats {
			p, err := Build(spec, format, tmp, tmp)
			if err != nil {
				t.Fatalf("%s/%s: %v", format, arch, err)
			}
			if !want[format].MatchString(filepath.Base(p)) {
				t.Errorf("%s/%s: file name %s", format, arch, filepath.Base(p))
			}
			if st, err := os.Stat(p); err != nil || st.Size() < 200 {
				t.Errorf("%s/%s: %v, %v", format, arch, st, err)
			}
		}
	}
	if _, err := Build(Spec{Name: "x", Version: "1", Arch: "amd64"}, "msi", tmp, tmp); err == nil || !strings.Contains(err.Error(), "deb, rpm, apk") {
		t.Errorf("unknown format: %v", err)
	}
	if _, err := Build(Spec{Name: "x", Version: "1", Arch: "386"}, "deb", tmp, tmp); err == nil || !strings.Contains(err.Error(), "amd64, arm64") {
		t.Errorf("unknown arch: %v", err)
	}
}
