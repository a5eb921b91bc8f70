package project

import (
	"crypto/sha256"
	"encoding/hex"
)

// HashBytes is the lock's content hash: "sha256:" and the hex digest.
func HashBytes(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}
