package sumproof

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/mod/module"
)

func latest(t *testing.T, db *testDB) Tree {
	t.Helper()
	data, err := db.remote("/latest")
	if err != nil {
		t.Fatal(err)
	}
	tree, err := OpenTree(data, db.vkey)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestConsistentAcrossGrowth(t *testing.T) {
	skey, vkey := testKeys(t, "sum.example.test")
	db := newTestDB(t, skey, vkey)
	db.grow("a", 40)
	old := latest(t, db)
	db.grow("b", 300)
	now := latest(t, db)
	if err := Consistent(old, now, db.remote2()); err != nil {
		t.Fatalf("a grown log: %v", err)
	}
	if err := Consistent(now, old, db.remote2()); err != nil {
		t.Fatalf("either order: %v", err)
	}
	if err := Consistent(old, now); !errors.Is(err, ErrUnproven) {
		t.Fatalf("without tiles: %v, want ErrUnproven", err)
	}
}

// forkedPair is two databases with one key whose first records differ:
// what a database that shows different histories to different users
// looks like.
func forkedPair(t *testing.T) (a, b *testDB) {
	skey, vkey := testKeys(t, "sum.example.test")
	a, b = newTestDB(t, skey, vkey), newTestDB(t, skey, vkey)
	a.grow("x", 3)
	b.grow("y", 3)
	a.grow("common", 5)
	b.grow("common", 5)
	return a, b
}

func TestForkIsASecurityError(t *testing.T) {
	a, b := forkedPair(t)
	ta, tb := latest(t, a), latest(t, b)
	if ta.N != tb.N {
		t.Fatalf("sizes %d and %d", ta.N, tb.N)
	}
	err := Consistent(ta, tb)
	var se *SecurityError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "not one log") {
		t.Fatalf("same size, other hash: %v, want a fork", err)
	}
	a.grow("more", 20)
	bigger := latest(t, a)
	if err := Consistent(tb, bigger, a.remote2()); !errors.As(err, &se) {
		t.Fatalf("a smaller head of another history: %v, want a fork", err)
	}
}

func TestCollectRefusesADatabaseThatForkedFromAKnownHead(t *testing.T) {
	a, b := forkedPair(t)
	known := latest(t, a)
	_, err := Collect(b.remote, b.vkey, []module.Version{mod("golang.org/toolchain", toolchains[0])}, known)
	var se *SecurityError
	if !errors.As(err, &se) {
		t.Fatalf("got %v, want a SecurityError", err)
	}
}

// remote2 is the database's tiles as a TileSource.
func (db *testDB) remote2() TileSource {
	return func(path string) ([]byte, error) { return db.remote("/" + path) }
}
