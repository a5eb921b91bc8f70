package toolchain

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/envgen/envgen/internal/exitcode"

	"golang.org/x/mod/module"

	"github.com/envgen/envgen/internal/goversion"
)

// VerifyOptions names what to verify: a GOROOT folder, a release tarball
// or a module zip (Path), or the install of Release in its default folder.
type VerifyOptions struct {
	Path     string
	Release  *goversion.Release // nil: read from the GOROOT's VERSION or the file name
	Platform *Platform          // nil: from the GOROOT or file name, else the host
	// LockHashes are envgen.lock's hashes by platform, if the lock pins
	// this release.
	LockHashes map[string]string
	LockFor    string // the release the lock pins ("go1.24.1")
}

// VerifyResult is the verdict. OK only when the computed hash equals the
// checksum database's and, when the lock pins this platform, the lock's.
type VerifyResult struct {
	Kind     string     `json:"kind"` // goroot, tarball, zip
	Path     string     `json:"path"`
	Version  string     `json:"version"`
	Platform string     `json:"platform"`
	H1       string     `json:"h1"`
	SumDB    string     `json:"sumdb"`
	Lock     string     `json:"lock,omitempty"`
	OK       bool       `json:"ok"`
	Differs  []FileDiff `json:"differs,omitempty"`
	Note     string     `json:"note,omitempty"`
}

var tarballName = regexp.MustCompile(`^(go[0-9]+\.[0-9]+(?:\.[0-9]+)?)\.([a-z0-9]+)-([a-z0-9]+)\.tar\.gz$`)

// Verify computes the h1 of a GOROOT, tarball or zip and checks it
// against the checksum database and the lock. On a mismatch it fetches
// the verified module zip and names the files that differ.
func (m *Manager) Verify(opts VerifyOptions) (*VerifyResult, error) {
	res := &VerifyResult{Path: opts.Path}
	rel, plat := opts.Release, opts.Platform
	if res.Path == "" {
		if rel == nil {
			return nil, fmt.Errorf("nothing to verify: give a version, --goroot, or a file")
		}
		res.Path = m.DefaultDir(*rel)
	}
	fi, err := os.Stat(res.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && opts.Path == "" && rel != nil:
		return nil, exitcode.Usagef(rel.Toolchain(), "install it first: envgen toolchain install "+rel.String()+" (or verify another copy with --goroot DIR, or a tarball or zip)",
			"is not installed (no %s)", res.Path)
	case errors.Is(err, fs.ErrNotExist):
		return nil, exitcode.Usagef(res.Path, "pass a GOROOT folder, a go*.tar.gz release tarball or a toolchain module zip", "no such file or folder")
	case err != nil:
		return nil, fmt.Errorf("verify: %w", err)
	}
	var fh FileHashes
	var mod module.Version
	switch {
	case fi.IsDir():
		res.Kind = "goroot"
		if _, err := os.Stat(filepath.Join(res.Path, "VERSION")); err != nil {
			return nil, fmt.Errorf("%s is not a GOROOT (no VERSION file)", res.Path)
		}
		if rel == nil {
			r, err := gorootRelease(res.Path)
			if err != nil {
				return nil, err
			}
			rel = &r
		}
		if plat == nil {
			p := gorootPlatform(res.Path)
			plat = &p
		}
		mod = Module(*rel, *plat)
		if fh, err = HashGOROOT(res.Path, mod); err != nil {
			return nil, err
		}
	case strings.HasSuffix(res.Path, ".tar.gz"):
		res.Kind = "tarball"
		if mm := tarballName.FindStringSubmatch(filepath.Base(res.Path)); mm != nil {
			if rel == nil {
				r, err := goversion.Parse(mm[1])
				if err != nil {
					return nil, err
				}
				rel = &r
			}
			if plat == nil {
				plat = &Platform{mm[2], mm[3]}
			}
		}
		if rel == nil {
			return nil, fmt.Errorf("%s: cannot tell the Go version from the file name: give VERSION", res.Path)
		}
		if plat == nil {
			p := Host()
			plat = &p
		}
		mod = Module(*rel, *plat)
		f, err := os.Open(res.Path)
		if err != nil {
			return nil, fmt.Errorf("verify: %w", err)
		}
		fh, err = HashTarball(f, mod)
		_ = f.Close() // read-only
		if err != nil {
			return nil, fmt.Errorf("%s: %w", res.Path, err)
		}
	case strings.HasSuffix(res.Path, ".zip"):
		res.Kind = "zip"
		if mod, err = zipModule(res.Path); err != nil {
			return nil, err
		}
		if fh, err = HashZip(res.Path); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%s: not a folder, .tar.gz or .zip", res.Path)
	}
	goVersion, p, _ := ParseModuleVersion(mod.Version)
	res.Version, res.Platform = goVersion, p.String()
	if res.H1, err = fh.H1(); err != nil {
		return nil, err
	}
	if opts.LockFor == res.Version {
		res.Lock = opts.LockHashes[res.Platform]
	}
	db, err := m.ChecksumDB()
	if err != nil {
		return nil, err
	}
	if res.SumDB, err = db.Lookup(mod); err != nil {
		return nil, err
	}
	res.OK = res.H1 == res.SumDB && (res.Lock == "" || res.Lock == res.SumDB)
	if res.Lock != "" && res.Lock != res.SumDB {
		res.Note = "envgen.lock and the checksum database disagree"
	}
	if res.OK || res.H1 == res.SumDB {
		return res, nil
	}
	// Name the files that differ, by comparing with a verified copy.
	unlock, err := m.lockVersion(mod)
	if err != nil {
		return nil, err
	}
	defer unlock()
	f, err := m.FetchZip(mod, "")
	if err != nil {
		res.Note = "could not fetch a verified copy to compare with: " + err.Error()
		return res, nil
	}
	res.Differs = Diff(fh, f.Files, ZipPrefix(mod))
	return res, nil
}

// gorootRelease reads the first line of GOROOT/VERSION ("go1.24.1").
func gorootRelease(dir string) (goversion.Release, error) {
	f, err := os.Open(filepath.Join(dir, "VERSION")) //nolint:gosec // G304: the VERSION file of the GOROOT being verified
	if err != nil {
		return goversion.Release{}, fmt.Errorf("GOROOT: %w", err)
	}
	defer f.Close() //nolint:errcheck // read-only: a failed close loses nothing
	s := bufio.NewScanner(f)
	s.Scan()
	r, err := goversion.Parse(strings.TrimSpace(s.Text()))
	if err != nil {
		return goversion.Release{}, fmt.Errorf("%s/VERSION: %w", dir, err)
	}
	return r, nil
}

// gorootPlatform finds GOOS_GOARCH from pkg/tool, else the host.
func gorootPlatform(dir string) Platform {
	entries, _ := os.ReadDir(filepath.Join(dir, "pkg", "tool"))
	for _, e := range entries {
		if goos, goarch, ok := strings.Cut(e.Name(), "_"); ok && e.IsDir() {
			return Platform{goos, goarch}
		}
	}
	return Host()
}

// zipModule reads golang.org/toolchain@VERSION from the zip's first entry.
func zipModule(name string) (module.Version, error) {
	z, err := zip.OpenReader(name)
	if err != nil {
		return module.Version{}, fmt.Errorf("toolchain zip: %w", err)
	}
	defer z.Close() //nolint:errcheck // read-only: a failed close loses nothing
	if len(z.File) == 0 {
		return module.Version{}, fmt.Errorf("%s: empty zip", name)
	}
	// golang.org/toolchain has a slash: the prefix is two path elements.
	parts := strings.SplitN(z.File[0].Name, "/", 3)
	if len(parts) < 3 {
		return module.Version{}, fmt.Errorf("%s: not a golang.org/toolchain module zip", name)
	}
	p, v, ok := strings.Cut(parts[0]+"/"+parts[1], "@")
	if !ok || p != ModulePath {
		return module.Version{}, fmt.Errorf("%s: not a golang.org/toolchain module zip", name)
	}
	if _, _, ok := ParseModuleVersion(v); !ok {
		return module.Version{}, fmt.Errorf("%s: unexpected toolchain version %q", name, v)
	}
	return module.Version{Path: p, Version: v}, nil
}
