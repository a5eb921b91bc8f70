package release

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ChecksumsFile lists the sha256 of every released file.
const ChecksumsFile = "SHA256SUMS"

// WriteChecksums writes dir/SHA256SUMS for the named files of dir (sorted,
// in the format `sha256sum -c` checks: hex digest, two spaces, name).
func WriteChecksums(dir string, names []string) error {
	names = slices.Sorted(slices.Values(names))
	var b strings.Builder
	for _, name := range names {
		sum, err := fileSHA256(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, name)
	}
	if err := os.WriteFile(filepath.Join(dir, ChecksumsFile), []byte(b.String()), 0o644); err != nil { //nolint:gosec // G306: a release file, published for everyone to download
		return fmt.Errorf("%s: %w", ChecksumsFile, err)
	}
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path) //nolint:gosec // G304: a release file this build just wrote
	if err != nil {
		return "", fmt.Errorf("%s: %w", ChecksumsFile, err)
	}
	defer f.Close() //nolint:errcheck // read-only: a failed close loses nothing
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %s: %w", ChecksumsFile, path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
