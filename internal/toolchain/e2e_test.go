package toolchain

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/envgen/envgen/internal/goenv"
	"github.com/envgen/envgen/internal/goversion"
)

// go1.24.1 linux-amd64 as the real checksum database records it.
const realGo1241LinuxAMD64 = "h1:+AbJFFR/Yl0P7OUo47KYyCkJGQwVW2QsKjfJalHZRnM="

// TestEndToEnd talks to the real Go module proxy and checksum database
// (about 83 MB). It runs in CI; -short skips it.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: downloads go1.24.1 from the Go module proxy")
	}
	work := t.TempDir()
	getenv := func(k string) string {
		switch k {
		case "GOPATH":
			return work
		case "GOMODCACHE":
			return filepath.Join(work, "pkg", "mod")
		case "GOENV":
			return "off"
		}
		return os.Getenv(k)
	}
	env, err := goenv.Load(getenv, "")
	if err != nil {
		t.Fatal(err)
	}
	m := NewManager(context.Background(), env, NewHTTPClient(), work, nil)
	r := goversion.Release{Major: 1, Minor: 24, Patch: 1}
	mod := Module(r, Platform{"linux", "amd64"})

	t.Run("verify real go1.24.1 linux-amd64 zip", func(t *testing.T) {
		unlock, err := m.lockVersion(mod)
		if err != nil {
			t.Fatal(err)
		}
		f, err := m.FetchZip(mod, realGo1241LinuxAMD64)
		unlock()
		if err != nil {
			t.Fatal(err)
		}
		v, err := m.Verify(VerifyOptions{Path: f.Zip})
		if err != nil {
			t.Fatal(err)
		}
		if !v.OK || v.H1 != realGo1241LinuxAMD64 || v.SumDB != realGo1241LinuxAMD64 {
			t.Fatalf("Verify = %+v", v)
		}
	})

	t.Run("install then GOTOOLCHAIN=go1.24.1 GOPROXY=off go version", func(t *testing.T) {
		if Host() != (Platform{"linux", "amd64"}) {
			t.Skip("runs go1.24.1 linux-amd64")
		}
		dir := filepath.Join(work, "sdk", "go1.24.1")
		if _, err := m.Install(InstallOptions{Release: r, Platform: Host(), Dir: dir}); err != nil {
			t.Fatal(err)
		}
		out, err := exec.CommandContext(t.Context(), filepath.Join(dir, "bin", "go"), "version").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "go1.24.1") {
			t.Fatalf("installed go version: %s %v", out, err)
		}
		cmd := exec.CommandContext(t.Context(), "go", "version")
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN=go1.24.1", "GOPROXY=off", "GOENV=off",
			"GOPATH="+work, "GOMODCACHE="+env.ModCache, "GOFLAGS=-modcacherw")
		out, err = cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "go version go1.24.1 ") {
			t.Fatalf("GOTOOLCHAIN=go1.24.1 GOPROXY=off go version: %s %v", out, err)
		}
	})

	t.Run("bundle against the real database, then verify and install with no network", func(t *testing.T) {
		out := filepath.Join(work, "go1.24.1.bundle")
		res, err := m.Bundle(BundleOptions{Release: r, Platforms: []Platform{{"linux", "amd64"}}, Output: out})
		if err != nil {
			t.Fatal(err)
		}
		if res.Database != "sum.golang.org" || len(res.Entries) != 1 || res.Entries[0].H1 != realGo1241LinuxAMD64 {
			t.Fatalf("bundle = %+v", res)
		}
		// Every platform: those the proxy or its database lack are skipped.
		all, err := m.Bundle(BundleOptions{Release: r, AllPlatforms: true, ProofsOnly: true, Output: filepath.Join(work, "all.proofs")})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("all platforms: %d proved, skipped %v", len(all.Entries), all.Skipped)

		air := t.TempDir()
		offEnv, err := goenv.Load(func(k string) string {
			switch k {
			case "GOPATH":
				return air
			case "GOMODCACHE":
				return filepath.Join(air, "pkg", "mod")
			case "GOENV":
				return "off"
			case "GOPROXY", "GOSUMDB":
				return "off"
			}
			return os.Getenv(k)
		}, "")
		if err != nil {
			t.Fatal(err)
		}
		off, nn := offline(t, offEnv)
		key, err := TrustedKey(off.Env, "")
		if err != nil || key != goenv.GoSumDBKey {
			t.Fatalf("trusted key %q, %v", key, err)
		}
		for _, f := range []string{out, filepath.Join(work, "all.proofs")} {
			b, err := OpenBundle(f)
			if err != nil {
				t.Fatal(err)
			}
			pb, err := b.Prove(key, off.Env)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := pb.VerifyZips(); err != nil {
				t.Fatal(err)
			}
			if f == out && Host() == (Platform{"linux", "amd64"}) {
				dir := filepath.Join(air, "sdk", "go1.24.1")
				if _, err := off.Install(InstallOptions{Release: r, Platform: Host(), Dir: dir, Bundle: pb}); err != nil {
					t.Fatal(err)
				}
				if v, err := off.Verify(VerifyOptions{Path: dir, Bundle: pb}); err != nil || !v.OK {
					t.Fatalf("verify the install offline: %+v, %v", v, err)
				}
			}
			_ = b.Close()
		}
		if n := nn.calls.Load(); n != 0 {
			t.Fatalf("%d network calls offline", n)
		}
	})
}
