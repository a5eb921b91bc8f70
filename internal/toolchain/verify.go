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
	// Bundle, when set, is the only witness: nothing is asked of the
	// network.
	Bundle *ProvedBundle
}

// VerifyResult is the verdict. OK when the computed hash equals the
// witness's and, when the lock pins this platform, the lock's; or, for an
// installed GOROOT, when every file matches a verified copy but those the
// go command's own conventions let differ (Expected).
type VerifyResult struct {
	Kind     string `json:"kind"` // goroot, tarball, zip
	Path     string `json:"path"`
	Version  string `json:"version"`
	Platform string `json:"platform"`
	H1       string `json:"h1"`
	// SumDB is the h1 the witness proves (the checksum database's, or
	// the record in a bundle).
	SumDB   string     `json:"sumdb"`
	Witness string     `json:"witness"`
	Lock    string     `json:"lock,omitempty"`
	OK      bool       `json:"ok"`
	Differs []FileDiff `json:"differs,omitempty"`
	// Expected are differences the go command's conventions explain, each
	// with the reason: reported, and not a failure.
	Expected []FileDiff `json:"expected_differences,omitempty"`
	Note     string     `json:"note,omitempty"`
}

var tarballName = regexp.MustCompile(`^(go[0-9]+\.[0-9]+(?:\.[0-9]+)?)\.([a-z0-9]+)-([a-z0-9]+)\.tar\.gz$`)

// Verify computes the h1 of a GOROOT, tarball or zip and checks it
// against the witness (the checksum database, or a bundle) and the lock.
// On a mismatch it compares file by file with a verified copy and names
// every added, changed and missing file.
func (m *Manager) Verify(opts VerifyOptions) (*VerifyResult, error) {
	subj, err := m.hashSubject(opts)
	if err != nil {
		return nil, err
	}
	var w witness = dbWitness{m}
	if opts.Bundle != nil {
		w = bundleWitness{opts.Bundle}
	}
	goVersion, p, _ := ParseModuleVersion(subj.mod.Version)
	res := &VerifyResult{Kind: subj.kind, Path: subj.path, Version: goVersion, Platform: p.String(), Witness: w.describe()}
	if res.H1, err = subj.files.H1(); err != nil {
		return nil, err
	}
	if opts.LockFor == res.Version {
		res.Lock = opts.LockHashes[res.Platform]
	}
	if res.SumDB, err = w.expected(subj.mod); err != nil {
		return nil, err
	}
	res.OK = res.H1 == res.SumDB && (res.Lock == "" || res.Lock == res.SumDB)
	if res.Lock != "" && res.Lock != res.SumDB {
		res.Note = "envgen.lock and the " + w.describe() + " disagree"
		return res, nil
	}
	if res.H1 == res.SumDB {
		return res, nil
	}
	verified, err := w.verifiedFiles(subj.mod)
	if err != nil {
		if isSecurity(err) {
			return nil, err
		}
		res.Note = "could not get a verified copy to name the files that differ: " + err.Error()
		return res, nil
	}
	all := Diff(subj.files, verified, ZipPrefix(subj.mod))
	if subj.kind != "goroot" {
		res.Differs = all
		return res, nil
	}
	res.Differs, res.Expected = splitExpected(all)
	if len(res.Differs) == 0 && len(res.Expected) > 0 {
		res.OK = true
		res.Note = "every file matches the verified release except the expected differences listed"
	}
	return res, nil
}

// subject is what Verify hashes.
type subject struct {
	kind, path string
	mod        module.Version
	files      FileHashes
}

// hashSubject finds and hashes what opts names.
func (m *Manager) hashSubject(opts VerifyOptions) (*subject, error) {
	s := &subject{path: opts.Path}
	rel := opts.Release
	if s.path == "" {
		if rel == nil {
			return nil, errors.New("nothing to verify: give a version, --goroot, or a file")
		}
		s.path = m.DefaultDir(*rel)
	}
	fi, err := os.Stat(s.path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && opts.Path == "" && rel != nil:
		return nil, exitcode.Usagef(rel.Toolchain(), "install it first: envgen toolchain install "+rel.String()+" (or verify another copy with --goroot DIR, or a tarball or zip)",
			"is not installed (no %s)", s.path)
	case errors.Is(err, fs.ErrNotExist):
		return nil, exitcode.Usagef(s.path, "pass a GOROOT folder, a go*.tar.gz release tarball or a toolchain module zip", "no such file or folder")
	case err != nil:
		return nil, fmt.Errorf("verify: %w", err)
	}
	switch {
	case fi.IsDir():
		s.kind = "goroot"
		err = s.hashGOROOT(rel, opts.Platform)
	case strings.HasSuffix(s.path, ".tar.gz"):
		s.kind = "tarball"
		err = s.hashTarball(rel, opts.Platform)
	case strings.HasSuffix(s.path, ".zip"):
		s.kind = "zip"
		if s.mod, err = zipModule(s.path); err == nil {
			s.files, err = HashZip(s.path)
		}
	default:
		return nil, exitcode.Usagef(s.path, "pass a GOROOT folder, a go*.tar.gz release tarball or a toolchain module zip", "not a folder, .tar.gz or .zip")
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (s *subject) hashGOROOT(rel *goversion.Release, plat *Platform) error {
	if _, err := os.Stat(filepath.Join(s.path, "VERSION")); err != nil {
		return exitcode.Usagef(s.path, "pass the folder that holds bin/go and VERSION (go env GOROOT)", "not a GOROOT (no VERSION file)")
	}
	if rel == nil {
		r, err := gorootRelease(s.path)
		if err != nil {
			return err
		}
		rel = &r
	}
	if plat == nil {
		p := gorootPlatform(s.path)
		plat = &p
	}
	s.mod = Module(*rel, *plat)
	var err error
	s.files, err = HashGOROOT(s.path, s.mod)
	return err
}

// hashTarball hashes a release tarball of any platform (a darwin-arm64
// tarball verifies on linux-amd64), named as the Go team names them.
func (s *subject) hashTarball(rel *goversion.Release, plat *Platform) error {
	if mm := tarballName.FindStringSubmatch(filepath.Base(s.path)); mm != nil {
		if rel == nil {
			r, err := goversion.Parse(mm[1])
			if err != nil {
				return err
			}
			rel = &r
		}
		if plat == nil {
			plat = &Platform{mm[2], mm[3]}
		}
	}
	if rel == nil {
		return exitcode.Usagef(s.path, "give VERSION, or keep the release's file name (go1.24.1.linux-amd64.tar.gz)", "cannot tell the Go version from the file name")
	}
	if plat == nil {
		p := Host()
		plat = &p
	}
	s.mod = Module(*rel, *plat)
	f, err := os.Open(s.path)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	defer f.Close() //nolint:errcheck // read-only: a failed close loses nothing
	if s.files, err = HashTarball(f, s.mod); err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	return nil
}

// expectedDifferences are the files of an installed GOROOT that may
// differ from the release by the go command's own conventions, with why.
var expectedDifferences = map[string]string{
	"go.env": "the go command reads GOROOT/go.env for its defaults (GOPROXY, GOSUMDB, GOTOOLCHAIN), and distributions and administrators edit it",
}

// splitExpected separates the differences the conventions explain.
func splitExpected(all []FileDiff) (unexpected, expected []FileDiff) {
	for _, d := range all {
		if why, ok := expectedDifferences[d.Path]; ok {
			d.Reason = why
			expected = append(expected, d)
			continue
		}
		unexpected = append(unexpected, d)
	}
	return unexpected, expected
}

func isSecurity(err error) bool {
	_, ok := errors.AsType[*SecurityError](err)
	return ok
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
