// Command mkdist builds envgen's release into a folder (make dist): static
// binaries for every platform with the version, commit and date stamped
// in, .deb, .rpm and .apk packages for linux, shell completions, man
// pages, and SHA256SUMS over the binaries and packages.
//
//	go run ./internal/release/mkdist -version 1.2.0 -commit $(git rev-parse HEAD) -date 2026-11-24T06:00:00Z
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/envgen/envgen/internal/toolchain"

	"github.com/envgen/envgen/internal/cli"
	"github.com/envgen/envgen/internal/dist"
	"github.com/envgen/envgen/internal/release"
	"github.com/envgen/envgen/internal/version"
)

// envgen ships binaries for the platforms whose toolchains it pins: one
// list (toolchain.PinnedPlatforms), so the two never drift apart.

type options struct {
	version, commit, date, out, repo string
}

func main() {
	var o options
	flag.StringVar(&o.version, "version", version.Version, "version to stamp and package (semver, a leading v is fine)")
	flag.StringVar(&o.commit, "commit", "", "commit to stamp")
	flag.StringVar(&o.date, "date", "", "build date to stamp, RFC 3339 (default: SOURCE_DATE_EPOCH, else now); also every packaged file's time")
	flag.StringVar(&o.out, "out", "dist", "output folder (emptied first)")
	flag.StringVar(&o.repo, "repo", ".", "envgen's source folder")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, o)
	stop() // before os.Exit, which skips deferred calls
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkdist:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	date, err := buildDate(o.date)
	if err != nil {
		return err
	}
	o.date = date.Format(time.RFC3339)
	if err := os.RemoveAll(o.out); err != nil {
		return fmt.Errorf("empty the output folder: %w", err)
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil { //nolint:gosec // G301: the release folder, published for everyone to download
		return fmt.Errorf("output folder: %w", err)
	}
	work, err := os.MkdirTemp("", "mkdist-")
	if err != nil {
		return fmt.Errorf("work folder: %w", err)
	}
	defer os.RemoveAll(work) //nolint:errcheck // a temporary folder: failing to remove it loses nothing

	var released []string // what SHA256SUMS covers
	const pkg = "github.com/envgen/envgen/internal/version"
	ldflags := fmt.Sprintf("-X %s.Version=%s -X %s.Commit=%s -X %s.Date=%s", pkg, o.version, pkg, o.commit, pkg, o.date)
	for _, p := range toolchain.PinnedPlatforms {
		goos, goarch := p.GOOS, p.GOARCH
		name := fmt.Sprintf("envgen_%s_%s_%s", o.version, goos, goarch)
		if goos == "windows" {
			name += ".exe"
		}
		fmt.Fprintf(os.Stderr, "build   %s\n", name)
		b := dist.GoBuild{Dir: o.repo, Package: "./cmd/envgen", Output: filepath.Join(absOrSelf(o.out), name), GOOS: goos, GOARCH: goarch, LDFlags: ldflags}
		if err := b.Run(ctx); err != nil {
			return err
		}
		released = append(released, name)
	}

	if err := writeDocs(o.out, o.version, date); err != nil { //nolint:contextcheck // cli.Command only builds the command tree, for completions and man pages; no command runs
		return err
	}

	for _, arch := range dist.Archs {
		spec, err := release.SelfSpec(release.SelfOptions{
			Binary:  filepath.Join(o.out, fmt.Sprintf("envgen_%s_linux_%s", o.version, arch)),
			Version: o.version, Arch: arch, MTime: date, Root: cli.Command(), //nolint:contextcheck // only the command tree, for completions and man pages; no command runs
		})
		if err != nil {
			return err
		}
		for _, format := range dist.Formats {
			path, err := dist.Build(spec, format, o.out, work)
			if err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "package %s\n", filepath.Base(path))
			released = append(released, filepath.Base(path))
		}
	}
	if err := release.WriteChecksums(o.out, released); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote   %s\n", filepath.Join(o.out, release.ChecksumsFile))
	return nil
}

// writeDocs puts the completion scripts (including powershell, which no
// package installs) and the man pages next to the binaries.
func writeDocs(out, version string, date time.Time) error {
	dir := filepath.Join(out, "completions")
	if err := os.MkdirAll(dir, 0o755); err != nil { //nolint:gosec // G301: the release folder, published for everyone to download
		return fmt.Errorf("completions: %w", err)
	}
	files := map[string]string{"bash": "envgen.bash", "zsh": "_envgen", "fish": "envgen.fish", "powershell": "envgen.ps1"}
	for _, shell := range release.Shells {
		var b bytes.Buffer
		if err := release.WriteCompletion(cli.Command(), shell, &b, true); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, files[shell]), b.Bytes(), 0o644); err != nil { //nolint:gosec // G306: a release file, published for everyone to download
			return fmt.Errorf("completions: %w", err)
		}
	}
	pages, err := release.ManPages(cli.Command(), version, date)
	if err != nil {
		return err
	}
	man := filepath.Join(out, "man")
	if err := os.MkdirAll(man, 0o755); err != nil { //nolint:gosec // G301: the release folder, published for everyone to download
		return fmt.Errorf("man pages: %w", err)
	}
	for _, p := range pages {
		if err := os.WriteFile(filepath.Join(man, p.Name), p.Gzip, 0o644); err != nil { //nolint:gosec // G306: a release file, published for everyone to download
			return fmt.Errorf("man pages: %w", err)
		}
	}
	return nil
}

func buildDate(s string) (time.Time, error) {
	if s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("-date: %w", err)
		}
		return t.UTC(), nil
	}
	var epoch int64
	if _, err := fmt.Sscan(os.Getenv("SOURCE_DATE_EPOCH"), &epoch); err == nil {
		return time.Unix(epoch, 0).UTC(), nil
	}
	return time.Now().UTC().Truncate(time.Second), nil
}

// absOrSelf makes the output path absolute: go build runs in -repo.
func absOrSelf(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
