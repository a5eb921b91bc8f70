package sumproof

import (
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Tree is a signed tree head whose signature verified.
type Tree struct {
	tlog.Tree
	Note     []byte // the signed note, as the database served it
	Database string // the name of the key that signed it
}

// OpenTree verifies a signed tree head with the verifier key vkey (never
// with a key that came with the note) and parses it.
func OpenTree(signed []byte, vkey string) (Tree, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return Tree{}, fmt.Errorf("verifier key: %w", err)
	}
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		var unknown *note.UnverifiedNoteError
		if errors.As(err, &unknown) {
			return Tree{}, securityf("signed tree head", "not signed by the trusted key %s (signed by %s)", v.Name(), signers(unknown.Note))
		}
		return Tree{}, securityf("signed tree head", "its signature by %s does not verify: %v", v.Name(), err)
	}
	if err := canonicalSignatures(n); err != nil {
		return Tree{}, err
	}
	t, err := tlog.ParseTree([]byte(n.Text))
	if err != nil {
		return Tree{}, securityf("signed tree head", "signed, but not a tree head: %v", err)
	}
	return Tree{Tree: t, Note: signed, Database: v.Name()}, nil
}

// canonicalSignatures refuses a signature line that decodes to the right
// bytes but is not how they encode (base64's unused low bits): an altered
// byte of a note is refused even where it changes nothing that is checked.
func canonicalSignatures(n *note.Note) error {
	for _, s := range append(append([]note.Signature(nil), n.Sigs...), n.UnverifiedSigs...) {
		raw, err := base64.StdEncoding.DecodeString(s.Base64)
		if err != nil || base64.StdEncoding.EncodeToString(raw) != s.Base64 {
			return securityf("signed tree head", "the signature by %s is not in canonical form: the note was altered", s.Name)
		}
	}
	return nil
}

func signers(n *note.Note) string {
	var names []string
	for _, s := range n.UnverifiedSigs {
		names = append(names, s.Name)
	}
	if len(names) == 0 {
		return "no one"
	}
	return strings.Join(names, ", ")
}

// Record is one record of the log: its number and its text, as the
// database serves it ("golang.org/toolchain v0.0.1-go1.24.1.linux-amd64
// h1:...\n" and the go.mod line).
type Record struct {
	ID   int64
	Text []byte
}

// Proof is everything needed to prove some records offline: the tree
// head, the records and the tiles from each record up to the tree hash.
type Proof struct {
	Note    []byte
	Records []Record
	Tiles   map[string][]byte // by tile path ("tile/8/0/x001/234.p/5")
}

// Checked is a Proof that verified: every hash it answers is in the log.
type Checked struct {
	Tree    Tree
	records []Record
}

// Check proves p with the trusted verifier key vkey and no network: the
// note's signature, every tile against the tree hash, every record
// against its tile. A proof that carries a tile no record needs is
// refused too: a proof holds exactly its evidence.
func Check(p *Proof, vkey string) (*Checked, error) {
	tree, err := OpenTree(p.Note, vkey)
	if err != nil {
		return nil, err
	}
	tr := newTileReader(MapTiles(p.Tiles))
	thr := tlog.TileHashReader(tree.Tree, tr)
	for _, r := range p.Records {
		if err := checkRecord(tree, thr, r); err != nil {
			return nil, err
		}
	}
	used := tr.usedTiles()
	var extra []string
	for path := range p.Tiles {
		if _, ok := used[path]; !ok {
			extra = append(extra, path)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return nil, securityf("tiles", "%s proves no record: a proof carries only its evidence", strings.Join(extra, ", "))
	}
	return &Checked{Tree: tree, records: p.Records}, nil
}

// checkRecord proves record r is in tree, reading hashes through thr.
func checkRecord(tree Tree, thr tlog.HashReader, r Record) error {
	subject := fmt.Sprintf("record %d", r.ID)
	if r.ID < 0 || r.ID >= tree.N {
		return securityf(subject, "not in the tree of %d records", tree.N)
	}
	hashes, err := thr.ReadHashes([]int64{tlog.StoredHashIndex(0, r.ID)})
	switch {
	case errors.Is(err, errMissingTile):
		return securityf("tiles", "the proof of %s is incomplete: %v", subject, err)
	case err != nil:
		return securityf("tiles", "they do not prove tree %d (%v): a tile was altered", tree.N, err)
	}
	if hashes[0] != tlog.RecordHash(r.Text) {
		return securityf(subject, "its text is not the record the tree holds: the record was altered")
	}
	return nil
}

// Hash returns the hash the checked records hold for path@version (a
// version ending in /go.mod asks for the go.mod's hash), and the record
// that holds it.
func (c *Checked) Hash(path, version string) (hash string, id int64, ok bool) {
	prefix := path + " " + version + " "
	for _, r := range c.records {
		for line := range strings.SplitSeq(string(r.Text), "\n") {
			if h, found := strings.CutPrefix(line, prefix); found {
				return h, r.ID, true
			}
		}
	}
	return "", 0, false
}
