package toolchain

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/envgen/envgen/internal/goenv"
	"github.com/envgen/envgen/internal/goversion"
)

// noNetwork is an HTTP transport that fails every request and counts
// them: an offline machine, and the proof that nothing was asked.
type noNetwork struct{ calls atomic.Int32 }

func (n *noNetwork) RoundTrip(r *http.Request) (*http.Response, error) {
	n.calls.Add(1)
	return nil, errors.New("no network: " + r.URL.String())
}

// offline is a Manager on a machine that cannot reach anything, with
// GOPROXY=off and GOSUMDB=off as an air-gapped machine would set them.
func offline(t *testing.T, env *goenv.Env) (*Manager, *noNetwork) {
	t.Helper()
	off, err := goenv.ParseProxy("off")
	if err != nil {
		t.Fatal(err)
	}
	e := *env
	e.Proxy, e.ProxyRaw, e.SumDB, e.SumDBRaw = off, "off", goenv.SumDB{Off: true}, "off"
	nn := &noNetwork{}
	return NewManager(context.Background(), &e, &http.Client{Transport: nn, Timeout: time.Second}, t.TempDir(), nil), nn
}

func buildBundle(t *testing.T, fw *fakeWorld, opts BundleOptions) (string, *BundleResult) {
	t.Helper()
	if opts.Output == "" {
		opts.Output = filepath.Join(t.TempDir(), "go1.24.1.bundle")
	}
	opts.Release = testRelease
	res, err := fw.manager(t, fw.env(t, "")).Bundle(opts)
	if err != nil {
		t.Fatal(err)
	}
	return opts.Output, res
}

func proveBundle(t *testing.T, file, vkey string, env *goenv.Env) (*ProvedBundle, error) {
	t.Helper()
	b, err := OpenBundle(file)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { _ = b.Close() })
	return b.Prove(vkey, env)
}

func TestBundleVerifiesAndInstallsWithZeroNetwork(t *testing.T) {
	fw := newFakeWorld(t)
	file, res := buildBundle(t, fw, BundleOptions{AllPlatforms: true})
	if len(res.Entries) != len(PinnedPlatforms) || len(res.Skipped) != 0 {
		t.Fatalf("bundle = %+v, want every platform the proxy lists", res)
	}
	m, nn := offline(t, fw.env(t, ""))
	key, err := TrustedKey(m.Env, fw.vkey)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := proveBundle(t, file, key, m.Env)
	if err != nil {
		t.Fatal(err)
	}
	// A mirror's tarball of another platform verifies here.
	tarball := filepath.Join(t.TempDir(), "go1.24.1.darwin-arm64.tar.gz")
	if err := os.WriteFile(tarball, fakeTarball(t, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := m.Verify(VerifyOptions{Path: tarball, Bundle: pb})
	if err != nil || !v.OK || v.Platform != "darwin-arm64" || !strings.HasPrefix(v.Witness, "bundle ") {
		t.Fatalf("verify darwin-arm64 tarball offline = %+v, %v", v, err)
	}
	dir := filepath.Join(t.TempDir(), "go1.24.1")
	inst, err := m.Install(InstallOptions{Release: testRelease, Platform: testPlatform, Dir: dir, Bundle: pb, LockHash: fw.sums[testModule.Version]})
	if err != nil {
		t.Fatal(err)
	}
	if inst.H1 != fw.sums[testModule.Version] {
		t.Errorf("installed h1 %s, want %s", inst.H1, fw.sums[testModule.Version])
	}
	if _, err := os.Stat(filepath.Join(dir, "bin", "go")); err != nil {
		t.Fatal(err)
	}
	if v, err := m.Verify(VerifyOptions{Path: dir, Bundle: pb}); err != nil || !v.OK {
		t.Fatalf("verify the install offline = %+v, %v", v, err)
	}
	if n := nn.calls.Load(); n != 0 {
		t.Fatalf("%d network calls offline, want 0", n)
	}
}

// TestAlteredBundleIsRefused alters one byte of one member at a time
// (every byte of the note, the records and a stored zip, a sample of the
// tiles' and the manifest's): each bundle is refused with a SECURITY ERROR
// naming what failed, and nothing is installed.
func TestAlteredBundleIsRefused(t *testing.T) {
	fw := newFakeWorld(t)
	file, _ := buildBundle(t, fw, BundleOptions{Platforms: []Platform{testPlatform, {"darwin", "arm64"}}})
	members := readMembers(t, file)
	m, _ := offline(t, fw.env(t, ""))
	key, _ := TrustedKey(m.Env, fw.vkey)
	if _, err := proveBundle(t, file, key, m.Env); err != nil {
		t.Fatalf("the unaltered bundle: %v", err)
	}
	reference := filepath.Join(t.TempDir(), "reference")
	if err := proveAndInstall(t, m, file, key, reference); err != nil {
		t.Fatal(err)
	}
	want := treeDigest(t, reference)
	tried, harmless := 0, 0
	for name, data := range members {
		step := 1 // every byte of the note and the records
		switch {
		case strings.HasPrefix(name, bundleZipsDir):
			step = 3
		case strings.HasPrefix(name, "tile/") || name == bundleManifestName:
			step = 11 // sumproof's tests flip every byte of every tile
		}
		for i := 0; i < len(data); i += step {
			tried++
			altered := filepath.Join(t.TempDir(), "altered.bundle")
			writeMembers(t, altered, members, name, flipByte(data, i))
			dir := filepath.Join(t.TempDir(), "go")
			err := proveAndInstall(t, m, altered, key, dir)
			if err == nil && strings.HasPrefix(name, bundleZipsDir) && treeDigest(t, dir) == want {
				// A byte of the stored zip's own container that its h1
				// does not cover (a version field, a time): the database
				// vouches for names and contents, and what was installed
				// is bit for bit what the unaltered bundle installs.
				harmless++
				_ = os.RemoveAll(dir)
				m.clearCache(t)
				continue
			}
			if _, ok := errors.AsType[*SecurityError](err); !ok {
				t.Fatalf("%s byte %d altered: %v, want a SECURITY ERROR", name, i, err)
			}
			if !strings.Contains(err.Error(), "SECURITY ERROR") {
				t.Fatalf("%s byte %d: %q does not say SECURITY ERROR", name, i, err)
			}
			if _, statErr := os.Stat(dir); statErr == nil {
				t.Fatalf("%s byte %d altered: something was installed", name, i)
			}
		}
	}
	if tried < 1000 {
		t.Fatalf("%d alterations tried, %d harmless", tried, harmless)
	}
	t.Logf("%d alterations refused, %d in zip container bytes installed the identical tree", tried-harmless, harmless)
}

func proveAndInstall(t *testing.T, m *Manager, file, key, dir string) error {
	t.Helper()
	pb, err := proveBundle(t, file, key, m.Env)
	if err != nil {
		return err
	}
	if _, err := pb.VerifyZips(); err != nil {
		return err
	}
	_, err = m.Install(InstallOptions{Release: testRelease, Platform: testPlatform, Dir: dir, Bundle: pb})
	return err
}

func TestBundleNeverTrustsTheKeyItCarries(t *testing.T) {
	// A forger's database that calls itself sum.golang.org.
	skey, vkey := genKey(t, "sum.golang.org")
	fw := newFakeWorldWithKey(t, skey, vkey)
	fw.dbName = "sum.golang.org"
	file, _ := buildBundle(t, fw, BundleOptions{ProofsOnly: true})
	m, _ := offline(t, fw.env(t, ""))
	key, err := TrustedKey(m.Env, "") // GOSUMDB=off: envgen's own key of sum.golang.org
	if err != nil || key != goenv.GoSumDBKey {
		t.Fatalf("TrustedKey = %q, %v; want the built-in key", key, err)
	}
	_, err = proveBundle(t, file, key, m.Env)
	if _, ok := errors.AsType[*SecurityError](err); !ok || !strings.Contains(err.Error(), "not signed by the trusted key") {
		t.Fatalf("got %v, want a SECURITY ERROR: not signed by the trusted key", err)
	}
}

func TestBundleSkipsWhatTheDatabaseLacksButNotTheHost(t *testing.T) {
	fw := newFakeWorld(t)
	delete(fw.sums, Module(testRelease, Platform{"windows", "amd64"}).Version)
	_, res := buildBundle(t, fw, BundleOptions{AllPlatforms: true, ProofsOnly: true})
	if len(res.Skipped) != 1 || res.Skipped[0].Platform != "windows-amd64" || len(res.Entries) != len(PinnedPlatforms)-1 {
		t.Fatalf("bundle = %+v, want windows-amd64 skipped and reported, the others proved", res)
	}
	fw = newFakeWorld(t)                // a database records a module at its first lookup: start again
	delete(fw.sums, testModule.Version) // the host's
	_, err := fw.manager(t, fw.env(t, "")).Bundle(BundleOptions{Release: testRelease, AllPlatforms: true, ProofsOnly: true, Output: filepath.Join(t.TempDir(), "b")})
	if err == nil || !strings.Contains(err.Error(), testModule.Version) {
		t.Fatalf("without the host's record: %v, want an error naming it", err)
	}
}

func TestBundleRefusesAProxyThatAltersOneFile(t *testing.T) {
	fw := newFakeWorld(t)
	fw.zips[testModule.Version] = fakeZip(t, testModule, func(name string, data []byte) []byte {
		if strings.HasSuffix(name, "src/fmt/print.go") {
			return []byte("package fmt // altered by the proxy\n")
		}
		return data
	})
	out := filepath.Join(t.TempDir(), "b")
	_, err := fw.manager(t, fw.env(t, "")).Bundle(BundleOptions{Release: testRelease, Output: out})
	if _, ok := errors.AsType[*SecurityError](err); !ok {
		t.Fatalf("got %v, want a SECURITY ERROR", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a bundle was written from an altered zip")
	}
}

func readMembers(t *testing.T, file string) map[string][]byte {
	t.Helper()
	z, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = z.Close() }()
	out := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], err = io.ReadAll(r)
		_ = r.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// writeMembers writes a bundle from members, with member name's content
// replaced (the CRC is recomputed: the alteration is one a careful
// attacker makes, not a damaged download).
func writeMembers(t *testing.T, file string, members map[string][]byte, name string, data []byte) {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for n, d := range members {
		if n == name {
			d = data
		}
		method := zip.Deflate
		if strings.HasPrefix(n, bundleZipsDir) {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: method})
		if err == nil {
			_, err = w.Write(d)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func flipByte(b []byte, i int) []byte {
	out := bytes.Clone(b)
	out[i] ^= 0x01
	return out
}

func genKey(t *testing.T, name string) (skey, vkey string) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	return skey, vkey
}

// treeDigest sums an installed tree: every file's path, mode and content,
// but the install's own markers (they hold the time and the source).
func treeDigest(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if installMarkers[filepath.ToSlash(rel)] {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("digest: %w", err)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("digest: %w", err)
		}
		_, _ = fmt.Fprintf(h, "%s %v %x\n", rel, info.Mode(), sha256.Sum256(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// clearCache removes the module cache's toolchain zips, so the next
// install copies out of its bundle again.
func (m *Manager) clearCache(t *testing.T) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(m.Env.ModCache, "cache", "download", "golang.org", "toolchain", "@v", "*"))
	for _, f := range files {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
}

// forkedWorlds are two databases with one key and one name whose first
// records differ: a database that shows two histories.
func forkedWorlds(t *testing.T) (a, b *fakeWorld) {
	t.Helper()
	skey, vkey := genKey(t, "sum.example.test")
	a, b = newFakeWorldWithKey(t, skey, vkey), newFakeWorldWithKey(t, skey, vkey)
	for _, fw := range []*fakeWorld{a, b} {
		fw.sums["v0.0.1-go1.24.0.linux-amd64"] = "h1:" + strings.Repeat("A", 43) + "="
		fw.sums["v0.0.1-go1.24.0.darwin-arm64"] = "h1:" + strings.Repeat("B", 43) + "="
	}
	lookup := func(fw *fakeWorld, versions ...string) {
		for _, v := range versions {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, fw.srv.URL+"/sumdb/"+fw.dbName+"/lookup/golang.org/toolchain@"+v, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
		}
	}
	lookup(a, "v0.0.1-go1.24.0.linux-amd64", "v0.0.1-go1.24.0.darwin-arm64")
	lookup(b, "v0.0.1-go1.24.0.darwin-arm64", "v0.0.1-go1.24.0.linux-amd64")
	return a, b
}

// TestBundleFromAForkedDatabaseIsRefused: this machine has seen one
// history (the go command's state in $GOPATH/pkg/sumdb); a bundle from the
// other is a SECURITY ERROR offline.
func TestBundleFromAForkedDatabaseIsRefused(t *testing.T) {
	a, b := forkedWorlds(t)
	env := a.env(t, "")
	if _, err := a.manager(t, env).Expected(testModule, ""); err != nil { // the machine sees history a
		t.Fatal(err)
	}
	file, _ := buildBundle(t, b, BundleOptions{ProofsOnly: true})
	m, _ := offline(t, env)
	_, err := proveBundle(t, file, b.vkey, m.Env)
	if _, ok := errors.AsType[*SecurityError](err); !ok || !strings.Contains(err.Error(), "not one log") {
		t.Fatalf("got %v, want a SECURITY ERROR: not one log", err)
	}
}

// TestBundleConsistencyIsProvedOrSaidUnproven: a machine that has seen a
// newer head of the same log proves the bundle consistent from its tile
// cache; without the tiles it says so, and the bundle still verifies.
func TestBundleConsistencyIsProvedOrSaidUnproven(t *testing.T) {
	fw := newFakeWorld(t)
	file, _ := buildBundle(t, fw, BundleOptions{ProofsOnly: true})
	env := fw.env(t, "")
	fw.sums["v0.0.1-go1.24.0.linux-amd64"] = "h1:" + strings.Repeat("C", 43) + "="
	if _, err := fw.manager(t, env).Expected(Module(goversionOf(t, "1.24.0"), testPlatform), ""); err != nil {
		t.Fatal(err) // the log grew: this machine's head is newer than the bundle's
	}
	m, _ := offline(t, env)
	pb, err := proveBundle(t, file, fw.vkey, m.Env)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(pb.Consistency, "consistent") || len(pb.Warnings) != 0 {
		t.Fatalf("consistency %q, warnings %v: want proved from the tile cache", pb.Consistency, pb.Warnings)
	}
	if err := os.RemoveAll(filepath.Join(env.ModCache, "cache", "download", "sumdb")); err != nil {
		t.Fatal(err)
	}
	pb, err = proveBundle(t, file, fw.vkey, m.Env)
	if err != nil {
		t.Fatalf("without the tiles: %v, want a warning only", err)
	}
	if !strings.HasPrefix(pb.Consistency, "unproven") || len(pb.Warnings) != 1 {
		t.Fatalf("consistency %q, warnings %v: want unproven, said once", pb.Consistency, pb.Warnings)
	}
}

func TestRefreshBringsABundleToANewerHead(t *testing.T) {
	fw := newFakeWorld(t)
	file, old := buildBundle(t, fw, BundleOptions{Platforms: []Platform{testPlatform}})
	fw.sums["v0.0.1-go1.24.0.linux-amd64"] = "h1:" + strings.Repeat("D", 43) + "="
	m := fw.manager(t, fw.env(t, ""))
	if _, err := m.Expected(Module(goversionOf(t, "1.24.0"), testPlatform), ""); err != nil {
		t.Fatal(err)
	}
	res, err := m.RefreshBundle(file, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.TreeSize <= old.TreeSize || res.ProofsOnly {
		t.Fatalf("refreshed to tree %d (was %d), proofs only %v: want a newer head and the zip kept", res.TreeSize, old.TreeSize, res.ProofsOnly)
	}
	off, _ := offline(t, fw.env(t, ""))
	pb, err := proveBundle(t, file, fw.vkey, off.Env)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pb.VerifyZips(); err != nil || pb.Checked.Tree.N != res.TreeSize {
		t.Fatalf("refreshed bundle: tree %d, %v", pb.Checked.Tree.N, err)
	}
}

func TestRefreshAgainstAForkedDatabaseIsRefused(t *testing.T) {
	a, b := forkedWorlds(t)
	file, _ := buildBundle(t, a, BundleOptions{ProofsOnly: true})
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.manager(t, b.env(t, "")).RefreshBundle(file, "")
	if _, ok := errors.AsType[*SecurityError](err); !ok {
		t.Fatalf("got %v, want a SECURITY ERROR", err)
	}
	if after, _ := os.ReadFile(file); !bytes.Equal(before, after) {
		t.Fatal("the bundle was rewritten")
	}
}

func goversionOf(t *testing.T, s string) goversion.Release {
	t.Helper()
	r, err := goversion.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// verify --lock proves every pinned platform against the database, or a
// bundle with no network; a platform neither has is reported, a hash that
// disagrees is a SECURITY ERROR.
func TestVerifyLockProvesEveryPinnedPlatform(t *testing.T) {
	fw := newFakeWorld(t)
	hashes := map[string]string{}
	for _, p := range PinnedPlatforms {
		hashes[p.String()] = fw.sums[Module(testRelease, p).Version]
	}
	m := fw.manager(t, fw.env(t, ""))
	v, err := m.VerifyLock(testRelease, hashes, nil)
	if err != nil || !v.OK || len(v.Platforms) != len(PinnedPlatforms) || !strings.HasPrefix(v.Witness, "checksum database") {
		t.Fatalf("against the database: %+v, %v", v, err)
	}
	file, _ := buildBundle(t, fw, BundleOptions{Platforms: []Platform{testPlatform, {"darwin", "arm64"}}, ProofsOnly: true})
	off, nn := offline(t, fw.env(t, ""))
	pb, err := proveBundle(t, file, fw.vkey, off.Env)
	if err != nil {
		t.Fatal(err)
	}
	v, err = off.VerifyLock(testRelease, hashes, pb)
	if err != nil || v.OK || nn.calls.Load() != 0 {
		t.Fatalf("from a bundle of two platforms: %+v, %v, %d calls", v, err, nn.calls.Load())
	}
	proved := 0
	for _, p := range v.Platforms {
		if p.OK {
			proved++
		} else if !strings.Contains(p.Note, "has no record of it") {
			t.Errorf("%s: note %q", p.Platform, p.Note)
		}
	}
	if proved != 2 {
		t.Fatalf("%d platforms proved by the bundle, want 2: %+v", proved, v.Platforms)
	}
	hashes["linux-amd64"] = fw.sums[Module(testRelease, Platform{"linux", "arm64"}).Version]
	if _, err := off.VerifyLock(testRelease, hashes, pb); !isSecurity(err) {
		t.Fatalf("a lock hash the bundle contradicts: %v, want a SECURITY ERROR", err)
	}
}

// Building a bundle remembers the newest head it proved, in the go
// command's shared state, as the go command's client does: a bundle from
// a database that shows another history is then refused on this machine.
func TestBundleRemembersTheNewestHead(t *testing.T) {
	a, b := forkedWorlds(t)
	env := a.env(t, "")
	latest := filepath.Join(env.SumDBDir, a.dbName, "latest")
	if _, err := os.Stat(latest); err == nil {
		t.Fatal("the machine has a head before any run")
	}
	if _, err := a.manager(t, env).Bundle(BundleOptions{Release: testRelease, ProofsOnly: true, Output: filepath.Join(t.TempDir(), "a")}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(latest); err != nil {
		t.Fatalf("no head remembered: %v", err)
	}
	file, _ := buildBundle(t, b, BundleOptions{ProofsOnly: true})
	off, _ := offline(t, env)
	_, err := proveBundle(t, file, b.vkey, off.Env)
	if !isSecurity(err) || !strings.Contains(err.Error(), "not one log") {
		t.Fatalf("got %v, want a SECURITY ERROR: not one log", err)
	}
}
