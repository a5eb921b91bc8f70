package toolchain

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/mod/module"

	"github.com/envgen/envgen/internal/atomicfile"
	"github.com/envgen/envgen/internal/exitcode"
	"github.com/envgen/envgen/internal/goenv"
	"github.com/envgen/envgen/internal/goversion"
	"github.com/envgen/envgen/internal/project"
	"github.com/envgen/envgen/internal/sumproof"
)

// TrustedKey is the verifier key a bundle is proved with: the one given
// (--key: a key, or the name of a database the go command knows), else
// GOSUMDB's, else sum.golang.org's, built into envgen as into the go
// command. Never the key a bundle names: a key that arrives with the data
// proves nothing about it.
func TrustedKey(env *goenv.Env, given string) (string, error) {
	if given != "" {
		db, err := goenv.ParseSumDB(given)
		if err != nil || db.Off || db.Key == "" {
			return "", &exitcode.UsageError{Subject: "--key " + given, Problem: "not a checksum database verifier key",
				Hint: "give the key as GOSUMDB takes it, e.g. sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"}
		}
		return db.Key, nil
	}
	if env != nil && !env.SumDB.Off && env.SumDB.Key != "" {
		return env.SumDB.Key, nil
	}
	return goenv.GoSumDBKey, nil
}

// ProvedBundle is a bundle whose every record was proved, offline,
// against a tree head signed by the trusted key.
type ProvedBundle struct {
	*Bundle
	Checked *sumproof.Checked
	// Consistency says how the bundle's tree head relates to this
	// machine's (the go command's and envgen's shared sumdb state).
	Consistency string
	// Warnings are things to say that are not failures (consistency that
	// the tiles at hand cannot prove).
	Warnings []string
	vkey     string
}

// Prove checks the bundle with no network: the note's signature by vkey,
// every tile and record, the manifest against the records, and the tree
// head against the newest one this machine's go environment has seen
// (env may be nil: no comparison).
func (b *Bundle) Prove(vkey string, env *goenv.Env) (*ProvedBundle, error) {
	checked, err := sumproof.Check(b.Proof, vkey)
	if err != nil {
		return nil, err
	}
	if man := b.Manifest; man.Database != checked.Tree.Database || man.TreeSize != checked.Tree.N || man.VerifierKey != vkey {
		return nil, &SecurityError{Subject: "bundle " + b.Path + " manifest", Detail: fmt.Sprintf(
			"it claims database %s, tree %d, key %s; the proof is of %s, tree %d, proved with %s: the manifest was altered",
			man.Database, man.TreeSize, man.VerifierKey, checked.Tree.Database, checked.Tree.N, vkey)}
	}
	for _, e := range b.Manifest.Entries {
		h, id, ok := checked.Hash(ModulePath, e.Version)
		switch {
		case !ok:
			return nil, &SecurityError{Subject: "bundle " + b.Path, Detail: "its manifest lists " + e.Version + ", which no proved record holds"}
		case h != e.H1 || id != e.Record:
			return nil, &SecurityError{Subject: "bundle " + b.Path + " manifest entry " + e.Version,
				Hashes: []NamedHash{{Who: "manifest", Hash: e.H1}, {Who: fmt.Sprintf("record %d of %s", id, checked.Tree.Database), Hash: h}},
				Detail: "the manifest was altered"}
		}
	}
	pb := &ProvedBundle{Bundle: b, Checked: checked, vkey: vkey}
	if err := pb.compareWithLocal(env); err != nil {
		return nil, err
	}
	return pb, nil
}

// compareWithLocal proves the bundle's tree and the machine's newest tree
// head of the same database one log, from the bundle's tiles and the go
// command's tile cache: a fork is a SecurityError; missing tiles are a
// warning, never a guess.
func (pb *ProvedBundle) compareWithLocal(env *goenv.Env) error {
	tree := pb.Checked.Tree
	if env == nil || env.SumDBDir == "" {
		pb.Consistency = "not compared: no go environment"
		return nil
	}
	state := localSumDB(env, tree.Database)
	signed, err := state.ReadConfig(tree.Database + "/latest")
	if err != nil || len(signed) == 0 {
		pb.Consistency = "not compared: this machine has no tree head of " + tree.Database + " yet"
		return nil //nolint:nilerr // no local state is nothing to compare with, not a failure
	}
	local, err := sumproof.OpenTree(signed, pb.vkey)
	if err != nil {
		pb.Warnings = append(pb.Warnings, fmt.Sprintf("this machine's tree head of %s does not verify with the trusted key (%v): not compared", tree.Database, err))
		pb.Consistency = "not compared"
		return nil
	}
	cache := sumproof.TileSource(func(path string) ([]byte, error) {
		return state.ReadCache(tree.Database + "/" + path)
	})
	err = sumproof.Consistent(tree, local, sumproof.MapTiles(pb.Proof.Tiles), cache)
	switch {
	case errors.Is(err, sumproof.ErrUnproven):
		pb.Consistency = fmt.Sprintf("unproven: the tiles to prove tree %d and this machine's tree %d one log are not at hand", tree.N, local.N)
		pb.Warnings = append(pb.Warnings, "consistency with this machine's tree head is unproven (offline, without the tiles): "+err.Error())
		return nil
	case err != nil:
		return err
	}
	pb.Consistency = fmt.Sprintf("consistent with this machine's tree head (%d records)", local.N)
	return nil
}

// localSumDB is the go command's sumdb state of database name: the
// latest tree heads in $GOPATH/pkg/sumdb, the tiles in the module cache.
func localSumDB(env *goenv.Env, name string) *dbOps {
	ops := &dbOps{db: goenv.SumDB{Name: name}, configDir: env.SumDBDir}
	if env.ModCache != "" {
		ops.cacheDir = filepath.Join(env.ModCache, "cache", "download", "sumdb")
	}
	return ops
}

// Expected is the h1 the bundle proves for mod.
func (pb *ProvedBundle) Expected(mod module.Version) (string, bool) {
	h, _, ok := pb.Checked.Hash(mod.Path, mod.Version)
	return h, ok
}

// HasZip tells whether the bundle stores mod's zip.
func (pb *ProvedBundle) HasZip(mod module.Version) bool {
	_, ok := pb.zips[mod.Version]
	return ok
}

// VerifiedZipFiles hashes the zip the bundle stores for mod and proves it
// against the record: a zip altered in any byte is a SecurityError.
func (pb *ProvedBundle) VerifiedZipFiles(mod module.Version) (FileHashes, error) {
	want, ok := pb.Expected(mod)
	if !ok {
		return nil, fmt.Errorf("bundle %s proves no record of %s@%s", pb.Path, mod.Path, mod.Version)
	}
	zf := pb.zips[mod.Version]
	sec, ok := pb.zipSection(mod.Version)
	if !ok {
		return nil, &noZipError{pb.Path, mod}
	}
	fh, err := hashStoredZip(zf, sec)
	if err != nil {
		return nil, &SecurityError{Subject: "bundle " + pb.Path + " " + zf.Name, Detail: err.Error()}
	}
	got, err := fh.H1()
	if err != nil {
		return nil, err
	}
	if got != want {
		return nil, &SecurityError{Subject: mod.Path + "@" + mod.Version + " in bundle " + pb.Path, Hashes: []NamedHash{
			{Who: "bundle zip", Hash: got}, {Who: "record proved by " + pb.Checked.Tree.Database, Hash: want}}}
	}
	return fh, nil
}

// BundleZip is the verdict on one zip a bundle stores.
type BundleZip struct {
	Platform string `json:"platform"`
	Version  string `json:"version"`
	H1       string `json:"h1"`
}

// VerifyZips proves every zip the bundle stores against its record.
func (pb *ProvedBundle) VerifyZips() ([]BundleZip, error) {
	var out []BundleZip
	for _, e := range pb.Manifest.Entries {
		if e.Zip == "" {
			continue
		}
		fh, err := pb.VerifiedZipFiles(e.Module())
		if err != nil {
			return nil, err
		}
		h1, err := fh.H1()
		if err != nil {
			return nil, err
		}
		out = append(out, BundleZip{Platform: e.Platform, Version: e.Version, H1: h1})
	}
	return out, nil
}

type noZipError struct {
	bundle string
	mod    module.Version
}

func (e *noZipError) Error() string {
	return fmt.Sprintf("bundle %s holds proofs only, no zip of %s", e.bundle, e.mod.Version)
}

// ExitCode is Usage: a proofs-only bundle was given to install from.
func (e *noZipError) ExitCode() int { return exitcode.Usage }

func (e *noZipError) Hint() string {
	return "build a bundle with the zips: envgen toolchain bundle VERSION --platform GOOS/GOARCH -o FILE (without --proofs-only)"
}

// zipFromBundle copies mod's zip out of the bundle into the module cache
// as FetchZip would download it: into a partial file (archive/zip checks
// the member's CRC on the way), proved against the bundle's record (and
// the lock), then renamed into place, so that the go command's
// GOTOOLCHAIN switching finds it offline too. The caller holds the
// version lock.
func (m *Manager) zipFromBundle(pb *ProvedBundle, mod module.Version, lockHash string) (*Fetched, error) {
	w := bundleWitness{pb}
	want, err := m.expectedBy(w, mod, lockHash)
	if err != nil {
		return nil, err
	}
	zipName, err := m.cachePath(mod, "zip")
	if err != nil {
		return nil, err
	}
	// Always the bundle's copy, even when the module cache holds a good
	// one: a bundle whose zip was altered is refused, not worked around.
	res := &Fetched{Zip: zipName, H1: want, Source: w.describe()}
	zf := pb.zips[mod.Version]
	partial := zipName + ".envgen-bundle.partial"
	err = atomicfile.WriteStream(partial, 0o644, func(dst io.Writer) error {
		if err := copyMember(dst, zf); err != nil {
			return &SecurityError{Subject: "bundle " + pb.Path + " " + zf.Name, Detail: "altered or damaged: " + err.Error()}
		}
		return nil
	})
	if err != nil {
		_ = os.Remove(partial)
		return nil, err
	}
	m.report(Event{Phase: "verify", Source: w.describe()})
	fh, h1, err := hashZipH1(partial)
	if err != nil || h1 != want {
		_ = os.Remove(partial) // never install a lie
		if err != nil {
			return nil, &SecurityError{Subject: "bundle " + pb.Path + " " + zf.Name, Detail: "not a readable module zip: " + err.Error()}
		}
		return nil, &SecurityError{Subject: mod.Path + "@" + mod.Version + " in bundle " + pb.Path, Hashes: []NamedHash{
			{Who: "bundle zip", Hash: h1}, {Who: "record proved by " + pb.Checked.Tree.Database, Hash: want}}}
	}
	if err := os.Rename(partial, zipName); err != nil {
		return nil, fmt.Errorf("module cache: %w", err)
	}
	res.Files = fh
	return res, m.writeCacheMeta(mod, want, nil)
}

// ProjectProofChecker proves a project's toolchain proofs offline with
// the trusted key and holds them to the pin: every pinned platform's hash
// must be the one a proved record holds, for the pinned release.
func ProjectProofChecker(env *goenv.Env) func(pin project.ToolchainPin, data []byte) error {
	return func(pin project.ToolchainPin, data []byte) error {
		version, hashes := pin.Version, pin.Hashes
		vkey, err := TrustedKey(env, "")
		if err != nil {
			return err
		}
		b, err := ReadBundle(project.ToolchainProofsFile, data)
		if err != nil {
			return err
		}
		pb, err := b.Prove(vkey, env)
		if err != nil {
			return err
		}
		if pb.Manifest.Release != version {
			return fmt.Errorf("they prove %s, the pin is %s", pb.Manifest.Release, version)
		}
		r, err := goversion.Parse(version)
		if err != nil {
			return err
		}
		for plat, h := range hashes {
			p, err := ParsePlatform(plat)
			if err != nil {
				return err
			}
			if proved, ok := pb.Expected(Module(r, p)); !ok || proved != h {
				return fmt.Errorf("they do not prove %s's hash %s (they hold %q)", plat, h, proved)
			}
		}
		return nil
	}
}

// hashStoredZip hashes the module zip stored as member zf (sec is its
// content, read in place): the work verify --bundle does per zip once the
// proof holds. The member's CRC is not read for it: a damaged byte that
// changes a name or a content changes the h1; one elsewhere in the zip
// changes nothing that is installed (install copies the member out, and
// the copy checks the CRC).
func hashStoredZip(_ *zip.File, sec *io.SectionReader) (FileHashes, error) {
	fh, err := HashZipAt(sec, sec.Size())
	if err != nil {
		return nil, fmt.Errorf("not a readable module zip: %w", err)
	}
	return fh, nil
}

// copyMember copies a stored zip member out of a bundle: exactly its
// declared size (checked under maxBundleZip when the bundle was read),
// then one more read, so that archive/zip checks the member's CRC at its
// end.
func copyMember(dst io.Writer, zf *zip.File) error {
	src, err := zf.Open()
	if err != nil {
		return err //nolint:wrapcheck // the caller names the member
	}
	defer src.Close()                                                           //nolint:errcheck // read-only: a failed close loses nothing
	if _, err := io.CopyN(dst, src, int64(zf.UncompressedSize64)); err != nil { //nolint:gosec // G115: at most maxBundleZip, checked when the bundle was read
		return err //nolint:wrapcheck // the caller names the member
	}
	if n, err := src.Read(make([]byte, 1)); n != 0 || !errors.Is(err, io.EOF) {
		return fmt.Errorf("member longer than it says, or its CRC does not match: %w", err)
	}
	return nil
}
