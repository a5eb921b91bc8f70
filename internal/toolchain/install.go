package toolchain

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/envgen/envgen/internal/atomicfile"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"

	"github.com/envgen/envgen/internal/goversion"
)

// markerFile, written last into an installed GOROOT, says the install is
// complete and verified. A folder without it is never used.
const markerFile = ".envgen-installed"

// InstallOptions says what to install where.
type InstallOptions struct {
	Release  goversion.Release
	Platform Platform
	Dir      string // default: Home/sdk/goX.Y.Z
	// FromTarball is a release tarball's URL or file, from any mirror;
	// it is proved through the tarball-to-module transformation.
	FromTarball string
	// LockHash is envgen.lock's h1 for this platform ("" when none).
	LockHash string
	// Bundle, when set, is the only witness: the checksum database is
	// never asked. When it holds the zip, the install makes no network
	// call at all; with proofs only, the zip comes through GOPROXY.
	Bundle *ProvedBundle
}

// InstallResult is what Install did.
type InstallResult struct {
	Version   string   `json:"version"`
	Platform  string   `json:"platform"`
	Dir       string   `json:"dir"`
	H1        string   `json:"h1"`
	Source    string   `json:"source"`
	Already   bool     `json:"already_installed,omitempty"`
	ModCached string   `json:"module_cache_zip,omitempty"`
	Warnings  []string `json:"warnings,omitempty"`
}

// Marker is the content of markerFile.
type Marker struct {
	Version  string    `json:"version"`
	Platform string    `json:"platform"`
	H1       string    `json:"h1"`
	Source   string    `json:"source"`
	Time     time.Time `json:"time"`
}

// DefaultDir is where golang.org/dl installs a release: $HOME/sdk/goX.Y.Z.
func (m *Manager) DefaultDir(r goversion.Release) string {
	return filepath.Join(m.Home, "sdk", r.Toolchain())
}

// Install downloads, proves and installs a toolchain. Concurrent installs
// of one version wait for each other; a crash leaves only a temporary
// folder that the next install removes.
func (m *Manager) Install(opts InstallOptions) (*InstallResult, error) {
	mod := Module(opts.Release, opts.Platform)
	dir := opts.Dir
	if dir == "" {
		dir = m.DefaultDir(opts.Release)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("install: %w", err)
	}
	res := &InstallResult{Version: opts.Release.Toolchain(), Platform: opts.Platform.String(), Dir: dir}
	if opts.Bundle == nil {
		if _, err := m.ChecksumDB(); err != nil {
			return nil, err // refuse a disabled database before touching anything
		}
	} else if _, ok := opts.Bundle.Expected(mod); !ok {
		return nil, &notInBundleError{opts.Bundle.Path, mod}
	}
	unlock, err := m.lockVersion(mod)
	if err != nil {
		return nil, err
	}
	defer unlock()

	if mk, err := ReadMarker(dir); err == nil {
		if mk.Version != res.Version || mk.Platform != res.Platform {
			return nil, fmt.Errorf("%s holds %s %s, not %s %s", dir, mk.Version, mk.Platform, res.Version, res.Platform)
		}
		res.H1, res.Source, res.Already = mk.H1, mk.Source, true
		return res, nil
	}
	if _, err := os.Lstat(dir); err == nil {
		return nil, &existsError{dir}
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil { //nolint:gosec // G301: where Go installs go ($HOME/sdk or the chosen folder), readable as a release is
		return nil, fmt.Errorf("install: %w", err)
	}
	// Leftovers of an install that crashed: never used, removed now that we hold the lock.
	stale, _ := filepath.Glob(filepath.Join(parent, "."+filepath.Base(dir)+".envgen-tmp-*"))
	for _, s := range stale {
		_ = removeAll(s)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".envgen-tmp-")
	if err != nil {
		return nil, fmt.Errorf("install: %w", err)
	}
	defer func() { _ = removeAll(tmp) }()

	if err := m.unpack(opts, mod, tmp, res); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, fmt.Errorf("install: %w", err)
	}
	m.report(Event{Phase: "done"})
	return res, nil
}

// unpack puts the proved release into tmp: from a tarball, or from the
// module zip (downloaded, or out of a bundle), then the markers, the
// envgen one last.
func (m *Manager) unpack(opts InstallOptions, mod module.Version, tmp string, res *InstallResult) error {
	if opts.FromTarball != "" {
		if err := m.installTarball(opts, mod, tmp, res); err != nil {
			return err
		}
	} else {
		fetch := m.FetchZip
		switch {
		case opts.Bundle != nil && opts.Bundle.HasZip(mod):
			fetch = func(mod module.Version, lockHash string) (*Fetched, error) {
				return m.zipFromBundle(opts.Bundle, mod, lockHash)
			}
		case opts.Bundle != nil:
			// Proofs only: the zip comes through GOPROXY, proved by the
			// bundle instead of the checksum database.
			fetch = func(mod module.Version, lockHash string) (*Fetched, error) {
				return m.fetchZipBy(bundleWitness{opts.Bundle}, mod, lockHash)
			}
		}
		f, err := fetch(mod, opts.LockHash)
		if err != nil {
			return err
		}
		res.H1, res.Source, res.ModCached, res.Warnings = f.H1, f.Source, f.Zip, f.Warnings
		m.report(Event{Phase: "extract"})
		if err := extractZip(f.Zip, mod, tmp); err != nil {
			return err
		}
	}
	// golang.org/dl's marker, so its goX.Y.Z wrapper accepts the install.
	if err := os.WriteFile(filepath.Join(tmp, ".unpacked-success"), nil, 0o644); err != nil { //nolint:gosec // G306: part of the install, readable as a release is
		return fmt.Errorf("install: %w", err)
	}
	mk, err := json.MarshalIndent(Marker{res.Version, res.Platform, res.H1, res.Source, time.Now().UTC()}, "", "  ")
	if err != nil {
		return fmt.Errorf("install: %w", err)
	}
	if err := atomicfile.WriteFile(filepath.Join(tmp, markerFile), append(mk, '\n'), 0o644); err != nil {
		return fmt.Errorf("install: %w", err)
	}
	return nil
}

// ReadMarker reads an install's completion marker.
func ReadMarker(dir string) (*Marker, error) {
	data, err := os.ReadFile(filepath.Join(dir, markerFile)) //nolint:gosec // G304: the marker of the install being read
	if err != nil {
		return nil, fmt.Errorf("install marker: %w", err)
	}
	var mk Marker
	if err := json.Unmarshal(data, &mk); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, markerFile), err)
	}
	return &mk, nil
}

type existsError struct{ dir string }

func (e *existsError) Error() string {
	return e.dir + " exists and is not a complete envgen install"
}
func (e *existsError) Hint() string {
	return "remove it, or install elsewhere with --dir"
}

// extractZip checks a module zip with golang.org/x/mod/zip (paths,
// prefix, case collisions, sizes) and writes its files into dir, the
// zip's _go.mod files back as go.mod, with exec bits on the commands.
func extractZip(zipFile string, mod module.Version, dir string) error {
	if _, err := modzip.CheckZip(mod, zipFile); err != nil {
		return fmt.Errorf("unsafe or invalid module zip: %w", err)
	}
	z, err := zip.OpenReader(zipFile)
	if err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	defer z.Close() //nolint:errcheck // read-only: a failed close loses nothing
	prefix := ZipPrefix(mod)
	for _, f := range z.File {
		rel, ok := strings.CutPrefix(f.Name, prefix)
		if !ok || rel == "" || strings.HasSuffix(rel, "/") {
			continue
		}
		if path.Base(rel) == "_go.mod" {
			rel = path.Join(path.Dir(rel), "go.mod")
		}
		// A module zip's modes are not in its h1: the commands get theirs
		// from where they sit, as the go command gives them.
		if err := writeEntry(dir, rel, 0, f.Open); err != nil {
			return err
		}
	}
	return nil
}

// writeEntry writes one file below dir after checking that rel is a
// clean relative path that stays inside dir.
func writeEntry(dir, rel string, mode fs.FileMode, open func() (io.ReadCloser, error)) error {
	if !fs.ValidPath(rel) || strings.Contains(rel, `\`) {
		return fmt.Errorf("unsafe archive entry %q", rel)
	}
	name := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil { //nolint:gosec // G301: a GOROOT's folders, 0755 as in a release
		return fmt.Errorf("extract: %w", err)
	}
	perm := fs.FileMode(0o644)
	if mode&0o111 != 0 || isCommand(rel) {
		perm = 0o755
	}
	r, err := open()
	if err != nil {
		return fmt.Errorf("extract %s: %w", rel, err)
	}
	defer r.Close()                                                      //nolint:errcheck // read-only: a failed close loses nothing
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm) //nolint:gosec // G304: rel was checked above to stay inside dir
	if err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	if _, err := io.Copy(f, r); err != nil {
		_ = f.Close() // the copy's error is the one to report
		return fmt.Errorf("%s: %w", rel, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("extract %s: %w", rel, err)
	}
	return nil
}

// isCommand tells the files that must be executable: bin/* and
// pkg/tool/GOOS_GOARCH/* (module zips carry no modes).
func isCommand(rel string) bool {
	return path.Dir(rel) == "bin" || strings.HasPrefix(rel, "pkg/tool/") && strings.Count(rel, "/") == 3
}

// installTarball fetches (or opens) a release tarball, proves it through
// the tarball-to-module transformation, and extracts it into dir.
func (m *Manager) installTarball(opts InstallOptions, mod module.Version, dir string, res *InstallResult) error {
	var w witness = dbWitness{m}
	if opts.Bundle != nil {
		w = bundleWitness{opts.Bundle}
	}
	want, err := m.expectedBy(w, mod, opts.LockHash)
	if err != nil {
		return err
	}
	file, source, cleanup, err := m.openTarball(opts.FromTarball, filepath.Dir(dir))
	if err != nil {
		return err
	}
	defer cleanup()
	m.report(Event{Phase: "verify", Source: source})
	f, err := os.Open(file) //nolint:gosec // G304: the tarball the user named, or its download
	if err != nil {
		return fmt.Errorf("tarball: %w", err)
	}
	fh, err := HashTarball(f, mod)
	_ = f.Close() // read-only
	if err != nil {
		return fmt.Errorf("%s: %w", source, err)
	}
	h1, err := fh.H1()
	if err != nil {
		return err
	}
	if h1 != want {
		return &SecurityError{Subject: "tarball " + source + " as " + mod.Path + "@" + mod.Version, Hashes: []NamedHash{
			{Who: "downloaded (transformed to the module zip)", Hash: h1}, {Who: w.describe(), Hash: want}}}
	}
	res.H1, res.Source = h1, source
	m.report(Event{Phase: "extract"})
	return extractTarball(file, dir)
}

// openTarball returns a local file holding the tarball: the file itself,
// or a download (resumable) next to the install.
func (m *Manager) openTarball(src, workDir string) (file, source string, cleanup func(), err error) {
	u, perr := url.Parse(src)
	if perr != nil || (u.Scheme != "http" && u.Scheme != "https") {
		if _, err := os.Stat(src); err != nil {
			return "", "", nil, fmt.Errorf("tarball: %w", err)
		}
		return src, src, func() {}, nil
	}
	partial := filepath.Join(workDir, "."+path.Base(u.Path)+".envgen-"+shortHash(src)+".partial")
	if err := m.Downloader.Fetch(m.ctx, src, partial, u.Host); err != nil {
		return "", "", nil, err
	}
	return partial, src, func() { _ = os.Remove(partial) }, nil
}

// extractTarball writes the regular files under go/ into dir, refusing
// names that would leave dir.
func extractTarball(file, dir string) error {
	f, err := os.Open(file) //nolint:gosec // G304: the tarball the user named, or its download
	if err != nil {
		return fmt.Errorf("tarball: %w", err)
	}
	defer f.Close() //nolint:errcheck // read-only: a failed close loses nothing
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("tarball: %w", err)
	}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("tarball: %w", err)
		}
		rel, ok := strings.CutPrefix(hdr.Name, "go/")
		if !ok {
			return fmt.Errorf("unsafe tarball entry %q: not under go/", hdr.Name)
		}
		// Links, devices and folders are skipped: the module the tarball
		// was proved as holds regular files only, and so does the install.
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		if err := writeEntry(dir, rel, hdr.FileInfo().Mode(), func() (io.ReadCloser, error) { return io.NopCloser(tr), nil }); err != nil {
			return err
		}
	}
}

// removeAll removes a tree, making read-only folders writable first.
func removeAll(dir string) error {
	err := os.RemoveAll(dir)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(p, 0o755) //nolint:gosec // G122, G302: envgen's own leftover install, made writable to be removed
		}
		return nil
	})
	return os.RemoveAll(dir) //nolint:wrapcheck // every caller discards it: the next install removes leftovers again
}
