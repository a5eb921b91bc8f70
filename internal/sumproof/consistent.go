package sumproof

import (
	"bytes"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// Consistent proves that a and b, two verified heads of one database, are
// one log: the smaller tree's hash must be what the larger tree holds for
// its first records. The hashes come from tiles of the larger tree, from
// the sources in order. A fork is a SecurityError naming both heads; tiles
// the sources do not have give ErrUnproven.
func Consistent(a, b Tree, sources ...TileSource) error {
	older, newer := a, b
	if older.N > newer.N {
		older, newer = b, a
	}
	if older.N == newer.N {
		if older.Hash != newer.Hash {
			return forked(older, newer)
		}
		return nil
	}
	thr := tlog.TileHashReader(newer.Tree, newTileReader(sources...))
	h, err := tlog.TreeHash(older.N, thr)
	switch {
	case errors.Is(err, errMissingTile):
		return fmt.Errorf("%w: tree %d against tree %d: %w", ErrUnproven, older.N, newer.N, err)
	case err != nil:
		return securityf("tiles", "they do not prove tree %d (%v)", newer.N, err)
	}
	if h != older.Hash {
		return forked(older, newer)
	}
	return nil
}

func forked(older, newer Tree) error {
	indent := func(b []byte) string {
		return string(bytes.ReplaceAll(bytes.TrimSpace(b), []byte("\n"), []byte("\n\t")))
	}
	return securityf("checksum database "+newer.Database,
		"two signed tree heads that are not one log (a forked database, or one that shows different histories to different users):\nolder:\n\t%s\nnewer:\n\t%s",
		indent(older.Note), indent(newer.Note))
}
