package toolchain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/lockedfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"

	"github.com/envgen/envgen/internal/goenv"
	"github.com/envgen/envgen/internal/sumproof"
)

// SecurityError is a proof that something lies: a download whose hash is
// not the one the checksum database holds, a lock that disagrees with the
// database, a checksum database that contradicts itself, or an altered
// proof bundle. One type for all of them, sumproof's.
type SecurityError = sumproof.SecurityError

// NamedHash is a hash and who vouches for it.
type NamedHash = sumproof.NamedHash

// ChecksumDB looks up module hashes in the checksum database named by
// GOSUMDB, through golang.org/x/mod/sumdb's Client, which checks the signed
// tree head and the inclusion proof of every record. It shares the go
// command's state: the latest signed tree head in $GOPATH/pkg/sumdb and
// the tile cache in $GOMODCACHE/cache/download/sumdb, so the two see one
// tree (a fork between runs of either is detected) and the go command can
// check an installed toolchain offline.
type ChecksumDB struct {
	db      goenv.SumDB
	proxies *Proxies
	client  *sumdb.Client
	ops     *dbOps
}

// NewChecksumDB connects to env's checksum database. GOSUMDB=off is an
// error: toolchains are always checked (GONOSUMDB and GOPRIVATE do not
// apply to them, as in the go command).
func NewChecksumDB(ctx context.Context, env *goenv.Env, proxies *Proxies) (*ChecksumDB, error) {
	if env.SumDB.Off {
		return nil, &configError{"GOSUMDB=off", "toolchains are always checked against the checksum database (as the go command does)", "unset GOSUMDB or set it to sum.golang.org"}
	}
	if env.SumDB.Key == "" {
		return nil, &configError{"GOSUMDB", "no checksum database configured", "set GOSUMDB=sum.golang.org"}
	}
	ops := &dbOps{ctx: ctx, db: env.SumDB, proxies: proxies, configDir: env.SumDBDir}
	if env.ModCache != "" {
		ops.cacheDir = filepath.Join(env.ModCache, "cache", "download", "sumdb")
	}
	return &ChecksumDB{db: env.SumDB, proxies: proxies, client: sumdb.NewClient(ops), ops: ops}, nil
}

// Name is the database's name, such as sum.golang.org.
func (c *ChecksumDB) Name() string { return c.db.Name }

// Lookup returns the h1: hash the database holds for m's zip.
func (c *ChecksumDB) Lookup(m module.Version) (string, error) {
	lines, err := c.client.Lookup(m.Path, m.Version)
	if err != nil {
		if errors.Is(err, sumdb.ErrSecurity) {
			return "", &SecurityError{Subject: "checksum database " + c.db.Name, Detail: c.ops.securityMessage()}
		}
		// The client reports a tree that contradicts the remembered one
		// while initializing as "downloaded inconsistent tile", without
		// ErrSecurity; it is the same proof of a fork.
		if strings.Contains(err.Error(), "inconsistent") {
			return "", &SecurityError{Subject: "checksum database " + c.db.Name, Detail: "it shows a tree that contradicts the one it showed before (a forked log): " + err.Error()}
		}
		// sumdb's errors already start with PATH@VERSION: say it once.
		return "", fmt.Errorf("checksum database %s: %w", c.db.Name, err)
	}
	prefix := m.Path + " " + m.Version + " "
	for _, line := range lines {
		if h, ok := strings.CutPrefix(line, prefix); ok && strings.HasPrefix(h, "h1:") {
			return h, nil
		}
	}
	return "", fmt.Errorf("checksum database %s: no h1 hash for %s@%s", c.db.Name, m.Path, m.Version)
}

// Check compares got, the hash of a download of m, with the database.
func (c *ChecksumDB) Check(m module.Version, got string) (string, error) {
	want, err := c.Lookup(m)
	if err != nil {
		return "", err
	}
	if got != want {
		return want, &SecurityError{Subject: m.Path + "@" + m.Version, Hashes: []NamedHash{{Who: "downloaded", Hash: got}, {Who: "checksum database " + c.db.Name, Hash: want}}}
	}
	return want, nil
}

// configError is a go environment setting that stops envgen.
type configError struct{ subject, problem, hint string }

func (e *configError) Error() string { return e.subject + ": " + e.problem }
func (e *configError) Hint() string  { return e.hint }

// dbOps implements sumdb.ClientOps.
type dbOps struct {
	ctx       context.Context //nolint:containedctx // sumdb.ClientOps's methods take no context: the ops carry their caller's
	db        goenv.SumDB
	proxies   *Proxies
	configDir string // $GOPATH/pkg/sumdb ("" keeps the latest tree in memory)
	cacheDir  string // $GOMODCACHE/cache/download/sumdb ("" caches nothing)

	baseOnce sync.Once
	base     string
	baseErr  error

	mu       sync.Mutex
	latest   []byte // when configDir is ""
	security []string
}

// initBase finds the database: the URL in GOSUMDB, else the first proxy
// that answers <proxy>/sumdb/<name>/supported with 200 (404 and 410, or any
// error after '|', try the next one), else https://<name> itself.
func (o *dbOps) initBase() {
	if o.db.URL != "" {
		o.base = o.db.URL
		return
	}
	err := o.proxies.Try(func(s Source) error {
		if s.Direct {
			return fs.ErrNotExist
		}
		if _, err := get(o.ctx, o.proxies.Client, s.URL+"/sumdb/"+o.db.Name+"/supported"); err != nil {
			return err
		}
		o.base = s.URL + "/sumdb/" + o.db.Name
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		o.base = "https://" + o.db.Name
	} else if err != nil {
		o.baseErr = err
	}
}

func (o *dbOps) ReadRemote(path string) ([]byte, error) {
	o.baseOnce.Do(o.initBase)
	if o.baseErr != nil {
		return nil, o.baseErr
	}
	return get(o.ctx, o.proxies.Client, o.base+path)
}

func (o *dbOps) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.db.Key), nil
	}
	if o.configDir == "" {
		o.mu.Lock()
		defer o.mu.Unlock()
		return bytes.Clone(o.latest), nil
	}
	data, err := lockedfile.Read(filepath.Join(o.configDir, filepath.FromSlash(file)))
	if errors.Is(err, fs.ErrNotExist) {
		return []byte{}, nil // start from an empty tree, as the go command does
	}
	if err != nil {
		return nil, fmt.Errorf("checksum database state: %w", err)
	}
	return data, nil
}

func (o *dbOps) WriteConfig(file string, old, next []byte) error {
	if o.configDir == "" {
		o.mu.Lock()
		defer o.mu.Unlock()
		if !bytes.Equal(o.latest, old) {
			return sumdb.ErrWriteConflict
		}
		o.latest = bytes.Clone(next)
		return nil
	}
	name := filepath.Join(o.configDir, filepath.FromSlash(file))
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil { //nolint:gosec // G301: 0777 less the umask, as the go command makes $GOPATH/pkg/sumdb
		return fmt.Errorf("checksum database state: %w", err)
	}
	return lockedfile.Transform(name, func(data []byte) ([]byte, error) { //nolint:wrapcheck // sumdb tests err == ErrWriteConflict: the error must pass through unwrapped
		if !bytes.Equal(data, old) {
			return nil, sumdb.ErrWriteConflict
		}
		return next, nil
	})
}

func (o *dbOps) ReadCache(file string) ([]byte, error) {
	if o.cacheDir == "" {
		return nil, fs.ErrNotExist
	}
	data, err := lockedfile.Read(filepath.Join(o.cacheDir, filepath.FromSlash(file)))
	if err == nil && len(data) == 0 {
		err = fs.ErrNotExist
	}
	return data, err
}

func (o *dbOps) WriteCache(file string, data []byte) {
	if o.cacheDir == "" {
		return
	}
	name := filepath.Join(o.cacheDir, filepath.FromSlash(file))
	if os.MkdirAll(filepath.Dir(name), 0o777) != nil { //nolint:gosec // G301: 0777 less the umask, as the go command makes its sumdb cache
		return
	}
	_ = lockedfile.Write(name, bytes.NewReader(data), 0o666)
}

func (o *dbOps) Log(string) {}

func (o *dbOps) SecurityError(msg string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.security = append(o.security, msg)
}

func (o *dbOps) securityMessage() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.security) == 0 {
		return "the database's answers are inconsistent"
	}
	return strings.TrimSpace(strings.Join(o.security, "\n"))
}

var _ sumdb.ClientOps = (*dbOps)(nil)
