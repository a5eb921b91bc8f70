package toolchain

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/envgen/envgen/internal/exitcode"
	"github.com/envgen/envgen/internal/sumproof"
)

// A proof bundle is one zip file that carries a toolchain's proofs (and,
// unless proofs only, its module zips) to a machine that cannot reach
// the checksum database. Its members:
//
//	envgen-bundle.json             the manifest (BundleManifest): what is inside
//	note                           the signed tree head every record is proved against
//	records/<id>                   each record's text, as the database serves it
//	tile/<H>/<L>/<N>[.p/<W>]       the tiles from each record to the tree hash (database paths)
//	zips/<module version>.zip      a toolchain module zip, stored uncompressed
//
// The manifest is never trusted: every hash is taken from a record that
// was proved against a tree head signed by a key the verifier already
// holds (envgen's, GOSUMDB's or --key, never the one the manifest names).
const BundleFormat = "envgen-toolchain-bundle/1"

const (
	bundleManifestName = "envgen-bundle.json"
	bundleNoteName     = "note"
	bundleRecordsDir   = "records/"
	bundleZipsDir      = "zips/"
)

// Limits on what a bundle may hold, checked before anything is read into
// memory: a bundle is untrusted input.
const (
	maxBundleMembers   = 4096
	maxBundleSmallFile = 1 << 20 // manifest, note, a record
	maxBundleZip       = 1 << 30
)

// BundleManifest lists a bundle's contents.
type BundleManifest struct {
	Format   string `json:"format"`
	Database string `json:"database"`
	// VerifierKey is the key of the database the bundle was built from,
	// for people to read: envgen never verifies with it.
	VerifierKey string            `json:"verifier_key"`
	TreeSize    int64             `json:"tree_size"`
	Release     string            `json:"release"`
	Entries     []BundleEntry     `json:"entries"`
	Skipped     []SkippedPlatform `json:"skipped,omitempty"`
}

// BundleEntry is one platform's toolchain in a bundle.
type BundleEntry struct {
	Platform string `json:"platform"`
	Version  string `json:"version"` // module version: v0.0.1-go1.27.4.linux-amd64
	H1       string `json:"h1"`
	Record   int64  `json:"record"`
	Zip      string `json:"zip,omitempty"` // member name; "" with proofs only
}

// SkippedPlatform is a platform left out, and why (the proxy or the
// database does not have it).
type SkippedPlatform struct {
	Platform string `json:"platform"`
	Reason   string `json:"reason"`
}

// Module is the entry's module version.
func (e BundleEntry) Module() module.Version {
	return module.Version{Path: ModulePath, Version: e.Version}
}

// bundleTime is every member's time, so that the same proofs give the
// same bytes (a project commits its bundle).
var bundleTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// zipSource opens a verified zip to store in a bundle.
type zipSource func() (io.ReadCloser, error)

func zipFile(name string) zipSource {
	return func() (io.ReadCloser, error) { return os.Open(name) } //nolint:gosec // G304: a verified zip in the module cache
}

// writeBundle writes the bundle's members in a fixed order; zips maps a
// module version to the verified zip to store.
func writeBundle(w io.Writer, man *BundleManifest, proof *sumproof.Proof, zips map[string]zipSource) error {
	zw := zip.NewWriter(w)
	add := func(name string, method uint16, body func(io.Writer) error) error {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: bundleTime})
		if err != nil {
			return fmt.Errorf("bundle: %w", err)
		}
		return body(fw)
	}
	bytesOf := func(b []byte) func(io.Writer) error {
		return func(w io.Writer) error {
			_, err := w.Write(b)
			return err //nolint:wrapcheck // wrapped once below, with the member's name
		}
	}
	manJSON, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return fmt.Errorf("bundle manifest: %w", err)
	}
	members := []struct {
		name string
		data []byte
	}{{bundleManifestName, append(manJSON, '\n')}, {bundleNoteName, proof.Note}}
	for _, r := range proof.Records {
		members = append(members, struct {
			name string
			data []byte
		}{bundleRecordsDir + strconv.FormatInt(r.ID, 10), r.Text})
	}
	tiles := make([]string, 0, len(proof.Tiles))
	for p := range proof.Tiles {
		tiles = append(tiles, p)
	}
	sort.Strings(tiles)
	for _, p := range tiles {
		members = append(members, struct {
			name string
			data []byte
		}{p, proof.Tiles[p]})
	}
	for _, m := range members {
		if err := add(m.name, zip.Deflate, bytesOf(m.data)); err != nil {
			return fmt.Errorf("bundle %s: %w", m.name, err)
		}
	}
	versions := make([]string, 0, len(zips))
	for v := range zips {
		versions = append(versions, v)
	}
	sort.Strings(versions)
	for _, v := range versions {
		err := add(bundleZipsDir+v+".zip", zip.Store, func(w io.Writer) error {
			f, err := zips[v]()
			if err != nil {
				return err
			}
			defer f.Close() //nolint:errcheck // read-only: a failed close loses nothing
			_, err = io.Copy(w, f)
			return err //nolint:wrapcheck // wrapped once below
		})
		if err != nil {
			return fmt.Errorf("bundle %s: %w", v, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	return nil
}

// Bundle is an opened, not yet verified, proof bundle.
type Bundle struct {
	Path     string
	Manifest BundleManifest
	Proof    *sumproof.Proof
	data     io.ReaderAt
	closer   io.Closer
	zips     map[string]*zip.File // by module version
}

// bundleError is a bundle whose structure was altered or damaged: fail
// closed, as for any other altered byte.
func bundleError(path, format string, args ...any) error {
	return &SecurityError{Subject: "bundle " + path, Detail: fmt.Sprintf(format, args...)}
}

// OpenBundle reads a bundle's manifest, note, records and tiles and
// indexes its zips. It checks structure only: Verify proves it.
func OpenBundle(path string) (*Bundle, error) {
	f, err := os.Open(path) //nolint:gosec // G304: the bundle the user named
	if errors.Is(err, fs.ErrNotExist) {
		return nil, exitcode.Usagef(path, "give the bundle written by 'envgen toolchain bundle -o FILE'", "no such file")
	}
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close() // read-only
		return nil, fmt.Errorf("bundle: %w", err)
	}
	b, err := readBundle(path, f, fi.Size())
	if err != nil {
		_ = f.Close() // read-only
		return nil, err
	}
	b.closer = f
	return b, nil
}

// ReadBundle reads a bundle held in memory (a project's proofs, as the
// project's reader returns them); name says where it came from.
func ReadBundle(name string, data []byte) (*Bundle, error) {
	return readBundle(name, bytes.NewReader(data), int64(len(data)))
}

func readBundle(path string, r io.ReaderAt, size int64) (*Bundle, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, bundleError(path, "not a readable bundle: %v", err)
	}
	if len(z.File) > maxBundleMembers {
		return nil, bundleError(path, "%d members, more than a bundle holds (%d)", len(z.File), maxBundleMembers)
	}
	b := &Bundle{Path: path, data: r, Proof: &sumproof.Proof{Tiles: map[string][]byte{}}, zips: map[string]*zip.File{}}
	var manifest []byte
	seen := map[string]bool{}
	for _, zf := range z.File {
		if seen[zf.Name] {
			return nil, bundleError(path, "member %s twice", zf.Name)
		}
		seen[zf.Name] = true
		if err := b.readMember(zf, &manifest); err != nil {
			return nil, err
		}
	}
	if manifest == nil || b.Proof.Note == nil {
		return nil, bundleError(path, "no %s or no %s: not a complete bundle", bundleManifestName, bundleNoteName)
	}
	dec := json.NewDecoder(bytes.NewReader(manifest))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b.Manifest); err != nil {
		return nil, bundleError(path, "%s: %v", bundleManifestName, err)
	}
	if b.Manifest.Format != BundleFormat {
		return nil, bundleError(path, "format %q, want %q (a bundle from a newer envgen?)", b.Manifest.Format, BundleFormat)
	}
	if err := b.checkEntries(); err != nil {
		return nil, err
	}
	return b, nil
}

// readMember files one member by its name.
func (b *Bundle) readMember(zf *zip.File, manifest *[]byte) error {
	name := zf.Name
	switch {
	case strings.HasPrefix(name, bundleZipsDir):
		v, ok := strings.CutSuffix(strings.TrimPrefix(name, bundleZipsDir), ".zip")
		if _, _, valid := ParseModuleVersion(v); !ok || !valid {
			return bundleError(b.Path, "member %s is not a toolchain zip", name)
		}
		if zf.Method != zip.Store || zf.UncompressedSize64 > maxBundleZip {
			return bundleError(b.Path, "member %s must be stored uncompressed and under 1 GiB", name)
		}
		b.zips[v] = zf
		return nil
	case name == bundleManifestName, name == bundleNoteName, strings.HasPrefix(name, bundleRecordsDir), strings.HasPrefix(name, "tile/"):
	default:
		return bundleError(b.Path, "unexpected member %s", name)
	}
	if zf.UncompressedSize64 > maxBundleSmallFile {
		return bundleError(b.Path, "member %s is too large", name)
	}
	data, err := readAllMember(zf)
	if err != nil {
		return bundleError(b.Path, "member %s: %v", name, err)
	}
	switch {
	case name == bundleManifestName:
		*manifest = data
	case name == bundleNoteName:
		b.Proof.Note = data
	case strings.HasPrefix(name, bundleRecordsDir):
		id, err := strconv.ParseInt(strings.TrimPrefix(name, bundleRecordsDir), 10, 64)
		if err != nil || id < 0 || strconv.FormatInt(id, 10) != strings.TrimPrefix(name, bundleRecordsDir) {
			return bundleError(b.Path, "member %s is not a record number", name)
		}
		b.Proof.Records = append(b.Proof.Records, sumproof.Record{ID: id, Text: data})
	default:
		t, err := tlog.ParseTilePath(name)
		if err != nil || t.Path() != name || t.H != sumproof.TileHeight {
			return bundleError(b.Path, "member %s is not a tile of height %d", name, sumproof.TileHeight)
		}
		b.Proof.Tiles[name] = data
	}
	return nil
}

// readAllMember reads a member through archive/zip, which checks its CRC.
func readAllMember(zf *zip.File) ([]byte, error) {
	r, err := zf.Open()
	if err != nil {
		return nil, err //nolint:wrapcheck // the caller names the member
	}
	defer r.Close()                                            //nolint:errcheck // read-only: a failed close loses nothing
	return io.ReadAll(io.LimitReader(r, maxBundleSmallFile+1)) //nolint:wrapcheck // the caller names the member
}

// checkEntries holds the manifest to the members: every entry's zip is
// there, and no zip is there that no entry names.
func (b *Bundle) checkEntries() error {
	named := map[string]bool{}
	for _, e := range b.Manifest.Entries {
		goVersion, p, ok := ParseModuleVersion(e.Version)
		if !ok || p.String() != e.Platform || goVersion != b.Manifest.Release {
			return bundleError(b.Path, "manifest entry %q is not a %s toolchain for %s", e.Version, b.Manifest.Release, e.Platform)
		}
		if e.Zip == "" {
			continue
		}
		if e.Zip != bundleZipsDir+e.Version+".zip" || b.zips[e.Version] == nil {
			return bundleError(b.Path, "manifest entry %s names zip %q, which the bundle does not hold", e.Version, e.Zip)
		}
		named[e.Version] = true
	}
	for v := range b.zips {
		if !named[v] {
			return bundleError(b.Path, "member %s%s.zip is in no manifest entry", bundleZipsDir, v)
		}
	}
	return nil
}

// Close releases the bundle file.
func (b *Bundle) Close() error {
	if b.closer == nil {
		return nil
	}
	if err := b.closer.Close(); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	return nil
}

// zipSection is the stored zip of module version v, read in place.
func (b *Bundle) zipSection(v string) (*io.SectionReader, bool) {
	zf := b.zips[v]
	if zf == nil {
		return nil, false
	}
	off, err := zf.DataOffset()
	if err != nil {
		return nil, false
	}
	return io.NewSectionReader(b.data, off, int64(zf.UncompressedSize64)), true //nolint:gosec // G115: at most maxBundleZip, checked when the member was read
}
