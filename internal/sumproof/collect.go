package sumproof

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/tlog"
)

// Remote reads a file of a go.sum database by its path ("/latest",
// "/lookup/M@V", "/tile/8/0/001"). An answer that the database has no
// such file must match fs.ErrNotExist.
type Remote func(path string) ([]byte, error)

// Missing is a module version the database has no record of.
type Missing struct {
	Module module.Version
	Err    error
}

// Collected is what Collect proved.
type Collected struct {
	Proof   *Proof
	Tree    Tree      // the head the proof is against: the newest the database showed
	Missing []Missing // modules without a record, each with the database's answer
	// Unproven lists heads that could not be proved consistent with Tree
	// for want of tiles (ErrUnproven); never a fork.
	Unproven []Unproven
}

// Unproven is a head Collect could not prove consistent, and why.
type Unproven struct {
	Head Tree
	Err  error
}

// Collect asks the database, through remote, for the records of mods and
// keeps the proof of each one it has, against the newest signed tree head
// it showed (its /latest or one that came with a lookup). Every head it
// showed on the way, and every known head (such as the go command's
// latest in $GOPATH/pkg/sumdb), is proved consistent with that one: a
// fork is a SecurityError, and nothing is returned.
func Collect(remote Remote, vkey string, mods []module.Version, known ...Tree) (*Collected, error) {
	latest, err := remote("/latest")
	if err != nil {
		return nil, fmt.Errorf("checksum database: %w", err)
	}
	newest, err := OpenTree(latest, vkey)
	if err != nil {
		return nil, err
	}
	heads := []Tree{newest}
	out := &Collected{}
	var records []Record
	for _, m := range mods {
		r, head, err := lookup(remote, vkey, m)
		if errors.Is(err, fs.ErrNotExist) {
			out.Missing = append(out.Missing, Missing{m, err})
			continue
		}
		if err != nil {
			return nil, err
		}
		records = append(records, r)
		heads = append(heads, head)
		if head.N > newest.N {
			newest = head
		}
	}
	tiles := memo(TileSource(func(path string) ([]byte, error) { return remote("/" + path) }))
	for _, h := range append(heads, known...) {
		err := Consistent(h, newest, tiles)
		if errors.Is(err, ErrUnproven) {
			out.Unproven = append(out.Unproven, Unproven{Head: h, Err: err})
			continue
		}
		if err != nil {
			return nil, err
		}
	}
	// The proof's tiles are exactly those the record checks read.
	tr := newTileReader(tiles)
	thr := tlog.TileHashReader(newest.Tree, tr)
	records = dedupe(records)
	for _, r := range records {
		if err := checkRecord(newest, thr, r); err != nil {
			return nil, err
		}
	}
	out.Proof = &Proof{Note: newest.Note, Records: records, Tiles: tr.usedTiles()}
	out.Tree = newest
	return out, nil
}

// lookup asks for m's record and verifies the head that came with it.
func lookup(remote Remote, vkey string, m module.Version) (Record, Tree, error) {
	ep, err := module.EscapePath(m.Path)
	if err != nil {
		return Record{}, Tree{}, fmt.Errorf("checksum database lookup: %w", err)
	}
	ev, err := module.EscapeVersion(m.Version)
	if err != nil {
		return Record{}, Tree{}, fmt.Errorf("checksum database lookup: %w", err)
	}
	data, err := remote("/lookup/" + ep + "@" + ev)
	if err != nil {
		return Record{}, Tree{}, fmt.Errorf("checksum database lookup %s@%s: %w", m.Path, m.Version, err)
	}
	id, text, signed, err := tlog.ParseRecord(data)
	if err != nil {
		return Record{}, Tree{}, securityf("checksum database lookup "+m.Path+"@"+m.Version, "malformed answer: %v", err)
	}
	head, err := OpenTree(signed, vkey)
	if err != nil {
		return Record{}, Tree{}, err
	}
	return Record{ID: id, Text: text}, head, nil
}

func dedupe(records []Record) []Record {
	sort.SliceStable(records, func(i, j int) bool { return records[i].ID < records[j].ID })
	out := records[:0]
	for i, r := range records {
		if i > 0 && r.ID == records[i-1].ID && string(r.Text) == string(records[i-1].Text) {
			continue
		}
		out = append(out, r)
	}
	return out
}
