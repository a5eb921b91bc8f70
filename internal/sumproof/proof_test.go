package sumproof

import (
	"errors"
	"io/fs"
	"maps"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/module"
)

var toolchains = []string{
	"v0.0.1-go1.27.4.linux-amd64", "v0.0.1-go1.27.4.linux-arm64",
	"v0.0.1-go1.27.4.darwin-arm64", "v0.0.1-go1.27.4.windows-amd64",
}

// collectFrom grows a database past one full tile at every level that
// matters (300 records: full and partial tiles at level 0, a partial at
// level 1), then collects the proofs of the toolchain records.
func collectFrom(t *testing.T, db *testDB) *Collected {
	t.Helper()
	db.grow("before", 150)
	var mods = make([]module.Version, 0, len(toolchains))
	for _, v := range toolchains {
		mods = append(mods, mod("golang.org/toolchain", v))
	}
	if _, err := db.remote("/lookup/golang.org/toolchain@" + toolchains[0]); err != nil {
		t.Fatal(err)
	}
	db.grow("after", 150)
	c, err := Collect(db.remote, db.vkey, mods)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Missing) != 0 || len(c.Unproven) != 0 {
		t.Fatalf("missing %v, unproven %v", c.Missing, c.Unproven)
	}
	return c
}

func TestCollectedProofChecksOffline(t *testing.T) {
	skey, vkey := testKeys(t, "sum.example.test")
	db := newTestDB(t, skey, vkey)
	c := collectFrom(t, db)
	if c.Tree.N < 300 {
		t.Fatalf("tree of %d records: want a tree with more than one tile", c.Tree.N)
	}
	before := db.requests
	checked, err := Check(c.Proof, vkey)
	if err != nil {
		t.Fatal(err)
	}
	if db.requests != before {
		t.Fatal("Check asked the database")
	}
	for _, v := range toolchains {
		h, _, ok := checked.Hash("golang.org/toolchain", v)
		if !ok || h != fakeH1("golang.org/toolchain", v) {
			t.Errorf("%s: hash %q, %v; want the database's %s", v, h, ok, fakeH1("golang.org/toolchain", v))
		}
	}
	if _, _, ok := checked.Hash("golang.org/toolchain", "v0.0.1-go1.27.4.plan9-amd64"); ok {
		t.Error("a hash for a module the proof does not hold")
	}
	if len(c.Proof.Tiles) < 3 {
		t.Errorf("%d tiles: want tiles at two levels", len(c.Proof.Tiles))
	}
}

// TestCheckRefusesEveryAlteredByte flips each byte of the note, of every
// record and of every tile in turn: each altered proof is refused with a
// SecurityError naming the part that failed.
func TestCheckRefusesEveryAlteredByte(t *testing.T) {
	skey, vkey := testKeys(t, "sum.example.test")
	c := collectFrom(t, newTestDB(t, skey, vkey))
	p := c.Proof
	refused := func(what string, q *Proof, subject string) {
		t.Helper()
		_, err := Check(q, vkey)
		var se *SecurityError
		if !errors.As(err, &se) {
			t.Fatalf("%s: got %v, want a SecurityError", what, err)
		}
		if !strings.Contains(se.Subject, subject) {
			t.Fatalf("%s: the error names %q, want %q: %v", what, se.Subject, subject, err)
		}
	}
	for i := range p.Note {
		q := *p
		q.Note = flip(p.Note, i)
		refused("note byte "+itoa(i), &q, "signed tree head")
	}
	for k, r := range p.Records {
		for i := range r.Text {
			q := *p
			q.Records = append([]Record(nil), p.Records...)
			q.Records[k].Text = flip(r.Text, i)
			refused("record "+itoa(int(r.ID))+" byte "+itoa(i), &q, "record")
		}
	}
	for path, data := range p.Tiles {
		for i := range data {
			q := *p
			q.Tiles = maps.Clone(p.Tiles)
			q.Tiles[path] = flip(data, i)
			refused(path+" byte "+itoa(i), &q, "tiles")
		}
	}
}

func TestCheckNeverTrustsAKeyThatCameWithTheData(t *testing.T) {
	skey, vkey := testKeys(t, "sum.golang.org")
	_, trusted := testKeys(t, "sum.golang.org") // same name, another key: a forger's
	c := collectFrom(t, newTestDB(t, skey, vkey))
	_, err := Check(c.Proof, trusted)
	var se *SecurityError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "not signed by the trusted key") {
		t.Fatalf("got %v, want a SecurityError: not signed by the trusted key", err)
	}
}

func TestCheckRefusesMissingAndExtraTiles(t *testing.T) {
	skey, vkey := testKeys(t, "sum.example.test")
	c := collectFrom(t, newTestDB(t, skey, vkey))
	for path := range c.Proof.Tiles {
		q := *c.Proof
		q.Tiles = maps.Clone(c.Proof.Tiles)
		delete(q.Tiles, path)
		if _, err := Check(&q, vkey); err == nil || !strings.Contains(err.Error(), "incomplete") {
			t.Errorf("without %s: %v, want the proof refused as incomplete", path, err)
		}
	}
	q := *c.Proof
	q.Tiles = maps.Clone(c.Proof.Tiles)
	q.Tiles["tile/8/0/x123/456"] = make([]byte, 8192)
	if _, err := Check(&q, vkey); err == nil || !strings.Contains(err.Error(), "proves no record") {
		t.Errorf("with an extra tile: %v, want it refused", err)
	}
}

func TestCollectReportsWhatTheDatabaseDoesNotHave(t *testing.T) {
	skey, vkey := testKeys(t, "sum.example.test")
	db := newTestDB(t, skey, vkey)
	db.has = func(m module.Version) bool { return !strings.Contains(m.Version, "windows") }
	var mods []module.Version
	for _, v := range toolchains {
		mods = append(mods, mod("golang.org/toolchain", v))
	}
	c, err := Collect(db.remote, vkey, mods)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Missing) != 1 || c.Missing[0].Module.Version != "v0.0.1-go1.27.4.windows-amd64" || !errors.Is(c.Missing[0].Err, fs.ErrNotExist) {
		t.Fatalf("missing = %v, want windows-amd64 only", c.Missing)
	}
	checked, err := Check(c.Proof, vkey)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := checked.Hash("golang.org/toolchain", "v0.0.1-go1.27.4.linux-arm64"); !ok {
		t.Error("the platforms the database has are not in the proof")
	}
}

func flip(b []byte, i int) []byte {
	out := append([]byte(nil), b...)
	out[i] ^= 0x01
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
