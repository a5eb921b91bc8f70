package toolchain

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/envgen/envgen/internal/goversion"
)

// --go latest, hermetically: a fake proxy lists releases, a fake checksum
// database proves some of them.
func TestLatestProven(t *testing.T) {
	newestMinor := goversion.Supported[len(goversion.Supported)-1]
	known, _ := goversion.NewestKnown(newestMinor)
	patch := func(n int) goversion.Release {
		return goversion.Release{Major: known.Major, Minor: known.Minor, Patch: known.Patch + n}
	}
	unsupported := goversion.Release{Major: known.Major, Minor: known.Minor + 1, Patch: 0}
	linux := Platform{"linux", "amd64"}

	t.Run("newest listed and proven", func(t *testing.T) {
		fw := newFakeWorld(t)
		proven, notInDB := patch(2), patch(5)
		for _, r := range []goversion.Release{proven, notInDB, unsupported} {
			fw.zips[Module(r, linux).Version] = nil
		}
		fw.zips[Module(patch(7), Platform{"darwin", "arm64"}).Version] = nil // not a linux/amd64 release
		fw.sums[Module(proven, linux).Version] = "h1:proven="
		fw.hook = func(w http.ResponseWriter, r *http.Request) bool {
			if strings.HasSuffix(r.URL.Path, "/lookup/"+ModulePath+"@"+Module(notInDB, linux).Version) {
				http.NotFound(w, r)
				return true
			}
			return false
		}
		p, err := fw.manager(t, fw.env(t, "")).LatestProven()
		if err != nil {
			t.Fatal(err)
		}
		if p.Release != proven || !p.Listed || p.Newer != unsupported.Toolchain() || len(p.Skipped) != 1 || p.Skipped[0] != notInDB.Toolchain()+" linux-amd64" {
			t.Fatalf("LatestProven = %+v, want %s (listed), %s skipped, %s newer", p, proven, notInDB, unsupported)
		}
		note := p.Note()
		for _, want := range []string{"latest is " + proven.Toolchain(), "that " + fw.srv.URL + " lists", "proven by the checksum database sum.example.test", "skipped " + notInDB.Toolchain(), "also lists " + unsupported.Toolchain()} {
			if !strings.Contains(note, want) {
				t.Errorf("note %q lacks %q", note, want)
			}
		}
	})

	t.Run("proxy lists nothing newer than envgen knows", func(t *testing.T) {
		fw := newFakeWorld(t) // lists go1.24.1 only
		fw.sums[Module(known, linux).Version] = "h1:known="
		p, err := fw.manager(t, fw.env(t, "")).LatestProven()
		if err != nil {
			t.Fatal(err)
		}
		if p.Release != known || p.Listed {
			t.Fatalf("LatestProven = %+v, want %s from envgen's list", p, known)
		}
		if !strings.Contains(p.Note(), "in envgen's release list") {
			t.Errorf("note %q", p.Note())
		}
	})

	t.Run("every pinned platform must be proven", func(t *testing.T) {
		fw := newFakeWorld(t)
		partial, whole := patch(3), patch(1)
		for _, p := range PinnedPlatforms {
			fw.zips[Module(partial, p).Version] = nil
			fw.zips[Module(whole, p).Version] = nil
			fw.sums[Module(whole, p).Version] = "h1:whole="
			if p.GOOS != "windows" {
				fw.sums[Module(partial, p).Version] = "h1:partial="
			}
		}
		fw.hook = func(w http.ResponseWriter, r *http.Request) bool {
			if strings.HasSuffix(r.URL.Path, "/lookup/"+ModulePath+"@"+Module(partial, Platform{"windows", "amd64"}).Version) {
				http.NotFound(w, r)
				return true
			}
			return false
		}
		m := fw.manager(t, fw.env(t, ""))
		if p, err := m.LatestProven(); err != nil || p.Release != partial {
			t.Fatalf("LatestProven() = %+v, %v; want %s (linux/amd64 is proven)", p, err, partial)
		}
		p, err := m.LatestProven(PinnedPlatforms...)
		if err != nil || p.Release != whole || len(p.Skipped) != 1 || p.Skipped[0] != partial.Toolchain()+" windows-amd64" {
			t.Fatalf("LatestProven(PinnedPlatforms) = %+v, %v; want %s, %s windows-amd64 skipped", p, err, whole, partial)
		}
	})

	t.Run("database unreachable", func(t *testing.T) {
		fw := newFakeWorld(t)
		fw.hook = func(w http.ResponseWriter, r *http.Request) bool {
			if strings.Contains(r.URL.Path, "/lookup/") {
				http.Error(w, "down", http.StatusBadGateway)
				return true
			}
			return false
		}
		if p, err := fw.manager(t, fw.env(t, "")).LatestProven(); err == nil {
			t.Fatalf("LatestProven = %+v with the database down, want an error", p)
		}
	})
}

func TestNotFound(t *testing.T) {
	for msg, want := range map[string]bool{
		"golang.org/toolchain@v0.0.1-go1.26.99.linux-amd64: https://sum.golang.org/lookup/...: 404 Not Found": true,
		"410 Gone":                           true,
		"dial tcp: lookup sum.golang.org":    false,
		"context deadline exceeded":          false,
		"checksum database: 502 Bad Gateway": false,
	} {
		if got := NotFound(fmt.Errorf("%s", msg)); got != want {
			t.Errorf("NotFound(%q) = %v, want %v", msg, got, want)
		}
	}
}
