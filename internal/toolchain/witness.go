package toolchain

import (
	"fmt"

	"golang.org/x/mod/module"

	"github.com/envgen/envgen/internal/exitcode"
)

// A witness vouches for the h1 of toolchain module zips: the checksum
// database (online) or a proved bundle (offline). Verify and Install ask
// one and never know which.
type witness interface {
	// describe names it in results ("checksum database sum.golang.org").
	describe() string
	// expected is the h1 it proves for mod.
	expected(mod module.Version) (string, error)
	// verifiedFiles are the file hashes of a copy of mod's zip it proved,
	// to name the files a copy that does not match differs in.
	verifiedFiles(mod module.Version) (FileHashes, error)
}

// dbWitness is the checksum database, through the go command's state.
type dbWitness struct{ m *Manager }

func (w dbWitness) describe() string {
	if db, err := w.m.ChecksumDB(); err == nil {
		return "checksum database " + db.Name()
	}
	return "checksum database"
}

func (w dbWitness) expected(mod module.Version) (string, error) {
	db, err := w.m.ChecksumDB()
	if err != nil {
		return "", err
	}
	return db.Lookup(mod)
}

func (w dbWitness) verifiedFiles(mod module.Version) (FileHashes, error) {
	unlock, err := w.m.lockVersion(mod)
	if err != nil {
		return nil, err
	}
	defer unlock()
	f, err := w.m.FetchZip(mod, "")
	if err != nil {
		return nil, err
	}
	return f.Files, nil
}

// bundleWitness is a proved bundle: no network at all.
type bundleWitness struct{ pb *ProvedBundle }

func (w bundleWitness) describe() string {
	return fmt.Sprintf("bundle %s (%s, tree of %d records)", w.pb.Path, w.pb.Checked.Tree.Database, w.pb.Checked.Tree.N)
}

func (w bundleWitness) expected(mod module.Version) (string, error) {
	h, ok := w.pb.Expected(mod)
	if !ok {
		return "", &notInBundleError{w.pb.Path, mod}
	}
	return h, nil
}

func (w bundleWitness) verifiedFiles(mod module.Version) (FileHashes, error) {
	return w.pb.VerifiedZipFiles(mod)
}

type notInBundleError struct {
	bundle string
	mod    module.Version
}

func (e *notInBundleError) Error() string {
	return fmt.Sprintf("bundle %s has no proof of %s", e.bundle, e.mod.Version)
}

// ExitCode is Usage: the bundle given does not hold what was asked.
func (e *notInBundleError) ExitCode() int { return exitcode.Usage }

func (e *notInBundleError) Hint() string {
	return "build a bundle for this release and platform: envgen toolchain bundle VERSION --platform GOOS/GOARCH -o FILE"
}
