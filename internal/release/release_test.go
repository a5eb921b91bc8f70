package release

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/envgen/envgen/internal/dist"
	"github.com/envgen/envgen/internal/dist/debinfo"
	"github.com/envgen/envgen/internal/testtool"
)

// testRoot is a small command tree named like envgen's.
func testRoot() *cobra.Command {
	root := &cobra.Command{Use: "envgen", Short: "test root"}
	root.AddCommand(
		&cobra.Command{Use: "testcmd", Short: "a visible command", Run: func(*cobra.Command, []string) {}},
		&cobra.Command{Use: "secret", Hidden: true, Run: func(*cobra.Command, []string) {}},
	)
	root.Flags().String("profile", "", "a flag")
	return root
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func wantFile(t *testing.T, d *debinfo.Deb, path, mode string) {
	t.Helper()
	if p := d.CheckFile(path, mode); p != "" {
		t.Error(p)
	}
}

// TestSelfDeb builds envgen with a stamped version, packages it as a .deb,
// inspects the package with dpkg-deb and runs the binary it installs.
func TestSelfDeb(t *testing.T) {
	if testing.Short() {
		t.Skip("builds envgen (-short)")
	}
	testtool.Require(t, "dpkg-deb", "apt-get install dpkg")
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "envgen")
	const v = "1.2.3-rc.1"
	b := dist.GoBuild{Dir: "../..", Package: "./cmd/envgen", Output: bin, GOOS: "linux", GOARCH: runtime.GOARCH,
		LDFlags: "-X github.com/envgen/envgen/internal/version.Version=" + v + " -X github.com/envgen/envgen/internal/version.Commit=abc123"}
	if err := b.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	date := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	spec, err := SelfSpec(SelfOptions{Binary: bin, Version: v, Arch: runtime.GOARCH, MTime: date, Root: testRoot()})
	if err != nil {
		t.Fatal(err)
	}
	deb, err := dist.Build(spec, "deb", tmp, tmp)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := filepath.Base(deb), "envgen_1.2.3~rc.1_"+runtime.GOARCH+".deb"; got != want {
		t.Errorf("package file %s, want %s", got, want)
	}
	d, err := debinfo.Read(t.Context(), deb, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"Package": "envgen", "Version": "1.2.3~rc.1", "Architecture": runtime.GOARCH} {
		if d.Fields[k] != want {
			t.Errorf("%s: %q, want %q\n%s", k, d.Fields[k], want, d.Info)
		}
	}
	wantFile(t, d, SelfBinary, "-rwxr-xr-x")
	for _, p := range []string{BashCompletionPath, FishCompletionPath, zshDebianCompletion, ManDir + "/envgen.1.gz", ManDir + "/envgen-testcmd.1.gz"} {
		wantFile(t, d, p, "-rw-r--r--")
	}
	if _, ok := d.Files[zshCompletion]; ok {
		t.Errorf("the .deb carries %s too; Debian's zsh reads %s", zshCompletion, zshDebianCompletion)
	}
	root := d.Root
	out := run(t, filepath.Join(root, SelfBinary), "version")
	if !strings.Contains(out, "envgen "+v) || !strings.Contains(out, "abc123") {
		t.Errorf("installed envgen version says:\n%s", out)
	}
	bash, _ := os.ReadFile(filepath.Join(root, BashCompletionPath))
	if !bytes.Contains(bash, []byte("__complete")) {
		t.Errorf("bash completion does not call back envgen:\n%.300s", bash)
	}
	// Same inputs, same bytes: the package is reproducible.
	again := filepath.Join(tmp, "again")
	if err := os.Mkdir(again, 0o755); err != nil {
		t.Fatal(err)
	}
	deb2, err := dist.Build(spec, "deb", again, tmp)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := mustRead(t, deb), mustRead(t, deb2); !bytes.Equal(a, b) {
		t.Error("building the same package twice gave different bytes")
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWriteChecksums(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b", "a"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteChecksums(dir, []string{"b", "a"}); err != nil {
		t.Fatal(err)
	}
	got := string(mustRead(t, filepath.Join(dir, ChecksumsFile)))
	want := "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  a\n" +
		"3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  b\n"
	if got != want {
		t.Errorf("SHA256SUMS =\n%s\nwant\n%s", got, want)
	}
	if sha := requireToolOptional("sha256sum"); sha != "" {
		cmd := exec.CommandContext(t.Context(), sha, "-c", ChecksumsFile)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c: %v\n%s", err, out)
		}
	}
}

func requireToolOptional(name string) string {
	p, _ := exec.LookPath(name)
	return p
}

func TestCompletionAndManPages(t *testing.T) {
	for _, shell := range Shells {
		var b bytes.Buffer
		if err := WriteCompletion(testRoot(), shell, &b, true); err != nil {
			t.Fatalf("%s: %v", shell, err)
		}
		if !strings.Contains(b.String(), "envgen") {
			t.Errorf("%s completion does not mention envgen", shell)
		}
	}
	if err := WriteCompletion(testRoot(), "tcsh", &bytes.Buffer{}, true); err == nil || !strings.Contains(err.Error(), "bash, zsh, fish, powershell") {
		t.Errorf("unknown shell: %v", err)
	}
	date := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	pages, err := ManPages(testRoot(), "1.0.0", date)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := ManPages(testRoot(), "1.0.0", date)
	var names []string
	for i, p := range pages {
		names = append(names, p.Name)
		if !bytes.Equal(p.Gzip, again[i].Gzip) {
			t.Errorf("%s differs between two renders", p.Name)
		}
	}
	if got := strings.Join(names, ","); got != "envgen-testcmd.1.gz,envgen.1.gz" {
		t.Errorf("man pages = %s (hidden commands and help must not get one)", got)
	}
}
