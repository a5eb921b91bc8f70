package e2e

import (
	"debug/elf"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/envgen/envgen/internal/dist/debinfo"
)

// TestPackage renders a staging service, runs its `make package` (which
// builds the service and calls envgen package), and checks the .deb as
// dpkg sees it: control fields, files and modes, conffiles, maintainer
// scripts, the unit (systemd-analyze verify where installed) and a static
// binary.
func TestPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: building the service needs the Go module proxy")
	}
	requireTool(t, "dpkg-deb", "apt-get install dpkg")
	makeBin := requireTool(t, "make", "apt-get install make")
	dir := renderProject(t, "staging")
	arch := runtime.GOARCH
	run(t, dir, makeBin, "package", "ENVGEN="+envgen(t), "PKG_ARCH="+arch, "PKG_VERSION=1.4.0")

	deb := filepath.Join(dir, "bin", testName+"_1.4.0_"+arch+".deb")
	d, err := debinfo.Read(t.Context(), deb, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"Package": testName, "Version": "1.4.0", "Architecture": arch, "Depends": "ca-certificates"} {
		if d.Fields[k] != want {
			t.Errorf("%s: %q, want %q\n%s", k, d.Fields[k], want, d.Info)
		}
	}
	if !strings.Contains(d.Fields["Maintainer"], "@") {
		t.Errorf("Maintainer %q", d.Fields["Maintainer"])
	}
	check := debinfo.CheckService(t.Context(), d, testName, "staging")
	for _, p := range check.Problems {
		t.Error(p)
	}
	// Every file of config/ is a conffile under /etc/demo.
	configs, _ := filepath.Glob(filepath.Join(dir, "config", "*.yaml"))
	for _, c := range configs {
		want, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(d.Root, "etc", testName, filepath.Base(c)))
		if err != nil || string(got) != string(want) {
			t.Errorf("/etc/%s/%s differs from config/%s (%v)", testName, filepath.Base(c), filepath.Base(c), err)
		}
	}
	// Static: no ELF interpreter, so it runs on any Linux of that arch.
	f, err := elf.Open(filepath.Join(d.Root, "usr", "bin", testName))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the packaged binary is dynamically linked")
		}
	}
	if !check.UnitVerified {
		requireTool(t, "systemd-analyze", "apt-get install systemd") // fails on CI, skips elsewhere
	}
}
