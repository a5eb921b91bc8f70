package sumproof

import (
	"errors"
	"fmt"
	"io/fs"
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// TileHeight is the height of the tiles go.sum databases serve (the go
// command's client asks for height 8).
const TileHeight = 8

// TileSource finds a tile's data by its path ("tile/8/0/x001/234.p/5").
// An absent tile is an error matching fs.ErrNotExist.
type TileSource func(path string) ([]byte, error)

// MapTiles is a source over tiles in memory, such as a bundle's.
func MapTiles(tiles map[string][]byte) TileSource {
	return func(path string) ([]byte, error) {
		if data, ok := tiles[path]; ok {
			return data, nil
		}
		return nil, fs.ErrNotExist
	}
}

// tileReader implements tlog.TileReader over sources tried in order: the
// tile itself from each, then the full tile it is a prefix of (a database
// drops a partial tile once it is complete; the go command's cache keeps
// full tiles). It remembers every tile it handed out, so that a proof
// keeps exactly the tiles it used. Nothing it returns is trusted: the
// tlog hash reader authenticates every tile against the tree.
type tileReader struct {
	sources []TileSource

	mu   sync.Mutex
	used map[tlog.Tile][]byte
}

func newTileReader(sources ...TileSource) *tileReader {
	return &tileReader{sources: sources, used: map[tlog.Tile][]byte{}}
}

func (r *tileReader) Height() int { return TileHeight }

func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	data := make([][]byte, len(tiles))
	for i, t := range tiles {
		d, err := r.read(t)
		if err != nil {
			return nil, err
		}
		data[i] = d
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, t := range tiles {
		r.used[t] = data[i]
	}
	return data, nil
}

// SaveTiles keeps nothing: the proofs are what is kept.
func (r *tileReader) SaveTiles([]tlog.Tile, [][]byte) {}

func (r *tileReader) read(t tlog.Tile) ([]byte, error) {
	var firstErr error
	note := func(err error) {
		if firstErr == nil && !errors.Is(err, fs.ErrNotExist) {
			firstErr = err
		}
	}
	want := t.W * tlog.HashSize
	for _, src := range r.sources {
		d, err := src(t.Path())
		if err == nil && len(d) == want {
			return d, nil
		}
		note(err)
	}
	full := t
	full.W = 1 << uint(t.H)
	if full != t {
		for _, src := range r.sources {
			d, err := src(full.Path())
			if err == nil && len(d) == full.W*tlog.HashSize {
				return d[:want], nil
			}
			note(err)
		}
	}
	if firstErr != nil {
		return nil, fmt.Errorf("tile %s: %w", t.Path(), firstErr)
	}
	return nil, fmt.Errorf("%w %s", errMissingTile, t.Path())
}

// usedTiles are the tiles handed out so far, by path.
func (r *tileReader) usedTiles() map[string][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string][]byte, len(r.used))
	for t, d := range r.used {
		out[t.Path()] = d
	}
	return out
}

// memo caches a source's answers (both data and absence), so that two
// readers over one remote fetch each tile once.
func memo(src TileSource) TileSource {
	type answer struct {
		data []byte
		err  error
	}
	var mu sync.Mutex
	seen := map[string]answer{}
	return func(path string) ([]byte, error) {
		mu.Lock()
		a, ok := seen[path]
		mu.Unlock()
		if ok {
			return a.data, a.err
		}
		d, err := src(path)
		mu.Lock()
		seen[path] = answer{d, err}
		mu.Unlock()
		return d, err
	}
}
