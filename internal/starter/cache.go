package starter

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/envgen/envgen/internal/atomicfile"
)

// CacheDirEnv overrides where fetched starters are kept.
const CacheDirEnv = "ENVGEN_CACHE_DIR"

// DefaultCacheDir is $ENVGEN_CACHE_DIR, else envgen/starters in the
// user's cache folder (~/.cache on Linux).
func DefaultCacheDir() (string, error) {
	if dir := os.Getenv(CacheDirEnv); dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", fmt.Errorf("starter: %s: %w", CacheDirEnv, err)
		}
		return abs, nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("starter: finding the user cache folder: %w", err)
	}
	return filepath.Join(dir, "envgen", "starters"), nil
}

// cache keeps fetched starters as <root>/<url key>/<commit>/, each the
// starter's parts as plain files (symlinks already resolved), plus
// refs.json: the commit each ref last resolved to, for offline use.
// A commit's folder appears by rename, complete or not at all.
type cache struct{ root string }

func (c cache) repoDir(url string) string {
	sum := sha256.Sum256([]byte(url))
	return filepath.Join(c.root, hex.EncodeToString(sum[:12]))
}

func (c cache) commitDir(url, commit string) string {
	return filepath.Join(c.repoDir(url), commit)
}

func (c cache) has(url, commit string) bool {
	fi, err := os.Stat(c.commitDir(url, commit))
	return err == nil && fi.IsDir()
}

func (c cache) refs(url string) map[string]string {
	refs := map[string]string{}
	data, err := os.ReadFile(filepath.Join(c.repoDir(url), "refs.json"))
	if err == nil {
		_ = json.Unmarshal(data, &refs) // a damaged file only costs offline use
	}
	return refs
}

// remember records what ref resolved to, and the URL for people looking
// into the cache.
func (c cache) remember(url, ref, commit string) error {
	refs := c.refs(url)
	if refs[ref] == commit {
		return nil
	}
	refs[ref] = commit
	data, err := json.MarshalIndent(refs, "", "  ")
	if err != nil {
		return fmt.Errorf("starter: encoding refs.json: %w", err)
	}
	if err := atomicfile.WriteFile(filepath.Join(c.repoDir(url), "url"), []byte(url+"\n"), 0o644); err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(c.repoDir(url), "refs.json"), append(data, '\n'), 0o644)
}

// publish moves a fully written temporary folder into place as the
// commit's folder. Another envgen may have won the race: its copy holds
// the same commit, so ours is dropped.
func (c cache) publish(tmp, url, commit string) error {
	err := os.Rename(tmp, c.commitDir(url, commit))
	if (err != nil && c.has(url, commit)) || errors.Is(err, fs.ErrExist) {
		if err := os.RemoveAll(tmp); err != nil {
			return fmt.Errorf("starter: removing %s: %w", tmp, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("starter: caching %s: %w", commit, err)
	}
	return nil
}
