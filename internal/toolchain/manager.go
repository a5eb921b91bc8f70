package toolchain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/envgen/envgen/internal/atomicfile"

	"github.com/rogpeppe/go-internal/lockedfile"
	"golang.org/x/mod/module"

	"github.com/envgen/envgen/internal/goenv"
)

// Manager fetches, installs and verifies toolchains for one go
// environment.
type Manager struct {
	Env        *goenv.Env
	Proxies    *Proxies
	Downloader *Downloader
	// Home is where default installs go ($HOME/sdk/goX.Y.Z).
	Home string

	ctx    context.Context //nolint:containedctx // a Manager serves one command: NewManager's ctx is that command's, for every download it makes
	dbOnce sync.Once
	db     *ChecksumDB
	dbErr  error
}

// NewManager builds a Manager; progress may be nil.
func NewManager(ctx context.Context, env *goenv.Env, client *http.Client, home string, progress func(Event)) *Manager {
	return &Manager{
		Env:        env,
		Proxies:    NewProxies(env, client),
		Downloader: &Downloader{Client: client, Progress: progress},
		Home:       home,
		ctx:        ctx,
	}
}

func (m *Manager) report(e Event) { m.Downloader.report(e) }

// ChecksumDB connects to the checksum database once.
func (m *Manager) ChecksumDB() (*ChecksumDB, error) {
	m.dbOnce.Do(func() { m.db, m.dbErr = NewChecksumDB(m.ctx, m.Env, m.Proxies) })
	return m.db, m.dbErr
}

// Expected is the hash a module must have: the checksum database's,
// which the lock, when it has one, must agree with.
func (m *Manager) Expected(mod module.Version, lockHash string) (string, error) {
	return m.expectedBy(dbWitness{m}, mod, lockHash)
}

// expectedBy is the hash w proves for mod, held to the lock's.
func (m *Manager) expectedBy(w witness, mod module.Version, lockHash string) (string, error) {
	m.report(Event{Phase: "lookup", Source: w.describe()})
	want, err := w.expected(mod)
	if err != nil {
		return "", err
	}
	if lockHash != "" && lockHash != want {
		return "", &SecurityError{Subject: mod.Path + "@" + mod.Version, Hashes: []NamedHash{
			{Who: "envgen.lock", Hash: lockHash}, {Who: w.describe(), Hash: want}},
			Detail: "the lock and the " + w.describe() + " disagree"}
	}
	return want, nil
}

// cachePath is the go command's download cache file for mod with the
// given suffix ("zip", "ziphash", "info", "mod", "lock").
func (m *Manager) cachePath(mod module.Version, suffix string) (string, error) {
	if m.Env.ModCache == "" {
		return "", errors.New("GOMODCACHE is not set and there is no GOPATH or HOME to derive it from")
	}
	ep, err := module.EscapePath(mod.Path)
	if err != nil {
		return "", fmt.Errorf("module cache: %w", err)
	}
	ev, err := module.EscapeVersion(mod.Version)
	if err != nil {
		return "", fmt.Errorf("module cache: %w", err)
	}
	return filepath.Join(m.Env.ModCache, "cache", "download", filepath.FromSlash(ep), "@v", ev+"."+suffix), nil
}

// lockVersion takes the go command's own per-version lock in the module
// cache, so that envgen runs and go commands never write the same
// toolchain at once.
func (m *Manager) lockVersion(mod module.Version) (unlock func(), err error) {
	name, err := m.cachePath(mod, "lock")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil { //nolint:gosec // G301: 0777 less the umask, as the go command makes module cache folders
		return nil, fmt.Errorf("module cache: %w", err)
	}
	if unlock, err = lockedfile.MutexAt(name).Lock(); err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	return unlock, nil
}

// Fetched is a verified module zip in the module cache.
type Fetched struct {
	Zip    string
	H1     string
	Files  FileHashes
	Source string
	// Warnings are things the user should know, such as a tampered copy
	// found in the module cache and replaced.
	Warnings []string
}

// FetchZip returns mod's zip from the module cache or the GOPROXY list,
// proved against the checksum database (and lockHash, if set), and leaves
// it in the module cache layout (zip, ziphash, mod, info) so that the go
// command's GOTOOLCHAIN switching finds it offline. The caller holds the
// version lock.
func (m *Manager) FetchZip(mod module.Version, lockHash string) (*Fetched, error) {
	return m.fetchZipBy(dbWitness{m}, mod, lockHash)
}

// fetchZipBy is FetchZip with the hash proved by w: the checksum
// database, or a bundle's proofs (a proxy is reachable, the database is
// not).
func (m *Manager) fetchZipBy(w witness, mod module.Version, lockHash string) (*Fetched, error) {
	want, err := m.expectedBy(w, mod, lockHash)
	if err != nil {
		return nil, err
	}
	zipFile, err := m.cachePath(mod, "zip")
	if err != nil {
		return nil, err
	}
	res := &Fetched{Zip: zipFile, H1: want}
	// The go command never re-hashes its cache; envgen does, every time.
	if _, err := os.Stat(zipFile); err == nil {
		m.report(Event{Phase: "verify", Source: "module cache"})
		fh, h1, err := hashZipH1(zipFile)
		if err == nil && h1 == want {
			res.Files, res.Source = fh, "module cache"
			return res, m.writeCacheMeta(mod, want, nil)
		}
		got := h1
		if err != nil {
			got = err.Error()
		}
		res.Warnings = append(res.Warnings, fmt.Sprintf("the module cache's copy of %s@%s was corrupt or tampered with (%s, want %s): removed it and downloaded it again", mod.Path, mod.Version, got, want))
		if err := removeIfExists(zipFile + "hash"); err != nil {
			return nil, err
		}
		if err := removeIfExists(zipFile); err != nil {
			return nil, err
		}
	}
	err = m.Proxies.Try(func(src Source) error {
		url, err := modURL(src, mod, "zip")
		if err != nil {
			return err
		}
		partial := zipFile + ".envgen-" + shortHash(src.URL) + ".partial"
		if err := os.MkdirAll(filepath.Dir(partial), 0o777); err != nil { //nolint:gosec // G301: 0777 less the umask, as the go command makes module cache folders
			return fmt.Errorf("module cache: %w", err)
		}
		if err := m.Downloader.Fetch(m.ctx, url, partial, src.String()); err != nil {
			return err
		}
		m.report(Event{Phase: "verify", Source: src.String()})
		fh, h1, err := hashZipH1(partial)
		if err != nil {
			_ = os.Remove(partial)
			return fmt.Errorf("%s: %w", url, err)
		}
		if h1 != want {
			_ = os.Remove(partial) // never resume from, or install, a lie
			return &SecurityError{Subject: mod.Path + "@" + mod.Version + " from " + src.String(), Hashes: []NamedHash{
				{Who: "downloaded", Hash: h1}, {Who: w.describe(), Hash: want}}}
		}
		if err := os.Rename(partial, zipFile); err != nil {
			return fmt.Errorf("module cache: %w", err)
		}
		info, _ := get(m.ctx, m.Proxies.Client, strings.TrimSuffix(url, ".zip")+".info")
		res.Files, res.Source = fh, src.String()
		return m.writeCacheMeta(mod, want, info)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// writeCacheMeta completes the module cache entry around a verified zip;
// the ziphash comes last, since the go command takes zip+ziphash as done.
func (m *Manager) writeCacheMeta(mod module.Version, h1 string, info []byte) error {
	if len(info) == 0 || !strings.HasPrefix(strings.TrimSpace(string(info)), "{") {
		info = fmt.Appendf(nil, "{\"Version\":%q}\n", mod.Version)
	}
	for _, f := range []struct {
		suffix string
		data   []byte
	}{
		{"mod", []byte("module " + mod.Path + "\n")},
		{"info", info},
		{"ziphash", []byte(h1 + "\n")},
	} {
		name, err := m.cachePath(mod, f.suffix)
		if err != nil {
			return err
		}
		if f.suffix != "ziphash" {
			if _, err := os.Stat(name); err == nil {
				continue
			}
		}
		if err := atomicfile.WriteFile(name, f.data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func hashZipH1(name string) (FileHashes, string, error) {
	fh, err := HashZip(name)
	if err != nil {
		return nil, "", err
	}
	h1, err := fh.H1()
	return fh, h1, err
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:4])
}
