package toolchain

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"

	"golang.org/x/mod/module"

	"github.com/envgen/envgen/internal/atomicfile"
	"github.com/envgen/envgen/internal/goversion"
	"github.com/envgen/envgen/internal/sumproof"
)

// BundleOptions says what to put in a proof bundle.
type BundleOptions struct {
	Release goversion.Release
	// Platforms are required: each must be proved (and fetched), unless
	// BestEffort. With AllPlatforms, every platform the proxy lists for
	// the release is tried (and BestEffort holds).
	Platforms    []Platform
	AllPlatforms bool
	// BestEffort skips, and reports, a platform the proxy or the database
	// does not have; the host's stays required.
	BestEffort bool
	ProofsOnly bool
	// Output is the file to write; with Writer set instead, the bundle
	// goes there (a project's proofs, written by the project's writer).
	Output string
	Writer io.Writer
}

// BundleResult is what a bundle holds.
type BundleResult struct {
	File       string            `json:"file,omitempty"`
	Release    string            `json:"release"`
	Database   string            `json:"database"`
	TreeSize   int64             `json:"tree_size"`
	ProofsOnly bool              `json:"proofs_only"`
	Entries    []BundleEntry     `json:"entries"`
	Skipped    []SkippedPlatform `json:"skipped,omitempty"`
	// Unproven are heads this machine knew that the database's tiles
	// could not be proved consistent with (never a fork: that fails).
	Unproven []string `json:"unproven,omitempty"`
}

// Hashes are the proved h1 hashes by platform.
func (r *BundleResult) Hashes() map[string]string {
	out := make(map[string]string, len(r.Entries))
	for _, e := range r.Entries {
		out[e.Platform] = e.H1
	}
	return out
}

// Bundle builds a proof bundle online: the records of the release's
// toolchain for each platform, proved against the database's newest tree
// head (itself proved consistent with this machine's), and, unless
// proofs only, each verified zip. A file is written atomically.
func (m *Manager) Bundle(opts BundleOptions) (*BundleResult, error) {
	platforms, err := m.bundlePlatforms(opts)
	if err != nil {
		return nil, err
	}
	mods := make([]module.Version, len(platforms))
	for i, p := range platforms {
		mods[i] = Module(opts.Release, p)
	}
	col, err := m.collect(mods, nil)
	if err != nil {
		return nil, err
	}
	res := &BundleResult{File: opts.Output, Release: opts.Release.Toolchain(), Database: col.Tree.Database, TreeSize: col.Tree.N, ProofsOnly: opts.ProofsOnly, Unproven: errStrings(col.Unproven)}
	required := func(p Platform) bool { return !opts.AllPlatforms && !opts.BestEffort || p == Host() }
	for _, miss := range col.Missing {
		_, p, _ := ParseModuleVersion(miss.Module.Version)
		if required(p) {
			return nil, fmt.Errorf("checksum database %s has no record of %s: %w", col.Tree.Database, miss.Module.Version, miss.Err)
		}
		res.Skipped = append(res.Skipped, SkippedPlatform{p.String(), "the checksum database has no record of it"})
	}
	checked, err := sumproof.Check(col.Proof, m.Env.SumDB.Key)
	if err != nil {
		return nil, err // cannot happen for a proof Collect just made; a bundle is never written unchecked
	}
	zips := map[string]zipSource{}
	var unlocks []func() // each zip's version lock, held until the bundle is written
	defer func() {
		for _, unlock := range unlocks {
			unlock()
		}
	}()
	for _, p := range platforms {
		mod := Module(opts.Release, p)
		h1, id, ok := checked.Hash(mod.Path, mod.Version)
		if !ok {
			continue // skipped above
		}
		e := BundleEntry{Platform: p.String(), Version: mod.Version, H1: h1, Record: id}
		if !opts.ProofsOnly {
			zip, unlock, err := m.verifiedZipFor(mod, h1)
			if errors.Is(err, fs.ErrNotExist) && !required(p) {
				res.Skipped = append(res.Skipped, SkippedPlatform{p.String(), "the GOPROXY list has no zip of it"})
				continue
			}
			if err != nil {
				return nil, err
			}
			unlocks = append(unlocks, unlock)
			zips[mod.Version] = zipFile(zip)
			e.Zip = bundleZipsDir + mod.Version + ".zip"
		}
		res.Entries = append(res.Entries, e)
	}
	if len(res.Entries) == 0 {
		return nil, fmt.Errorf("no platform of %s could be proved: %v", opts.Release.Toolchain(), res.Skipped)
	}
	man := &BundleManifest{Format: BundleFormat, Database: col.Tree.Database, VerifierKey: m.Env.SumDB.Key, TreeSize: col.Tree.N,
		Release: opts.Release.Toolchain(), Entries: res.Entries, Skipped: res.Skipped}
	// The proof keeps every record it proved, also of a platform skipped
	// for want of a zip: its tiles are evidence the other records share.
	write := func(w io.Writer) error { return writeBundle(w, man, col.Proof, zips) }
	if opts.Writer != nil {
		return res, write(opts.Writer)
	}
	if err := atomicfile.WriteStream(opts.Output, 0o644, write); err != nil {
		return nil, err
	}
	return res, nil
}

// bundlePlatforms are the platforms to try: the ones asked for, every one
// the proxy lists for the release, or the host's.
func (m *Manager) bundlePlatforms(opts BundleOptions) ([]Platform, error) {
	if !opts.AllPlatforms {
		if len(opts.Platforms) == 0 {
			return []Platform{Host()}, nil
		}
		return opts.Platforms, nil
	}
	return m.ReleasePlatforms(opts.Release)
}

// ReleasePlatforms are the platforms the GOPROXY list offers release r
// for, after the host's and those envgen pins by default (a proxy that
// mirrors only some platforms lists only those; the database may still
// have records of the others).
func (m *Manager) ReleasePlatforms(r goversion.Release) ([]Platform, error) {
	rs, _, err := m.List()
	if err != nil {
		return nil, err
	}
	out := []Platform{Host()}
	for _, p := range PinnedPlatforms {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	for _, rel := range rs {
		if rel.Version != r.Toolchain() {
			continue
		}
		for _, s := range rel.Platforms {
			p, err := ParsePlatform(s)
			if err == nil && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// collect proves mods' records online against the database's newest tree
// head, proved consistent with the known heads and this machine's.
func (m *Manager) collect(mods []module.Version, known []sumproof.Tree) (*sumproof.Collected, error) {
	db, err := m.ChecksumDB()
	if err != nil {
		return nil, err
	}
	latestFile := db.Name() + "/latest"
	signed, err := db.ops.ReadConfig(latestFile)
	var local *sumproof.Tree
	if err == nil && len(signed) > 0 {
		if t, err := sumproof.OpenTree(signed, db.db.Key); err == nil {
			local = &t
			known = append(known, t)
		}
	}
	m.report(Event{Phase: "lookup", Source: db.Name()})
	col, err := sumproof.Collect(db.ops.ReadRemote, db.db.Key, mods, known...)
	if err != nil {
		return nil, err
	}
	// As the go command's client does: a newer head, proved consistent
	// with the one remembered, becomes the remembered one, so the next
	// run of either tool detects a fork against it. Another writer that
	// got there first wins (ErrWriteConflict); nothing is lost.
	if local == nil || col.Tree.N > local.N && !unprovenAgainst(col, *local) {
		_ = db.ops.WriteConfig(latestFile, signed, col.Tree.Note)
	}
	return col, nil
}

// unprovenAgainst tells whether Collect could not prove col's head
// consistent with t (it then must not replace t as the remembered head).
func unprovenAgainst(col *sumproof.Collected, t sumproof.Tree) bool {
	for _, u := range col.Unproven {
		if u.Head.Tree == t.Tree {
			return true
		}
	}
	return false
}

// verifiedZipFor fetches mod's zip into the module cache, proved to have
// hash h1 (the proof's), and holds the version lock until unlock.
func (m *Manager) verifiedZipFor(mod module.Version, h1 string) (string, func(), error) {
	unlock, err := m.lockVersion(mod)
	if err != nil {
		return "", nil, err
	}
	f, err := m.FetchZip(mod, h1)
	if err != nil {
		unlock()
		return "", nil, err
	}
	return f.Zip, unlock, nil
}

// RefreshBundle brings the bundle at path up to the database's newest
// tree head online: the old bundle is proved first (offline, with the
// trusted key), the new head is proved consistent with the old one, and
// every record is proved again; the zips are carried over. It writes
// output (which may be path) atomically.
func (m *Manager) RefreshBundle(path, output string) (*BundleResult, error) {
	b, err := OpenBundle(path)
	if err != nil {
		return nil, err
	}
	defer b.Close() //nolint:errcheck // read-only: a failed close loses nothing
	db, err := m.ChecksumDB()
	if err != nil {
		return nil, err
	}
	old, err := b.Prove(db.db.Key, m.Env)
	if err != nil {
		return nil, err
	}
	mods := make([]module.Version, len(b.Manifest.Entries))
	for i, e := range b.Manifest.Entries {
		mods[i] = e.Module()
	}
	col, err := m.collect(mods, []sumproof.Tree{old.Checked.Tree})
	if err != nil {
		return nil, err
	}
	if len(col.Missing) > 0 {
		return nil, &SecurityError{Subject: "checksum database " + col.Tree.Database, Detail: "it no longer has the record of " + col.Missing[0].Module.Version + ", which it proved before"}
	}
	checked, err := sumproof.Check(col.Proof, db.db.Key)
	if err != nil {
		return nil, err
	}
	man := b.Manifest
	man.TreeSize, man.VerifierKey = col.Tree.N, db.db.Key
	man.Entries = slices.Clone(b.Manifest.Entries)
	zips := map[string]zipSource{}
	for i, e := range man.Entries {
		h1, id, ok := checked.Hash(ModulePath, e.Version)
		if !ok || h1 != e.H1 {
			return nil, &SecurityError{Subject: e.Version, Hashes: []NamedHash{{Who: "bundle " + path, Hash: e.H1}, {Who: "checksum database " + col.Tree.Database, Hash: h1}}}
		}
		man.Entries[i].Record = id
		if e.Zip != "" {
			sec, _ := b.zipSection(e.Version)
			zips[e.Version] = func() (io.ReadCloser, error) { return io.NopCloser(io.NewSectionReader(sec, 0, sec.Size())), nil }
		}
	}
	if output == "" {
		output = path
	}
	if err := atomicfile.WriteStream(output, 0o644, func(w io.Writer) error { return writeBundle(w, &man, col.Proof, zips) }); err != nil {
		return nil, err
	}
	return &BundleResult{File: output, Release: man.Release, Database: col.Tree.Database, TreeSize: col.Tree.N,
		ProofsOnly: len(zips) == 0, Entries: man.Entries, Skipped: man.Skipped, Unproven: errStrings(col.Unproven)}, nil
}

func errStrings(us []sumproof.Unproven) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.Err.Error())
	}
	return out
}
