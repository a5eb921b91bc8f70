package sumproof

import (
	"context"
	"crypto/rand"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"
)

// testDB is a go.sum database in memory (golang.org/x/mod/sumdb's test
// server, with its own key): a record is added the first time a module
// is looked up, as sum.golang.org does.
type testDB struct {
	t        testing.TB
	vkey     string
	handler  http.Handler
	has      func(m module.Version) bool
	requests int
}

func newTestDB(t testing.TB, skey, vkey string) *testDB {
	db := &testDB{t: t, vkey: vkey, has: func(module.Version) bool { return true }}
	ts := sumdb.NewTestServer(skey, func(path, vers string) ([]byte, error) {
		if !db.has(module.Version{Path: path, Version: vers}) {
			return nil, os.ErrNotExist // the server answers 404 only for this very error
		}
		return fmt.Appendf(nil, "%s %s %s\n%s %s/go.mod %s\n", path, vers, fakeH1(path, vers), path, vers, fakeH1(path, vers+"/go.mod")), nil
	})
	db.handler = sumdb.NewServer(ts)
	return db
}

func testKeys(t testing.TB, name string) (skey, vkey string) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	return skey, vkey
}

// fakeH1 is a stand-in module hash, different for every module.
func fakeH1(path, vers string) string {
	return "h1:" + fmt.Sprintf("%x", []byte(path+"@"+vers))[:40] + "="
}

// remote reads the database in process; 404 and 410 are fs.ErrNotExist.
func (db *testDB) remote(path string) ([]byte, error) {
	db.requests++
	rec := httptest.NewRecorder()
	req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, path, nil)
	db.handler.ServeHTTP(rec, req)
	switch rec.Code {
	case http.StatusOK:
		return rec.Body.Bytes(), nil
	case http.StatusNotFound, http.StatusGone:
		return nil, fmt.Errorf("%s: %d: %w", path, rec.Code, fs.ErrNotExist)
	default:
		return nil, fmt.Errorf("%s: %d %s", path, rec.Code, rec.Body.String())
	}
}

// grow looks up n more modules, so that the tree has at least n more records.
func (db *testDB) grow(prefix string, n int) {
	for i := range n {
		if _, err := db.remote(fmt.Sprintf("/lookup/example.com/%s@v1.0.%d", prefix, i)); err != nil {
			db.t.Fatal(err)
		}
	}
}

func mod(path, version string) module.Version { return module.Version{Path: path, Version: version} }
