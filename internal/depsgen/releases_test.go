package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/envgen/envgen/internal/goversion"
)

// A list as the proxy serves it: other platforms, release candidates, a
// gap (1.24.12 is not mirrored) and noise.
const proxyList = `v0.0.1-go1.24.11.linux-amd64
v0.0.1-go1.24.13.linux-amd64
v0.0.1-go1.24.14.darwin-arm64
v0.0.1-go1.25.14.linux-amd64
v0.0.1-go1.26.11.linux-amd64
v0.0.1-go1.26.12.linux-amd64
v0.0.1-go1.27.4.linux-amd64
v0.0.1-go1.28rc1.linux-amd64
v0.0.1-go1.22.3.linux-amd64
not-a-version
v0.0.1-go1.27.5.windows-amd64
`

func releases(t *testing.T, texts ...string) []goversion.Release {
	t.Helper()
	var out []goversion.Release
	for _, s := range texts {
		r, ok := goversion.ParseStable(s)
		if !ok {
			t.Fatalf("bad release %q", s)
		}
		out = append(out, r)
	}
	return out
}

func TestListedReleases(t *testing.T) {
	got := listedReleases(proxyList)
	want := map[string]string{"1.22": "1.22.3", "1.24": "1.24.13", "1.25": "1.25.14", "1.26": "1.26.12", "1.27": "1.27.4"}
	if len(got) != len(want) {
		t.Errorf("listed %v, want %v", got, want)
	}
	for minor, v := range want {
		if got[minor].String() != v {
			t.Errorf("Go %s: %v, want %s (stable linux-amd64 only)", minor, got[minor], v)
		}
	}
}

func TestRefreshReleases(t *testing.T) {
	supported := []string{"1.24", "1.25", "1.26", "1.27"}
	known := releases(t, "1.24.13", "1.25.14", "1.26.11", "1.27.4")
	out, notes, err := refreshReleases(known, listedReleases(proxyList), supported)
	if err != nil {
		t.Fatal(err)
	}
	if want := releases(t, "1.24.13", "1.25.14", "1.26.12", "1.27.4"); !slices.Equal(out, want) {
		t.Errorf("refreshed %v, want %v (older minors the proxy lists are not added)", out, want)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "1.26.11 -> 1.26.12") {
		t.Errorf("notes %q", notes)
	}

	// A new minor is added; a known patch the proxy does not list, with
	// nothing newer listed, is lowered to what is listed.
	listed := listedReleases(proxyList + "v0.0.1-go1.28.0.linux-amd64\n")
	out, notes, err = refreshReleases(releases(t, "1.24.13", "1.25.15", "1.26.12", "1.27.4"), listed, supported)
	if err != nil {
		t.Fatal(err)
	}
	if want := releases(t, "1.24.13", "1.25.14", "1.26.12", "1.27.4", "1.28.0"); !slices.Equal(out, want) {
		t.Errorf("refreshed %v, want %v", out, want)
	}
	if got := strings.Join(notes, "\n"); !strings.Contains(got, "Go 1.28 is new") || !strings.Contains(got, "1.25.15 is not listed") {
		t.Errorf("notes %q", notes)
	}

	// A supported minor the proxy lists nothing of: refused, not dropped.
	if _, _, err := refreshReleases(known, listedReleases("v0.0.1-go1.27.4.linux-amd64"), supported); err == nil || !strings.Contains(err.Error(), "Go 1.24") {
		t.Errorf("err = %v, want a refusal naming Go 1.24", err)
	}

	// The file round-trips.
	back, err := parseReleasesFile(string(formatReleases(out)))
	if err != nil || !slices.Equal(back, out) {
		t.Errorf("parse(format(%v)) = %v, %v", out, back, err)
	}
}

func TestLagging(t *testing.T) {
	known := releases(t, "1.24.13", "1.25.14", "1.26.11", "1.27.4")
	got := lagging(known, listedReleases(proxyList+"v0.0.1-go1.28.0.linux-amd64\n"))
	if len(got) != 2 || !strings.Contains(got[0], "up to 1.26.11, the proxy lists 1.26.12") || !strings.Contains(got[1], "Go 1.28.0") {
		t.Errorf("lagging = %q", got)
	}
	if got := lagging(releases(t, "1.24.13", "1.25.14", "1.26.12", "1.27.4"), listedReleases(proxyList)); len(got) != 0 {
		t.Errorf("current list reported as lagging: %q", got)
	}
}

// fakeProxy serves golang.org/toolchain's list and counts the requests.
func fakeProxy(t *testing.T, status int, list string) (getenv func(string) string, hits *int) {
	t.Helper()
	hits = new(int)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*hits++
		if r.URL.Path != "/golang.org/toolchain/@v/list" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(list))
	}))
	t.Cleanup(srv.Close)
	env := map[string]string{"GOENV": "off", "GOPROXY": srv.URL, "GOSUMDB": "off", "HOME": t.TempDir()}
	return func(k string) string { return env[k] }, hits
}

func TestFetchToolchainListThroughGOPROXY(t *testing.T) {
	getenv, hits := fakeProxy(t, http.StatusOK, proxyList)
	list, from, err := fetchToolchainList(context.Background(), getenv)
	if err != nil {
		t.Fatal(err)
	}
	if *hits != 1 || !strings.HasPrefix(from, "http://127.0.0.1:") {
		t.Errorf("hits %d, from %q", *hits, from)
	}
	if got := listedReleases(list); got["1.26"].String() != "1.26.12" || got["1.27"].String() != "1.27.4" {
		t.Errorf("listed %v", got)
	}
}

// make deps-check warns and never fails, even when the proxy does.
func TestCheckReleasesOnlyWarns(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := mkReleasesFile("1.24.13\n1.25.14\n1.26.11\n1.27.4\n"); err != nil {
		t.Fatal(err)
	}
	getenv, _ := fakeProxy(t, http.StatusOK, proxyList)
	var log bytes.Buffer
	checkReleases(context.Background(), getenv, &log)
	if !strings.Contains(log.String(), "depsgen: warning: internal/goversion/releases.txt knows Go 1.26 up to 1.26.11, the proxy lists 1.26.12: run make deps") {
		t.Errorf("log:\n%s", log.String())
	}

	getenv, _ = fakeProxy(t, http.StatusInternalServerError, "")
	log.Reset()
	checkReleases(context.Background(), getenv, &log)
	if !strings.Contains(log.String(), "depsgen: warning: could not compare") {
		t.Errorf("log:\n%s", log.String())
	}
}

func mkReleasesFile(content string) error {
	if err := os.MkdirAll(filepath.Dir(releasesFile), 0o755); err != nil {
		return fmt.Errorf("releases fixture: %w", err)
	}
	if err := os.WriteFile(releasesFile, []byte(releasesHeader+content), 0o644); err != nil {
		return fmt.Errorf("releases fixture: %w", err)
	}
	return nil
}

// The go command runs with the installed Go for the minors it covers, and
// with the newest release releases.txt names for a newer one.
func TestToolchainFor(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := mkReleasesFile("1.24.13\n1.98.3\n"); err != nil {
		t.Fatal(err)
	}
	if tc, err := toolchainFor("1.24"); err != nil || tc != "local" {
		t.Errorf("toolchainFor(1.24) = %q, %v; want local", tc, err)
	}
	if tc, err := toolchainFor("1.98"); err != nil || tc != "go1.98.3" {
		t.Errorf("toolchainFor(1.98) = %q, %v; want go1.98.3", tc, err)
	}
	if _, err := toolchainFor("1.99"); err == nil {
		t.Error("toolchainFor(1.99) without a release in releases.txt: no error")
	}
}
